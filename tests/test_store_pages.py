"""The page size of a store: new files get `PAGE_BYTES`, a file keeps the size it was created with,
and the size changes no answer (docs/BENCHMARKS.md, "Issue 14: store, session 5")."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.store import Store
from newsgraph.store import db as store_db
from test_store_v11 import answers, batches, ingest


def page_size(store: Store) -> int:
    size: int = store.conn.execute("PRAGMA page_size").fetchone()[0]
    return size


def test_a_new_store_takes_the_page_size_and_an_old_one_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "PAGE_BYTES", 16384)
    with Store(tmp_path / "old.db") as store:
        ingest(store, batches()[0])
    monkeypatch.undo()
    with Store(tmp_path / "old.db") as store:  # opened by the code of a new page size
        assert page_size(store) == 16384
        ingest(store, batches()[1])
    with Store(tmp_path / "new.db") as store:
        assert page_size(store) == store_db.PAGE_BYTES


def test_every_reader_gives_the_same_answers_whatever_the_page_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = []
    for size in (16384, store_db.PAGE_BYTES, 4096):
        monkeypatch.setattr(store_db, "PAGE_BYTES", size)
        with Store(tmp_path / f"{size}.db") as store:
            for docs in batches():
                ingest(store, docs)
            assert page_size(store) == size
            found.append(answers(store))
    assert found[0]["documents"] and found[0]["stories"]["items"]
    assert found[1] == found[0] and found[2] == found[0]
