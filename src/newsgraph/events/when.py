"""Which date an event takes: the time expression that governs its trigger, else the publication date.

- a parsed sentence: the dated expression that depends on the trigger, else the nearest one that
  depends on no other trigger ("visit after the attack of 7 October": the date is the attack's);
- no parse: the dated expression of the sentence nearest the trigger (`newsgraph.times`);
- nothing in the text: the publication date, marked `origin="inferred"` (a reported event happened
  on or before publication).
"""

from __future__ import annotations

from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import DateValue, Document, Span, TimeExpression
from newsgraph.times.component import governing_time

DAY_OR_FINER = ("day", "hour", "minute")
DATED_KINDS = ("date", "time")


def event_date(
    doc: Document, analysis: Analysis, trigger: Token, span: Span, triggers: frozenset[int]
) -> DateValue | None:
    """The time expression that dates the trigger, else the publication date (inferred)."""
    found = governing_time(doc, span) if not trigger.dep else parsed_time(doc, analysis, trigger, triggers)
    if found is not None and found.value:
        return DateValue(found.value, found.precision, (found.start, found.end), "text")
    return inferred_date(doc.published)


def parsed_time(
    doc: Document, analysis: Analysis, trigger: Token, triggers: frozenset[int]
) -> TimeExpression | None:
    """The sentence's dated expression that depends on the trigger, else the nearest one that depends on
    no other trigger ("visit after the attack of 7 October": the date is the attack's)."""
    sentence = analysis.sentences[trigger.sent]
    ranked = []
    for time in doc.times:
        if (
            time.value is None
            or time.kind not in DATED_KINDS
            or not (sentence[0] <= time.start and time.end <= sentence[1])
        ):
            continue
        token = analysis.token_at(time.start)
        owner = owning_trigger(analysis, token, triggers) if token is not None else None
        if owner is None or owner == trigger.i:
            distance = max(time.start - trigger.end, trigger.start - time.end, 0)
            ranked.append((owner != trigger.i, distance, time.start, time))
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def owning_trigger(analysis: Analysis, token: Token, triggers: frozenset[int]) -> int | None:
    """The first trigger on the way from a token up to its sentence's root."""
    for _ in range(len(analysis.tokens)):
        if token.i in triggers:
            return token.i
        if token.head == token.i:
            return None
        token = analysis.tokens[token.head]
    return None


def inferred_date(published: DateValue | None) -> DateValue | None:
    if published is None or not published.value:
        return None
    if published.precision in DAY_OR_FINER or published.precision is None:
        return DateValue(published.value[:10], "day", None, "inferred")
    return DateValue(published.value, published.precision, None, "inferred")
