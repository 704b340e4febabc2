"""Framing of one story by outlet: terms, agents and victims, figures, quotes, tone, evidence.

The four articles below were written for these tests: one night of strikes and rockets told by a
French outlet that condemns Israel, an English one that takes Israel's side, a Russian one that
cites the UN's toll and a German one close to the English. Annotations are given by hand, as the
pipeline would store them after the corpus pass (global entity ids), so the test checks the table
and not the extractors.
"""

from __future__ import annotations

import re

import pytest

from newsgraph.model import Boilerplate, Claim, Document, Event, Mention, Quote
from newsgraph.stories.framing import frame_story, framing_rows, outlet_of

FR = (
    "Gaza : l'agression israélienne fait de nouvelles victimes. "
    "Les frappes d'Israël sur le camp de Jabalia ont tué 40 civils, dont des femmes et des enfants, "
    "selon le ministère de la Santé de Gaza. "
    "Les autorités d'occupation ont arrêté des dizaines de Palestiniens en Cisjordanie. "
    "« Ce qui se passe à Gaza est un génocide », a déclaré Samir Haddad, porte-parole du Croissant-Rouge. "
    "Partagez cet article sur les réseaux sociaux #Génocide"
)
EN = (
    "Israel strikes Hamas targets after rocket barrage. "
    "The Israeli army struck Hamas positions in Gaza overnight after the terrorist organisation Hamas "
    "fired 150 rockets at Israeli towns. "
    "Israel has the right to defend itself, government spokesman David Levi said. "
    '"We will not let terrorists threaten our citizens," Levi told reporters. '
    "The army said 12 terrorists were killed in the strikes."
)
RU = (
    "Израиль нанёс удары по сектору Газа. "
    "По данным ООН, в результате ударов погибли 35 мирных жителей, ещё 120 человек ранены. "
    "Генеральный секретарь ООН Антониу Гутерриш призвал стороны к сдержанности. "
    "«Мирное население не должно расплачиваться за эту войну», — сказал Гутерриш."
)
DE = (
    "Nach dem Raketenbeschuss durch die Terrororganisation Hamas hat die israelische Armee Ziele im "
    "Gazastreifen angegriffen. "
    "Nach Angaben der Armee wurden dabei 12 Kämpfer getötet. "
    "Regierungschef Benjamin Netanjahu sprach von Selbstverteidigung. "
    "Lesen Sie auch: Der Vorwurf des Völkermords und was dahinter steckt"
)


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The span of the `nth` occurrence of `needle` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentences as the pipeline would give them: cut after end punctuation."""
    out, cursor = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+", text):
        out.append((cursor, m.start()))
        cursor = m.end()
    return [*out, (cursor, len(text))]


def article(doc_id: str, outlet: str, lang: str, text: str, names: list[tuple[str, str, str]]) -> Document:
    """A document with every occurrence of each name annotated (longer names first, no overlaps)."""
    doc = Document(doc_id=doc_id, text=text, lang=lang, outlet=outlet, body=[(0, len(text))])
    doc.sentences = sentences(text)
    taken: list[tuple[int, int]] = []
    for needle, kind, entity in sorted(names, key=lambda n: -len(n[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append(m.span())
                doc.mentions.append(Mention(m.start(), m.end(), needle, kind, entity))
    doc.mentions.sort(key=lambda m: m.start)
    return doc


def violence(doc: Document, kind: str, trigger: str, source: list[str], target: list[str]) -> None:
    """A violent event of the sentence holding `trigger`, its actors given as (needle, id) spans."""
    span = at(doc.text, trigger)
    sentence = next(s for s in doc.sentences if s[0] <= span[0] < s[1])
    doc.events.append(
        Event(
            id=f"V:{doc.doc_id}:{len(doc.events)}",
            type=kind,
            source=[_entity(doc, n) for n in source],
            target=[_entity(doc, n) for n in target],
            source_spans=[at(doc.text, n) for n in source],
            target_spans=[at(doc.text, n) for n in target],
            sentence=sentence,
            trigger=span,
        )
    )


def _entity(doc: Document, needle: str) -> str:
    start, _ = at(doc.text, needle)
    return next(m.entity for m in doc.mentions if m.start == start and m.entity)


def figure(doc: Document, needle: str, kind: str, value: int, source: str, entity: str | None) -> None:
    start, end = at(doc.text, needle)
    doc.claims.append(
        Claim(
            start,
            end,
            needle,
            value,
            kind=kind,
            attributed_to=source,
            attributed_entity=entity,
            attribution_span=at(doc.text, source),
        )
    )


def quote(doc: Document, words: str, speaker: str, direct: bool = True) -> None:
    start, end = at(doc.text, words)
    doc.quotes.append(Quote(start, end, words, direct, speaker))


def furniture(doc: Document, line: str) -> None:
    start, end = at(doc.text, line)
    doc.boilerplate.append(Boilerplate(start, end, "share"))


@pytest.fixture(scope="module")
def story() -> list[Document]:
    fr = article(
        "fr1",
        "Le Quotidien du Sud",
        "fr",
        FR,
        [
            ("Gaza", "LOC", "E:gaza"),
            ("Israël", "LOC", "E:israel"),
            ("Jabalia", "LOC", "E:jabalia"),
            ("ministère de la Santé de Gaza", "ORG", "E:gaza-health-ministry"),
            ("Palestiniens", "MISC", "E:palestinians"),
            ("Cisjordanie", "LOC", "E:west-bank"),
            ("Samir Haddad", "PER", "E:samir-haddad"),
            ("Croissant-Rouge", "ORG", "E:red-crescent"),
        ],
    )
    violence(fr, "ASSAULT", "ont tué", ["Israël"], ["Jabalia"])
    violence(fr, "COERCE", "ont arrêté", [], ["Palestiniens"])
    figure(fr, "40 civils", "killed", 40, "ministère de la Santé de Gaza", "E:gaza-health-ministry")
    quote(fr, "Ce qui se passe à Gaza est un génocide", "E:samir-haddad")
    furniture(fr, "Partagez cet article sur les réseaux sociaux #Génocide")

    en = article(
        "en1",
        "Daily Example",
        "en",
        EN,
        [
            ("Israel", "LOC", "E:israel"),
            ("Hamas", "ORG", "E:hamas"),
            ("Israeli army", "ORG", "E:idf"),
            ("Gaza", "LOC", "E:gaza"),
            ("David Levi", "PER", "E:david-levi"),
            ("Levi", "PER", "E:david-levi"),
        ],
    )
    violence(en, "ASSAULT", "struck", ["Israeli army"], ["Hamas"])
    violence(en, "ASSAULT", "fired", ["Hamas"], [])
    figure(en, "12 terrorists", "killed", 12, "The army", None)
    quote(en, "Israel has the right to defend itself", "E:david-levi", direct=False)
    quote(en, "We will not let terrorists threaten our citizens,", "E:david-levi")

    ru = article(
        "ru1",
        "Вести Пример",
        "ru",
        RU,
        [
            ("Израиль", "LOC", "E:israel"),
            ("Газа", "LOC", "E:gaza"),
            ("ООН", "ORG", "E:un"),
            ("Антониу Гутерриш", "PER", "E:antonio-guterres"),
            ("Гутерриш", "PER", "E:antonio-guterres"),
        ],
    )
    violence(ru, "ASSAULT", "нанёс удары", ["Израиль"], ["Газа"])
    figure(ru, "35 мирных жителей", "killed", 35, "ООН", "E:un")
    figure(ru, "120 человек", "injured", 120, "ООН", "E:un")
    quote(ru, "Мирное население не должно расплачиваться за эту войну", "E:antonio-guterres")

    de = article(
        "de1",
        "Beispiel-Zeitung",
        "de",
        DE,
        [
            ("Hamas", "ORG", "E:hamas"),
            ("israelische Armee", "ORG", "E:idf"),
            ("Armee", "ORG", "E:idf"),
            ("Gazastreifen", "LOC", "E:gaza"),
            ("Benjamin Netanjahu", "PER", "E:benjamin-netanyahu"),
        ],
    )
    violence(de, "ASSAULT", "angegriffen", ["israelische Armee"], ["Gazastreifen"])
    figure(de, "12 Kämpfer", "killed", 12, "Armee", "E:idf")
    furniture(de, "Lesen Sie auch: Der Vorwurf des Völkermords und was dahinter steckt")
    return [fr, en, ru, de]


NAMES = {"E:israel": "Israel", "E:hamas": "Hamas", "E:idf": "Israel Defense Forces", "E:gaza": "Gaza"}


@pytest.fixture(scope="module")
def table(story: list[Document]) -> dict:
    return frame_story(story, NAMES)


def cells(rows: list[dict], **match: str) -> dict:
    """The cells of the one row whose fields have the given values."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, [{k: r.get(k) for k in match} for r in rows])
    return found[0]["cells"]


def test_one_column_per_outlet_and_language(table: dict) -> None:
    heads = {c["key"]: (c["outlet"], c["lang"], c["documents"]) for c in table["columns"]}
    assert heads == {
        "Le Quotidien du Sud|fr": ("Le Quotidien du Sud", "fr", ["fr1"]),
        "Daily Example|en": ("Daily Example", "en", ["en1"]),
        "Вести Пример|ru": ("Вести Пример", "ru", ["ru1"]),
        "Beispiel-Zeitung|de": ("Beispiel-Zeitung", "de", ["de1"]),
    }
    main = table["entities"]
    assert {e["id"] for e in main[:3]} == {"E:gaza", "E:hamas", "E:israel"}
    assert main[0] == {"id": "E:gaza", "name": "Gaza", "type": "LOC", "mentions": 5}


def test_loaded_terms_side_by_side_per_concept(table: dict) -> None:
    rows = table["terms"]
    fr, ru = "Le Quotidien du Sud|fr", "Вести Пример|ru"
    assert set(cells(rows, concept="aggression")) == {fr}
    assert cells(rows, concept="occupation")[fr]["words"] == {"autorités d'occupation": 1}
    genocide = cells(rows, concept="genocide")
    # the hashtag in the share line is furniture; the word in Haddad's quotation counts, marked quoted
    assert genocide == {
        "Le Quotidien du Sud|fr": {
            "count": 1,
            "quoted": 1,
            "words": {"génocide": 1},
            "evidence": [{"doc": "fr1", **_span(FR, "génocide"), "text": "génocide", "quoted": True}],
        }
    }
    terrorist = cells(rows, concept="terrorist")
    assert terrorist["Daily Example|en"]["words"] == {"terrorist organisation": 1, "terrorists": 2}
    assert terrorist["Beispiel-Zeitung|de"]["words"] == {"terrororganisation": 1}
    assert "Le Quotidien du Sud|fr" not in terrorist
    self_defence = cells(rows, concept="self_defence")
    assert set(self_defence) == {"Daily Example|en", "Beispiel-Zeitung|de"}
    assert cells(rows, concept="civilians")[ru]["words"] == {"мирных жителей": 1, "мирное население": 1}
    assert cells(rows, concept="women_children")[fr]["count"] == 1


def test_every_cell_points_at_its_text(table: dict, story: list[Document]) -> None:
    texts = {d.doc_id: d.text for d in story}
    furniture = {d.doc_id: d.boilerplate for d in story}
    seen = 0
    for section in ("terms", "agents", "victims", "figures", "quotes", "tone"):
        for row in table[section]:
            for cell in row["cells"].values():
                for ev in cell["evidence"]:
                    assert texts[ev["doc"]][ev["start"] : ev["end"]] == ev["text"]
                    assert not any(b.start < ev["end"] and ev["start"] < b.end for b in furniture[ev["doc"]])
                    seen += 1
    assert seen > 30


def test_agents_and_victims_of_violence(table: dict) -> None:
    agents = table["agents"]
    assert set(cells(agents, entity="E:israel")) == {"Le Quotidien du Sud|fr", "Вести Пример|ru"}
    assert set(cells(agents, entity="E:idf")) == {"Daily Example|en", "Beispiel-Zeitung|de"}
    assert cells(agents, entity="E:hamas")["Daily Example|en"]["evidence"][0]["text"] == "Hamas"
    victims = table["victims"]
    assert set(cells(victims, entity="E:gaza")) == {"Вести Пример|ru", "Beispiel-Zeitung|de"}
    assert set(cells(victims, entity="E:palestinians")) == {"Le Quotidien du Sud|fr"}
    assert set(cells(victims, entity="E:hamas")) == {"Daily Example|en"}


def test_whose_casualty_figures_and_on_whose_authority(table: dict) -> None:
    figures = table["figures"]
    ministry = cells(figures, kind="killed", source="E:gaza-health-ministry")
    assert ministry["Le Quotidien du Sud|fr"]["figures"][0]["value"] == 40
    assert [e["text"] for e in ministry["Le Quotidien du Sud|fr"]["evidence"]] == [
        "40 civils",
        "ministère de la Santé de Gaza",
    ]
    un = {kind: cells(figures, kind=kind, source="E:un") for kind in ("killed", "injured")}
    assert un["killed"]["Вести Пример|ru"]["figures"][0]["value"] == 35
    assert un["injured"]["Вести Пример|ru"]["figures"][0]["value"] == 120
    army = cells(figures, kind="killed", source="E:idf")
    assert set(army) == {"Beispiel-Zeitung|de"}
    # a source the resolver could not name keeps the article's words
    unnamed = [r for r in figures if r["source"] is None]
    assert [(r["source_name"], set(r["cells"])) for r in unnamed] == [("The army", {"Daily Example|en"})]


def test_quoted_space_per_speaker(table: dict) -> None:
    quotes = table["quotes"]
    levi = cells(quotes, speaker="E:david-levi")["Daily Example|en"]
    assert levi["quotes"] == 2
    assert levi["chars"] == len("Israel has the right to defend itself") + len(
        "We will not let terrorists threaten our citizens,"
    )
    assert levi["share"] == 1.0
    haddad = cells(quotes, speaker="E:samir-haddad")
    assert haddad["Le Quotidien du Sud|fr"]["chars"] == len("Ce qui se passe à Gaza est un génocide")
    assert set(cells(quotes, speaker="E:antonio-guterres")) == {"Вести Пример|ru"}
    assert not any("Beispiel-Zeitung|de" in r["cells"] for r in quotes)


def test_tone_sign_per_outlet(table: dict) -> None:
    tone = {row["entity"]: row["cells"] for row in table["tone"]}
    assert tone["E:israel"]["Le Quotidien du Sud|fr"]["score"] < 0
    assert tone["E:israel"]["Daily Example|en"]["score"] > 0
    assert tone["E:hamas"]["Daily Example|en"]["score"] < 0
    assert tone["E:hamas"]["Beispiel-Zeitung|de"]["score"] < 0
    assert tone["E:gaza"]["Вести Пример|ru"]["score"] > 0
    # the speaker of "terrorists" is not labelled one: a label with no name beside it is no one's
    assert tone["E:david-levi"]["Daily Example|en"] == {
        "score": 0.0,
        "mentions": 2,
        "hits": 0,
        "evidence": [],
    }
    for cells_of in tone.values():
        for cell in cells_of.values():
            assert -1 <= cell["score"] <= 1
            assert cell["hits"] == len(cell["evidence"])


def test_rows_for_csv(table: dict) -> None:
    rows = framing_rows(table)
    assert set(rows[0]) == {"outlet", "lang", "category", "term", "count", "evidence"}
    genocide = [r for r in rows if r["term"] == "genocide"]
    start, end = at(FR, "génocide")
    assert genocide == [
        {
            "outlet": "Le Quotidien du Sud",
            "lang": "fr",
            "category": "violence",
            "term": "genocide",
            "count": 1,
            "evidence": f"fr1:{start}-{end}",
        }
    ]
    assert {r["category"] for r in rows} >= {"agents", "victims", "figures:killed", "quotes", "tone"}


def test_outlet_from_address_and_sentences_without_a_parse() -> None:
    text = "Les forces d'occupation ont bombardé Rafah. Un massacre, selon les secours."
    doc = Document(doc_id="x", text=text, lang="fr", url="https://www.exemple.org/a/1", body=[(0, len(text))])
    doc.mentions = [Mention(*at(text, "Rafah"), "Rafah", "LOC", "E:rafah")]
    assert outlet_of(doc) == "exemple.org"
    table = frame_story([doc])
    assert {r["concept"] for r in table["terms"]} == {"occupation", "massacre"}
    assert table["columns"][0]["key"] == "exemple.org|fr"


def _span(text: str, needle: str) -> dict[str, int]:
    start, end = at(text, needle)
    return {"start": start, "end": end}


def test_records_and_reposts(story: list[Document]) -> None:
    fr = story[0]
    repost = Document.from_record({**fr.to_record(), "doc_id": "fr2"})
    syndicated = Document.from_record({**fr.to_record(), "doc_id": "fr3", "outlet": "Autre Journal"})
    copies = {"fr2": "fr1", "fr3": "fr1"}
    table = frame_story([fr.to_record(), repost, syndicated], NAMES, duplicate_of=copies)
    heads = {c["key"]: (c["documents"], c["reposts"]) for c in table["columns"]}
    assert heads == {"Le Quotidien du Sud|fr": (["fr1"], ["fr2"]), "Autre Journal|fr": (["fr3"], [])}
    aggression = cells(table["terms"], concept="aggression")
    assert {k: c["count"] for k, c in aggression.items()} == {
        "Le Quotidien du Sud|fr": 1,
        "Autre Journal|fr": 1,
    }


def test_occupying_a_place_is_no_label_of_the_place() -> None:
    text = "Israeli forces struck Rafah overnight. The army kept occupying Rafah, witnesses said."
    doc = article("o1", "Wire", "en", text, [("Israeli forces", "ORG", "E:idf"), ("Rafah", "LOC", "E:rafah")])
    violence(doc, "ASSAULT", "struck", ["Israeli forces"], ["Rafah"])
    tone = {row["entity"]: row["cells"]["Wire|en"] for row in frame_story([doc])["tone"]}
    assert [e["text"] for e in tone["E:idf"]["evidence"]] == ["occupying"]
    assert tone["E:idf"]["score"] < 0
    assert tone["E:rafah"]["hits"] == 0


def test_an_article_without_outlet_or_address_stands_alone() -> None:
    one = Document(doc_id="a", text="Un massacre.", lang="fr")
    two = Document(doc_id="b", text="Un génocide.", lang="fr")
    keys = [c["key"] for c in frame_story([one, two])["columns"]]
    assert keys == ["unknown:a|fr", "unknown:b|fr"]


def test_furniture_counts_for_nothing() -> None:
    body = "Des soldats ont tué 3 civils à Naplouse, selon le Croissant-Rouge."
    foot = "\nÀ lire aussi : « Un massacre », dit Amal Saleh ; 12 morts selon la police"
    text = body + foot
    doc = article(
        "f1", "Journal", "fr", text, [("Naplouse", "LOC", "E:nablus"), ("Amal Saleh", "PER", "E:as")]
    )
    figure(doc, "3 civils", "killed", 3, "Croissant-Rouge", None)
    figure(doc, "12 morts", "killed", 12, "la police", None)
    quote(doc, "Un massacre", "E:as")
    furniture(doc, foot.strip())
    table = frame_story([doc])
    assert [(r["concept"], r["total"]) for r in table["terms"]] == [("civilians", 1)]
    assert [r["source_name"] for r in table["figures"]] == ["Croissant-Rouge"]
    assert table["quotes"] == []
    assert all(row["entity"] != "E:as" for row in table["tone"])
