"""`newsgraph timeline`: reports of one meeting in two languages are one line; filters work."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsgraph.cli import main as cli
from newsgraph.model import DateValue, Document, Entity, Event, Mention
from newsgraph.pipeline.resolve import CorpusPass
from newsgraph.store import Store

ENV = {"NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None}


def report(doc_id: str, lang: str, text: str, source: str, target: str, date: str, mode: str) -> Document:
    """A one-sentence report of a meeting of `source` with `target` (both written in `text`)."""
    doc = Document(
        doc_id=doc_id,
        text=text,
        lang=lang,
        content_hash=doc_id,
        published=DateValue(date, "day", None, "metadata"),
    )
    for local, name in (("L:0", source), ("L:1", target)):
        start = text.index(name)
        doc.mentions.append(Mention(start, start + len(name), name, "PER", entity=local))
        doc.entities[local] = Entity(local, name, "PER", [name], evidence={"normals": [name], "count": 1})
    doc.sentences = [(0, len(text))]
    doc.events = [
        Event(
            id=f"V:{doc_id}",
            type="CONSULT",
            mode=mode,
            source=["L:0"],
            target=["L:1"],
            source_spans=[(doc.mentions[0].start, doc.mentions[0].end)],
            target_spans=[(doc.mentions[1].start, doc.mentions[1].end)],
            date=DateValue(date, "day", None, "text"),
            sentence=(0, len(text)),
            confidence=0.9,
        )
    ]
    return doc


def test_one_meeting_reported_in_two_languages_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    docs = [
        report(
            "fr",
            "fr",
            "Antony Blinken a rencontré Yoav Gallant à Tel-Aviv.",
            "Antony Blinken",
            "Yoav Gallant",
            "2024-10-22",
            "meet",
        ),
        report("ru", "ru", "Блинкен встретился с Галантом.", "Блинкен", "Галантом", "2024-10-22", "meet"),
        report(
            "en",
            "en",
            "Antony Blinken met Yoav Gallant again.",
            "Antony Blinken",
            "Yoav Gallant",
            "2024-12-01",
            "meet",
        ),
    ]
    with Store(db) as store:
        corpus = CorpusPass(store)
        learnt = corpus(docs)
        store.add_documents(
            docs, learnt.entities, learnt.decisions, learnt.clusters, learnt.state, corpus=learnt.corpus
        )
    assert docs[0].events[0].cluster == docs[1].events[0].cluster != docs[2].events[0].cluster
    with Store(db) as store:  # the story index was stored with the batch, for the next ingest
        assert CorpusPass(store).stories.documents == 3
        assert {d.story for d in store.iter_documents()} == {d.story for d in docs} != {None}
    result = CliRunner().invoke(
        cli.app, ["--db", str(db), "timeline", "Блинкен", "--with", "Galant", "--format", "json"], env=ENV
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["date"]["value"] for r in rows] == ["2024-10-22", "2024-12-01"]
    assert rows[0]["reports"] == 2 and rows[0]["languages"] == ["fr", "ru"]
    assert set(rows[0]["names"].values()) == {"Antony Blinken", "Yoav Gallant"}
    later = CliRunner().invoke(
        cli.app, ["--db", str(db), "timeline", "Blinken", "--since", "2024-11", "--format", "csv"], env=ENV
    )
    assert later.exit_code == 0 and "2024-12-01" in later.stdout and "2024-10-22" not in later.stdout
