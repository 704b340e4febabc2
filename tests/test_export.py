"""Exports: JSON Lines, CSV and Parquet read back, atomic replacement, standard output."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsgraph.model import DateValue, Document, Event, Mention, Quote
from newsgraph.store import export
from newsgraph.store.export import CSV_COLUMNS, export_documents


def reports() -> list[Document]:
    es = "El ministro dijo: «Habrá diálogo». Madrid acogerá la cumbre.\n\nSíguenos en redes"
    es_doc = Document(
        doc_id="es-1",
        text=es,
        source="in/es.txt",
        lang="es",
        title="Cumbre en Madrid",
        url="https://example.org/es",
        outlet="Diario Ejemplo",
        published=DateValue("2024-02-03", "day", None, "metadata"),
        body=[(0, es.index("\n\n"))],
    )
    madrid = es.index("Madrid")
    es_doc.mentions = [Mention(madrid, madrid + 6, "Madrid", "LOC", "E:madrid")]
    es_doc.quotes = [Quote(es.index("Habrá"), es.index("»"), "Habrá diálogo", True)]
    es_doc.events = [Event("V:1", "CONSULT", location="E:madrid")]
    uk = "Уряд оголосив нові виплати, повідомили в міністерстві."
    uk_doc = Document(doc_id="uk-1", text=uk, lang="uk")
    return [es_doc, uk_doc]


def test_jsonl_holds_one_interchange_record_per_line(tmp_path: Path) -> None:
    out = tmp_path / "docs.jsonl"
    assert export_documents(reports(), "jsonl", out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [doc.to_record() for doc in reports()]
    assert "«Habrá diálogo»" in lines[0]  # written as UTF-8, not \u escapes
    assert Document.from_record(json.loads(lines[0])).to_record() == reports()[0].to_record()


def test_csv_has_one_summary_row_per_document(tmp_path: Path) -> None:
    out = tmp_path / "docs.csv"
    assert export_documents(reports(), "csv", out) == 2
    with out.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    es, uk = rows
    assert (es["doc_id"], es["lang"], es["published"], es["title"]) == (
        "es-1",
        "es",
        "2024-02-03",
        "Cumbre en Madrid",
    )
    assert (es["n_mentions"], es["n_events"], es["n_quotes"], es["n_claims"]) == ("1", "1", "1", "0")
    assert es["body_text"] == "El ministro dijo: «Habrá diálogo». Madrid acogerá la cumbre."
    assert uk["body_text"] == reports()[1].text  # no body spans: the whole text
    assert uk["published"] == ""


def test_parquet_is_written_in_row_groups_with_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "ROW_GROUP", 2)
    docs = reports() * 3
    out = tmp_path / "docs.parquet"
    assert export_documents(iter(docs), "parquet", out) == 6
    table = pq.ParquetFile(out)
    assert table.metadata.num_row_groups == 3
    assert table.schema_arrow.names == [*CSV_COLUMNS, "record"]
    rows = table.read().to_pylist()
    assert [row["doc_id"] for row in rows] == ["es-1", "uk-1"] * 3
    assert rows[0]["n_quotes"] == 1 and rows[1]["published"] is None
    assert json.loads(rows[0]["record"]) == docs[0].to_record()


def test_a_failed_export_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "docs.jsonl"
    out.write_text("previous\n", encoding="utf-8")

    def failing() -> Iterator[Document]:
        yield reports()[0]
        raise RuntimeError("source went away")

    with pytest.raises(RuntimeError):
        export_documents(failing(), "jsonl", out)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["docs.jsonl"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_dash_writes_to_standard_output(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_documents(reports(), fmt, "-") == 2
    written = capsys.readouterr().out
    assert "uk-1" in written and "Уряд" in written


def test_unknown_formats_and_parquet_to_stdout_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="jsonl, csv, parquet"):
        export_documents(reports(), "xlsx", tmp_path / "docs.xlsx")
    with pytest.raises(ValueError, match="standard output"):
        export_documents(reports(), "parquet", "-")
