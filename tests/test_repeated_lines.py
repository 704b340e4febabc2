"""Issue 9: a line an outlet repeats across its articles is furniture (own fixtures: one outlet
writing in French and German, tests/fixtures/outlets)."""

from __future__ import annotations

from pathlib import Path

from newsgraph.config import Settings
from newsgraph.ingest.clean import clean
from newsgraph.ingest.readers import read_paths
from newsgraph.ingest.repeated import (
    KIND,
    MIN_PROSE_WORDS,
    InMemoryLines,
    article_key,
    mark_repeated_lines,
    outlet_key,
)
from newsgraph.model import Claim, Document, Entity, Event, Mention, Quote, TimeExpression
from newsgraph.pipeline.resolve import CorpusPass, resolve_stream
from newsgraph.pipeline.runs import ingest_documents
from newsgraph.store import Store

FEED = Path(__file__).parent / "fixtures" / "outlets" / "lemanique.jsonl"
TEASER_FR = "Chaque soir à 18 heures, Paul Renaud reçoit un invité de la région sur notre antenne."
TEASER_DE = "Jeden Abend um 18 Uhr empfängt Paul Renaud einen Gast aus der Region in unserer Sendung."


def feed() -> list[Document]:
    """The outlet's four articles, cleaned (language from the address: fr/ or de/)."""
    docs = list(read_paths([FEED], Settings()))
    for doc in docs:
        doc.lang = "fr" if "/fr/" in (doc.url or "") else "de"
        clean(doc)
    return docs


def repeated(doc: Document) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.boilerplate if b.kind == KIND]


def article(
    doc_id: str, title: str, lines: list[str], outlet: str | None = None, url: str | None = None
) -> Document:
    """A short English article, cleaned."""
    doc = Document(doc_id=doc_id, text="\n".join([title, *lines]) + "\n", outlet=outlet, url=url, lang="en")
    clean(doc)
    return doc


def test_a_teaser_the_outlet_prints_under_each_article_is_furniture_in_both_languages() -> None:
    docs = feed()
    mark_repeated_lines(docs, InMemoryLines())
    assert [repeated(doc) for doc in docs] == [[TEASER_FR], [TEASER_FR], [TEASER_DE], [TEASER_DE]]
    for doc in docs:
        assert all(TEASER_FR not in doc.text[s:e] and TEASER_DE not in doc.text[s:e] for s, e in doc.body)
        assert doc.title and doc.title in doc.text[doc.body[0][0] : doc.body[0][1]]  # the headline stays


def test_what_the_stages_found_inside_the_repeated_line_is_dropped() -> None:
    docs = feed()[:2]
    first = docs[0]
    teaser = first.text.index(TEASER_FR)
    name = first.text.index("Paul Renaud")
    hour = first.text.index("18 heures")
    body = first.text.index("dix mille")
    marie = first.text.index("Marie")
    first.mentions = [
        Mention(name, name + 11, "Paul Renaud", "PER", entity="e1"),
        Mention(marie, marie + 12, "Marie Dufour", "PER", entity="e2"),
    ]
    first.entities = {key: Entity(key, key, "PER") for key in ("e1", "e2")}
    first.times = [TimeExpression(hour, hour + 9, "18 heures", "T18:00", "minute", "time")]
    first.quotes = [Quote(teaser, teaser + len(TEASER_FR), TEASER_FR, True, speaker="e1")]
    first.events = [Event("ev1", "CONSULT", source=["e1"], trigger=(name, name + 11))]
    first.claims = [
        Claim(hour, hour + 2, "18", 18),
        Claim(body, body + 9, "dix mille", 10_000),
        Claim(body, body + 4, "dix", 10, part_of=1),
    ]
    mark_repeated_lines(docs, InMemoryLines())
    assert [m.text for m in first.mentions] == ["Marie Dufour"]
    assert set(first.entities) == {"e2"}
    assert first.times == [] and first.quotes == [] and first.events == []
    assert [(c.text, c.part_of) for c in first.claims] == [("dix mille", None), ("dix", 0)]


def test_versions_of_one_article_share_their_lines_without_making_them_furniture() -> None:
    lines = ["The city council met on Tuesday.", "Short update line", "Read more on our site"]
    first = article("v1", "Council approves budget", lines, outlet="Harbour Times")
    update = article(
        "v2", "Council approves budget", [*lines, "Added after the vote."], outlet="Harbour Times"
    )
    assert article_key(first) == article_key(update)
    mark_repeated_lines([first, update], InMemoryLines())
    assert repeated(first) == repeated(update) == []


def test_long_prose_repeated_by_an_agency_stays_article_text() -> None:
    background = (
        "The bridge, built in 1932 and closed to lorries since last spring, carries about forty "
        "thousand vehicles a day between the two halves of the city."
    )
    assert len(background.split()) >= MIN_PROSE_WORDS
    podcast = "Listen to our podcast every Monday"
    docs = [
        article(
            "a", "Bridge repairs start", [background, "Listen to our podcast every Monday"], outlet="Wire"
        ),
        article(
            "b", "Bridge reopens to buses", [background, "Listen to our podcast every Monday"], outlet="Wire"
        ),
    ]
    mark_repeated_lines(docs, InMemoryLines())
    assert repeated(docs[0]) == repeated(docs[1]) == [podcast]


def test_the_same_line_from_two_outlets_is_not_evidence_and_the_host_stands_in_for_the_outlet() -> None:
    line = "Share this story with a friend today"
    a = article("a", "Storm closes the port", [line], url="https://www.portnews.example/a")
    b = article("b", "Ferries cancelled again", [line], url="https://portnews.example/b")
    c = article("c", "Port reopens at dawn", [line], outlet="Coast Radio")
    assert outlet_key(a) == outlet_key(b) == "host:portnews.example"
    mark_repeated_lines([a, b, c], InMemoryLines())
    assert repeated(a) == repeated(b) == [line] and repeated(c) == []


def test_extract_remembers_lines_across_batches_of_one_run() -> None:
    docs = feed()
    out = list(resolve_stream(docs, CorpusPass(), batch_size=1))
    # the first article of each language had nothing to compare with when it was written out
    assert [repeated(doc) for doc in out] == [[], [TEASER_FR], [], [TEASER_DE]]


def test_ingest_remembers_an_outlets_lines_in_the_store_across_runs(tmp_path: Path) -> None:
    settings = Settings(stages=("clean",), workers=0, batch_size=8)
    docs = feed()
    with Store(tmp_path / "news.db") as store:
        ingest_documents([docs[0], docs[2]], store, settings)
        (rows,) = store.conn.execute("SELECT count(*) FROM outlet_lines").fetchone()
        assert rows > 0
    with Store(tmp_path / "news.db") as store:
        ingest_documents([docs[1], docs[3]], store, settings)
        second, fourth = store.get("rl-2"), store.get("rl-4")
        assert second is not None and repeated(second) == [TEASER_FR]
        assert fourth is not None and repeated(fourth) == [TEASER_DE]
        first = store.get("rl-1")
        assert first is not None and repeated(first) == []  # stored before: not revisited


def test_the_memory_of_an_extract_run_is_bounded_and_keeps_what_recurs() -> None:
    memory = InMemoryLines(capacity=3)
    memory.remember([("outlet:a", "footer", "k1"), ("outlet:a", "one", "k1"), ("outlet:a", "two", "k2")])
    assert memory.line_keys("outlet:a", ["footer"]) == {"footer": {"k1"}}  # seen again: kept longest
    memory.remember([("outlet:a", "three", "k3"), ("outlet:a", "four", "k4")])
    assert set(memory.line_keys("outlet:a", ["footer", "one", "two", "three", "four"])) == {
        "footer",
        "three",
        "four",
    }
