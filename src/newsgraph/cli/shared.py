"""What every `newsgraph` command shares: the consoles, failing with advice, settings, the store,
and the filter options."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from newsgraph.config import Settings
from newsgraph.ingest.metadata import parse_published
from newsgraph.store import Store
from newsgraph.store.schema import SchemaTooNewError

USAGE_ERROR = 2

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def settings_of(ctx: typer.Context, **overrides: object) -> Settings:
    settings: Settings = ctx.obj
    return settings.with_overrides(**overrides)


def upgraded_store(settings: Settings) -> Settings:
    """`settings`, once their store is known to exist, to be a newsgraph database and to be migrated
    to this version (each failure a message that says what to do): the application object then
    opens it read-only for each query, and a read-only store can neither be created nor upgraded."""
    with open_store(settings):
        pass
    return settings


@contextmanager
def open_store(settings: Settings, must_exist: bool = True) -> Iterator[Store]:
    if must_exist and not Path(settings.db).is_file():
        fail(
            f"database {settings.db} does not exist yet: run `newsgraph ingest PATH` first "
            "(or point --db / NEWSGRAPH_DB at your store)"
        )
    try:
        store = Store(settings.db)
    except SchemaTooNewError as exc:
        fail(f"{settings.db}: {exc}")
    except sqlite3.DatabaseError as exc:
        fail(f"{settings.db} is not a newsgraph database ({exc}): choose another --db")
    with store:
        yield store


def _date_bound(value: str | None) -> str | None:
    if value is not None and parse_published(value) is None:
        raise typer.BadParameter(
            f"{value!r} is not a date: give 2023, 2023-11, 2023-11-01 or 2023-11-01T15:03"
        )
    return value


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        metavar="CODE",
        show_default=False,
        help="Only documents in this language (ISO 639-1: fr, en, ru...).",
    ),
]
Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        callback=_date_bound,
        show_default=False,
        help="Only documents published on or after DATE (2023, 2023-11, 2023-11-01...).",
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        callback=_date_bound,
        show_default=False,
        help="Only documents published on or before DATE (inclusive: 2023-11 is the whole month).",
    ),
]
