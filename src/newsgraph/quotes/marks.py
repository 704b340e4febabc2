"""Quotation marks paired into quoted stretches of text, in any of the conventions a language uses.

Whether a mark opens or closes is read from the characters around it, as Markdown reads emphasis:
a mark followed by a word and not preceded by one can open, a mark preceded by a word and not
followed by one can close. That settles the symmetric marks (", '', ') and the ones that open in
one language and close in another (“), keeps apostrophes inside words (l'État, don't) out, and
still reads the marks a typist set the wrong way round (”…”, «…«). Where the context allows both,
a mark closes a pending quotation it can close, and opens one otherwise.

A quotation may run over several paragraphs: one left open at a paragraph's end goes on, and a
paragraph that opens with the same mark again continues it (the English convention), so only the
last closing mark ends it. Single marks, which double as apostrophes, never cross a line break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from newsgraph.model import Span
from newsgraph.quotes.lexicon import QuoteLexicon

SPACES = " \u00a0\u2009\u202f"  # the spaces French typography sets inside « »
OPENING_BRACKETS = "([{"  # a mark right after one of these does not close a quotation
QUOTABLE_PUNCTUATION = "([¿¡…"  # a quotation may begin with these
MAX_PARAGRAPHS = 8  # a quotation longer than this many paragraphs is a mark left open by mistake


@dataclass(frozen=True)
class Quoted:
    """A stretch of text between an opening and a closing quotation mark."""

    opening: Span
    closing: Span
    depth: int  # how many other quotations it lies inside

    @property
    def start(self) -> int:
        return self.opening[0]

    @property
    def end(self) -> int:
        return self.closing[1]

    @property
    def inner(self) -> Span:
        return self.opening[1], self.closing[0]


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    mark: str
    can_open: bool
    can_close: bool


@cache
def _mark_pattern(marks: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(m) for m in marks))


def find_quoted(text: str, regions: Sequence[Span], lex: QuoteLexicon) -> tuple[list[Quoted], list[Span]]:
    """The quoted stretches inside `regions` (sorted), and the closing marks that closed nothing
    (a quotation whose opening mark was lost, as scraped text often has)."""
    quoted: list[Quoted] = []
    orphans: list[Span] = []
    pattern = _mark_pattern(lex.marks)
    for start, end in regions:
        marks = [
            _classify(text, m.start(), m.end(), start, end, lex) for m in pattern.finditer(text, start, end)
        ]
        found, lost = _pair(text, [m for m in marks if m.can_open or m.can_close], lex)
        quoted.extend(found)
        orphans.extend(lost)
    return _with_depths(sorted(quoted, key=lambda q: (q.start, -q.end))), orphans


def _with_depths(quoted: list[Quoted]) -> list[Quoted]:
    """Each quotation with the number of (paired) quotations around it; marks left open don't count."""
    out: list[Quoted] = []
    enclosing: list[Quoted] = []
    for q in quoted:
        enclosing = [e for e in enclosing if e.end >= q.end]
        out.append(Quoted(q.opening, q.closing, len(enclosing)))
        enclosing.append(q)
    return out


def _classify(text: str, start: int, end: int, low: int, high: int, lex: QuoteLexicon) -> _Mark:
    mark = text[start:end]
    before = text[start - 1] if start > low else " "
    after = text[end] if end < high else " "
    # what the mark quotes: the next (for an opener) or previous (for a closer) character, past the
    # space that French typography sets inside « » or that follows a nested quotation ('outreach,' ")
    inside_after = _skip_spaces(text, end, high) if mark in lex.spaced else after
    back = _skip_spaces_back(text, start, low)
    inside_before = back if mark in lex.spaced or back in lex.closers else before
    can_open = not before.isalnum() and (
        inside_after.isalnum() or inside_after in lex.openers or inside_after in QUOTABLE_PUNCTUATION
    )
    can_close = not inside_before.isspace() and inside_before not in OPENING_BRACKETS and not after.isalnum()
    inherent_open, inherent_close = mark in lex.openers, mark in lex.closers
    if (can_open and inherent_open) or (can_close and inherent_close):
        return _Mark(start, end, mark, can_open and inherent_open, can_close and inherent_close)
    return _Mark(start, end, mark, can_open, can_close)  # a mark set the wrong way round


def _skip_spaces(text: str, position: int, high: int) -> str:
    while position < high and text[position] in SPACES:
        position += 1
    return text[position] if position < high else " "


def _skip_spaces_back(text: str, position: int, low: int) -> str:
    while position > low and text[position - 1] in SPACES:
        position -= 1
    return text[position - 1] if position > low else " "


def _pair(text: str, marks: list[_Mark], lex: QuoteLexicon) -> tuple[list[Quoted], list[Span]]:
    stack: list[_Mark] = []
    quoted: list[Quoted] = []
    orphans: list[Span] = []
    for mark in marks:
        stack = [m for m in stack if _may_still_close(text, m, mark.start, lex)]
        k = _pending_opener(stack, mark, lex) if mark.can_close else None
        if k is not None:
            opener = stack[k]
            del stack[k:]
            quoted.append(Quoted((opener.start, opener.end), (mark.start, mark.end), 0))
        elif mark.can_open:
            if _starts_paragraph(text, mark) and not _continues(text, stack, mark):
                stack = [m for m in stack if _same_paragraph(text, m, mark)]  # marks left open before
            if not _continues(text, stack, mark):
                stack.append(mark)
        elif mark.mark not in lex.inline:
            orphans.append((mark.start, mark.end))
    return quoted, orphans


def _pending_opener(stack: list[_Mark], closer: _Mark, lex: QuoteLexicon) -> int | None:
    """Index of the innermost open quotation `closer` can end, if any."""
    for k in range(len(stack) - 1, -1, -1):
        if lex.closes(stack[k].mark, closer.mark):
            return k
    return None


def _continues(text: str, stack: list[_Mark], opener: _Mark) -> bool:
    """True when `opener` starts a paragraph that continues the quotation left open before it."""
    return (
        bool(stack)
        and stack[-1].mark == opener.mark
        and _starts_paragraph(text, opener)
        and not _same_paragraph(text, stack[-1], opener)
    )


def _starts_paragraph(text: str, mark: _Mark) -> bool:
    line_start = text.rfind("\n", 0, mark.start) + 1
    return not text[line_start : mark.start].strip()


def _same_paragraph(text: str, first: _Mark, second: _Mark) -> bool:
    return "\n" not in text[first.end : second.start]


def _may_still_close(text: str, opener: _Mark, position: int, lex: QuoteLexicon) -> bool:
    between = text[opener.end : position]
    if opener.mark in lex.inline:
        return "\n" not in between
    return between.count("\n\n") + between.count("\n \n") <= MAX_PARAGRAPHS
