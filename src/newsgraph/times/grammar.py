"""A language's time grammar: word classes and templates from `langdata/<lang>/times.toml`, compiled.

A *template* is a regular expression over *classes*: `{day} {month}(?: {year})?`. A class is
either a word table of the language (`[words.month]`: "novembre" -> 11, "ноября" -> 11) or a
pattern (`[patterns] day = '...'`, the numeric fields, shared through `xx`). In a template a space
stands for any run of whitespace and `~` for whitespace or a hyphen ("two-week", "two week").
Templates have names so that a language can replace one of `xx` ("slash_date" is MDY in English).

Words are matched case-insensitively, except those listed in `case_sensitive`, matched only as
written there ("May" the month, not "may" the verb; Polish "maja", not the name "Maja").
Abbreviations (`[words.month_abbreviation]`) may carry a final period.
"""

from __future__ import annotations

import re
import re._constants as _C
import re._parser as _sre_parser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsgraph import langdata

RESOURCE = "times"

# template class -> word tables (of `[words]`) that list its words; any other class is a pattern
WORD_CLASSES: dict[str, tuple[str, ...]] = {
    "month": ("month", "month_abbreviation"),
    "month_name": ("month",),
    "weekday": ("weekday",),
    "dayrel": ("dayrel",),
    "part": ("part",),
    "clock_word": ("clock_word",),
    "meridiem": ("meridiem",),
    "shift": ("shift",),
    "this": ("this",),
    "unit": ("unit",),
    "edge": ("edge",),
    "season": ("season",),
    "number": ("number", "vague_number"),
    "ordinal": ("ordinal",),
    "dir_before": ("dir_before",),
    "dir_after": ("dir_after",),
    "approx": ("approx",),
    "every": ("every",),
    "ref": ("ref",),
}
ABBREVIATION_TABLES = frozenset({"month_abbreviation"})
_TEMPLATE_TOKEN = re.compile(r"\{(\w+)\}|[ ~]")
# a match starts a word (every template begins with a word character) and never ends inside one
# or inside a number ("21.11.2023" holds no "1.11.2023"), nor starts right after a currency sign ("$1.11.")
_START = r"\b(?<!\w)(?<!\d[.,])(?<![$€£¥])"
_END = r"(?!\w)(?![.,]\d)"
# scraped text loses spaces ("Antony BlinkenToday, Tuesday"): a capital glued to a lower-case
# letter also starts a word; templates are tried there with `Template.glued`
GLUE = re.compile(r"(?<=[a-zß-ÿа-яёіїєґ])(?=[A-ZÀ-ÞА-ЯЁІЇЄҐ])")


@dataclass(frozen=True)
class Template:
    name: str
    regex: re.Pattern[str]
    glued: re.Pattern[str]  # the same without its start boundary, for `GLUE` points


@dataclass(frozen=True)
class Grammar:
    """Everything the recogniser and resolver need for one language."""

    words: Mapping[str, Mapping[str, Any]]  # class -> normalised word -> value
    templates: tuple[Template, ...]
    future_cues: frozenset[str]  # words that put a bare weekday or date after the anchor ("will", "prochain")
    blockers_before: frozenset[str]  # a number after these is no year ("résolution 1701", "Boeing 737")
    blockers_after: frozenset[str]  # a number before these is an amount ("2000 euros")
    age_before: re.Pattern[str]  # text before a count of years that makes it an age ("chauffeur de 38 ans")
    age_after: re.Pattern[str]  # ... or after it ("52 years old")
    # words that make a date a bound of something rather than the day it happened ("since", "seit")
    bounds_before: frozenset[str] = frozenset()
    bounds_after: frozenset[str] = frozenset()  # ... standing after the date (Turkish "beri", "sonra")
    of_words: frozenset[str] = frozenset()  # genitive words: "the attack of 7 October", "l'attaque du"
    anniversaries: frozenset[str] = frozenset()  # "anniversary", "годовщина": the date is a past event's
    clause_openers: frozenset[str] = frozenset()  # "der", "który", "que": a date after them is their clause's
    # every template as one alternation: the places where it matches are the only ones where a
    # template may, so each template is tried there alone (`recognize._scan`)
    any_template: re.Pattern[str] = re.compile("(?!)")

    def value(self, cls: str, text: str) -> Any:
        """The value of a word of class `cls` as matched in the text (None when not listed)."""
        return self.words.get(cls, {}).get(normalise_word(text))


def normalise_word(text: str) -> str:
    """The lookup form of a matched word: lower case, straight apostrophe, single spaces, no final period."""
    return re.sub(r"\s+", " ", text.strip().lower().replace("’", "'")).rstrip(".")


@cache
def grammar_for(lang: str | None) -> Grammar:
    """The compiled grammar of `lang` (`xx` alone for a language without a `times.toml`)."""
    table = langdata.load(lang, RESOURCE)
    tables: dict[str, dict[str, Any]] = table.get("words", {})
    case_sensitive = {w.lower(): w for w in table.get("case_sensitive", [])}
    classes = dict(table.get("patterns", {}))
    words: dict[str, dict[str, Any]] = {}
    for cls, names in WORD_CLASSES.items():
        words[cls] = {normalise_word(w): v for name in names for w, v in tables.get(name, {}).items()}
        classes[cls] = _alternation(_listed(tables, names), case_sensitive)
    classes["number"] = _number_pattern(tables, case_sensitive)  # number words also combine
    sources = table.get("templates", {})
    templates = tuple(
        Template(name, compile_template(source, classes), compile_template(source, classes, ""))
        for name, source in sources.items()
    )
    return Grammar(
        words=words,
        templates=templates,
        future_cues=frozenset(normalise_word(w) for w in table.get("future_cues", [])),
        blockers_before=frozenset(normalise_word(w) for w in table.get("number_blockers_before", [])),
        blockers_after=frozenset(normalise_word(w) for w in table.get("number_blockers_after", [])),
        age_before=_any_of(table.get("age_before", []), r"\Z"),
        age_after=_any_of(table.get("age_after", []), ""),
        bounds_before=_word_set(table, "bounds_before"),
        bounds_after=_word_set(table, "bounds_after"),
        of_words=_word_set(table, "of_words"),
        anniversaries=_word_set(table, "anniversaries"),
        clause_openers=_word_set(table, "clause_openers"),
        any_template=compile_any_template(list(sources.values()), classes),
    )


def _word_set(table: Mapping[str, Any], key: str) -> frozenset[str]:
    """A list of words of the table, in lookup form; a list of strings or an error naming the key."""
    words = table.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError(f"times.toml: {key} must be a list of words")
    return frozenset(normalise_word(w) for w in words)


def _number_pattern(tables: Mapping[str, Mapping[str, Any]], case_sensitive: Mapping[str, str]) -> str:
    """Number words in a row: "twenty four", "dix-huit", "a hundred". A one ("a", "une") is followed only
    by a multiplier, so "a two-year" is "two-year" and "seven a year ago" is "a year ago"."""
    numbers = tables.get("number", {})

    def words(keep: Callable[[Any], bool]) -> str:
        return _alternation([(w, False) for w, value in numbers.items() if keep(value)], case_sensitive)

    ones, others, multipliers = words(lambda v: v == 1), words(lambda v: v != 1), words(lambda v: v >= 100)
    vague = _alternation(_listed(tables, ("vague_number",)), case_sensitive)
    return rf"(?:{vague}|{ones}(?:[\s-]+{multipliers})*|{others}(?:[\s-]+{others})*)"


def _any_of(patterns: list[str], suffix: str) -> re.Pattern[str]:
    """One regex for a list of them (never matching when the list is empty)."""
    return re.compile("(?:" + "|".join(patterns) + ")" + suffix if patterns else "(?!)", re.IGNORECASE)


def _listed(tables: Mapping[str, Mapping[str, Any]], names: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(word as written, is an abbreviation) for the words of the named tables."""
    return [(word, name in ABBREVIATION_TABLES) for name in names for word in tables.get(name, {})]


def compile_template(source: str, classes: Mapping[str, str], start: str = _START) -> re.Pattern[str]:
    """`{day} {month}` -> a regex with one named group per class, bounded so it never cuts a word."""
    try:
        return re.compile(start + "(?:" + template_body(source, classes) + ")" + _END, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"times template {source!r}: {exc}") from exc


def compile_any_template(sources: list[str], classes: Mapping[str, str]) -> re.Pattern[str]:
    """One regex that matches where any of the templates matches (`compile_template`), with the same
    bounds; its groups are unnamed, as several templates use one class. `(?!)` for no template."""
    if not sources:
        return re.compile("(?!)")
    bodies = "|".join(_guarded(template_body(source, classes, named=False)) for source in sources)
    return re.compile(_START + "(?:" + bodies + ")" + _END, re.IGNORECASE)


def _guarded(body: str) -> str:
    """`(?:body)`, led by a lookahead for the characters it can start with when they are known.

    The alternation is searched at every word start of the text, and the regex engine tries each
    template there, word list by word list (case-insensitive literals have no quick test in the
    engine); the lookahead, one class test, lets it skip the templates that cannot start with the
    character at hand. It is implied by the body, so no match changes (`tests/test_speed_session4.py`)."""
    first = first_characters(body)
    return f"(?:(?=[{first}]){body})" if first else f"(?:{body})"


def first_characters(pattern: str) -> str | None:
    """The characters a match of `pattern` (compiled IGNORECASE) can start with, as the inside of a
    character class to compile IGNORECASE too; None when they cannot be told (a pattern that may
    match nothing, a negated class, a back-reference, any character, an unparsable pattern).

    A superset is fine: a case-sensitive part is read as case-insensitive, zero-width assertions
    and anchors are passed over (they constrain, never consume), repeats may be skipped when they
    may repeat zero times."""
    try:
        items = list(_sre_parser.parse(pattern, re.IGNORECASE))
    except re.error:
        return None
    found, nullable = _first_of(items)
    if found is None or nullable or not found:
        return None
    return "".join(sorted(found))


def _first_of(items: list[Any]) -> tuple[set[str] | None, bool]:
    """(class pieces a match of the sequence can start with, whether it can match nothing)."""
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            out.add(re.escape(chr(av)))
            return out, False
        if op is _C.IN:
            pieces = _class_pieces(av)
            if pieces is None:
                return None, False
            return out | pieces, False
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        if op is _C.SUBPATTERN:
            found, nullable = _first_of(list(av[-1]))
        elif op is _C.BRANCH:
            found, nullable = set(), False
            for alternative in av[1]:
                piece, empty = _first_of(list(alternative))
                if piece is None:
                    return None, False
                found |= piece
                nullable = nullable or empty
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            low, _, sub = av
            found, nullable = _first_of(list(sub))
            nullable = nullable or low == 0
        else:  # any character, a negated literal, a back-reference, a conditional, an atomic group
            return None, False
        if found is None:
            return None, False
        out |= found
        if not nullable:
            return out, False
    return out, True


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _class_pieces(items: list[Any]) -> set[str] | None:
    """A character class's members as class pieces; None for a negated class or an odd category."""
    out = set()
    for op, av in items:
        if op is _C.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is _C.RANGE:
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _C.CATEGORY and str(av) in _CATEGORIES:
            out.add(_CATEGORIES[str(av)])
        else:
            return None
    return out


def template_body(source: str, classes: Mapping[str, str], named: bool = True) -> str:
    """The regex of a template's classes and spaces, each class a group (named after it when `named`)."""

    def token(match: re.Match[str]) -> str:
        name = match[1]
        if name is None:
            return r"\s+" if match[0] == " " else r"(?:\s+|-)"
        if name not in classes:
            raise ValueError(f"times template {source!r}: unknown class {{{name}}}")
        return f"(?P<{name}>{classes[name]})" if named else f"(?:{classes[name]})"

    return _TEMPLATE_TOKEN.sub(token, source)


def _alternation(words: list[tuple[str, bool]], case_sensitive: Mapping[str, str]) -> str:
    """One regex for these words, longest first; `(?!)` (never matches) when there are none."""
    options = {
        _word_pattern(word, case_sensitive) + (r"\.?" if abbreviation else ""): len(word)
        for word, abbreviation in words
    }
    if not options:
        return "(?!)"
    return "(?:" + "|".join(sorted(options, key=lambda p: -options[p])) + ")"


def _word_pattern(word: str, case_sensitive: Mapping[str, str]) -> str:
    written = case_sensitive.get(word.lower())
    pattern = re.escape(written or word.lower()).replace("'", "['’]").replace(r"\ ", r"\s+")
    return f"(?-i:{pattern})" if written else pattern
