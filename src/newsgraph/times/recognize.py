"""Finding time expressions: every template of the language over the text, longest matches first,
then neighbours that name one moment joined into one expression ("aujourd'hui, mardi", "вчера,
2 ноября", "10 p.m. Wednesday"). Numbers that only look like years are dropped: amounts
("2000 euros") and numbered things ("résolution 1701", "Boeing 737" never matches a year at all).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from newsgraph.model import Span
from newsgraph.times.fields import Fields, decode
from newsgraph.times.grammar import GLUE, Grammar, normalise_word

CUE_WORDS_BEFORE = 6  # a future cue ("will", "va", "будет") this many words before the expression governs it
CUE_WORDS_AFTER = 2  # ... or this many words right after it, with no punctuation between ("Am Montag wird")
_CUE_CHARS = 120  # ... searched for in this many characters at most
# a cue before one of these marks belongs to another clause than the expression after it
_CLAUSE_END = re.compile(r"[;:()–—]|\s-\s|,")
_NEXT_WORDS = re.compile(r"[^\S\n]*[^\W\d_][^.,;:!?()\n]{0,60}")
_JOINABLE_GAP = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*")  # a comma or spaces, not a line break
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NEIGHBOUR = 40  # characters searched for the word before or after a number
# a number joined to the bare year by a dash or a short word ("entre 1500 et 2000", "555-2023")
_RANGE_BEFORE = re.compile(r"(\d+(?:[.,]\d+)*)\s*(?:[-–—/]|[^\W\d_]{1,3})\s*\Z")
_RANGE_AFTER = re.compile(r"\s*(?:[-–—/]|[^\W\d_]{1,3})\s*(\d+(?:[.,]\d+)*)")
_NAME_BEFORE = re.compile(r"(\S?)\s*\b[^\W\d_](?<=[A-ZÀ-ÞА-ЯЁ])[^\W\d_]*[ \t]+\Z")  # (char before, word)
_SENTENCE_ENDS = frozenset({"", ".", "!", "?", ":", "«", '"', "“", "(", "—", "–", "-"})
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_JOINABLE_KINDS = frozenset({"date", "time"})


@dataclass(frozen=True)
class Found:
    """A time expression in the text, with what its words say."""

    start: int
    end: int
    fields: Fields
    template: str  # the template that matched ("+" joins those of a compound)


def find_expressions(text: str, regions: Iterable[Span], grammar: Grammar) -> list[Found]:
    """The time expressions inside `regions` of `text`, in text order, compounds joined."""
    candidates = [found for start, end in regions for found in _matches(text, start, end, grammar)]
    return _join_compounds(text, _longest_first(candidates))


def is_future(text: str, found: Found, sentence: Span, grammar: Grammar) -> bool:
    """True when a future cue of the language stands shortly before the expression in its clause, or
    right after it ("Am Montag wird …", "el lunes va a …").

    Before: up to `CUE_WORDS_BEFORE` words, not across a comma, semicolon, colon or dash ("Scholz, der
    reisen wird, traf Macron am Montag": the cue is the relative clause's). After: the next
    `CUE_WORDS_AFTER` words only, never past a punctuation mark (what follows a comma is often another
    clause: "issued July 1, which will receive")."""
    if not grammar.future_cues:
        return False
    start = max(sentence[0], found.start - _CUE_CHARS)
    marks = list(_CLAUSE_END.finditer(text, start, found.start))
    if marks:
        start = marks[-1].end()
    before = _WORD.findall(text, start, found.start)[-CUE_WORDS_BEFORE:]
    following = _NEXT_WORDS.match(text, found.end, sentence[1])
    after = _WORD.findall(following.group()) if following else []
    window = " " + " ".join(normalise_word(w) for w in [*before, "|", *after[:CUE_WORDS_AFTER]]) + " "
    return any(f" {cue} " in window for cue in grammar.future_cues)


def _matches(text: str, start: int, end: int, grammar: Grammar) -> Iterator[Found]:
    glued = [point.start() for point in GLUE.finditer(text, start, end)]
    places = _template_places(text, start, end, grammar)
    for template in grammar.templates:
        at_glue = (template.glued.match(text, point, end) for point in glued)
        for match in chain(_scan(template.regex, text, places, end), filter(None, at_glue)):
            if match.end() == match.start():
                continue
            fields = decode(match.groupdict(), grammar)
            if not _is_something_else(text, match, fields, grammar):
                yield Found(match.start(), match.end(), fields, template.name)


def _template_places(text: str, start: int, end: int, grammar: Grammar) -> list[int]:
    """Every place in `text[start:end]` where some template matches, found in one pass of their
    alternation (`Grammar.any_template`) instead of one pass per template."""
    places, position = [], start
    while position <= end:
        found = grammar.any_template.search(text, position, end)
        if found is None:
            break
        places.append(found.start())
        position = found.start() + 1
    return places


def _scan(regex: re.Pattern[str], text: str, places: list[int], end: int) -> Iterator[re.Match[str]]:
    """What `regex.finditer(text, start, end)` yields, trying the regex only at `places` (where some
    template matches, so where this one may): its leftmost match from a position is at the first
    of them where it matches. After an empty match (which the caller drops, but which changes where
    `finditer` goes on) the rest comes from `finditer` itself, which continues from there as it would have."""
    position = 0
    for place in places:
        if place < position:
            continue
        match = regex.match(text, place, end)
        if match is None:
            continue
        if match.end() == match.start():
            yield from regex.finditer(text, place, end)
            return
        yield match
        position = match.end()


def _is_something_else(text: str, match: re.Match[str], fields: Fields, grammar: Grammar) -> bool:
    """True for a match that its context shows to be an amount, an age or a surname."""
    return (
        _is_amount(text, match.start(), match.end(), grammar)
        or _is_age(text, match, fields, grammar)
        or _is_surname(text, match.start(), fields)
    )


def _is_amount(text: str, start: int, end: int, grammar: Grammar) -> bool:
    """A bare number that counts or names something rather than a year: "2000 euros", "résolution 1973",
    "entre 1500 et 2000 manifestants" (a range whose other end is no year)."""
    if not text[start:end].isdigit():
        return False
    ranged = _RANGE_BEFORE.search(text, max(0, start - _NEIGHBOUR), start) or _RANGE_AFTER.match(text, end)
    if ranged and not _YEAR_LIKE.fullmatch(ranged[1]):
        return True
    before = _WORD.findall(text[max(0, start - _NEIGHBOUR) : start])
    after = text[end : end + _NEIGHBOUR].split()
    previous = normalise_word(before[-1]) if before and text[start - 1].isspace() else ""
    following = normalise_word(after[0]).strip(",;:)") if after else ""
    if text[end : end + 1] in ("%", "€", "$", "£"):
        return True
    return previous in grammar.blockers_before or following in grammar.blockers_after


def _is_age(text: str, match: re.Match[str], fields: Fields, grammar: Grammar) -> bool:
    """A count of years that says how old someone is ("Alain Parmentier, 53 ans", "52 years old")."""
    if fields.unit != "year" or fields.kind != "duration":
        return False
    before = text[max(0, match.start() - _NEIGHBOUR) : match.start()]
    return bool(grammar.age_before.search(before) or grammar.age_after.match(text, match.end()))


def _is_surname(text: str, start: int, fields: Fields) -> bool:
    """A bare month name after a capitalised word inside a sentence: a name ("Theresa May", "Bruno Mars")."""
    if fields != Fields(month=fields.month):
        return False
    previous = _NAME_BEFORE.search(text, max(0, start - _NEIGHBOUR), start)
    return previous is not None and previous[1] not in _SENTENCE_ENDS


def _longest_first(candidates: list[Found]) -> list[Found]:
    """Non-overlapping candidates, each stretch taken by its longest match (the earliest on ties)."""
    chosen: list[Found] = []  # in text order
    for found in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        at = bisect.bisect_left(chosen, found.start, key=lambda c: c.start)
        fits_before = at == len(chosen) or found.end <= chosen[at].start
        if fits_before and (at == 0 or chosen[at - 1].end <= found.start):
            chosen.insert(at, found)
    return chosen


def _join_compounds(text: str, found: list[Found]) -> list[Found]:
    """Neighbours separated by at most a comma that fit together become one expression."""
    joined: list[Found] = []
    for item in found:
        last = joined[-1] if joined else None
        if last is not None and _JOINABLE_GAP.fullmatch(text, last.end, item.start):
            both = _joinable(last, item)
            if both is not None:
                joined[-1] = Found(last.start, item.end, both, f"{last.template}+{item.template}")
                continue
        joined.append(item)
    return joined


def _joinable(first: Found, second: Found) -> Fields | None:
    if first.fields.kind not in _JOINABLE_KINDS or second.fields.kind not in _JOINABLE_KINDS:
        return None
    if first.fields.ref is not None or second.fields.ref is not None:
        return None
    both = first.fields.merged(second.fields)
    if both is None or both in (first.fields, second.fields):  # each part must add something
        return None
    # a day named by a weekday or "today" fits a full date, not a bare month ("Sunday, March eighth")
    names_day = both.weekday is not None or both.day_offset is not None
    return None if names_day and both.month is not None and both.day is None else both
