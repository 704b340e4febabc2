"""A report without a time of its own borrows the time of a nearby sentence that tells the same contact.

A lead often states a contact (a CONSULT: meetings, calls, talks) without a date ("Russia and Ukraine
agreed on an exchange in their talks in Turkey") and a later sentence dates it without naming the sides
again ("The negotiators had met in Istanbul on Wednesday"). That sentence reports an event of the same
type (a trigger of the lexicon) and names the same sides or none: it is the same contact told
again, so its own time expression dates the report too. The expression is the one `when.event_date`
chooses for that sentence's trigger, so bounds ("since 7 October") and anniversaries stay out; the
report gets "date-from-neighbour" in its context. In an article without a publication date the borrowed
words keep no value but their span ("Mittwoch"), which lets clustering pick the round of talks held on
that weekday.

The search goes outwards, nearest sentence first (the following before the preceding), at most
`REACH` sentences each way. A sentence whose report of the type names another participant (or names
another person) tells another contact and ends the search in its direction; a report there that is
denied or announced for later ("they will meet again on Friday") lends nothing, nor does a sentence
without a report of the type; only a day is lent, never a bare month or year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from newsgraph.events.dates import INFERRED, NOT_HAPPENED
from newsgraph.events.triggers import Match
from newsgraph.events.when import event_date
from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import DateValue, Document, Span

# sentences either way searched for the dated retelling: a lead and the paragraph that follows it
# ("… agreed in their talks in Turkey. Both sides … . Since … . In May … . On Wednesday they had met …")
REACH = 4
# types whose report an article retells: a contact is one occasion, told in the lead and dated later;
# other acts recur and are compared ("a further exchange agreed; in May they had already agreed on one")
RETOLD_TYPES = frozenset({"CONSULT"})
DATE_FROM_NEIGHBOUR = "date-from-neighbour"
PERSON = "PER"
DAY_OR_FINER = ("day", "hour", "minute")


class Report(Protocol):
    """What this module reads of an event draft (`extract.Draft`)."""

    type: str
    sentence: int
    negated: bool
    derived: bool
    context: list[str]
    date: DateValue | None

    @property
    def participants(self) -> set[str]: ...


class Reading(NamedTuple):
    """What a trigger's sentence says of the report it would make."""

    negated: bool
    context: list[str]


ReadAttributes = Callable[[Match, Sequence[Token]], Reading]


def borrow_neighbour_dates(
    doc: Document,
    analysis: Analysis,
    drafts: Sequence[Report],
    sentences: Sequence[Sequence[Token]],
    matches: Sequence[Sequence[Match]],
    heads: frozenset[int],
    attributes: ReadAttributes,
) -> None:
    """Date the reports that have no time of their own from a nearby retelling (see module doc)."""
    for draft in drafts:
        if not needs_date(draft):
            continue
        found = neighbour_date(doc, analysis, draft, drafts, sentences, matches, heads, attributes)
        if found is not None:
            draft.date = found
            draft.context.append(DATE_FROM_NEIGHBOUR)


def needs_date(draft: Report) -> bool:
    """True for a reported, asserted contact that its own sentence does not date (it has at most the
    publication date, inferred): an event announced for later keeps its own reading."""
    own = draft.date is not None and draft.date.origin != INFERRED
    return draft.type in RETOLD_TYPES and not (
        own or draft.negated or draft.derived or NOT_HAPPENED & set(draft.context)
    )


def outward(sentence: int, count: int) -> list[tuple[int, int]]:
    """(direction, sentence index) pairs, nearest first, the following before the preceding."""
    return [
        (direction, sentence + direction * step)
        for step in range(1, REACH + 1)
        for direction in (1, -1)
        if 0 <= sentence + direction * step < count
    ]


def neighbour_date(
    doc: Document,
    analysis: Analysis,
    draft: Report,
    drafts: Sequence[Report],
    sentences: Sequence[Sequence[Token]],
    matches: Sequence[Sequence[Match]],
    heads: frozenset[int],
    attributes: ReadAttributes,
) -> DateValue | None:
    """The time of the nearest retelling of the draft's contact, or None."""
    blocked: set[int] = set()
    for direction, index in outward(draft.sentence, len(sentences)):
        if direction in blocked:
            continue
        if tells_other_contact(doc, analysis.sentences[index], draft, drafts, index):
            blocked.add(direction)
            continue
        for match in matches[index]:
            if match.entry.type != draft.type:
                continue
            found = retelling_date(doc, analysis, match, sentences[index], heads, attributes)
            if found is not None:
                return found
    return None


def tells_other_contact(
    doc: Document, sentence: Span, draft: Report, drafts: Sequence[Report], index: int
) -> bool:
    """True when sentence `index` reports an event of the draft's type that is another contact: its
    participants are neither the draft's nor none (a retelling names both sides again or neither; one
    that names one side only tells another act of it: "Blinken arrived yesterday evening"), or the
    sentence names a person the draft lacks (a participant the parse may have left unattached: "Am
    Dienstag traf Lavrov Erdogan")."""
    reports = [other for other in drafts if other.type == draft.type and other.sentence == index]
    if not reports:
        return False
    if any(other.participants and other.participants != draft.participants for other in reports):
        return True
    return any(
        m.type == PERSON and m.entity not in draft.participants and sentence[0] <= m.start < sentence[1]
        for m in doc.mentions
    )


def retelling_date(
    doc: Document,
    analysis: Analysis,
    match: Match,
    tokens: Sequence[Token],
    heads: frozenset[int],
    attributes: ReadAttributes,
) -> DateValue | None:
    """The own day a trigger's sentence gives it, when that report is asserted and not announced. Only
    a day (or words that need a publication date to be one, "Mittwoch") dates a retelling: a year or a
    month next to a contact word ("the second meeting since, in 2018, …") is the time of something
    else."""
    reading = attributes(match, tokens)
    if reading.negated or NOT_HAPPENED & set(reading.context):
        return None
    first_run = len(match.entry.phrase.parts[0])
    span: Span = (tokens[match.positions[0]].start, tokens[match.positions[first_run - 1]].end)
    found = event_date(doc, analysis, tokens[match.head], span, heads, reading.context)
    if found is None or found.origin == INFERRED:
        return None
    if found.value is not None and found.precision not in DAY_OR_FINER:
        return None
    return DateValue(found.value, found.precision, found.evidence, "text")
