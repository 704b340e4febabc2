"""`newsgraph stories` and `newsgraph story ID`: the articles grouped into stories, across languages
and outlets (the same summaries as `/stories` and `/api/stories`)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.application import NewsGraph
from newsgraph.cli.output import Format, Offset, answers, emit, write_csv
from newsgraph.cli.shared import Lang, Since, Until, out, settings_of, upgraded_store
from newsgraph.responses import StorySummary, StoryView


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in counts.items())


def list_stories(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    entity: Annotated[
        str | None,
        typer.Option(
            "--entity",
            "-e",
            show_default=False,
            help="Only stories that mention this entity (any script, or an id).",
        ),
    ] = None,
    lang: Lang = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 20,
    offset: Offset = 0,
    fmt: Format = "table",
) -> None:
    """Stories, newest first: articles about one news story, grouped across languages and outlets.

    **Example:** `newsgraph stories --since 2023-11 --entity Блинкен`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).stories(since, until, entity, lang, limit, offset)

    def table() -> Table:
        table = Table(title=f"{page.total} stories", title_justify="left")
        table.add_column("story", ratio=1, overflow="fold")
        table.add_column("days", no_wrap=True)
        table.add_column("about", ratio=3, overflow="fold")
        table.add_column("articles", ratio=1, overflow="fold")
        for s in page.items:
            about = Text(s.title, style="bold")
            about.append(f"\n{s.label}")
            days = s.first or "?" if s.first == s.last else f"{s.first or '?'}\n{s.last or '?'}"
            table.add_row(Text(s.id), days, about, f"{s.size} ({_counts(s.languages)})")
        return table

    emit(page, fmt, table, "no stories match: drop --entity/--lang or widen the dates")


def show_story(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(metavar="ID", help="A story id (see `newsgraph stories`).")],
    fmt: Format = "table",
) -> None:
    """One story: its articles in date order (copies marked), the entities and events they share.

    **Example:** `newsgraph story S:1f3a9c`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        story = NewsGraph(settings).story(story_id)
    if fmt == "json":
        sys.stdout.write(json.dumps(story.model_dump(mode="json"), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        write_csv([a.model_dump() for a in story.articles])
    else:
        _print(story)


def _print(story: StoryView) -> None:
    out.print(_header(story))
    articles = Table(title="Articles", title_justify="left")
    articles.add_column("published", no_wrap=True)
    articles.add_column("lang")
    articles.add_column("title", ratio=3, overflow="fold")
    articles.add_column("outlet", ratio=1, overflow="fold")
    articles.add_column("document", ratio=1, overflow="fold")
    for a in story.articles:
        title = Text(a.title or "")
        if a.duplicate_of:
            title.append(f" (copy of {a.duplicate_of})", style="dim")
        articles.add_row((a.published or "")[:10], a.lang or "", title, Text(a.outlet or ""), Text(a.id))
    out.print(articles)
    if story.events:
        events = Table(title="Events", title_justify="left")
        events.add_column("date", no_wrap=True)
        events.add_column("event", ratio=3, overflow="fold")
        events.add_column("reports", overflow="fold")
        events.add_column("cluster", ratio=1, overflow="fold")
        for e in story.events:
            date = (e.date or {}).get("value") or "?"
            kind = f"{e.type}/{e.mode}" if e.mode else e.type
            events.add_row(
                f"{date}{' (planned)' if e.planned else ''}",
                Text(f"{kind} {_names(e.source, story)} → {_names(e.target, story)}"),
                f"{e.reports} ({', '.join(e.languages)})",
                Text(e.cluster),
            )
        out.print(events)
    if story.framing and story.framing.get("columns"):
        out.print(_framing(story.framing))


def _names(ids: list[str], story: StoryView) -> str:
    return ", ".join(story.names.get(i, {}).get("name", i) for i in ids) or "?"


def _framing(framing: dict[str, Any]) -> Table:
    """How each outlet frames the story, one row per outlet: its loaded words (concept x count),
    whom it names as agents and victims, whose figures it cites, whose words it quotes most.
    `--format json` gives the whole table with every evidence span."""
    table = Table(title="Framing per outlet", title_justify="left")
    table.add_column("outlet", ratio=1, overflow="fold")
    table.add_column("loaded words", ratio=2, overflow="fold")
    table.add_column("agents / victims", ratio=2, overflow="fold")
    table.add_column("figures, quotes", ratio=2, overflow="fold")
    for column in framing["columns"]:
        key = column["key"]

        def cells(section: str, label: str, key: str = key) -> list[str]:
            return [
                f"{row[label]} {row['cells'][key].get('count', '')}".strip()
                for row in framing[section]
                if key in row["cells"]
            ]

        terms = cells("terms", "concept")
        agents, victims = cells("agents", "name"), cells("victims", "name")
        figures = [
            f"{row['kind']} ({row.get('source_name') or row.get('source') or '?'})"
            for row in framing["figures"]
            if key in row["cells"]
        ]
        quotes = [
            f"{row.get('name') or '?'} {round(row['cells'][key]['share'] * 100)}%"
            for row in framing["quotes"]
            if key in row["cells"]
        ]
        table.add_row(
            Text(f"{column['outlet']} [{column['lang']}]"),
            Text(", ".join(terms) or "-"),
            Text(f"agents: {', '.join(agents) or '-'}\nvictims: {', '.join(victims) or '-'}"),
            Text(f"figures: {', '.join(figures) or '-'}\nquoted: {', '.join(quotes[:4]) or '-'}"),
        )
    return table


def _header(story: StorySummary) -> Text:
    text = Text(story.title or story.id, style="bold")
    text.append(f"\n{story.id} · {story.first or '?'} – {story.last or '?'}")
    text.append(f" · {story.size} texts ({story.documents} articles) · {_counts(story.languages)}")
    if story.entities:
        text.append("\n" + ", ".join(f"{e.name} ({e.count})" for e in story.entities))
    return text
