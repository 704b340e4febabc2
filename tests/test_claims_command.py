"""`newsgraph claims`: a toll reported by four articles in three languages reads as its evolution."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from newsgraph.claims.component import find_claims
from newsgraph.cli import main as cli
from newsgraph.language.sentences import split_sentences
from newsgraph.model import DateValue, Document
from newsgraph.pipeline.resolve import CorpusPass
from newsgraph.store import Store

ENV = {"NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None}
ARTICLES = [  # (id, language, publication date, outlet, text), written for this test
    ("a2", "tr", "2025-03-02", "outlet-tr", "Depremde can kaybı 800'e yükseldi."),
    ("a1", "en", "2025-03-01", "outlet-en", "At least 410 people were killed in the earthquake."),
    ("a4", "en", "2025-03-04", "outlet-en2", "The death toll rose to 1,215 people."),
    ("a3", "ru", "2025-03-03", "outlet-ru", "Число погибших выросло до 1 215 человек."),
]


def article(doc_id: str, lang: str, published: str, outlet: str, text: str) -> Document:
    """A one-sentence article with its claims found by the claims stage."""
    doc = Document(
        doc_id=doc_id,
        text=text,
        lang=lang,
        content_hash=doc_id,
        outlet=outlet,
        published=DateValue(published, "day", None, "metadata"),
    )
    doc.sentences = split_sentences(text, [(0, len(text))], lang)
    doc.body = [(0, len(text))]
    doc.claims = find_claims(doc)
    return doc


def stored(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    docs = [article(*a) for a in ARTICLES]
    with Store(db) as store:
        learnt = CorpusPass(store)(docs)
        store.add_documents(docs, learnt.entities, learnt.decisions, learnt.clusters, learnt.state)
    return db


def test_one_row_per_figure_in_date_order(tmp_path: Path) -> None:
    db = stored(tmp_path)
    result = CliRunner().invoke(
        cli.app, ["--db", str(db), "claims", "--kind", "killed", "--format", "json"], env=ENV
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["value"], r["bound"]) for r in rows] == [(410, "at_least"), (800, "exact"), (1215, "exact")]
    assert rows[-1]["outlets"] == ["outlet-ru", "outlet-en2"] and rows[-1]["dates"] == [
        "2025-03-03",
        "2025-03-04",
    ]


def test_csv_and_every_claim(tmp_path: Path) -> None:
    db = stored(tmp_path)
    result = CliRunner().invoke(cli.app, ["--db", str(db), "claims", "--format", "csv"], env=ENV)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["value"] for r in rows if r["kind"] == "killed"] == ["410", "800", "1215"]
    each = CliRunner().invoke(cli.app, ["--db", str(db), "claims", "--each", "--format", "json"], env=ENV)
    assert each.exit_code == 0, each.output
    assert len([json.loads(line) for line in each.stdout.splitlines()]) == 4
