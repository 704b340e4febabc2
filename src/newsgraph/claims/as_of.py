"""The date a figure runs from or stands at: "depuis le 7 octobre", "since October 7", "as of Monday",
"с 7 октября", "seit dem 7. Oktober".

The date is the time expression that starts right after a cue of the sentence: one the "times"
stage found there (`doc.times`), else the words up to the next punctuation read by
`newsgraph.times.resolve_expression` against the document's date.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsgraph.claims.rules import rules_for
from newsgraph.model import PRECISIONS, DateValue, Document, Span, TimeExpression
from newsgraph.times import resolve_expression

WORDS_AFTER_CUE = 5  # "le 7 octobre dernier", "the first week of November"
_GAP = re.compile(r"[\s\w'’]{0,6}")  # what may stand between the cue and the expression: "le", "dem"
# no "." here: inside a sentence it ends an abbreviation or an ordinal ("seit dem 7. Oktober")
_CLAUSE_END = re.compile(r"[,;:!?()\[\]«»\"“”„\n—–]")
_WORD = re.compile(r"\S+")


def find_as_of(doc: Document, sentence: Span, lang: str | None) -> DateValue | None:
    """The date of the first as-of cue of the sentence that a date follows; else the day the sentence
    names ("on Monday the ministry said 410 died"); else the article's publication date, the day a
    figure with no date of its own stands at. None without any of them."""
    start, end = sentence
    for cue in rules_for(lang).as_of_cues.find(doc.text, start, end):
        found = _time_after(doc.times, doc.text, cue.end, end) or _read_after(doc, cue.end, end, lang)
        if found is not None:
            return _not_after(found, doc.published)
    day = _day_in(doc, sentence)
    if day is not None:
        return day
    if doc.published is not None and doc.published.value:
        precision = "day" if len(doc.published.value) >= 10 else doc.published.precision
        return DateValue(doc.published.value[:10], precision, origin="inferred")
    return None


def _day_in(doc: Document, sentence: Span) -> DateValue | None:
    """The first day-precise time expression of the sentence that is not after the publication date."""
    anchor = (doc.published.value or "")[:10] if doc.published else ""
    for t in doc.times:
        inside = (
            sentence[0] <= t.start < sentence[1] and t.precision == "day" and _dated(t.value, t.precision)
        )
        if inside and (not anchor or (t.value or "")[:10] <= anchor):
            return DateValue(t.value, t.precision, (t.start, t.end))
    return None


def _time_after(times: list[TimeExpression], text: str, pos: int, limit: int) -> DateValue | None:
    for t in times:
        if pos <= t.start < limit and _dated(t.value, t.precision) and _GAP.fullmatch(text, pos, t.start):
            return DateValue(t.value, t.precision, (t.start, t.end))
    return None


def _not_after(date: DateValue, published: DateValue | None) -> DateValue:
    """A figure stands as of a date in the article's past: "з 24 лютого" written in January means
    last February."""
    value, anchor = date.value or "", (published.value or "") if published else ""
    if not anchor or date.precision not in ("month", "day") or value <= anchor[: len(value)]:
        return date
    return replace(date, value=f"{int(value[:4]) - 1:04d}{value[4:]}")


def _read_after(doc: Document, pos: int, limit: int, lang: str | None) -> DateValue | None:
    if doc.published is None:
        return None  # "depuis le 7 octobre" of which year? Without the article's date, nothing to say
    stop = _CLAUSE_END.search(doc.text, pos, limit)
    words = [m.group() for m in _WORD.finditer(doc.text, pos, stop.start() if stop else limit)]
    words = words[:WORDS_AFTER_CUE]
    value, precision = resolve_expression(" ".join(words), lang, doc.published)
    if not _dated(value, precision):
        return None
    # the expression must follow the cue ("depuis le 7 octobre"), not lie further on ("с ними 7 октября")
    stop_words = rules_for(lang).stop_words
    for i in range(1, len(words)):
        if resolve_expression(" ".join(words[i:]), lang, doc.published) != (value, precision):
            break
        if words[i - 1].casefold() not in stop_words:
            return None
    return DateValue(value, precision)


def _dated(value: str | None, precision: str | None) -> bool:
    """A calendar date or time, not a duration ("P2Y") or an unresolved expression."""
    return value is not None and precision in PRECISIONS and not value.startswith("P")
