"""Schema v14: resolver decisions and event cluster participants name their entity by its number in
`entity_numbers`, as annotation rows do; stored JSON values are deflated with a dictionary that
knows the annotation rows' fields (`packing.DEFLATED_V2`), values of the first dictionary still read.

A v12 store, written by the store's own code with the two writes v12 made differently put back
(decisions and participants with their entity's text id), is converted in place, and every reader
gives what a fresh v14 store gives, before and after a correction; a conversion failing midway
leaves the v12 store as it was, and the conversion run again on a converted store changes nothing.
The articles are `test_store_v11`'s (a Spanish wire report and its re-post, a Chinese report and its
copy, a Russian report)."""

from __future__ import annotations

import copy
import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store import Store, timeline
from newsgraph.store.entities import merge_entities
from newsgraph.store.packing import DEFLATED_V1, DEFLATED_V2, DICTIONARY, pack, register, unpack
from newsgraph.store.readonly import open_readonly
from newsgraph.store.schema import MIGRATIONS, migrate, statements
from newsgraph.store.stories import StoryStore
from newsgraph.stories.duplicates import find_duplicates
from test_store_v11 import Call, answers, batches, ingest, later_copy, v10_actors, v12_decisions

V14 = next(n for n, script in enumerate(MIGRATIONS, start=1) if "resolutions_v14" in script)
"""The number of the migration that numbers the references (v14 unless another lands before it)."""


def write_v12(path: Path, calls: list[Call], monkeypatch: pytest.MonkeyPatch) -> None:
    """A store at the version before v14 holding what `calls` stored, written by the store's code
    with decisions and cluster participants naming their entities by text id, as v12 wrote them."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    register(conn)
    migrate(conn, MIGRATIONS[: V14 - 1])
    v12 = Store.__new__(Store)
    v12.path, v12.conn = path, conn
    with monkeypatch.context() as patch:
        patch.setattr(Store, "_insert_decisions", v12_decisions)
        patch.setattr(Store, "_insert_actors", v10_actors)
        for docs, extra in calls:
            v12.add_documents(copy.deepcopy(docs), **copy.deepcopy(extra))
    conn.close()


def participants_answers(store: Store) -> dict[str, Any]:
    """What reads cluster participants and decisions by entity: every entity's clusters, timeline and
    decisions (answers() reads them for one speaker only)."""
    entities = sorted(e for (e,) in store.conn.execute("SELECT id FROM entities"))
    return {
        "clusters": {e: sorted(c.id for c in store.clusters_with([e])) for e in entities},
        "timelines": {e: [x.cluster for x in timeline.timeline(store, [e])[1]] for e in entities},
        "decisions": {e: store.resolutions(e) for e in entities},
    }


def every_answer(store: Store) -> dict[str, Any]:
    return {**answers(store), **participants_answers(store)}


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(a fresh store, the same batches written as v12 wrote them and not yet converted)."""
    calls: list[Call] = []
    with Store(tmp_path / "fresh.db") as fresh:
        for docs in batches():
            ingest(fresh, docs, calls)
    write_v12(tmp_path / "v12.db", calls, monkeypatch)
    return tmp_path / "fresh.db", tmp_path / "v12.db"


def test_decisions_and_participants_are_stored_as_entity_numbers(stores: tuple[Path, Path]) -> None:
    fresh, _ = stores
    with Store(fresh) as store:
        kinds = {
            *store.conn.execute("SELECT DISTINCT typeof(entity) FROM resolutions"),
            *store.conn.execute("SELECT DISTINCT typeof(entity) FROM event_cluster_actors"),
        }
        assert kinds == {("integer",)}
        found = participants_answers(store)
    assert any(found["clusters"].values()) and any(found["decisions"].values())


def test_a_v12_store_is_converted_in_place_and_every_reader_gives_the_same(stores: tuple[Path, Path]) -> None:
    fresh, old = stores
    with Store(fresh) as store:
        expected = every_answer(store)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == V14 - 1
    assert {t for (t,) in conn.execute("SELECT DISTINCT typeof(entity_id) FROM resolutions")} == {"text"}
    conn.close()
    with Store(old) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert every_answer(store) == expected
        assert {t for (t,) in store.conn.execute("SELECT DISTINCT typeof(entity) FROM resolutions")} == {
            "integer"
        }
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with open_readonly(old) as readonly:
        assert every_answer(readonly) == expected


def test_a_converted_store_takes_a_merge_and_a_later_batch_as_a_fresh_one(stores: tuple[Path, Path]) -> None:
    results = []
    for path in stores:
        with Store(path) as store:
            found = find_duplicates(later_copy(), StoryStore(store))
            merge_entities(store, ["E:barcelona"], "E:valencia")  # decisions re-pointed, ids deleted
            deleted = store.delete_unused_entities(["E:barcelona", "E:valencia", "E:kunming"])
            results.append((found.matched, deleted, every_answer(store)))
    assert results[0][2]["decisions"]["E:valencia"]
    assert results[0] == results[1]


def dump(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every row the conversion rewrites, entity ids read through their numbers where numbered."""
    return [
        *conn.execute("SELECT * FROM resolutions ORDER BY 1, 2"),
        *conn.execute("SELECT * FROM event_cluster_actors ORDER BY 1, 2"),
        *conn.execute("SELECT * FROM entity_numbers ORDER BY 1"),
        *conn.execute("SELECT name, sql FROM sqlite_schema ORDER BY name"),
    ]


def test_a_failed_conversion_leaves_the_v12_store_and_a_second_changes_nothing(
    stores: tuple[Path, Path],
) -> None:
    _, old = stores
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    # a table in the way of the second rebuild: the conversion fails after rewriting the decisions
    conn.execute("CREATE TABLE event_cluster_actors_v14 (x)")
    before = dump(conn)
    with pytest.raises(sqlite3.OperationalError, match="event_cluster_actors_v14"):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == V14 - 1 and dump(conn) == before
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.execute("DROP TABLE event_cluster_actors_v14")
    assert migrate(conn) == len(MIGRATIONS)
    converted = dump(conn)
    conn.execute("BEGIN IMMEDIATE")  # the whole conversion again, on the converted store
    for statement in statements(MIGRATIONS[V14 - 1]):
        conn.execute(statement)
    conn.execute("COMMIT")
    assert dump(conn) == converted
    conn.close()


def test_queries_by_entity_use_the_indexes_on_numbers(stores: tuple[Path, Path]) -> None:
    fresh, _ = stores
    with Store(fresh) as store:
        plans = {
            table: " ".join(
                row[-1] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("E:valencia",))
            )
            for table, sql in (
                (
                    "resolutions",
                    "SELECT * FROM resolutions WHERE entity = (SELECT n FROM entity_numbers WHERE id = ?)",
                ),
                (
                    "actors",
                    "SELECT cluster_id FROM event_cluster_actors"
                    " WHERE entity IN (SELECT n FROM entity_numbers WHERE id IN (?))",
                ),
            )
        }
    assert "USING INDEX resolutions_entity" in plans["resolutions"]
    assert "USING PRIMARY KEY" in plans["actors"] or "USING COVERING INDEX" in plans["actors"]


# Row data written for this test, as `store.rows.annotation_rows` leaves it: an event of a Polish
# report, a claim of a French one, a mention of a Ukrainian name.
ROWS = [
    {
        "id": "V:0f3a9c2d5e6b7a81",
        "mode": "meet",
        "source": ["E:ursula-von-der-leyen"],
        "source_spans": [[0, 21]],
        "date": {"value": "2025-03-04", "precision": "day", "span": None, "origin": "inferred"},
        "sentence": [0, 88],
        "trigger": [22, 30],
        "negated": False,
        "context": ["one-side:absent"],
        "confidence": 0.55,
        "cluster": "C:4b1e07d9aa3c5f62",
    },
    {
        "value": 1200000,
        "bound": "about",
        "unit": "EUR",
        "subject": None,
        "as_of": {"value": "2025-03-04", "precision": "day"},
        "attributed_to": None,
        "attribution_span": None,
        "part_of": None,
    },
    {"text": "Олена Коваль", "normal": "Олена Коваль", "source": "natasha", "score": 0.85},
]


def packed_v1(value: Any) -> bytes:
    """`value` as `pack` wrote it before v14: deflated with the first dictionary (`DEFLATED_V1`)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, DICTIONARY)
    return bytes((DEFLATED_V1,)) + deflate.compress(raw) + deflate.flush()


def test_row_data_packs_smaller_with_the_row_dictionary_and_old_values_still_read() -> None:
    for row in ROWS:
        new, old = pack(row), packed_v1(row)
        assert new[0] == DEFLATED_V2 and len(new) < len(old)
        assert unpack(new) == row and unpack(old) == row
