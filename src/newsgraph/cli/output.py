"""How every listing command prints: `--format table|json|csv`, the total when a list is cut, and
the application's errors as messages that say what to do.

JSON is one object per line (JSON Lines), so a listing pipes into `jq` or back into a program; CSV
is the HTTP API's (`responses.csv_text`); a table is sized for the terminal, 80 columns included.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.table import Table

from newsgraph.application import Invalid, NotFound
from newsgraph.cli.shared import USAGE_ERROR, err, fail, out
from newsgraph.responses import Page, csv_text

FORMATS = ("table", "json", "csv")


def choose(options: Sequence[str], what: str, upper: bool = False) -> Callable[[str | None], str | None]:
    """A typer callback that accepts one of `options` (case aside) and otherwise lists them."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        by_key = {o.casefold(): o for o in options}
        if value.casefold() not in by_key:
            raise typer.BadParameter(f"{value!r} is not {what}: use one of {', '.join(options)}")
        return by_key[value.casefold()]

    return check


Format = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        callback=choose(FORMATS, "a format"),
        help="table, json (one object per line) or csv.",
    ),
]
Offset = Annotated[int, typer.Option("--offset", min=0, help="Rows to skip (the next page).")]


@contextmanager
def answers() -> Iterator[None]:
    """The application's refusals as CLI errors: not found (status 1), bad argument (status 2)."""
    try:
        yield
    except NotFound as exc:
        fail(str(exc).replace("(/api/entities)", "(`newsgraph entities`)"), 1)
    except Invalid as exc:
        fail(str(exc), USAGE_ERROR)


def write_json(records: Sequence[dict[str, Any]]) -> None:
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(records: list[dict[str, Any]]) -> None:
    sys.stdout.write(csv_text(records))


def emit(page: Page[Any], fmt: str, table: Callable[[], Table], empty: str) -> None:
    """Print one page in the chosen format; say so when nothing matches, and when the list is cut."""
    if not page.items:
        err.print(empty)
        return
    records = [item.model_dump(mode="json") for item in page.items]
    if fmt == "json":
        write_json(records)
    elif fmt == "csv":
        write_csv(records)
    else:
        out.print(table())
    cut(page)


def cut(page: Page[Any]) -> None:
    """On stderr, when the page is not the whole list: which rows these are, and how to see more."""
    if page.offset or page.next_offset is not None:
        shown = f"{page.offset + 1}-{page.offset + len(page.items)}"
        more = f"; --offset {page.next_offset} for more" if page.next_offset is not None else ""
        err.print(f"rows {shown} of {page.total}{more}")
