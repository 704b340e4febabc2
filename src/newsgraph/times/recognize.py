"""Finding time expressions: every template of the language over the text, longest matches first,
then neighbours that name one moment joined into one expression ("aujourd'hui, mardi", "вчера,
2 ноября", "10 p.m. Wednesday"). Numbers that only look like years are dropped: amounts
("2000 euros") and numbered things ("résolution 1701", "Boeing 737" never matches a year at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsgraph.model import Span
from newsgraph.times.fields import Fields, decode
from newsgraph.times.grammar import Grammar, normalise_word

CUE_WORDS_BEFORE = 6  # a future cue ("will", "va", "будет") this many words before the expression governs it
CUE_WORDS_AFTER = 3  # ... or this many after ("Thursday will see")
_JOINABLE_GAP = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*")  # a comma or spaces, not a line break
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NEIGHBOUR = 40  # characters searched for the word before or after a number
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
    """True when a future cue of the language stands near the expression in its sentence."""
    if not grammar.future_cues:
        return False
    before = _WORD.findall(text[sentence[0]:found.start])[-CUE_WORDS_BEFORE:]
    after = _WORD.findall(text[found.end:sentence[1]])[:CUE_WORDS_AFTER]
    window = " " + " ".join(normalise_word(w) for w in [*before, *after]) + " "
    return any(f" {cue} " in window for cue in grammar.future_cues)


def _matches(text: str, start: int, end: int, grammar: Grammar) -> Iterator[Found]:
    for template in grammar.templates:
        for match in template.regex.finditer(text, start, end):
            if match.end() == match.start():
                continue
            fields = decode(match.groupdict(), grammar)
            if _is_amount(text, match.start(), match.end(), grammar):
                continue
            yield Found(match.start(), match.end(), fields, template.name)


def _is_amount(text: str, start: int, end: int, grammar: Grammar) -> bool:
    """A bare number that counts or names something rather than a year: "2000 euros", "résolution 1973"."""
    if not text[start:end].isdigit():
        return False
    before = _WORD.findall(text[max(0, start - _NEIGHBOUR):start])
    after = text[end:end + _NEIGHBOUR].split()
    previous = normalise_word(before[-1]) if before and text[start - 1].isspace() else ""
    following = normalise_word(after[0]).strip(",;:)") if after else ""
    if text[end:end + 1] in ("%", "€", "$", "£"):
        return True
    return previous in grammar.blockers_before or following in grammar.blockers_after


def _longest_first(candidates: list[Found]) -> list[Found]:
    """Non-overlapping candidates, each stretch taken by its longest match (the earliest on ties)."""
    chosen: list[Found] = []
    for found in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        if all(found.end <= c.start or c.end <= found.start for c in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


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
    return first.fields.merged(second.fields)
