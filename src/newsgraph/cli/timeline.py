"""`newsgraph timeline`: one line per real-world event of an actor (or a pair), across languages."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.cli.shared import Since, Until, err, fail, open_store, out, settings_of
from newsgraph.events.timeline import TimelineRow, timeline
from newsgraph.store import entities as entity_queries
from newsgraph.store.db import Store

FORMATS = ("table", "json", "csv")


def _names(store: Store, ids: set[str]) -> dict[str, str]:
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute(f"SELECT id, name FROM entities WHERE id IN ({marks})", sorted(ids))
    return dict(rows.fetchall())


def _ids(store: Store, name: str) -> list[str]:
    ids = entity_queries.find_entities(store, name)
    if not ids:
        fail(f"no entity named {name!r}: see `newsgraph entities` for what the store knows", 1)
    return ids


def _format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not a format: use one of {', '.join(FORMATS)}")
    return value


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
            "--type", "-t", show_default=False, help="Only this PLOVER category (CONSULT, REQUEST...)."
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    evidence: Annotated[bool, typer.Option("--evidence", "-e", help="Show the reporting sentences.")] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", callback=_format, help="table, json or csv.")
    ] = "table",
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
) -> None:
    """The events of ACTOR in date order: one line per real-world event (reports of it in every
    document and language merged), with its type, actors, place and how many reports in which languages.
    Events announced for later are listed apart, as planned, with their intended date when known.

    **Examples:** `newsgraph timeline "Antony Blinken"` ·
    `newsgraph timeline Блинкен --with Galant --type CONSULT --evidence`
    """
    settings = settings_of(ctx)
    threshold = settings.timeline_min_confidence if min_confidence is None else min_confidence
    with open_store(settings) as store:
        actors = _ids(store, actor)
        partners = _ids(store, with_actor) if with_actor else [None]
        clusters = store.clusters_with(actors)
        rows = {
            r.cluster: r
            for a in actors
            for p in partners
            for r in timeline(clusters, a, p, type, since, until, threshold)
        }
        ordered = sorted(
            rows.values(),
            key=lambda r: (r.planned, r.date is None, r.date.value if r.date else "", r.cluster),
        )
        names = _names(store, {x for r in ordered for x in (*r.source, *r.target, r.place) if x})
    if not ordered:
        err.print(f"no events of {actor!r} match: loosen --with/--type/--since/--until")
        return
    if fmt == "json":
        for r in ordered:
            sys.stdout.write(
                json.dumps(
                    {
                        **r.to_data(),
                        "names": {x: names.get(x, x) for x in (*r.source, *r.target, r.place) if x},
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    elif fmt == "csv":
        _write_csv(ordered, names)
    else:
        happened = [r for r in ordered if not r.planned]
        planned = [r for r in ordered if r.planned]
        if happened:
            out.print(_table(happened, names, evidence))
        if planned:
            out.print(_table(planned, names, evidence, "Planned (announced, not yet reported as held)"))


def _label(ids: tuple[str, ...], names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids)


def _table(rows: list[TimelineRow], names: dict[str, str], evidence: bool, title: str = "Timeline") -> Table:
    table = Table("date", "event", "source", "target", "place", "reports", title=title)
    if evidence:
        table.add_column("evidence")
    for r in rows:
        date = (
            f"{r.date.value}" + (" (inferred)" if r.date and r.date.origin == "inferred" else "")
            if r.date
            else "?"
        )
        kind = f"{r.type}/{r.mode}" if r.mode else r.type
        cells: list[str | Text] = [
            date,
            kind,
            Text(_label(r.source, names)),
            Text(_label(r.target, names)),
            Text(names.get(r.place, r.place) if r.place else ""),
            f"{r.reports} ({', '.join(r.languages)})",
        ]
        if evidence:
            cells.append(Text("\n".join(f"[{d}] {s}" for d, s in r.evidence)))
        table.add_row(*cells)
    return table


def _write_csv(rows: list[TimelineRow], names: dict[str, str]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(
        [
            "date",
            "precision",
            "type",
            "mode",
            "source",
            "target",
            "place",
            "reports",
            "languages",
            "cluster",
            "planned",
            "evidence",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                r.date.value if r.date else "",
                r.date.precision if r.date else "",
                r.type,
                r.mode or "",
                _label(r.source, names),
                _label(r.target, names),
                names.get(r.place, r.place) if r.place else "",
                r.reports,
                " ".join(r.languages),
                r.cluster,
                "yes" if r.planned else "",
                " | ".join(s for _, s in r.evidence),
            ]
        )
