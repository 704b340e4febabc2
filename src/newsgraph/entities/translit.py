"""Script-level name transliteration: romanised spellings and phonetic skeletons of name tokens.

Two views of one token, both driven by `langdata/<lang>/translit.toml`:

- `romanise(token, lang)`: a readable Latin spelling ("Нетаньяху" -> "netanyakhu", "Zełenski" ->
  "zelenski"), lower case and ASCII, for edit-distance scoring and display.
- `skeleton_keys(token, lang)`: a few phonetic skeletons in which the spellings of one name in
  different languages and scripts coincide ("Herzog", "Hertsog", "Герцог" -> "HRSH"). A Latin
  token can be read several ways ("ch" is Ч in English, Х in German, Ш in French), so it yields
  every reading up to `max_variants`, most likely first; a Cyrillic token has one reading.
- `phonetic_variants(token, lang)`: those readings with the vowels kept ("HeRSoH"), for scoring how
  alike two names that share a skeleton sound.

Names (several tokens, case endings, articles) are handled in `newsgraph.entities.names`.
"""

from __future__ import annotations

import heapq
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from anyascii import anyascii

from newsgraph import langdata

RESOURCE = "translit"
CYRILLIC = "Cyrl"
LATIN = "Latn"
OTHER = "other"
_LATIN_VOWELS = frozenset("aeiou")
WORD_END = "$"  # a Latin grapheme key ending in "$" applies at the end of a token only
# Cyrillic text without a language is read with the neutral (Russian-style) tables.
DEFAULT_CYRILLIC_LANG = "ru"
# Letters a name must keep once its glued article is dropped ("الي" is not read as article + "ي").
MIN_BARE_LETTERS = 3


def script_of(text: str) -> str:
    """The script of the letters of `text`: "Cyrl", "Latn" or "other" (the majority of letters)."""
    counts = {CYRILLIC: 0, LATIN: 0, OTHER: 0}
    for ch in text:
        if ch.isalpha():
            counts[_letter_script(ch)] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else OTHER


def _letter_script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("CYRILLIC"):
        return CYRILLIC
    if name.startswith("LATIN"):
        return LATIN
    return OTHER


@dataclass(frozen=True)
class Tables:
    """The translit tables of one language, merged over the neutral ones."""

    latin: dict[str, tuple[str, ...]]
    cyrillic: dict[str, str]
    abjad: dict[str, tuple[str, ...]]  # Arabic-script letters: several readings, like Latin ones
    abjad_articles: tuple[str, ...]  # articles written glued to an Arabic-script name ("ال")
    vowels: dict[str, str]
    collapse: dict[str, str]
    romanise: dict[str, str]
    vowel_marker: str
    max_variants: int
    longest_latin: int
    longest_cyrillic: int


@cache
def tables(lang: str | None) -> Tables:
    data: dict[str, Any] = langdata.load(lang, RESOURCE)
    skeleton = data.get("skeleton", {})
    latin = {k: tuple(v) for k, v in skeleton.get("latin", {}).items()}
    cyrillic = dict(skeleton.get("cyrillic", {}))
    return Tables(
        latin=latin,
        cyrillic=cyrillic,
        abjad={k: tuple(v) for k, v in skeleton.get("abjad", {}).items()},
        abjad_articles=tuple(skeleton.get("abjad_articles", [])),
        vowels=dict(skeleton.get("vowels", {})),
        collapse=dict(skeleton.get("collapse", {})),
        romanise=dict(data.get("romanise", {})),
        vowel_marker=str(skeleton.get("vowel_marker", "A")),
        max_variants=int(skeleton.get("max_variants", 8)),
        longest_latin=max((len(k.rstrip(WORD_END)) for k in latin), default=1),
        longest_cyrillic=max(map(len, cyrillic), default=1),
    )


def _reading_lang(token: str, lang: str | None) -> str | None:
    """Cyrillic is read with its language's tables when it has Cyrillic ones, else Russian-style."""
    if script_of(token) == CYRILLIC and (lang is None or not _has_cyrillic_romanisation(lang)):
        return DEFAULT_CYRILLIC_LANG
    return lang


@cache
def _has_cyrillic_romanisation(lang: str) -> bool:
    return bool(langdata.load_one(lang, RESOURCE).get("romanise")) or lang == DEFAULT_CYRILLIC_LANG


def romanise(token: str, lang: str | None = None) -> str:
    """Lower-case ASCII spelling of `token`: Cyrillic by the language's table, the rest by anyascii."""
    table = tables(_reading_lang(token, lang)).romanise
    lowered = unicodedata.normalize("NFC", token.lower())
    return anyascii("".join(table.get(ch, ch) for ch in lowered)).lower()


def skeleton_keys(token: str, lang: str | None = None) -> list[str]:
    """Phonetic skeletons of one token, most likely reading first (empty for a token without letters)."""
    return list(dict.fromkeys(r.key for r in phonetic_variants(token, lang) if r.key))


@dataclass(frozen=True)
class Reading:
    """One way to read a token: its skeleton, its phonetic spelling and how unlikely the reading is."""

    key: str
    spelling: str  # the skeleton with the vowels kept ("Herzog", "Герцог" -> "HeRSoH")
    rank: int  # 0 for the most likely reading; +1 for each less likely alternative chosen


def phonetic_variants(token: str, lang: str | None = None) -> list[Reading]:
    """The readings of a token, most likely first (at most `max_variants`), then for an Arabic-script
    token with a glued article those of the name without it.

    The phonetic spelling tells spelling variants of one name from different names that happen
    to share a skeleton.
    """
    t = tables(_reading_lang(token, lang))
    text = unicodedata.normalize("NFC", token.lower())
    readings = _readings(text, t)
    bare = without_abjad_article(text, t)
    if bare != text:  # "البوسعيدي" is "Albusaidi" as well as the "Busaidi" of "al-Busaidi"
        readings += [r for r in _readings(bare, t) if r not in readings]
    return readings


def without_abjad_article(token: str, t: Tables | None = None) -> str:
    """An Arabic-script token without its glued article ("البوسعيدي" -> "بوسعيدي"); the token itself
    when it has none or when too little would be left to be a name."""
    t = t or tables(None)
    for article in t.abjad_articles:
        rest = token[len(article) :]
        if token.startswith(article) and sum(ch.isalpha() for ch in rest) >= MIN_BARE_LETTERS:
            return rest
    return token


def _readings(text: str, t: Tables) -> list[Reading]:
    """The readings of a lower-case NFC token, most likely first (at most `max_variants`)."""
    graphemes = _graphemes(text, t)
    if not graphemes:
        return []
    out = []
    for choice in _combinations([g.classes for g in graphemes], t.max_variants):
        classes = [g.classes[c] for g, c in zip(graphemes, choice, strict=True)]
        marker = t.vowel_marker if classes[0] == "" else ""
        spelled = "".join(cls or g.vowel for g, cls in zip(graphemes, classes, strict=True))
        out.append(Reading(_collapse(marker + "".join(classes), t), _collapse(spelled, t), sum(choice)))
    return out


@dataclass(frozen=True)
class _Grapheme:
    classes: tuple[str, ...]  # the phonetic classes it may stand for, most likely first
    vowel: str = ""  # its vowel, for a vowel letter (normalised: "я" -> "a", "y" -> "i")


def _graphemes(text: str, t: Tables) -> list[_Grapheme]:
    """The token as a sequence of graphemes (letters of other scripts, digits, punctuation skipped)."""
    out: list[_Grapheme] = []
    i = 0
    while i < len(text):
        step, grapheme = _grapheme_at(text, i, t)
        if grapheme is not None:
            out.append(grapheme)
        i += step
    return out


def _grapheme_at(text: str, i: int, t: Tables) -> tuple[int, _Grapheme | None]:
    """Longest grapheme at `i` (word-final form, Cyrillic, Latin; else the letter through anyascii)."""
    for size in range(min(max(t.longest_cyrillic, t.longest_latin), len(text) - i), 0, -1):
        piece = text[i : i + size]
        if i + size == len(text) and piece + WORD_END in t.latin:
            return size, _Grapheme(t.latin[piece + WORD_END], _vowel(piece, t))
        if piece in t.cyrillic:
            return size, _Grapheme((t.cyrillic[piece],), _vowel(piece, t))
        if piece in t.latin:
            return size, _Grapheme(t.latin[piece], _vowel(piece, t))
    ch = text[i]
    if ch in t.abjad:  # a script that writes consonants and long vowels only
        return 1, _Grapheme(t.abjad[ch], t.vowels.get(ch, "") if t.abjad[ch][0] == "" else "")
    if not ch.isalpha() or _letter_script(ch) == OTHER:  # no phonetic reading outside Latin/Cyrillic
        return 1, None
    ascii_form = anyascii(ch).lower()
    classes = "".join(t.latin.get(c, ("",))[0] for c in ascii_form if c.isalpha())
    return 1, _Grapheme((classes,), "" if classes else _vowel(ascii_form, t))


def _vowel(piece: str, t: Tables) -> str:
    """The normalised vowel of a grapheme whose most likely reading is silent ("" for consonants)."""
    if piece in t.vowels:
        return t.vowels[piece]
    return "".join(ch for ch in anyascii(piece).lower() if ch in _LATIN_VOWELS)


def _combinations(readings: list[tuple[str, ...]], limit: int) -> list[tuple[int, ...]]:
    """Up to `limit` choices of one alternative per grapheme (their indexes), by total alternative rank."""
    start = (0, tuple(0 for _ in readings))
    heap = [start]
    seen = {start[1]}
    out: list[tuple[int, ...]] = []
    while heap and len(out) < limit:
        cost, choice = heapq.heappop(heap)
        out.append(choice)
        for i, c in enumerate(choice):
            if c + 1 < len(readings[i]):
                nxt = (*choice[:i], c + 1, *choice[i + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (cost + 1, nxt))
    return out


def _collapse(body: str, t: Tables) -> str:
    """Rewrite collapsing class sequences and merge repeated letters until nothing changes."""
    changed = True
    while changed:
        before = body
        for seq, repl in t.collapse.items():
            body = body.replace(seq, repl)
        body = "".join(ch for i, ch in enumerate(body) if i == 0 or ch != body[i - 1])
        changed = body != before
    return body
