"""Framing lexicons: `langdata/<lang>/framing.toml` merged over `langdata/xx/framing.toml`.

The neutral file declares the concepts of each category ("violence.genocide = -1") with their
polarity; a language file lists the words of each concept under `[terms.<category>]`, plus
`max_ending` (letters a stem may take), `prefixes` (clitics glued to the front of a word) and `stop`
(generic phrases holding a term word: "sanctions regime"). The matching rule is written at the top
of `xx/framing.toml`; `Lexicon.find` applies it to a run of tokens.

The file is checked when it is read (`langdata.register_schema`): an unknown key, an undeclared
concept or a term of the wrong type raises `ValueError` naming the file, so a typo never turns
into a silently empty lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from newsgraph import langdata

RESOURCE = "framing"
CATEGORIES = ("violence", "legitimacy", "victims", "actors")
MAX_GAP = 3  # words that "…" lets stand between two parts of a term
_LANG_KEYS = frozenset({"max_ending", "prefixes", "stop", "terms"})
_NEUTRAL_KEYS = _LANG_KEYS | {"concepts"}
_GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")
# Letters, with the combining marks that may follow them (accents in NFD text, Arabic vowel signs).
WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])+")


def fold(word: str) -> str:
    """The form words are compared in: case folded, combining marks dropped, dotless ı as i.

    Folding both the lexicon and the text the same way makes "genocide" match "Génocide",
    "ГЕНОЦИД", Turkish "İŞGAL" and Arabic "الإبادة" written with or without its hamza.
    """
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Word:
    """One word of a term: the folded form and whether it is a stem (written with a final `*`).

    `open` (a final `**`) is the head of a compound: any ending, so German "besatzungs**" reaches
    "Besatzungstruppen" and "Besatzungsmacht", which a stem of a few letters cannot.
    """

    text: str
    stem: bool
    open: bool = False


@dataclass(frozen=True)
class Term:
    """A lexicon entry: runs of consecutive words; up to `MAX_GAP` words may stand between runs."""

    entry: str  # as written in the data file, for the table ("génocid*")
    category: str  # "violence", "", ... ("" for a stop phrase)
    concept: str  # "genocide"
    polarity: int
    parts: tuple[tuple[Word, ...], ...]

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts)


@dataclass(frozen=True)
class Token:
    """A word of the text: its span in the original and the folded forms it may match as."""

    start: int
    end: int
    forms: tuple[str, ...]  # the folded word, then the word without each clitic prefix


@dataclass(frozen=True)
class Match:
    term: Term
    first: int  # index of the first and last token matched
    last: int


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[Term, ...]
    max_ending: int
    prefixes: tuple[str, ...]
    by_first: dict[str, tuple[Term, ...]] = field(init=False, repr=False, compare=False)
    open_first: tuple[Term, ...] = field(init=False, repr=False, compare=False)  # "besatzungs**"

    def __post_init__(self) -> None:
        """Index the terms by their first word, so a token looks up a few candidates, not all."""
        index: dict[str, list[Term]] = {}
        for term in self.terms:
            index.setdefault(term.parts[0][0].text, []).append(term)
        object.__setattr__(self, "by_first", {k: tuple(v) for k, v in index.items()})
        object.__setattr__(self, "open_first", tuple(t for t in self.terms if t.parts[0][0].open))

    def candidates(self, token: Token) -> set[Term]:
        """Terms whose first word could match `token`: the form itself or a stem it begins with."""
        out: set[Term] = set()
        for form in token.forms:
            for n in range(max(1, len(form) - self.max_ending), len(form) + 1):
                out.update(self.by_first.get(form[:n], ()))
            out.update(t for t in self.open_first if form.startswith(t.parts[0][0].text))
        return out

    def tokens(self, text: str, start: int, end: int) -> list[Token]:
        """The words of `text[start:end]`, offsets into `text`."""
        out = []
        for m in WORD.finditer(text, start, end):
            word = fold(m.group())
            stripped = [
                word[len(p) :] for p in self.prefixes if word.startswith(p) and len(word) > len(p) + 1
            ]
            out.append(Token(m.start(), m.end(), (word, *stripped)))
        return out

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Term matches in a run of tokens (one sentence): longest first, never overlapping.

        A stop phrase that wins a stretch of text removes every term inside it, so "régime de
        sanctions" yields no `regime` hit; a two-word term beats the one-word term inside it.
        """
        found = [
            Match(term, i, last)
            for i in range(len(tokens))
            for term in self.candidates(tokens[i])
            if (last := self._match(term, tokens, i)) is not None
        ]
        found.sort(key=lambda m: (-(m.last - m.first), -m.term.size, m.first))
        taken: set[int] = set()
        kept = []
        for match in found:
            span = set(range(match.first, match.last + 1))
            if span & taken:
                continue
            taken |= span
            if match.term.category:
                kept.append(match)
        return sorted(kept, key=lambda m: m.first)

    def _match(self, term: Term, tokens: Sequence[Token], i: int) -> int | None:
        """Index of the last token of `term` matched from token `i`, or None."""
        return self._parts(term.parts, tokens, i)

    def _parts(self, parts: tuple[tuple[Word, ...], ...], tokens: Sequence[Token], i: int) -> int | None:
        head, rest = parts[0], parts[1:]
        if i + len(head) > len(tokens):
            return None
        if not all(self._word(w, tokens[i + k]) for k, w in enumerate(head)):
            return None
        last = i + len(head) - 1
        if not rest:
            return last
        for gap in range(MAX_GAP + 1):
            end = self._parts(rest, tokens, last + 1 + gap)
            if end is not None:
                return end
        return None

    def _word(self, word: Word, token: Token) -> bool:
        """A stem matches a form that begins with it and has at most `max_ending` more letters."""
        for form in token.forms:
            if form == word.text:
                return True
            ending = len(form) - len(word.text)
            if word.stem and form.startswith(word.text) and (word.open or ending <= self.max_ending):
                return True
        return False


def parse_term(entry: str, category: str, concept: str, polarity: int) -> Term:
    """A term as written ("droit … à se défendre", "génocid*") split into runs of words."""
    parts = []
    for chunk in _GAP.split(entry.strip()):
        words = []
        for m in re.finditer(r"\S+", chunk):
            raw = m.group()
            stem, compound = raw.endswith("*"), raw.endswith("**")
            for piece in WORD.findall(raw.rstrip("*")):
                words.append(Word(fold(piece), False))
            if not words:
                raise ValueError(f"langdata {RESOURCE}.toml: no word in term {entry!r}")
            if stem:
                words[-1] = Word(words[-1].text, True, compound)
        if not words:
            raise ValueError(f"langdata {RESOURCE}.toml: empty part in term {entry!r}")
        parts.append(tuple(words))
    return Term(entry, category, concept, polarity, tuple(parts))


@cache
def lexicon_for(lang: str | None) -> Lexicon:
    """The framing lexicon of `lang` (only the neutral settings for a language without a file)."""
    table = langdata.load(lang, RESOURCE)
    concepts = table.get("concepts", {})
    terms = [
        parse_term(entry, category, concept, int(concepts[category][concept]))
        for category, by_concept in table.get("terms", {}).items()
        for concept, entries in by_concept.items()
        for entry in entries
    ]
    terms += [parse_term(entry, "", "", 0) for entry in table.get("stop", [])]
    return Lexicon(
        tuple(terms), int(table.get("max_ending", 3)), tuple(fold(p) for p in table.get("prefixes", []))
    )


def check(lang: str, table: dict[str, Any]) -> None:
    """The schema of `<lang>/framing.toml`; raises ValueError on the first thing out of place."""
    where = f"langdata {lang}/{RESOURCE}.toml"
    allowed = _NEUTRAL_KEYS if lang == langdata.NEUTRAL else _LANG_KEYS
    unknown = set(table) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    if not isinstance(table.get("max_ending", 0), int) or table.get("max_ending", 0) < 0:
        raise ValueError(f"{where}: max_ending must be a non-negative integer")
    for key in ("prefixes", "stop"):
        if not _strings(table.get(key, [])):
            raise ValueError(f"{where}: {key} must be a list of strings")
    concepts = table.get("concepts", {}) if lang == langdata.NEUTRAL else _declared()
    _check_concepts(where, table.get("concepts", {}))
    _check_terms(where, table.get("terms", {}), concepts)


def _declared() -> dict[str, Any]:
    return langdata.load_one(langdata.NEUTRAL, RESOURCE).get("concepts", {})


def _check_concepts(where: str, concepts: Any) -> None:
    if not isinstance(concepts, dict) or set(concepts) - set(CATEGORIES):
        raise ValueError(f"{where}: [concepts] holds tables named after {CATEGORIES}")
    for category, table in concepts.items():
        for concept, polarity in table.items():
            if polarity not in (-1, 1) or isinstance(polarity, bool):
                raise ValueError(f"{where}: concepts.{category}.{concept} must be -1 or 1")


def _check_terms(where: str, terms: Any, concepts: dict[str, Any]) -> None:
    if not isinstance(terms, dict):
        raise ValueError(f"{where}: [terms] must be a table of categories")
    for category, by_concept in terms.items():
        if category not in CATEGORIES or not isinstance(by_concept, dict):
            raise ValueError(f"{where}: unknown category terms.{category}; known: {CATEGORIES}")
        for concept, entries in by_concept.items():
            if concept not in concepts.get(category, {}):
                raise ValueError(f"{where}: terms.{category}.{concept} is not declared in xx/{RESOURCE}.toml")
            if not _strings(entries):
                raise ValueError(f"{where}: terms.{category}.{concept} must be a list of strings")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


langdata.register_schema(RESOURCE, check)
