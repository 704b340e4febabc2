"""The "times" component and the time API other stages use.

- `find_times(doc)`: every time expression of the body, normalised against `doc.published`;
- `resolve_expression(text, lang, anchor)`: the value of one expression given as text;
- `governing_time(doc, span)`: the time expression that dates an event or a claim at `span`.

A clock time without a day of its own ("à 18 h 30") takes the day of the last day-precise expression
before it ("samedi 4 janvier, à 18 h 30"; narration stays on the day it last named), else of the
first one after it in its sentence, else the anchor's.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date

from newsgraph.config import Settings
from newsgraph.model import DateValue, Document, Span, TimeExpression
from newsgraph.pipeline.components import Component, register
from newsgraph.times.grammar import grammar_for
from newsgraph.times.recognize import Found, find_expressions, is_future
from newsgraph.times.resolve import Anchor, Value, resolve

_DATED_KINDS = ("date", "time")


@register("times")
def make_times(settings: Settings) -> Component:
    def times(doc: Document) -> Document:
        doc.times = find_times(doc)
        return doc

    return times


def find_times(doc: Document) -> list[TimeExpression]:
    """The time expressions in the body of `doc`, in text order."""
    grammar = grammar_for(doc.lang)
    regions = doc.body or [(0, len(doc.text))]
    found = [f for f in find_expressions(doc.text, regions, grammar) if doc.in_body(f.start, f.end)]
    sentences = doc.sentences or regions
    anchor = Anchor.of(doc.published)
    values: dict[int, Value] = {}
    # dated expressions first: they are the context of the clock times of their sentence
    for index, item in sorted(enumerate(found), key=lambda pair: pair[1].fields.is_clock):
        sentence = _sentence_of(sentences, item.start) or (item.start, item.end)
        future = is_future(doc.text, item, sentence, grammar)
        context = _context_day(found, values, index, sentence) if item.fields.is_clock else None
        values[index] = resolve(item.fields, anchor, future, context)
    return [TimeExpression(item.start, item.end, doc.text[item.start:item.end], *values[index],
                           kind=item.fields.kind)
            for index, item in enumerate(found)]


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
    sentence = _sentence_of(doc.sentences, span[0])
    if sentence is None:
        return None
    inside = [t for t in doc.times if t.value is not None and t.kind in _DATED_KINDS
              and sentence[0] <= t.start and t.end <= sentence[1]]
    if not inside:
        return None
    return min(inside, key=lambda t: (max(t.start - span[1], span[0] - t.end, 0), t.start))


def _sentence_of(sentences: Sequence[Span], offset: int) -> Span | None:
    starts = [s for s, _ in sentences]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < sentences[index][1]:
        return sentences[index]
    return None


def _context_day(found: list[Found], values: dict[int, Value], index: int,
                 sentence: Span) -> date | None:
    """The day of the last day-precise expression before the clock time, else of the next in its sentence."""
    here = found[index].start
    days = [(found[i].start, date.fromisoformat(value[:10])) for i, (value, precision) in values.items()
            if precision == "day" and value is not None and not found[i].fields.is_clock]
    before = [d for d in days if d[0] < here]
    if before:
        return max(before)[1]
    after = [d for d in days if here < d[0] < sentence[1]]
    return min(after)[1] if after else None
