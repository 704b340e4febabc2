"""Word lists from the language data, matched as whole words anywhere in a text.

A phrase in a data file is written as it appears in the text, case aside: words separated by
spaces match any run of whitespace, an apostrophe matches both `'` and `’`, and a trailing `*`
on a word matches any ending ("tué*" covers tué, tués, tuée, tuées), which is how inflected
forms are listed without spelling every case out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

import spacy.util

V = TypeVar("V")

_APOSTROPHES = "'’"
_HEAD_CHARS = str.maketrans(
    {"’": "'", "\t": " ", "\n": " ", "\r": " ", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
)
# where a phrase may start: the first character of a word, or any sign ("$", "%", "№")
_STARTS = re.compile(r"(?<!\w)\w|[^\w\s]")


@dataclass(frozen=True)
class Hit(Generic[V]):
    start: int
    end: int
    value: V


def phrase_regex(phrase: str) -> str:
    """The regex for one phrase: whole words (where it starts or ends with a letter), any whitespace."""
    words = []
    for word in phrase.split():
        wildcard = word.endswith("*") and len(word) > 1
        body = word[:-1] if wildcard else word
        escaped = "".join(f"[{_APOSTROPHES}]" if ch in _APOSTROPHES else re.escape(ch) for ch in body)
        words.append(escaped + (r"\w*" if wildcard else ""))
    # not inside a word, but right after digits is fine: "1.5bn", "10km"
    before = r"(?<![^\W\d_])" if phrase[:1].isalnum() else ""
    after = r"(?!\w)" if phrase[-1:].isalnum() or phrase.endswith("*") else ""
    return before + r"\s+".join(words) + after


def first_character_guard(phrases: Iterable[str]) -> str:
    """A lookahead that holds wherever one of `phrases` (`phrase_regex`) may start: its first
    character, after no letter when it begins with a letter or digit. Put before their alternation,
    it changes no match (every phrase starts so) but spares the regex engine trying each phrase at
    each position of a `search` (`match_before` searched 60 characters for every number). A class
    and a literal match the same characters under IGNORECASE (`tests/test_speed_session4.py`)."""
    words: set[str] = set()
    signs: set[str] = set()
    for phrase in phrases:
        first = phrase.split()[0][:1] if phrase.split() else ""
        if not first:
            continue
        shown = _APOSTROPHES if first in _APOSTROPHES else first
        (words if phrase[:1].isalnum() else signs).update(shown)
    options = []
    if words:
        options.append(r"(?<![^\W\d_])[" + "".join(re.escape(c) for c in sorted(words)) + "]")
    if signs:
        options.append("[" + "".join(re.escape(c) for c in sorted(signs)) + "]")
    return "(?=" + ("|".join(options) or "(?!)") + ")"


class Lexicon(Generic[V]):
    """Phrases mapped to values; where several match at one place, the longest phrase wins."""

    def __init__(self, entries: Mapping[str, V]):
        ordered = sorted(
            ((p.strip(), v) for p, v in entries.items() if p.strip()),
            key=lambda item: len(item[0]),
            reverse=True,
        )
        self._entries = [(re.compile(phrase_regex(p), re.IGNORECASE), v) for p, v in ordered]
        # the first two characters of every phrase: a cheap test before the regex at a given place
        self._heads = frozenset(_head(p) for p, _ in ordered)
        self._may_start: dict[str, bool] = {}  # the head test's answer by the two characters it reads
        self._exact = {_normal(p): v for p, v in reversed(ordered) if "*" not in p}
        alternation = "|".join(f"(?:{phrase_regex(p)})" for p, _ in ordered) or "(?!)"
        self._any = re.compile(alternation, re.IGNORECASE)
        self._phrases = tuple(p for p, _ in ordered)  # as listed (stripped), longest first
        guard = first_character_guard(self._phrases)
        self._ending = re.compile(rf"{guard}(?:{alternation})\s*\Z", re.IGNORECASE)

    @classmethod
    def of_words(cls, phrases: Iterable[str], value: V) -> Lexicon[V]:
        return cls(dict.fromkeys(phrases, value))

    def __bool__(self) -> bool:
        return bool(self._entries)

    def _hit(self, match: re.Match[str]) -> Hit[V]:
        found = match.group(0).rstrip()
        normal = _normal(found)
        value = (
            self._exact[normal]
            if normal in self._exact
            else next(v for pattern, v in self._entries if pattern.fullmatch(found))
        )
        return Hit(match.start(), match.start() + len(found), value)

    def match_at(self, text: str, pos: int) -> Hit[V] | None:
        """The phrase that starts exactly at `pos`."""
        if not self._may_start_with(text[pos : pos + 2]):
            return None
        match = self._any.match(text, pos)
        return self._hit(match) if match else None

    def _may_start_with(self, two: str) -> bool:
        """True when a phrase may start with these (up to two) characters: its head (or its first
        character's) is a phrase's. Remembered per pair of characters, as most calls read the same
        few hundred pairs (the starts of words) and the casefolding was a fifth of the claims stage."""
        known = self._may_start.get(two)
        if known is None:
            known = self._may_start[two] = _head(two) in self._heads or _head(two[:1]) in self._heads
        return known

    def match_before(self, text: str, pos: int, reach: int = 60) -> Hit[V] | None:
        """The phrase that ends at `pos`, whitespace allowed between them."""
        match = self._ending.search(text, max(0, pos - reach), pos)
        return self._hit(match) if match else None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit[V]]:
        """Every phrase in `text[start:end]`, left to right, not overlapping."""
        end = len(text) if end is None else end
        out: list[Hit[V]] = []
        for m in _STARTS.finditer(text, start, end):
            if out and m.start() < out[-1].end:
                continue
            hit = self.match_at(text, m.start())
            if hit is not None and hit.end <= end:
                out.append(hit)
        return out

    def contains(self, text: str, start: int, end: int) -> bool:
        return bool(self.find(text, start, end))


def _normal(phrase: str) -> str:
    return " ".join(phrase.casefold().translate(_HEAD_CHARS).split())


def _head(text: str) -> str:
    return text[:2].casefold()[:2].translate(_HEAD_CHARS)


@cache
def function_words(lang: str | None) -> frozenset[str]:
    """Words that carry no content in `lang` (spaCy's stop words), casefolded; empty when spaCy has none."""
    if not lang:
        return frozenset()
    try:
        defaults = spacy.util.get_lang_class(lang).Defaults
    except ImportError:  # spaCy has no tokenizer data for this language code
        return frozenset()
    return frozenset(w.casefold() for w in defaults.stop_words)
