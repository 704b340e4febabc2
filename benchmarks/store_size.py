"""Store size by table: bytes per stored article of every table and index of a newsgraph store.

Reads SQLite's `dbstat` virtual table (pages in use and their payload), groups each index with its
table (a full-text table with its shadow tables), and divides by the number of stored documents.
`ingest.py` gives the store's size as a whole; this says where the bytes are, which is what a
change to the schema must be measured on:

    python benchmarks/store_size.py /tmp/bench/bench.db [--json out.json]

Objects of one page (small tables, empty indexes) are a fixed cost that vanishes per article as a
store grows: they are counted apart (`one_page_kb`), so two stores of different sizes compare.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from newsgraph.store.packing import register

KB = 1024


def objects(conn: sqlite3.Connection) -> list[tuple[str, str, int, int, int]]:
    """(object, its table, pages, payload bytes, unused bytes) of every table and index in the main
    file; unused bytes are the free space of its pages (partly filled pages: a B-tree written in
    random key order, rows rewritten in place, the last page of each object)."""
    tables = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')"))
    rows = conn.execute(
        "SELECT name, count(*), sum(payload), sum(unused) FROM dbstat WHERE aggregate = 0"
        " GROUP BY name ORDER BY name"
    )
    return [
        (name, owner(name, tables), pages, payload or 0, unused or 0) for name, pages, payload, unused in rows
    ]


def owner(name: str, tables: dict[str, str]) -> str:
    """The table an object belongs to: an index's table; an FTS5 shadow table's virtual table."""
    table = tables.get(name, name)
    for suffix in ("_data", "_idx", "_docsize", "_config", "_content"):
        if table.endswith(suffix) and table.removesuffix(suffix) in tables:
            return table.removesuffix(suffix)
    if table.startswith("sqlite_autoindex_"):
        return table.removeprefix("sqlite_autoindex_").rsplit("_", 1)[0]
    return table


def report(db: Path) -> dict[str, object]:
    """Per table (indexes included) and per object: KB per stored document, pages, payload."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    register(conn)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0] or 1
    total_pages = conn.execute("PRAGMA page_count").fetchone()[0]
    found = objects(conn)
    by_table: dict[str, int] = {}
    for _, table, pages, _, _ in found:
        by_table[table] = by_table.get(table, 0) + pages
    one_page = sum(pages for _, _, pages, _, _ in found if pages == 1)
    unused = sum(free for _, _, pages, _, free in found if pages > 1)
    return {
        "db": str(db),
        "documents": docs,
        "page_size": page,
        "kb_per_doc": round(total_pages * page / docs / KB, 2),
        "one_page_kb": round(one_page * page / docs / KB, 2),
        "unused_kb": round(unused / docs / KB, 2),  # free bytes in the pages of larger objects
        "tables": {
            t: round(p * page / docs / KB, 2) for t, p in sorted(by_table.items(), key=lambda x: -x[1])
        },
        "objects": {
            name: {
                "kb_per_doc": round(pages * page / docs / KB, 3),
                "pages": pages,
                "payload": payload,
                "unused": free,
            }
            for name, _, pages, payload, free in sorted(found, key=lambda x: -x[2])
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="a newsgraph store (after a WAL checkpoint)")
    parser.add_argument("--json", type=Path, help="write the report here as JSON")
    args = parser.parse_args(argv)
    out = report(args.db)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    objs = out["objects"]
    assert isinstance(objs, dict)
    for name, row in objs.items():
        print(
            f"{row['kb_per_doc']:8.3f} KB/doc {row['pages']:6d} pages {row['payload']:10d} B payload"
            f" {row['unused']:9d} B unused  {name}"
        )
    print(f"tables: {json.dumps(out['tables'])}")
    print(
        f"{out['documents']} documents, {out['kb_per_doc']} KB per document"
        f" ({out['one_page_kb']} KB of it in objects of one page, {out['unused_kb']} KB unused in the"
        " pages of the others)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
