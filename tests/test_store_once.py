"""Schema v8: each annotation stored once. Mentions, events, quotes and claims are rows (and not in
the stored record); body, boilerplate, paragraph, sentence and time spans are in the record (and
not rows). Documents in several languages and scripts come back exactly as they went in, and a
store written before v8 (every annotation twice) is converted and reads the same."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsgraph.entities.index import KnownEntity
from newsgraph.entities.names import name_keys
from newsgraph.entities.resolve import Decision
from newsgraph.ingest.hashing import content_hash
from newsgraph.model import (
    Boilerplate,
    Claim,
    DateValue,
    Document,
    Entity,
    Event,
    Mention,
    Paragraph,
    Quote,
    Span,
    TimeExpression,
)
from newsgraph.store import Store, db, facts
from newsgraph.store.packing import unpack
from newsgraph.store.rows import (
    LAYER_FIELDS,
    LAYER_NAMES,
    MENTION,
    QUOTE,
    RECORD_FIELDS,
    annotation_counts,
    to_json,
)
from newsgraph.store.schema import MIGRATIONS, migrate

# Short articles in our own words: (lang, text, speaker, other person, place, trigger, quotation,
# reporting verb, time words, counted phrase, number). The parts are found in the text by `find`.
ARTICLES = [
    (
        "fr",
        "Macron reçoit Scholz à Paris\n\nLe président Emmanuel Macron a reçu jeudi le chancelier "
        "Olaf Scholz à Paris. « Nous avançons ensemble », a affirmé Macron. Plus de 300 agriculteurs "
        "manifestaient devant l'Élysée.\n\nPhoto : Reuters",
        "Emmanuel Macron",
        "Olaf Scholz",
        "Paris",
        "a reçu",
        "Nous avançons ensemble",
        "a affirmé",
        "jeudi",
        "Plus de 300 agriculteurs",
        300,
    ),
    (
        "ru",
        "Лавров встретился с Ваном И\n\nМинистр Сергей Лавров встретился во вторник с Ван И в "
        "Пекине. «Мы договорились о графике консультаций», заявил Лавров. Около 40 экспертов "
        "участвовали в переговорах.\n\nФото: ТАСС",
        "Сергей Лавров",
        "Ван И",
        "Пекине",
        "встретился",
        "Мы договорились о графике консультаций",
        "заявил",
        "во вторник",
        "Около 40 экспертов",
        40,
    ),
    (
        "ar",
        "عراقجي يلتقي فيدان في أنقرة\n\nالتقى الوزير عباس عراقجي يوم الأحد نظيره هاكان فيدان في "
        "أنقرة. وقال عراقجي: «نريد حلا سلميا». وشارك 12 دبلوماسيا في الاجتماع.\n\nصورة: أ ف ب",
        "عباس عراقجي",
        "هاكان فيدان",
        "أنقرة",
        "التقى",
        "نريد حلا سلميا",
        "وقال",
        "يوم الأحد",
        "12 دبلوماسيا",
        12,
    ),
    (
        "de",
        "Baerbock trifft Wong in Berlin\n\nAußenministerin Annalena Baerbock hat am Montag ihre "
        "Amtskollegin Penny Wong in Berlin getroffen. „Wir teilen viele Ziele“, sagte Baerbock. "
        "Mindestens 25 Abkommen wurden besprochen.\n\nFoto: dpa",
        "Annalena Baerbock",
        "Penny Wong",
        "Berlin",
        "getroffen",
        "Wir teilen viele Ziele",
        "sagte",
        "am Montag",
        "Mindestens 25 Abkommen",
        25,
    ),
]


def find(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return start, start + len(part)


def slug(name: str) -> str:
    return "E:" + "-".join(name.casefold().split())


def annotated(lang: str, text: str, *parts: Any) -> Document:
    """A document with one or more annotations of every layer, found in `text` by their words."""
    speaker, other, place, trigger, said, verb, when, counted, number = parts
    title = (0, text.index("\n"))
    credit = find(text, text.rsplit("\n", 1)[1])
    body = (title[1] + 2, credit[0] - 2)
    ends = [i + 1 for i, char in enumerate(text) if char in ".»“" and body[0] <= i < body[1]]
    sentences = [(body[0], ends[0]), (ends[0] + 1, ends[-1])]
    a, b, where = find(text, speaker), find(text, other, title[1]), find(text, place, title[1])
    quote, cue = find(text, said), find(text, verb)
    doc = Document(
        doc_id=f"{lang}-1",
        text=text,
        source=f"fixtures/{lang}-1.txt",
        lang=lang,
        title=text[: title[1]],
        title_span=title,
        outlet="Exemple",
        url=f"https://example.org/{lang}/1",
        published=DateValue("2024-03-07T10:15", "minute", None, "metadata"),
        content_hash=content_hash(text),
        body=[body],
        boilerplate=[Boilerplate(*credit, "photo_credit", "credit-line")],
        paragraphs=[Paragraph(*title, lang, 0.91), Paragraph(*body, lang, None)],
        sentences=sentences,
        mentions=[
            Mention(*a, speaker, "PER", slug(speaker), speaker, "test", 0.97),
            Mention(*b, other, "PER", slug(other), source="test"),
            Mention(*where, place, "LOC", slug(place), None, "", 1.0),
        ],
        entities={
            slug(n): Entity(slug(n), n, t, [n], "Q1" if t == "LOC" else None)
            for n, t in ((speaker, "PER"), (other, "PER"), (place, "LOC"))
        },
        times=[TimeExpression(*find(text, when), when, "2024-03-07", "day")],
        events=[
            Event(
                "V:1",
                "CONSULT",
                "meet",
                [slug(speaker)],
                [slug(other)],
                [a],
                [b],
                DateValue("2024-03-07", "day", find(text, when)),
                slug(place),
                where,
                sentences[0],
                find(text, trigger, title[1]),
                False,
                [],
                0.8,
                "C:1",
            ),
            Event("V:2", "CONSULT", sentence=sentences[1], negated=True, context=["reported"]),
        ],
        quotes=[
            Quote(*quote, said, True, slug(speaker), find(text, speaker.split()[-1], title[1]), cue, speaker),
            Quote(*quote, said, False),
        ],
        claims=[
            Claim(
                *find(text, counted),
                counted,
                number,
                "about",
                "other",
                None,
                counted.split()[-1],
                DateValue("2024-03-07", "day"),
                None,
                None,
                None,
            )
        ],
        story="S:1",
        errors=["a note kept with the document"],
    )
    return doc


@pytest.fixture(params=ARTICLES, ids=[a[0] for a in ARTICLES])
def document(request: pytest.FixtureRequest) -> Document:
    return annotated(*request.param)


def test_every_layer_comes_back_exactly_in_every_language(tmp_path: Path, document: Document) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.add_documents([document]).added == 1
        stored = store.get(document.doc_id)
        assert stored is not None
        assert stored.to_record() == document.to_record()
        assert stored == document
        assert [d.to_record() for d in store.iter_documents()] == [document.to_record()]


def test_each_annotation_is_kept_once(tmp_path: Path, document: Document) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_documents([document])
        record = unpack(store.conn.execute("SELECT record FROM documents").fetchone()[0])
        layers = {
            LAYER_NAMES[code]: n
            for code, n in store.conn.execute("SELECT layer, count(*) FROM annotations GROUP BY layer")
        }
        mention_data = [
            unpack(d) for (d,) in store.conn.execute(f"SELECT data FROM annotations WHERE layer = {MENTION}")
        ]
    assert not set(LAYER_FIELDS.values()) & set(record)
    assert set(RECORD_FIELDS) <= set(record) and "text" not in record
    counts = annotation_counts(document.to_record())
    assert layers == {layer: counts[layer] for layer in LAYER_FIELDS}
    assert all(not {"start", "end", "type", "entity"} & set(data) for data in mention_data)


def test_statistics_count_the_layers_kept_in_records_too(tmp_path: Path) -> None:
    docs = [annotated(*a) for a in ARTICLES]
    with Store(tmp_path / "s.db") as store:
        store.add_documents(docs)
        stats = store.stats()
    expected: dict[str, int] = {}
    for doc in docs:
        for layer, n in annotation_counts(doc.to_record()).items():
            expected[layer] = expected.get(layer, 0) + n
    assert stats["annotations"] == expected


def test_rewritten_documents_keep_each_annotation_once(tmp_path: Path, document: Document) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_documents([document])
        changed = annotated(
            document.lang or "", document.text, *next(a[2:] for a in ARTICLES if a[0] == document.lang)
        )
        changed.mentions[0].entity = "E:someone-else"
        store.rewrite_documents([changed])
        again = store.get(document.doc_id)
        rows = store.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    assert again is not None and again.mentions[0].entity == "E:someone-else"
    assert again.to_record() == changed.to_record()
    assert rows == sum(annotation_counts(document.to_record())[layer] for layer in LAYER_FIELDS)


def test_a_decision_comes_back_whole_from_its_row(tmp_path: Path) -> None:
    doc = annotated(*ARTICLES[0][:1], *ARTICLES[0][1:])
    decided = Decision(
        doc.doc_id,
        "L:1",
        slug("Emmanuel Macron"),
        "corpus",
        0.93,
        "Macron",
        "fuzzy",
        ("E:x", 0.5),
        ["E:paris"],
    )
    plain = Decision(doc.doc_id, "L:2", slug("Olaf Scholz"), "new", 1.0)
    with Store(tmp_path / "s.db") as store:
        store.add_documents([doc], decisions=[decided, plain])
        assert store.resolutions(decided.entity_id) == [json.loads(to_json(decided.to_data()))]
        assert store.resolutions(plain.entity_id) == [plain.to_data()]
        store.rewrite_documents([], merged={plain.entity_id: decided.entity_id})
        merged = store.resolutions(decided.entity_id)
    assert [r["local_id"] for r in merged] == ["L:1", "L:2"]
    assert {r["entity_id"] for r in merged} == {decided.entity_id}


# ---------------------------------------------------------------------- converting a v6 store
def v6_rows(record: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The annotation rows schema v6 wrote: every layer, each item's whole record as data."""
    rows: list[tuple[Any, ...]] = []
    doc_id = record["doc_id"]
    for span in record["body"]:
        rows.append((doc_id, "body", *span, None, None, None))
    for b in record["boilerplate"]:
        rows.append(
            (doc_id, "boilerplate", b["start"], b["end"], b["kind"], None, to_json({"rule": b["rule"]}))
        )
    for p in record["paragraphs"]:
        score = p.get("lang_score")
        data = to_json({"lang_score": score}) if score is not None else None
        rows.append((doc_id, "paragraph", p["start"], p["end"], p.get("lang"), None, data))
    for span in record["sentences"]:
        rows.append((doc_id, "sentence", *span, None, None, None))
    for m in record["mentions"]:
        rows.append((doc_id, "mention", m["start"], m["end"], m["type"], m.get("entity"), to_json(m)))
    for t in record["times"]:
        rows.append((doc_id, "time", t["start"], t["end"], t["value"], None, to_json(t)))
    for e in record["events"]:
        span = e["trigger"] or e["sentence"]
        rows.append((doc_id, "event", *span, e["type"], e["source"][0] if e["source"] else None, to_json(e)))
    for q in record["quotes"]:
        label = "direct" if q["direct"] else "reported"
        rows.append((doc_id, "quote", q["start"], q["end"], label, q["speaker"], to_json(q)))
    for c in record["claims"]:
        rows.append((doc_id, "claim", c["start"], c["end"], c["kind"], c["attributed_entity"], to_json(c)))
    return rows


def write_v6(path: Path, docs: list[Document], decisions: list[Decision]) -> None:
    """A store as newsgraph wrote it at schema v6: the whole record (without text) and every row."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:7])
    for doc in docs:
        record = doc.to_record()
        rows = v6_rows(record)
        del record["text"]
        conn.execute(
            "INSERT INTO documents (doc_id, content_hash, source, lang, title, text, record, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '2026-12-01T00:00:00+00:00')",
            (doc.doc_id, doc.content_hash, doc.source, doc.lang, doc.title, doc.text, to_json(record)),
        )
        conn.execute(
            "INSERT INTO documents_fts (rowid, title, body) SELECT id, title, body FROM documents_body"
            " WHERE id = (SELECT max(id) FROM documents)"
        )
        conn.executemany(
            'INSERT INTO annotations (doc_id, layer, start, "end", label, entity, data)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.executemany(
        "INSERT INTO resolutions (doc_id, local_id, entity_id, method, score, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(d.doc_id, d.local_id, d.entity_id, d.method, d.score, to_json(d.to_data())) for d in decisions],
    )
    conn.close()


def test_a_v6_store_is_converted_and_reads_the_same(tmp_path: Path) -> None:
    docs = [annotated(*a) for a in ARTICLES]
    decision = Decision("fr-1", "L:1", slug("Emmanuel Macron"), "kb", 0.99, "Emmanuel Macron", "exact")
    path = tmp_path / "v6.db"
    write_v6(path, docs, [decision])
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert [d.to_record() for d in store.iter_documents()] == [d.to_record() for d in docs]
        layers = {LAYER_NAMES[c] for (c,) in store.conn.execute("SELECT DISTINCT layer FROM annotations")}
        record = unpack(store.conn.execute("SELECT record FROM documents").fetchone()[0])
        assert store.resolutions(decision.entity_id) == [json.loads(to_json(decision.to_data()))]
        assert [hit.doc_id for hit in store.search("Пекине")] == ["ru-1"]
    assert layers == set(LAYER_FIELDS)
    assert not set(LAYER_FIELDS.values()) & set(record)


def test_converting_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    write_v6(path, [annotated(*a) for a in ARTICLES], [])
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:8])  # the v8 conversion, run again below

    def dump() -> list[tuple[Any, ...]]:
        return conn.execute(
            "SELECT a.rowid, a.layer, a.data, d.record FROM annotations AS a"
            " JOIN documents AS d USING (doc_id) ORDER BY 1"
        ).fetchall()

    before = dump()
    for statement in MIGRATIONS[7].split(";\n"):  # v8, the conversion (later migrations follow it)
        if statement.strip():
            conn.execute(statement)
    assert dump() == before


def test_only_the_new_forms_of_a_known_entity_get_keys_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyed: list[str] = []

    def keys(form: str, lang: str | None = None) -> set[str]:
        keyed.append(form)
        return name_keys(form, lang)

    monkeypatch.setattr(db, "name_keys", keys)
    first = KnownEntity("E:lavrov", "Sergei Lavrov", "PER", forms=Counter({"Лавров": 2, "Sergei Lavrov": 1}))
    again = KnownEntity(
        "E:lavrov", "Sergei Lavrov", "PER", forms=Counter({"Лавров": 3, "Sergei Lavrov": 1, "Ławrow": 1})
    )
    with Store(tmp_path / "s.db") as store:
        store.add_documents([], known=[first])
        assert sorted(keyed) == sorted({"Sergei Lavrov", "Лавров"})
        keyed.clear()
        store.add_documents([], known=[again])
        assert keyed == ["Ławrow"]  # the one form not saved before
        found = store.entities_by_keys(sorted(name_keys("Ławrow", "pl")))
    assert [k.id for k in found] == ["E:lavrov"] and found[0].forms == again.forms


def test_texts_that_are_not_their_spans_text_are_kept(tmp_path: Path) -> None:
    doc = annotated(*ARTICLES[1])
    doc.quotes[1].text = "мы договорились"  # a quotation normalised by its recogniser
    doc.times[0].text = "вторник"
    with Store(tmp_path / "s.db") as store:
        store.add_documents([doc])
        stored = store.get(doc.doc_id)
        data = [
            unpack(d)
            for (d,) in store.conn.execute(
                f"SELECT data FROM annotations WHERE layer = {QUOTE} ORDER BY doc, seq"
            )
        ]
        texts = sorted(row.text for row in facts.quotes(store))
    assert stored is not None and stored.to_record() == doc.to_record()
    assert ["text" in d for d in data] == [False, True]  # the first is the text of its span
    assert texts == sorted(q.text for q in doc.quotes)
