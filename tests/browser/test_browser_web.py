"""The web app in a real headless Chromium over the seed articles (French, Russian, English).

What a reader does: open Antony Blinken's timeline and find his five contacts on the time axis,
none of them among the planned events; click a contact and read what the French, Russian and
English reports say; zoom; filter by type; open a story and see its articles in their languages;
find an entity by typing the start of its name in another script; open an article whose text
contains markup and see the markup as text. Every test talks to the server through the browser
(and HTTP) only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

BLINKEN = "Antony Blinken"
# Blinken's contacts the seed articles report (partner, day or month), as the seeds' gold lists them
CONTACTS = [
    ("Gabi Ashkenazi", "2021-02"),  # phone call, reported in French
    ("Isaac Herzog", "2023-11-01"),  # phone call, reported in French
    ("Benjamin Netanyahu", "2023-11-03"),  # meetings in Tel Aviv, reported in Russian
    ("Benjamin Netanyahu", "2024-01-09"),  # meeting, reported in English
    ("Yoav Gallant", "2024-10"),  # meeting, reported in French
]
MARKS_JS = """() => [...document.querySelectorAll('circle.mark')].map(m => ({
    index: m.dataset.index, type: m.dataset.type, date: m.dataset.date, lane: m.dataset.lane,
    planned: m.dataset.planned, label: m.getAttribute('aria-label'), cx: +m.getAttribute('cx')}))"""


def open_timeline(page: Any, server: str, query: str) -> list[dict[str, Any]]:
    """Open the timeline page for `query` and wait until the chart is drawn; its marks."""
    page.goto(f"{server}/timeline?{query}")
    page.wait_for_selector("#timeline-chart[data-ready='true']")
    marks: list[dict[str, Any]] = page.evaluate(MARKS_JS)
    return marks


def contact_marks(marks: list[dict[str, Any]], partner: str, when: str) -> list[dict[str, Any]]:
    """The CONSULT marks between Blinken and `partner` dated `when` (a day or a month)."""
    return [
        m
        for m in marks
        if m["type"] == "CONSULT"
        and BLINKEN in m["label"]
        and partner in m["label"]
        and m["date"].startswith(when)
    ]


def show_evidence(page: Any, mark: dict[str, Any]) -> list[dict[str, str]]:
    """Click a mark; the reports its evidence panel lists (language, sentence, document link)."""
    page.locator(f"circle.mark[data-index='{mark['index']}']").click()
    page.wait_for_selector(".evidence li.report")
    reports: list[dict[str, str]] = page.evaluate(
        """() => [...document.querySelectorAll('.evidence li.report')].map(li => ({
            lang: li.dataset.lang, sentence: (li.querySelector('blockquote') || {}).textContent || '',
            href: li.querySelector('a').getAttribute('href')}))"""
    )
    return reports


def test_the_blinken_timeline_shows_his_five_contacts_and_none_of_them_planned(
    page: Any, server: str, screenshot: Any
) -> None:
    marks = open_timeline(page, server, "actor=Blinken")
    screenshot(page, "timeline-blinken")
    for partner, when in CONTACTS:
        found = contact_marks(marks, partner, when)
        assert found, f"no mark for Blinken's contact with {partner} ({when})"
        assert all(m["lane"] == "held" and m["planned"] == "false" for m in found), found
    planned = [m for m in marks if m["planned"] == "true"]
    assert all(m["lane"] == "planned" for m in planned)  # planned events keep to their own lane


def test_clicking_a_contact_shows_its_evidence_in_french_russian_and_english(
    page: Any, server: str, screenshot: Any
) -> None:
    marks = open_timeline(page, server, "actor=Blinken")
    seen = set()
    for (partner, when), lang in zip(CONTACTS[1:4], ("fr", "ru", "en"), strict=True):
        reports = show_evidence(page, contact_marks(marks, partner, when)[0])
        assert lang in {r["lang"] for r in reports}
        assert all(r["sentence"].strip() and r["href"].startswith("/documents/") for r in reports)
        assert partner in page.inner_text(".evidence h2")
        screenshot(page, f"timeline-evidence-{lang}")
        seen |= {r["lang"] for r in reports}
    assert {"fr", "ru", "en"} <= seen
    # the evidence links to the article it quotes
    href = page.get_attribute(".evidence li.report a", "href")
    page.click(".evidence li.report a")
    page.wait_for_url(f"**{href}")
    assert page.locator("article.article").count() == 1


def test_the_time_axis_zooms_and_filters_by_type(page: Any, server: str) -> None:
    marks = open_timeline(page, server, "actor=Blinken")
    call = contact_marks(marks, "Isaac Herzog", "2023-11-01")[0]
    meeting = contact_marks(marks, "Benjamin Netanyahu", "2023-11-03")[0]
    before = abs(meeting["cx"] - call["cx"])
    page.click("button.zoom[aria-label='zoom in']")
    zoomed = {m["index"]: m for m in page.evaluate(MARKS_JS)}
    assert abs(zoomed[meeting["index"]]["cx"] - zoomed[call["index"]]["cx"]) > 1.8 * before
    page.click("button.reset-zoom")
    page.focus("svg.chart-svg")
    page.keyboard.press("+")  # the keyboard zooms as the buttons do
    zoomed = {m["index"]: m for m in page.evaluate(MARKS_JS)}
    assert abs(zoomed[meeting["index"]]["cx"] - zoomed[call["index"]]["cx"]) > 1.8 * before
    page.click("button.reset-zoom")
    types = {m["type"] for m in marks}
    assert "SUPPORT" in types
    page.click(".facets button.chip[data-facet='SUPPORT']")
    remaining = page.evaluate(MARKS_JS)
    assert remaining and all(m["type"] != "SUPPORT" for m in remaining)
    assert len(remaining) == sum(1 for m in marks if m["type"] != "SUPPORT")


def test_the_pair_timeline_draws_only_the_pair(page: Any, server: str) -> None:
    marks = open_timeline(page, server, "actor=Blinken&with=Herzog")
    assert marks and all("Isaac Herzog" in m["label"] for m in marks)
    assert contact_marks(marks, "Isaac Herzog", "2023-11-01")


def test_without_javascript_the_timeline_is_a_list(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server}/timeline?actor=Blinken")
        assert page.locator("ol.timeline > li").count() >= len(CONTACTS)
        assert page.locator("#timeline-chart svg").count() == 0
        assert "Gabi Ashkenazi" in page.inner_text("ol.timeline")
    finally:
        context.close()


def test_a_story_page_lists_its_articles_in_their_languages(page: Any, server: str, screenshot: Any) -> None:
    page.goto(f"{server}/stories")
    screenshot(page, "stories")
    stories = page.locator("li.story")
    assert stories.count() >= 1
    multilingual = [
        i
        for i in range(stories.count())
        if {"fr", "ru"} <= set(stories.nth(i).locator(".lang-tag").all_inner_texts())
    ]
    assert multilingual, "no story groups the French and Russian reports of Blinken's November visit"
    stories.nth(multilingual[0]).locator(".title a").click()
    page.wait_for_selector("table.articles")
    screenshot(page, "story")
    # how each outlet frames it: one column per outlet (here per article), in its language
    terms = page.locator("table.framing[data-section='terms'] th.outlet")
    assert {"fr", "ru"} <= {terms.nth(i).get_attribute("data-lang") for i in range(terms.count())}
    rows = page.locator("tr.article-row, tr.copy-row")
    assert {"fr", "ru"} <= {rows.nth(i).get_attribute("data-lang") for i in range(rows.count())}
    for i in range(rows.count()):
        doc_id = rows.nth(i).get_attribute("data-doc")
        record = page.request.get(f"{server}/api/documents/{quote(doc_id, safe='')}").json()
        assert record["title"] in rows.nth(i).inner_text()
        assert record["lang"] == rows.nth(i).get_attribute("data-lang")


def test_markup_in_an_article_is_shown_as_text(page: Any, server: str, screenshot: Any) -> None:
    page.goto(f"{server}/documents/browser-escape-en")
    screenshot(page, "document-with-markup")
    assert "<script>" in page.inner_text("h1")
    article = page.inner_text("article.article")
    assert '<img src=x onerror="window.pwned = 2">' in article
    assert "<b>bold</b>" in article
    for path in ("/documents/browser-escape-en", "/documents?q=library", "/stories", "/documents"):
        page.goto(server + path)
        assert page.evaluate("() => window.pwned") is None
        # the only scripts are the app's files and JSON data blocks
        assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
        assert page.locator("img").count() == 0 and page.locator("main b").count() == 0


def test_an_entity_is_found_by_the_start_of_a_name_in_another_script(
    page: Any, server: str, screenshot: Any
) -> None:
    page.goto(f"{server}/entities")
    page.locator("input[data-suggest='go']").press_sequentially("Блин")
    suggestion = page.locator("ul.suggestions a", has_text=BLINKEN)
    suggestion.wait_for()
    screenshot(page, "entity-suggestions")
    suggestion.click()
    page.wait_for_url("**/entities/**")
    assert BLINKEN in page.inner_text("h1")


def test_name_fields_suggest_entity_names(page: Any, server: str) -> None:
    page.goto(f"{server}/timeline")
    page.locator("input[name='with']").press_sequentially("Herz")
    page.wait_for_function(
        "() => [...document.querySelectorAll('datalist option')].some(o => o.value === 'Isaac Herzog')"
    )


def test_the_api_docs_work_with_no_network(page: Any, server: str, screenshot: Any) -> None:
    """/docs draws Swagger UI from files this server serves; any request elsewhere fails the test."""
    elsewhere: list[str] = []
    page.on(
        "request", lambda request: None if request.url.startswith(server) else elsewhere.append(request.url)
    )
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock-summary-path")
    screenshot(page, "api-docs")
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/timeline", "/api/stories", "/api/documents"} <= {
        p.strip().replace("\u200b", "") for p in paths
    }
    assert elsewhere == []
