"""`newsgraph quotes` (who said what) and `newsgraph claims` (who claims which number)."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.claims.evolution import Reported, evolution
from newsgraph.cli.shared import Lang, Since, Until, err, fail, open_store, out, settings_of
from newsgraph.model import CLAIM_KINDS
from newsgraph.store import entities as entity_queries
from newsgraph.store import facts
from newsgraph.store.db import Store


def _entity_ids(store: Store, name: str | None) -> list[str]:
    if not name:
        return []
    ids = entity_queries.find_entities(store, name)
    if not ids:
        fail(f"no entity named {name!r}: see `newsgraph entities` for what the store knows", 1)
    return ids


def list_quotes(
    ctx: typer.Context,
    speaker: Annotated[
        str | None,
        typer.Option(
            "--speaker",
            "-s",
            show_default=False,
            help="Who said it: a name in any language, or an entity id.",
        ),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", "-a", show_default=False, help="Only quotes that name this entity."),
    ] = None,
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 50,
) -> None:
    """Quotations and reported speech with their speakers, oldest first.

    **Example:** `newsgraph quotes --speaker Blinken --about Israel --lang fr`
    """
    with open_store(settings_of(ctx)) as store:
        rows = facts.quotes(
            store, _entity_ids(store, speaker), _entity_ids(store, about), lang, since, until, limit
        )
    if not rows:
        err.print("no quotes match: loosen --speaker/--about/--lang or the dates")
        return
    table = Table("published", "lang", "speaker", "quote", "document", title="Quotes")
    for r in rows:
        said = Text(
            ("« " if r.direct else "") + r.text + (" »" if r.direct else ""),
            style="italic" if r.direct else "",
        )
        table.add_row(r.published or "", r.lang or "", Text(r.speaker_name or "?"), said, Text(r.doc_id))
    out.print(table)


def _kind(value: str | None) -> str | None:
    if value is not None and value not in CLAIM_KINDS:
        raise typer.BadParameter(f"{value!r} is not a claim kind: use one of {', '.join(CLAIM_KINDS)}")
    return value


FORMATS = ("table", "json", "csv")
BOUND_SIGNS = {"more_than": "> ", "about": "~ ", "at_least": "≥ ", "at_most": "≤ ", "less_than": "< "}


def _format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not a format: use one of {', '.join(FORMATS)}")
    return value


def list_claims(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", "-k", callback=_kind, show_default=False, help=f"One of {', '.join(CLAIM_KINDS)}."
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject", show_default=False, help="Words of the counted group (Palestiniens, children...)."
        ),
    ] = None,
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
    each: Annotated[
        bool, typer.Option("--each", help="Every claim with its sentence, instead of one row per figure.")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", callback=_format, help="table, json or csv.")
    ] = "table",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many claims to read.")] = 1000,
) -> None:
    """How a figure evolved across articles and outlets: one row per distinct figure (kind, value,
    bound), in date order (as-of date, else publication), with every outlet, source and date that
    gave it; the same figure repeated is one row. `--each` lists every claim with its sentence.

    **Example:** `newsgraph claims --kind killed --subject Palestin --format csv`
    """
    with open_store(settings_of(ctx)) as store:
        rows = facts.claims(store, kind, subject, lang, since, until, limit)
    if not rows:
        err.print("no claims match: loosen --kind/--subject/--lang or the dates")
        return
    if each:
        _print_each(rows, fmt)
        return
    figures = evolution(
        [
            Reported(
                r.kind,
                r.value,
                r.bound,
                r.as_of or r.published,
                r.doc_id,
                (r.text, r.sentence),
                r.outlet,
                r.attributed_to,
            )
            for r in rows
        ]
    )
    records = [f.record() for f in figures]
    if fmt == "json":
        _write_json(records)
    elif fmt == "csv":
        _write_csv(
            [{k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items()} for r in records]
        )
    else:
        table = Table(
            "kind", "value", "first date", "dates", "outlets", "according to", "articles", title="Figures"
        )
        for f in figures:
            table.add_row(
                f.kind,
                f"{BOUND_SIGNS.get(f.bound, '')}{f.value:,.0f}",
                f.date or "",
                Text(", ".join(f.dates)),
                Text(", ".join(f.outlets)),
                Text("; ".join(f.sources)),
                str(len(f.documents)),
            )
        out.print(table)


def _print_each(rows: list[facts.ClaimRow], fmt: str) -> None:
    """Every claim with its sentence, in date order."""
    if fmt == "json":
        _write_json([asdict(r) for r in rows])
        return
    if fmt == "csv":
        _write_csv([asdict(r) for r in rows])
        return
    table = Table(
        "as of", "published", "kind", "value", "subject", "according to", "outlet", "sentence", title="Claims"
    )
    for r in rows:
        table.add_row(
            r.as_of or "",
            r.published or "",
            r.kind,
            f"{BOUND_SIGNS.get(r.bound, '')}{r.value:,.0f}",
            Text(r.subject or ""),
            Text(r.attributed_to or ""),
            Text(r.outlet or ""),
            Text(r.sentence),
        )
    out.print(table)


def _write_json(records: list[dict[str, Any]]) -> None:
    """One JSON object per line."""
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_csv(records: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
