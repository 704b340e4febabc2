"""Terminal views: an article with its annotations highlighted, search hits, store statistics.

Everything that comes from a document or the store is put in `rich.text.Text` objects, never in
markup strings, so brackets in an article are printed as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from newsgraph.model import Document, Span
from newsgraph.responses import DocumentsPage, date_text

MENTION_STYLES = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green", "MISC": "bold yellow"}
TITLE_STYLE = "bold"
BOILERPLATE_STYLE = "dim strike"
TIME_STYLE = "underline"
QUOTE_STYLE = "italic"
CLAIM_STYLE = "bold red"
TRIGGER_STYLE = "reverse"
MATCH_STYLE = "bold black on yellow"

# ---------------------------------------------------------------------------- show


def article_text(doc: Document) -> Text:
    """The original text with every annotation layer as a style over its span.

    Layers are applied broadest first, so a name inside a quote is both italic and coloured.
    """
    text = Text(doc.text)
    layers: list[tuple[str, Iterable[Span]]] = [
        (BOILERPLATE_STYLE, ((b.start, b.end) for b in doc.boilerplate)),
        (QUOTE_STYLE, ((q.start, q.end) for q in doc.quotes)),
        (TITLE_STYLE, [doc.title_span] if doc.title_span else []),
        (TIME_STYLE, ((t.start, t.end) for t in doc.times)),
        (CLAIM_STYLE, ((c.start, c.end) for c in doc.claims)),
        (TRIGGER_STYLE, (e.trigger for e in doc.events if e.trigger)),
    ]
    for style, spans in layers:
        for start, end in spans:
            text.stylize(style, start, end)
    for mention in doc.mentions:
        text.stylize(MENTION_STYLES.get(mention.type, "bold"), mention.start, mention.end)
    return text


def header(doc: Document) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    fields = [
        ("doc_id", doc.doc_id),
        ("title", doc.title),
        ("lang", doc.lang),
        ("published", date_text(doc.published)),
        ("source", doc.source),
        ("outlet", doc.outlet),
        ("url", doc.url),
        ("story", doc.story),
    ]
    for name, value in fields:
        if value:
            grid.add_row(name, Text(value))
    for error in doc.errors:
        grid.add_row(Text("error", style="bold red"), Text(error, style="red"))
    return grid


def legend() -> Text:
    parts = [Text(kind, style=style) for kind, style in MENTION_STYLES.items()]
    parts += [
        Text("time", style=TIME_STYLE),
        Text("quote", style=QUOTE_STYLE),
        Text("claim", style=CLAIM_STYLE),
        Text("event trigger", style=TRIGGER_STYLE),
        Text("boilerplate", style=BOILERPLATE_STYLE),
    ]
    return Text("  ").join(parts)


def annotation_tables(doc: Document) -> list[Table]:
    """One table per non-empty annotation layer, rows in text order."""

    def quoted(span: Span | None) -> str:
        return doc.span_text(span) if span else ""

    layers: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        (
            "Mentions",
            ("span", "text", "type", "entity", "normal form", "by"),
            [(m.start, m.end, m.text, m.type, m.entity, m.normal, m.source) for m in doc.mentions],
        ),
        (
            "Times",
            ("span", "text", "value", "precision", "kind"),
            [(t.start, t.end, t.text, t.value, t.precision, t.kind) for t in doc.times],
        ),
        (
            "Events",
            ("trigger", "type", "mode", "source", "target", "date", "negated", "confidence"),
            [
                (
                    *(e.trigger or (None, None)),
                    e.type,
                    e.mode,
                    ", ".join(e.source),
                    ", ".join(e.target),
                    e.date.value if e.date else None,
                    e.negated,
                    e.confidence,
                )
                for e in doc.events
            ],
        ),
        (
            "Quotes",
            ("span", "text", "direct", "speaker", "cue"),
            [
                (q.start, q.end, q.text, q.direct, q.speaker or q.speaker_text, quoted(q.cue))
                for q in doc.quotes
            ],
        ),
        (
            "Claims",
            ("span", "text", "value", "bound", "kind", "attributed to"),
            [(c.start, c.end, c.text, c.value, c.bound, c.kind, c.attributed_to) for c in doc.claims],
        ),
        (
            "Boilerplate",
            ("span", "text", "kind", "rule"),
            [(b.start, b.end, doc.text[b.start : b.end], b.kind, b.rule) for b in doc.boilerplate],
        ),
    ]
    return [_span_table(title, columns, rows) for title, columns, rows in layers if rows]


def _span_table(title: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> Table:
    """A table whose rows start with `start, end` (shown as one `start-end` column)."""
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for start, end, *cells in sorted(rows, key=lambda row: (row[0] is None, row[0] or 0)):
        span = "" if start is None else f"{start}-{end}"
        table.add_row(Text(span), *(Text("" if c is None else str(c)) for c in cells))
    return table


def document_view(doc: Document) -> Group:
    """`newsgraph show`: header, legend, the highlighted article, then each annotation layer."""
    parts: list[RenderableType] = [header(doc), Text(), legend(), Text(), article_text(doc)]
    for table in annotation_tables(doc):
        parts += [Text(), table]
    return Group(*parts)


# ---------------------------------------------------------------------------- search


def hits_table(query: str, page: DocumentsPage) -> Table:
    """Search hits: the matched words of each snippet styled (offsets from the application)."""
    table = Table(title=f"{page.total} documents match {query!r}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("document", ratio=2, overflow="fold")
    table.add_column("snippet", ratio=3, overflow="fold")
    for n, hit in enumerate(page.items, page.offset + 1):
        about = Text(hit.title or "", style="bold")
        about.append(f"\n{hit.doc_id}", style="cyan")
        about.append(f"\n{hit.lang or ''} {(hit.published or '')[:10]}")
        snippet = Text(hit.snippet or "")
        for start, end in hit.highlights or []:
            snippet.stylize(MATCH_STYLE, start, end)
        table.add_row(str(n), about, snippet)
    return table


def documents_table(page: DocumentsPage) -> Table:
    table = Table(title=f"{page.total} documents", title_justify="left")
    table.add_column("published", no_wrap=True)
    table.add_column("lang")
    table.add_column("document", ratio=1, overflow="fold")
    table.add_column("title", ratio=3, overflow="fold")
    table.add_column("outlet", ratio=1, overflow="fold")
    for doc in page.items:
        table.add_row(
            (doc.published or "")[:10],
            doc.lang or "",
            Text(doc.doc_id, style="cyan"),
            Text(doc.title or ""),
            Text(doc.outlet or ""),
        )
    return table


# ---------------------------------------------------------------------------- stats


def stats_tables(stats: dict[str, Any]) -> list[Table]:
    """The scalar statistics in one table, then one table per breakdown (by language, month, ...)."""
    totals = Table(title="Store", title_justify="left", show_header=False)
    totals.add_column(style="bold")
    totals.add_column(justify="right")
    breakdowns = []
    for name, value in stats.items():
        if isinstance(value, dict):
            if value:
                breakdowns.append(_breakdown(name, value))
        else:
            shown = _human_size(value) if name.endswith("_bytes") else str(value)
            totals.add_row(name.replace("_", " "), shown)
    return [totals, *breakdowns]


def _breakdown(name: str, counts: dict[str, Any]) -> Table:
    table = Table(title=name.capitalize(), title_justify="left")
    table.add_column(name)
    table.add_column("count", justify="right")
    for key, count in counts.items():
        table.add_row(Text(str(key)), str(count))
    return table


def _human_size(n: int) -> str:
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    size, unit = float(n), 0
    while size >= 1024 and unit < len(units) - 1:
        size, unit = size / 1024, unit + 1
    return f"{n} B" if unit == 0 else f"{size:.1f} {units[unit]}"


def errors_table(errors: Sequence[dict[str, Any]], total: int) -> Table:
    shown = f"the last {len(errors)} of {total}" if total > len(errors) else str(total)
    table = Table(title=f"Recent errors ({shown})", title_justify="left")
    for column in ("at", "source", "doc_id", "message"):
        table.add_column(column, overflow="fold", ratio=3 if column == "message" else None)
    for error in errors:
        table.add_row(*(Text(str(error.get(c) or "")) for c in ("at", "source", "doc_id", "message")))
    return table
