"""Repairs of recognised mentions: pure functions from mentions (and the text) to mentions.

Models and rules make the same few mistakes on news text: names in boilerplate (photo credits,
related links), names glued to the next word where markup was stripped ("Antony BlinkenToday"),
quotes, dashes and possessives inside the span ("Blinken's"), and one name typed differently in
different sentences. Each function fixes one of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from newsgraph.entities.backends.lexicon import Lexicon
from newsgraph.model import Document, Mention

# Characters never at the edge of a name, except a bracket or quotes that the name itself opens and
# closes ('ОАО "Аэрофлот"', "Джоэл Саймон (Joel Simon)"). A final "." stays: "U.S.", "Inc.", "J.".
EDGE_PUNCTUATION = ",;:!?¿¡-‐–—/\\|*•·#@"
BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">"}
QUOTES = "\"'«»„“”‚‘’‹›"
GLUED_LEFT_MIN = 4  # "Blinken|Today" splits; "Mac|Arthur", "De|Santis", "You|Tube" never do
_NON_SPACE = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"[^\W_]+")
_APOSTROPHE_ENDING = re.compile(r"(?<=[^\W\d_])['’]([^\W\d_]+)")


def inside_body(doc: Document, mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions outside boilerplate (and inside the body when one is set)."""
    return [m for m in mentions if doc.in_body(m.start, m.end)]


def trim(text: str, mention: Mention, lex: Lexicon) -> Mention | None:
    """The mention without edge punctuation, unbalanced quotes and brackets, a possessive ("'s") or a
    leading lower-case function word ("the"); None when nothing of a name is left."""
    start, end = mention.start, mention.end
    changed = True
    while changed and start < end:
        changed = False
        while start < end and _loose_edge(text[start:end], 0):
            start, changed = start + 1, True
        while end > start and _loose_edge(text[start:end], -1):
            end, changed = end - 1, True
        if lex.apostrophe_suffixes:
            cut = _suffix_apostrophe(text, start, end)
            if cut is not None:
                end, changed = cut, True
        suffix = next((p for p in lex.possessives if text[start:end].endswith(p)), None)
        if suffix and end - len(suffix) > start:
            end, changed = end - len(suffix), True
        first = _WORDS.match(text, start, end)
        if first and first.end() < end and first.group().islower() and lex.is_stop(first.group()):
            start, changed = first.end(), True
    if not any(c.isalnum() for c in text[start:end]):
        return None
    if (start, end) == (mention.start, mention.end):
        return mention
    return _respan(text, mention, start, end)


def _suffix_apostrophe(text: str, start: int, end: int) -> int | None:
    """Where a case ending written after an apostrophe begins ("Medinskiy’nin", "Türkiye'de"), in a
    language that writes its endings so: the name ends at the apostrophe. None without one."""
    found = _APOSTROPHE_ENDING.search(text, start, end)
    if found is None or found.end() != end or not found.group(1).islower():
        return None
    return found.start()


def _loose_edge(span: str, at: int) -> bool:
    """Whether the first (`at`=0) or last (`at`=-1) character of `span` is no part of the name."""
    ch = span[at]
    if ch.isspace() or ch in EDGE_PUNCTUATION:
        return True
    if ch in QUOTES:
        return sum(span.count(q) for q in QUOTES) % 2 == 1
    for opener, closer in BRACKETS.items():
        if ch in (opener, closer):
            inner, outer = (opener, closer) if at == 0 else (closer, opener)
            return ch == outer or span.count(inner) > span.count(outer)
    return False


def split_glued(text: str, mention: Mention, standalone: set[str], lex: Lexicon) -> Mention:
    """ "Antony BlinkenToday" -> "Antony Blinken": cut at a lower->upper case join inside a word when the
    left part is a word seen on its own in the document or the right part is a function word."""
    for word in _LETTERS.finditer(text, mention.start, mention.end):
        token = word.group()
        for cut in range(GLUED_LEFT_MIN, len(token) - 1):
            if token[cut - 1].islower() and token[cut].isupper():
                left, right = token[:cut], token[cut:]
                if left in standalone or lex.is_stop(right) or right.casefold() in lex.calendar:
                    return _respan(text, mention, mention.start, word.start() + cut)
    return mention


def vote_types(mentions: Sequence[Mention]) -> list[Mention]:
    """Every mention with the type its normal form gets most often, weighted by the recognisers' scores."""
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for m in mentions:
        votes[_key(m)][m.type] += m.score
    out = []
    for m in mentions:
        tally = votes[_key(m)]
        best = max(tally, key=lambda t: (tally[t], t == m.type))
        out.append(m if best == m.type else replace(m, type=best))
    return out


def standalone_words(text: str) -> set[str]:
    """Every word of the text as it stands between non-letters (for `split_glued`)."""
    return set(_WORDS.findall(text))


def _key(m: Mention) -> str:
    return (m.normal or m.text).casefold()


def _respan(text: str, mention: Mention, start: int, end: int) -> Mention:
    """The mention narrowed to `[start, end)`, its normal form narrowed to the words it keeps."""
    new_text = text[start:end]
    normal = mention.normal
    if normal is None or normal == mention.text:
        normal = new_text
    else:
        start_of = mention.start
        words = [(start_of + w.start(), start_of + w.end()) for w in _NON_SPACE.finditer(mention.text)]
        normal_words = normal.split()
        if len(words) == len(normal_words):
            kept = [w for w, (s, e) in zip(normal_words, words, strict=True) if s < end and start < e]
            normal = " ".join(w.strip(EDGE_PUNCTUATION) for w in kept) or new_text
        else:
            normal = new_text
    return replace(mention, start=start, end=end, text=new_text, normal=normal)
