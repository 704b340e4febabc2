"""`newsgraph quotes` (who said what) and `newsgraph claims` (who claims which number)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.application import NewsGraph
from newsgraph.claims.evolution import Reported, evolution
from newsgraph.cli.output import Format, Offset, answers, choose, emit, write_csv, write_json
from newsgraph.cli.shared import Lang, Since, Until, err, out, settings_of, upgraded_store
from newsgraph.model import CLAIM_KINDS
from newsgraph.responses import ClaimItem


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
    offset: Offset = 0,
    fmt: Format = "table",
) -> None:
    """Quotations and reported speech with their speakers, oldest first.

    **Example:** `newsgraph quotes --speaker Blinken --about Israel --lang fr`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).quotes(speaker, about, lang, since, until, limit, offset)

    def table() -> Table:
        table = Table(title="Quotes", title_justify="left")
        table.add_column("published", no_wrap=True)
        table.add_column("lang")
        table.add_column("speaker", ratio=1, overflow="fold")
        table.add_column("quote", ratio=3, overflow="fold")
        table.add_column("document", ratio=1, overflow="fold")
        for r in page.items:
            said = Text(
                ("« " if r.direct else "") + r.text + (" »" if r.direct else ""),
                style="italic" if r.direct else "",
            )
            table.add_row(
                (r.published or "")[:10], r.lang or "", Text(r.speaker_name or "?"), said, Text(r.doc_id)
            )
        return table

    emit(page, fmt, table, "no quotes match: loosen --speaker/--about/--lang or the dates")


BOUND_SIGNS = {"more_than": "> ", "about": "~ ", "at_least": "≥ ", "at_most": "≤ ", "less_than": "< "}


def list_claims(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            callback=choose(CLAIM_KINDS, "a claim kind"),
            show_default=False,
            help=f"One of {', '.join(CLAIM_KINDS)}.",
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
    fmt: Format = "table",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many claims to read.")] = 1000,
) -> None:
    """How a figure evolved across articles and outlets: one row per distinct figure (kind, value,
    bound), in date order (as-of date, else publication), with every outlet, source and date that
    gave it; the same figure repeated is one row. `--each` lists every claim with its sentence.

    **Example:** `newsgraph claims --kind killed --subject Palestin --format csv`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).claims(kind, subject, lang, since, until, limit)
    rows = page.items
    if not rows:
        err.print("no claims match: loosen --kind/--subject/--lang or the dates")
        return
    if page.next_offset is not None:
        err.print(f"read the first {len(rows)} of {page.total} claims: --limit {page.total} reads them all")
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
        write_json(records)
    elif fmt == "csv":
        write_csv(
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


def _print_each(rows: list[ClaimItem], fmt: str) -> None:
    """Every claim with its sentence, in date order."""
    if fmt == "json":
        write_json([r.model_dump() for r in rows])
        return
    if fmt == "csv":
        write_csv([r.model_dump() for r in rows])
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
