"""`newsgraph timeline`: one line per real-world event of an actor (or a pair), across languages.

The rows are `NewsGraph.timeline`'s, the same as `/timeline` and `/api/timeline` give."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.application import NewsGraph
from newsgraph.cli.output import Format, Offset, answers, choose, cut, write_csv, write_json
from newsgraph.cli.shared import Since, Until, err, out, settings_of, upgraded_store
from newsgraph.model import EVENT_TYPES
from newsgraph.responses import TimelineItem, TimelinePage

EVIDENCE = 3  # reporting sentences shown per event with --evidence


def show_timeline(
    ctx: typer.Context,
    actor: Annotated[
        str, typer.Argument(metavar="ACTOR", help="A name in any language or script, or an id.")
    ],
    with_actor: Annotated[
        str | None,
        typer.Option("--with", show_default=False, help="Only events that involve this other actor too."),
    ] = None,
    type: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            callback=choose(EVENT_TYPES, "a PLOVER event type"),
            show_default=False,
            help=f"Only this PLOVER category: {', '.join(EVENT_TYPES)}.",
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    evidence: Annotated[bool, typer.Option("--evidence", "-e", help="Show the reporting sentences.")] = False,
    fmt: Format = "table",
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            show_default=False,
            help="Only events whose best report is at least this sure (default: the "
            "timeline_min_confidence setting; 0 shows everything).",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many events to show.")] = 100,
    offset: Offset = 0,
) -> None:
    """The events of ACTOR in date order: one line per real-world event (reports of it in every
    document and language merged), with its type, actors and how many articles in which languages
    report it. Events announced for later are listed apart, as planned, with their intended date.

    **Examples:** `newsgraph timeline "Antony Blinken"` ·
    `newsgraph timeline Блинкен --with Galant --type CONSULT --evidence`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).timeline(
            actor, with_actor, type, since, until, min_confidence, limit, offset
        )
    if not page.items:
        err.print(f"no events of {actor!r} match: loosen --with/--type/--since/--until")
        return
    if fmt == "json":
        write_json([{**item.model_dump(mode="json"), "names": _names(page, item)} for item in page.items])
    elif fmt == "csv":
        write_csv([_csv_row(page, item) for item in page.items])
    else:
        happened = [r for r in page.items if not r.planned]
        planned = [r for r in page.items if r.planned]
        if happened:
            out.print(_table(page, happened, evidence))
        if planned:
            out.print(_table(page, planned, evidence, "Planned (announced, not yet reported as held)"))
    cut(page)


def _names(page: TimelinePage, item: TimelineItem) -> dict[str, str]:
    ids = [*item.source, *item.target, *([item.place] if item.place else [])]
    return {i: page.entities[i].name if i in page.entities else i for i in ids}


def _label(page: TimelinePage, ids: list[str]) -> str:
    return ", ".join(page.entities[i].name if i in page.entities else i for i in ids)


def _date(item: TimelineItem) -> str:
    if not item.date:
        return "?"
    return str(item.date["value"]) + (" (inferred)" if item.date.get("origin") == "inferred" else "")


def _table(page: TimelinePage, rows: list[TimelineItem], evidence: bool, title: str = "Timeline") -> Table:
    """Four narrow columns, so the table reads at 80 columns; evidence goes under the actors."""
    table = Table(title=title, title_justify="left")
    table.add_column("date", overflow="fold")
    table.add_column("event", overflow="fold")
    table.add_column("who", ratio=1, overflow="fold")
    table.add_column("reports", overflow="fold")
    for r in rows:
        place = f" @ {_label(page, [r.place])}" if r.place else ""
        who = Text(f"{_label(page, r.source)} → {_label(page, r.target)}{place}")
        if evidence:
            for report in r.evidence[:EVIDENCE]:
                who.append(f"\n[{report.doc_id}] ", style="cyan")
                who.append(report.sentence, style="dim")
        kind = f"{r.type}/{r.mode}" if r.mode else r.type
        table.add_row(_date(r), kind, who, f"{r.reports} ({', '.join(r.languages)})")
    return table


def _csv_row(page: TimelinePage, r: TimelineItem) -> dict[str, Any]:
    return {
        "date": r.date["value"] if r.date else "",
        "precision": r.date.get("precision") if r.date else "",
        "type": r.type,
        "mode": r.mode or "",
        "source": _label(page, r.source),
        "target": _label(page, r.target),
        "place": _label(page, [r.place]) if r.place else "",
        "reports": r.reports,
        "languages": " ".join(r.languages),
        "cluster": r.cluster,
        "planned": "yes" if r.planned else "",
        "evidence": " | ".join(e.sentence for e in r.evidence),
    }
