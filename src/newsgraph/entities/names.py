"""Names across languages and scripts: blocking keys and a similarity score.

- `name_keys(name, lang)`: a small set of phonetic keys (skeletons of the name's tokens, with and
  without case endings) shared by the spellings of one name: "Blinken", "Блинкен", "Блинкена";
  "Gallant", "Galant", "Galante", "Галант"; "Herzog", "Hertsog", "Герцог". Two names that may be
  the same share a key, so a resolver compares only names within a key's block.
- `name_similarity(a, b, lang_a, lang_b)`: a score in [0, 1] and the kind of match: `exact`
  (same normal form), `translit` (same name in another script or romanisation), `short_form`
  (one name is part of the other: "Blinken" / "Antony Blinken") or `fuzzy` (anything else,
  spelling variants included; the score says how close).
- `strip_inflection(word, lang)`: the nominative of an inflected name ("Блинкена" -> "Блинкен",
  "Zełenskiego" -> "Zełenski"), by the language's lemmatiser, else its suffix rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz.distance import Indel

from newsgraph import langdata
from newsgraph.entities.translit import (
    RESOURCE,
    Reading,
    phonetic_variants,
    romanise,
    script_of,
    skeleton_keys,
)

EXACT, TRANSLIT, SHORT_FORM, FUZZY = "exact", "translit", "short_form", "fuzzy"

# Two tokens whose skeletons agree score the similarity of their phonetic spellings; tokens whose
# skeletons differ score at most the ceiling, below a match. On the en-ru Wikidata pairs, 96% of
# true pairs reach TOKEN_MATCH, against 19% of unrelated pairs that happen to share a skeleton.
UNRELATED_CEILING = 0.7
TOKEN_MATCH = 0.75
# Each less likely reading ("x" read as S, a final consonant read as silent) costs a little.
READING_DISCOUNT = 0.97
# A short form ("Blinken") is a little less certain than the full name; a given name alone less still.
SHORT_FORM_FACTOR = 0.9
GIVEN_NAME_FACTOR = 0.75
INITIAL_SCORE = 0.85
# Two tokens whose skeletons agree, one written in Arabic script: the vowels that script leaves
# unwritten cannot tell them apart ("ستيف" STiF, "Steve" STeFe), so the agreement alone counts.
ABJAD_KEY_SCORE = 0.85
# A lone Arabic-script word against a lone word of another script has no second token to confirm
# it: the agreement counts in full only for a skeleton of this many classes ("كوشنر"/"Kushner" KXNR);
# a shorter one ("بري"/"Barr" BR) scores a bare token match, below acceptance without context.
MIN_LONE_ABJAD_KEY = 3
# A word in capitals this short is read letter by letter ("США", "US"); longer ones ("НАТО", "ХАМАС")
# are pronounced as words and compared by sound.
MAX_ACRONYM_LETTERS = 3

_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.](?=[^\W\d_]))*")
_DOTTED_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
# pymorphy3 grammemes of proper names: such a reading is preferred to a common-noun one
_PROPER_GRAMMEMES = ("Surn", "Name", "Patr", "Geox", "Orgn", "Trad", "Abbr")


@dataclass(frozen=True)
class NameMatch:
    score: float
    kind: str  # exact, translit, short_form, fuzzy


# ---------------------------------------------------------------------------------------------- tokens
def normal_text(name: str, lang: str | None = None) -> str:
    """Case-folded NFC name with punctuation and a leading article removed ("l’Iran" -> "iran")."""
    return _fold(" ".join(t.casefold() for t in name_tokens(name, lang)), lang)


def _fold(text: str, lang: str | None) -> str:
    """Letters written interchangeably made one ("ё" -> "е")."""
    return text.translate(_foldings(lang))


@cache
def _foldings(lang: str | None) -> dict[int, str]:
    names: dict[str, Any] = langdata.load(lang, RESOURCE).get("names", {})
    return str.maketrans(dict(names.get("fold", {})))


def name_tokens(name: str, lang: str | None = None) -> list[str]:
    """The words of a name, dotted acronyms joined ("U.S." -> "US"), a leading article dropped."""
    text = unicodedata.normalize("NFC", name).replace("’", "'")
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _drop_leading_article(text, lang)
    return _TOKEN.findall(text)


def _drop_leading_article(text: str, lang: str | None) -> str:
    lowered = text.casefold()
    for article in _leading_articles(lang):
        separated = article if article.endswith("'") else article + " "
        if lowered.startswith(separated) and len(text) > len(separated):
            return text[len(separated) :]
    return text


@cache
def _leading_articles(lang: str | None) -> tuple[str, ...]:
    names: dict[str, Any] = langdata.load(lang, RESOURCE).get("names", {})
    return tuple(names.get("leading_articles", []))


@cache
def _particles(lang: str | None) -> frozenset[str]:
    """Lower-case words inside names ("von", "al", "бен"), from the mention rules' data."""
    return frozenset(langdata.load(lang, "entities").get("particles", []))


def _significant(tokens: list[str], lang: str | None) -> list[str]:
    """Tokens that identify: particles and (when other tokens exist) single-letter initials dropped."""
    kept = [t for t in tokens if t.casefold() not in _particles(lang)]
    longer = [t for t in kept if len(t) > 1]
    return longer or kept or tokens


# ---------------------------------------------------------------------------------------- inflection
def strip_inflection(word: str, lang: str | None) -> str:
    """The nominative of an inflected name token; the token itself when no rule applies."""
    table: dict[str, Any] = langdata.load(lang, RESOURCE).get("inflection", {})
    lemmatiser = _NAME_LEMMATISERS.get(str(table.get("lemmatiser", "")))
    lemma = lemmatiser(word, lang) if lemmatiser is not None and lang else None
    if lemma:  # the lemmatiser knows the word (its lemma may be the word itself)
        return _with_case_of(word, lemma)
    lowered = word.casefold()
    min_stem = int(table.get("min_stem", 3))
    for ending, replacement in table.get("suffixes", []):
        if lowered.endswith(ending) and len(word) - len(ending) >= min_stem:
            return word[: len(word) - len(ending)] + replacement
    return word


def _with_case_of(word: str, lemma: str) -> str:
    """`lemma` cased like `word` where they share a prefix ("ХАМАСа" + "хамас" -> "ХАМАС")."""
    shared = 0
    while shared < min(len(word), len(lemma)) and word[shared].casefold() == lemma[shared].casefold():
        shared += 1
    return word[:shared] + lemma[shared:]


def _pymorphy_name_lemma(word: str, lang: str) -> str | None:
    analyser = _pymorphy(lang)
    if analyser is None:
        return None
    parses = analyser.parse(word)
    if not parses:
        return None
    top = max(p.score for p in parses)
    tied = [p for p in parses if p.score >= top - 1e-9]
    # An unknown surname gets equally scored guesses, among them "the word is a nominative name";
    # a singular case form of a shorter noun ("Галантом" -> "галант") is the likelier reading then.
    inflected = [
        p for p in tied if "sing" in p.tag and "nomn" not in p.tag and len(p.normal_form) < len(word)
    ]
    proper = [p for p in parses if any(g in p.tag for g in _PROPER_GRAMMEMES)]
    best = ((inflected if len(tied) > 1 else []) or proper or parses)[0]
    if "nomn" in best.tag:
        return word  # read as a nominative: the word is its own lemma
    # the nominative in the same number ("Штатов" -> "штаты"), not the dictionary form ("штат")
    nominative = best.inflect({"nomn"})
    return str(nominative.word if nominative is not None else best.normal_form)


def _pymorphy_word_lemma(word: str, lang: str) -> str | None:
    analyser = _pymorphy(lang)
    return str(analyser.parse(word)[0].normal_form) if analyser is not None else None


def word_lemma(word: str, lang: str | None, lemmatiser: str) -> str:
    """Case-folded dictionary form of any word (role words, adjectives), by the named lemmatiser."""
    lowered = word.casefold()
    lemmatise = _WORD_LEMMATISERS.get(lemmatiser)
    lemma = lemmatise(lowered, lang) if lemmatise is not None and lang else None
    return lemma.casefold() if lemma else lowered


@cache
def _pymorphy(lang: str) -> Any:
    try:
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang=lang)
    except (ImportError, ValueError, OSError):  # no dictionary for this language
        return None


def _simplemma_lemma(word: str, lang: str) -> str | None:
    """simplemma's lemma of a word it knows, else None (it returns unknown words unchanged)."""
    import simplemma

    try:
        if not simplemma.is_known(word, lang=lang):
            return None
        return str(simplemma.lemmatize(word, lang=lang))
    except ValueError:  # a language simplemma does not serve
        return None


# Lemmatisers by the names the language data use; each gives None for a word it does not know.
_NAME_LEMMATISERS: dict[str, Callable[[str, str], str | None]] = {
    "pymorphy3": _pymorphy_name_lemma,
    "simplemma": _simplemma_lemma,
}
_WORD_LEMMATISERS: dict[str, Callable[[str, str], str | None]] = {
    "pymorphy3": _pymorphy_word_lemma,
    "simplemma": _simplemma_lemma,
}


# ---------------------------------------------------------------------------------------- keys
@lru_cache(maxsize=65536)
def _token_forms(token: str, lang: str | None) -> tuple[str, ...]:
    """The token and its nominative (when different)."""
    lemma = strip_inflection(token, lang)
    return (token,) if lemma == token else (token, lemma)


@lru_cache(maxsize=65536)
def token_keys(token: str, lang: str | None) -> frozenset[str]:
    return frozenset(k for form in _token_forms(token, lang) for k in skeleton_keys(form, lang))


def name_length(name: str, lang: str | None = None) -> int:
    """How many identifying tokens a name has (particles and initials not counted)."""
    return len(_analyse(name, lang))


def name_keys(name: str, lang: str | None = None) -> set[str]:
    """Phonetic blocking keys of a name: the skeletons of its significant tokens and their lemmas,
    and of a token glued to the article written apart before it ("al Busaidi" -> "alBusaidi")."""
    keys: set[str] = set()
    for token, glued in _with_glued_articles(name_tokens(name, lang), lang):
        keys |= token_keys(token, lang)
        for form in glued:
            keys |= set(skeleton_keys(form, lang))
    return keys


@cache
def _glued_articles(lang: str | None) -> frozenset[str]:
    names: dict[str, Any] = langdata.load(lang, RESOURCE).get("names", {})
    return frozenset(a.casefold() for a in names.get("glued_articles", []))


def _with_glued_articles(tokens: list[str], lang: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """The significant tokens, each with its spelling glued to the article written apart before it.

    Arabic names carry an article that Latin spellings write apart, hyphenated or glued ("al Busaidi",
    "Al-Busaidi", "Albusaidi"): the glued reading lets the three spellings (and "البوسعيدي") agree."""
    articles = _glued_articles(lang)
    significant = set(_significant(tokens, lang))
    out: list[tuple[str, tuple[str, ...]]] = []
    for i, token in enumerate(tokens):
        if token in significant:
            before = tokens[i - 1] if i else ""
            out.append((token, (before + token,) if before.casefold() in articles else ()))
    return out


# ---------------------------------------------------------------------------------------- similarity
@dataclass(frozen=True)
class _Token:
    surface: str
    roman: str  # romanised surface
    normals: frozenset[str]  # case-folded surface and lemma
    romanised: frozenset[str]
    readings: frozenset[Reading]  # of the surface and the lemma
    script: str


@lru_cache(maxsize=65536)
def _analyse(name: str, lang: str | None) -> tuple[_Token, ...]:
    out = []
    for token, glued in _with_glued_articles(name_tokens(name, lang), lang):
        forms = _token_forms(token, lang)
        out.append(
            _Token(
                surface=token,
                roman=romanise(token, lang),
                normals=frozenset(_fold(f.casefold(), lang) for f in forms),
                romanised=frozenset(romanise(f, lang) for f in forms),
                readings=frozenset(r for f in (*forms, *glued) for r in phonetic_variants(f, lang)),
                script=script_of(token),
            )
        )
    return tuple(out)


def _token_score(a: _Token, b: _Token, lone: bool = False) -> float:
    """1 for the same word; else how alike the phonetic spellings are, capped when skeletons disagree.

    `lone`: both names are this one word, so a short skeleton agreeing proves little."""
    if a.normals & b.normals or a.romanised & b.romanised:
        return 1.0
    if _is_initial_of(a, b) or _is_initial_of(b, a):
        return INITIAL_SCORE
    if _is_acronym(a) or _is_acronym(b):  # spelled letter by letter: only the same letters match
        return 0.0
    shared = [(ra, rb) for ra in a.readings for rb in b.readings if ra.key == rb.key]
    if shared:
        agreeing = max(_reading_similarity(ra, rb) for ra, rb in shared)
        longest_key = max(len(ra.key) for ra, _ in shared)
        if _abjad(a) or _abjad(b):
            short_and_alone = lone and longest_key < MIN_LONE_ABJAD_KEY
            return max(agreeing, TOKEN_MATCH if short_and_alone else ABJAD_KEY_SCORE)
        return agreeing
    closest = max((_reading_similarity(ra, rb) for ra in a.readings for rb in b.readings), default=0.0)
    return UNRELATED_CEILING * closest


def _reading_similarity(a: Reading, b: Reading) -> float:
    """Similarity of two phonetic spellings, a little less for each unlikely reading it took."""
    return Indel.normalized_similarity(a.spelling, b.spelling) * READING_DISCOUNT ** (a.rank + b.rank)


def _abjad(token: _Token) -> bool:
    """A token in Arabic script, which writes no short vowels: only its consonants can agree."""
    return any(unicodedata.name(ch, "").startswith("ARABIC") for ch in token.surface)


def _is_acronym(token: _Token) -> bool:
    return token.surface.isupper() and len(token.surface) <= MAX_ACRONYM_LETTERS


def _is_initial_of(short: _Token, full: _Token) -> bool:
    return len(short.surface) == 1 and any(r[:1] == s[:1] for r in full.romanised for s in short.romanised)


def _align(short: tuple[_Token, ...], long: tuple[_Token, ...]) -> list[tuple[int, float]]:
    """For each token of `short` in order, the index and score of its best unused partner in `long`."""
    used: set[int] = set()
    out = []
    lone = len(short) == len(long) == 1
    for token in short:
        scored = [(_token_score(token, other, lone), -j) for j, other in enumerate(long) if j not in used]
        score, neg_j = max(scored, default=(0.0, 0))
        used.add(-neg_j)
        out.append((-neg_j, score))
    return out


@lru_cache(maxsize=262144)  # resolution compares the same names across many documents
def name_similarity(a: str, b: str, lang_a: str | None = None, lang_b: str | None = None) -> NameMatch:
    """How likely two names name the same thing, and how they match (see the module docstring)."""
    if normal_text(a, lang_a) == normal_text(b, lang_b):
        return NameMatch(1.0, EXACT)
    ta, tb = _analyse(a, lang_a), _analyse(b, lang_b)
    if not ta or not tb:
        return NameMatch(0.0, FUZZY)
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    pairs = _align(short, long)
    mean = sum(score for _, score in pairs) / len(pairs)
    if any(score < TOKEN_MATCH for _, score in pairs):
        whole = Indel.normalized_similarity(
            " ".join(sorted(t.roman for t in ta)), " ".join(sorted(t.roman for t in tb))
        )
        return NameMatch(round(UNRELATED_CEILING * max(whole, mean * len(short) / len(long)), 4), FUZZY)
    if len(short) < len(long):
        surname_matched = any(j == len(long) - 1 for j, _ in pairs)
        factor = SHORT_FORM_FACTOR if surname_matched else GIVEN_NAME_FACTOR
        return NameMatch(round(mean * factor, 4), SHORT_FORM)
    same_normals = all(short[i].normals & long[j].normals for i, (j, _) in enumerate(pairs))
    if same_normals:
        return NameMatch(1.0, EXACT)
    crosses_script = any(short[i].script != long[j].script for i, (j, _) in enumerate(pairs))
    same_sound = all(score == 1.0 for _, score in pairs)
    return NameMatch(round(mean, 4), TRANSLIT if crosses_script or same_sound else FUZZY)
