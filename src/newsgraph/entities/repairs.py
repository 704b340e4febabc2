"""Repairs of recognised mentions: pure functions from mentions (and the text) to mentions.

Models and rules make the same few mistakes on news text: names in boilerplate (photo credits,
related links), names glued to the next word where markup was stripped ("Antony BlinkenToday"),
quotes, dashes and possessives inside the span ("Blinken's"), numbers glued to a name in results
and tables ("S. Watkin 4-28", "Lithuania 2-1"), a surname typed apart from the full name it
shortens ("Jeff Tarango ... Tarango" as an organisation), and one name typed differently in
different sentences. Each function fixes one of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from newsgraph.entities.backends import FALLBACK
from newsgraph.entities.backends.lexicon import Lexicon
from newsgraph.model import Document, Mention, Span

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
_LETTER = re.compile(r"[^\W\d_]")
_LINE_BREAK = re.compile(r"\n")
# Digits joined by a dash, slash or colon: a score, a range, a date, a time or a phone number
# ("4-0", "5-68", "1996-08-30", "212-859-1610"); never a word of a person's, group's or place's name.
_SCORE = re.compile(r"\d+(?:[-–/:.]\d+)*[-–/:]\d+(?:[-–/:.]\d+)*")
# Types whose names hold no number word at all (a person's) and types whose names may ("Route 66",
# "Formula 1", "Apollo 11": only a score-like word is cut from these); MISC keeps every number
# ("Euro 2024", "Boeing 737-800").
NUMBERLESS_TYPES = frozenset({"PER"})
SCORELESS_TYPES = frozenset({"PER", "ORG", "LOC"})


def inside_body(doc: Document, mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions outside boilerplate (and inside the body when one is set)."""
    return [m for m in mentions if doc.in_body(m.start, m.end)]


def trim(text: str, mention: Mention, lex: Lexicon, starts: frozenset[int] = frozenset()) -> Mention | None:
    """The mention without edge punctuation, unbalanced quotes and brackets, a possessive ("'s") or a
    leading lower-case function word ("the"); None when nothing of a name is left. `starts` are the
    sentence starts (`sentence_starts`): there an article is capitalised by its place alone ("The
    State Department said"), so it goes as its lower-case form does, except from MISC, whose
    titles of works keep their article ("The Two Towers")."""
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
        if first and first.end() < end and _function_word(first, mention.type, lex, starts):
            start, changed = first.end(), True
    if not any(c.isalnum() for c in text[start:end]):
        return None
    if (start, end) == (mention.start, mention.end):
        return mention
    return _respan(text, mention, start, end)


def drop_numbers(text: str, mention: Mention) -> Mention:
    """The mention without the words at its edges that hold no letter and cannot be part of a name
    of its type: any such word for a person ("M. Gatting 83", "64 Bob Estes"), a score, range, date
    or phone number for an organisation or a place ("Kansas City Royals 4-0", "JOHANNESBURG
    1996-08-30"). Sports results and agency datelines glue these to the name before them; a span
    with no word holding a letter is left as it is."""
    if mention.type not in SCORELESS_TYPES:
        return mention
    words = list(_NON_SPACE.finditer(text, mention.start, mention.end))
    first, last = 0, len(words) - 1
    while first < last and _numeric_word(words[first].group(), mention.type):
        first += 1
    while last > first and _numeric_word(words[last].group(), mention.type):
        last -= 1
    if (first, last) == (0, len(words) - 1) or not _LETTER.search(
        text, words[first].start(), words[last].end()
    ):
        return mention
    return _respan(text, mention, words[first].start(), words[last].end())


def _numeric_word(word: str, kind: str) -> bool:
    """Whether `word` (no letter in it) is never a word of a name of type `kind`."""
    if _LETTER.search(word):
        return False
    core = word.strip(EDGE_PUNCTUATION + ".")
    return kind in NUMBERLESS_TYPES or not core or _SCORE.fullmatch(core) is not None


def surname_types(mentions: Sequence[Mention]) -> list[Mention]:
    """A one-word mention that is the last word of a person's full name written in the same document
    is that person: news name someone in full once and by the surname after it ("Jeff Tarango ...
    Tarango"), and a model that reads the surname alone types it by its sound (an organisation, a
    place). Compared case-blind, so a headline's "SHEARER" is "Alan Shearer"'s too. A name with a
    lower-case word in it gives nothing: after a particle the last word is often a place ("Antoine
    de Lorraine", "Duke of Norfolk"). Only a model's mentions take part: the language-independent
    rules guess a type for any capitalised run ("Bibi Pakistan" as a person) and a word alone, and
    trusting them cost BSNLP link F1 0.862 -> 0.856 (300 documents)."""
    from_model = [m for m in mentions if m.source != FALLBACK]
    surnames = set()
    for m in from_model:
        words = _NON_SPACE.findall(m.text)
        if m.type == "PER" and len(words) > 1 and all(w[:1].isupper() for w in words):
            surnames.add(words[-1].casefold())
    out = []
    for m in mentions:
        single = m.type != "PER" and m.source != FALLBACK and _NON_SPACE.fullmatch(m.text) is not None
        out.append(replace(m, type="PER") if single and m.text.casefold() in surnames else m)
    return out


def sentence_starts(text: str, sentences: Iterable[Span]) -> frozenset[int]:
    """Where each sentence and each line begins, past white space and opening quotes or brackets:
    the places where a word is capitalised whatever it is."""
    found = {0, *(s for s, _ in sentences), *(m.end() for m in _LINE_BREAK.finditer(text))}
    out = set()
    for pos in found:
        while pos < len(text) and (text[pos].isspace() or text[pos] in QUOTES or text[pos] in BRACKETS):
            pos += 1
        out.add(pos)
    return frozenset(out)


def _function_word(first: re.Match[str], kind: str, lex: Lexicon, starts: frozenset[int]) -> bool:
    """Whether `first`, the first word of a mention of type `kind`, is a function word that is no
    part of the name: lower-case, or an article capitalised only because a sentence begins with it
    (`leading_articles`; other function words may spell a name there: Russian "Ли" is "ли" and Li).
    A word that a hyphen or an apostrophe joins to the next stays ("Всё-таки", "L'Oréal")."""
    word, at = first.group(), first.start()
    if word.islower():
        return lex.is_stop(word)
    if kind == "MISC" or at not in starts or not first.string[first.end() : first.end() + 1].isspace():
        return False
    return word[:1].isupper() and word[1:].islower() and word.casefold() in lex.leading_articles


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
