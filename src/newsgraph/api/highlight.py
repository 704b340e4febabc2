"""An article as HTML with its annotations highlighted, the web twin of `newsgraph show`.

Annotations overlap (a name inside a quote inside the body), so the text is cut at every
annotation boundary and each piece is one element carrying the classes of all annotations that
cover it: the HTML stays well nested however the spans cross. Every piece of text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from newsgraph.model import Document

EntityUrl = Callable[[str], str]


@dataclass(frozen=True)
class Mark:
    """One annotation over `[start, end)`: its CSS classes, its hover text, the id of its anchor in
    the article (annotation tables link to it) and, for a linked mention, the entity page."""

    start: int
    end: int
    css: str
    note: str
    anchor: str
    href: str | None = None


def document_marks(doc: Document, entity_url: EntityUrl) -> list[Mark]:
    """Every annotation of the document as a mark, broadest layers first (their classes come first)."""

    def name_of(entity_id: str | None, fallback: str | None = None) -> str:
        if entity_id and entity_id in doc.entities:
            return doc.entities[entity_id].name
        return fallback or entity_id or "unknown"

    marks = [
        Mark(b.start, b.end, "bp", f"boilerplate: {b.kind}" + (f" ({b.rule})" if b.rule else ""), f"b{i}")
        for i, b in enumerate(doc.boilerplate)
    ]
    if doc.title_span:
        marks.append(Mark(*doc.title_span, "ttl", "title", "title"))
    marks += [
        Mark(
            q.start,
            q.end,
            "q",
            f"{'quote' if q.direct else 'reported speech'} by {name_of(q.speaker, q.speaker_text)}",
            f"q{i}",
        )
        for i, q in enumerate(doc.quotes)
    ]
    marks += [
        Mark(c.start, c.end, "cl", f"claim: {c.kind} {c.bound} {c.value}", f"c{i}")
        for i, c in enumerate(doc.claims)
    ]
    marks += [
        Mark(t.start, t.end, "tm", f"time: {t.value or 'unresolved'} ({t.precision or '?'})", f"t{i}")
        for i, t in enumerate(doc.times)
    ]
    for i, e in enumerate(doc.events):
        if e.trigger:
            sources, targets = ", ".join(map(name_of, e.source)), ", ".join(map(name_of, e.target))
            actors = f"{sources or '?'} → {targets or '?'}"
            marks.append(Mark(*e.trigger, "ev", f"event {e.type}: {actors}", f"e{i}"))
    for i, m in enumerate(doc.mentions):
        note = f"{m.type}: {name_of(m.entity, m.text)}" + (f" ({m.entity})" if m.entity else "")
        href = entity_url(m.entity) if m.entity else None
        marks.append(Mark(m.start, m.end, f"m m-{m.type}", note, f"m{i}", href))
    return marks


def article_html(text: str, marks: Sequence[Mark]) -> Markup:
    """`text` escaped, each piece between annotation boundaries wrapped in one element.

    A piece inside a linked mention is a link (the innermost mention wins when mentions nest);
    marks outside the text are ignored rather than trusted."""
    valid = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=lambda m: (m.start, -m.end))
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    parts: list[str] = []
    active: list[Mark] = []
    following = 0  # index in `valid` of the first mark not yet started
    for start, end in pairwise(cuts):
        active = [m for m in active if m.end > start]
        while following < len(valid) and valid[following].start == start:
            parts.append(f'<span id="{escape(valid[following].anchor)}"></span>')
            active.append(valid[following])
            following += 1
        parts.append(_piece(text[start:end], active))
    return Markup("".join(parts))


def _piece(text: str, active: Sequence[Mark]) -> str:
    if not active:
        return str(escape(text))
    css = escape(" ".join(dict.fromkeys(m.css for m in active)))
    note = escape("\n".join(m.note for m in active))
    links = sorted((m for m in active if m.href), key=lambda m: m.end - m.start)
    if links:
        return f'<a class="{css}" title="{note}" href="{escape(links[0].href)}">{escape(text)}</a>'
    return f'<span class="{css}" title="{note}">{escape(text)}</span>'


def snippet_html(snippet: str, highlights: Sequence[tuple[int, int]]) -> Markup:
    """A plain-text search snippet, escaped, with the matched words in `<mark>`."""
    parts, last = [], 0
    for start, end in highlights:
        parts += [str(escape(snippet[last:start])), f"<mark>{escape(snippet[start:end])}</mark>"]
        last = end
    parts.append(str(escape(snippet[last:])))
    return Markup("".join(parts))
