"""Opening the store read-only, for the web server.

`Store(path)` creates, migrates and sets the journal mode of the file it opens; a server must do
none of that, so this opens the same class over an SQLite `mode=ro` connection instead (writes
then fail inside SQLite, whatever the query), after checking that the schema is the one this
newsgraph reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsgraph.store.db import BUSY_TIMEOUT_S, Store
from newsgraph.store.packing import register
from newsgraph.store.schema import MIGRATIONS, schema_version


class UnreadableStoreError(RuntimeError):
    """The file is missing, is not a newsgraph store, or has a schema this newsgraph does not read."""


class ReadOnlyStore(Store):
    """A `Store` whose connection cannot write. `Store.__init__` is not called on purpose: it writes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise UnreadableStoreError(
                f"database {self.path} does not exist: run `newsgraph ingest PATH` "
                "first, or serve another --db"
            )
        uri = self.path.resolve().as_uri() + "?mode=ro"
        self.conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            self.conn.execute("PRAGMA query_only = ON")
            register(self.conn)  # ng_json(): stored JSON values are packed (store/packing.py)
            _check_schema(self.conn, self.path)
        except BaseException:
            self.conn.close()
            raise


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    try:
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise UnreadableStoreError(f"{path} is not a newsgraph database ({exc}): serve another --db") from exc
    expected = len(MIGRATIONS)
    if version == 0:
        raise UnreadableStoreError(f"{path} is not a newsgraph database: serve another --db")
    if version > expected:
        raise UnreadableStoreError(
            f"database schema of {path} is v{version}, this newsgraph reads up to "
            f"v{expected}: upgrade newsgraph to serve it"
        )
    if version < expected:
        raise UnreadableStoreError(
            f"database schema of {path} is v{version}, older than v{expected}: run "
            "`newsgraph stats` on it once to upgrade it, then serve it"
        )


def open_readonly(path: str | Path) -> Store:
    """The store at `path`, opened so that nothing can write to it (use as a context manager)."""
    return ReadOnlyStore(path)
