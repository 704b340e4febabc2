"""The "times" component and the time API other stages use.

- `find_times(doc)`: every time expression of the body, normalised against `doc.published`;
- `resolve_expression(text, lang, anchor)`: the value of one expression given as text;
- `governing_time(doc, span)`: the time expression that dates an event or a claim at `span`.

A clock time without a day of its own ("à 18 h 30") takes the day of the last day-precise expression
before it in its paragraph ("samedi 4 janvier, à 18 h 30"; narration stays on the day it last
named), else of the first one after it in its sentence, else the anchor's.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import date

from newsgraph.model import DateValue, Document, Span, TimeExpression
from newsgraph.pipeline.components import register_slot
from newsgraph.times.grammar import grammar_for
from newsgraph.times.recognize import Found, find_expressions, is_future
from newsgraph.times.resolve import Anchor, Value, resolve

_DATED_KINDS = ("date", "time")


def find_times(doc: Document) -> list[TimeExpression]:
    """The time expressions in the body of `doc`, in text order."""
    grammar = grammar_for(doc.lang)
    regions = doc.body or [(0, len(doc.text))]
    found = [f for f in find_expressions(doc.text, regions, grammar) if doc.in_body(f.start, f.end)]
    sentence_of = _sentence_finder(doc.sentences or regions)
    anchor = Anchor.of(doc.published)

    def value_of(item: Found, context: date | None = None) -> Value:
        sentence = sentence_of(item.start) or (item.start, item.end)
        return resolve(item.fields, anchor, is_future(doc.text, item, sentence, grammar), context)

    # dated expressions first: they give the clock times their day
    values = {i: value_of(item) for i, item in enumerate(found) if not item.fields.is_clock}
    days = [
        (found[i].start, date.fromisoformat(value[:10]))
        for i, (value, precision) in values.items()
        if precision == "day" and value is not None
    ]
    for i, item in enumerate(found):
        if item.fields.is_clock:
            values[i] = value_of(item, _context_day(doc.text, days, item.start, sentence_of(item.start)))
    return [
        TimeExpression(
            item.start, item.end, doc.text[item.start : item.end], *values[i], kind=item.fields.kind
        )
        for i, item in enumerate(found)
    ]


def resolve_expression(text: str, lang: str | None, anchor: DateValue | None) -> Value:
    """(value, precision) of the longest time expression in `text` ("hier soir"), else (None, None)."""
    grammar = grammar_for(lang)
    whole = (0, len(text))
    found = find_expressions(text, [whole], grammar)
    if not found:
        return None, None
    best = max(found, key=lambda f: f.end - f.start)
    return resolve(best.fields, Anchor.of(anchor), is_future(text, best, whole, grammar))


def governing_time(doc: Document, span: Span) -> TimeExpression | None:
    """The dated time expression of the sentence holding `span` nearest to it (None when there is none)."""
    sentence = _sentence_finder(doc.sentences)(span[0])
    if sentence is None:
        return None
    inside = [
        t
        for t in doc.times
        if t.value is not None and t.kind in _DATED_KINDS and sentence[0] <= t.start and t.end <= sentence[1]
    ]
    if not inside:
        return None
    return min(inside, key=lambda t: (max(t.start - span[1], span[0] - t.end, 0), t.start))


def _sentence_finder(sentences: Sequence[Span]) -> Callable[[int], Span | None]:
    """offset -> the sentence (of these, in text order) that holds it, or None."""
    starts = [start for start, _ in sentences]

    def sentence_of(offset: int) -> Span | None:
        index = bisect.bisect_right(starts, offset) - 1
        return sentences[index] if index >= 0 and offset < sentences[index][1] else None

    return sentence_of


def _context_day(text: str, days: list[tuple[int, date]], offset: int, sentence: Span | None) -> date | None:
    """The day of the last day-precise expression before `offset` in its paragraph, else of the next one in
    its sentence. `days` holds (start, day) in text order."""
    at = bisect.bisect_left(days, offset, key=lambda d: d[0])
    if at > 0 and "\n" not in text[days[at - 1][0] : offset]:
        return days[at - 1][1]
    if at < len(days) and sentence is not None and days[at][0] < sentence[1]:
        return days[at][1]
    return None


register_slot("times", find_times)
