"""Exporting documents as JSON Lines, CSV or Parquet, streaming and atomically.

- `jsonl`: the interchange record (docs/interchange.md), one per line;
- `csv`: one row per document (`CSV_COLUMNS`), for spreadsheets;
- `parquet`: the CSV columns plus `record` (the interchange record as JSON), written in row
  groups of `ROW_GROUP` documents so memory stays bounded whatever the number of documents.

A file is written to a temporary file in the same folder and renamed over `out` only when
complete, so a reader never sees half an export and a failed one leaves any previous file intact.
`out="-"` writes JSON Lines or CSV to standard output.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from newsgraph.batching import chunked
from newsgraph.model import Document
from newsgraph.store.rows import body_text, to_json

CSV_COLUMNS = (
    "doc_id",
    "lang",
    "published",
    "title",
    "source",
    "outlet",
    "url",
    "n_mentions",
    "n_events",
    "n_quotes",
    "n_claims",
    "body_text",
)
ROW_GROUP = 1000


def summary_row(doc: Document) -> dict[str, Any]:
    """The CSV columns of one document."""
    return {
        "doc_id": doc.doc_id,
        "lang": doc.lang,
        "published": doc.published.value if doc.published else None,
        "title": doc.title,
        "source": doc.source,
        "outlet": doc.outlet,
        "url": doc.url,
        "n_mentions": len(doc.mentions),
        "n_events": len(doc.events),
        "n_quotes": len(doc.quotes),
        "n_claims": len(doc.claims),
        "body_text": body_text(doc),
    }


def _write_jsonl(docs: Iterable[Document], stream: TextIO) -> int:
    n = 0
    for doc in docs:
        stream.write(to_json(doc.to_record()) + "\n")
        n += 1
    return n


def _write_csv(docs: Iterable[Document], stream: TextIO) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for doc in docs:
        writer.writerow(summary_row(doc))
        n += 1
    return n


def _write_parquet(docs: Iterable[Document], path: Path) -> int:
    import pyarrow as pa  # imported here: only this format needs it
    import pyarrow.parquet as pq

    count = pa.int32()
    schema = pa.schema(
        [
            ("doc_id", pa.string()),
            ("lang", pa.string()),
            ("published", pa.string()),
            ("title", pa.string()),
            ("source", pa.string()),
            ("outlet", pa.string()),
            ("url", pa.string()),
            ("n_mentions", count),
            ("n_events", count),
            ("n_quotes", count),
            ("n_claims", count),
            ("body_text", pa.string()),
            ("record", pa.string()),
        ]
    )
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in chunked(docs, ROW_GROUP):
            rows = [{**summary_row(doc), "record": to_json(doc.to_record())} for doc in batch]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n


@contextmanager
def _replacing(out: Path) -> Iterator[Path]:
    """A temporary path next to `out`, renamed to `out` if the block succeeds, removed if it fails."""
    # same folder: os.replace is atomic only within a file system; a name of our own (not mkstemp)
    # so the file gets the usual permissions of the user's umask rather than 0600
    if out.exists() and not out.is_file():
        # never rename over a device or a pipe (`-o /dev/null` as root would replace the device)
        raise ValueError(
            f"{out} exists and is not a regular file: write to standard output with "
            f"'-' and redirect it there instead"
        )
    tmp = out.parent / f".{out.name}.{os.getpid()}.tmp"
    try:
        yield tmp
        with tmp.open("rb") as written:
            os.fsync(written.fileno())  # the data reaches the disk before the name points at it
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


TextWriter = Callable[[Iterable[Document], TextIO], int]
FileWriter = Callable[[Iterable[Document], Path], int]


def _text_writer(write: TextWriter) -> FileWriter:
    def to_path(docs: Iterable[Document], path: Path) -> int:
        # newline="": the csv module writes its own line endings; JSON Lines has only "\n"
        with path.open("w", encoding="utf-8", newline="") as stream:
            return write(docs, stream)

    return to_path


_TEXT_FORMATS: dict[str, TextWriter] = {"jsonl": _write_jsonl, "csv": _write_csv}
_FILE_WRITERS: dict[str, FileWriter] = {
    **{fmt: _text_writer(write) for fmt, write in _TEXT_FORMATS.items()},
    "parquet": _write_parquet,
}
FORMATS = tuple(_FILE_WRITERS)


def export_documents(docs: Iterable[Document], fmt: str, out: Path | str) -> int:
    """Write `docs` to `out` in format `fmt` (one of `FORMATS`); returns the number of documents written."""
    if fmt not in _FILE_WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if str(out) == "-":
        if fmt not in _TEXT_FORMATS:
            raise ValueError(f"{fmt} cannot be written to standard output; give a file name")
        return _TEXT_FORMATS[fmt](docs, sys.stdout)
    path = Path(out)
    with _replacing(path) as tmp:
        return _FILE_WRITERS[fmt](docs, tmp)
