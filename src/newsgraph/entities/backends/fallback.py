"""Names in any cased script without a model: capitalised word sequences and the evidence around them.

A name is a run of capitalised words (Latin, Cyrillic, Greek, ...) joined by single spaces, by name
particles ("von der", "bin", "ибн") and by initials ("J. K."). A run at the start of a sentence
is only trusted when its first word is known as a name: a known place, a word seen capitalised
mid-sentence elsewhere in the document, a mixed-case word or acronym, or a word the language's
dictionary does not know. Leading titles ("President", "госсекретарь") are cues, not part of the
name. Types come from those cues, the place gazetteer, organisation/place head words and surname
endings; what stays unknown is MISC with a low score, for the document-level vote to settle.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsgraph.entities.backends.caseless import CaselessReader, is_caseless
from newsgraph.entities.backends.gazetteer import is_place, script, stem
from newsgraph.entities.backends.lemmas import is_common_word, lemma, normal_form
from newsgraph.entities.backends.lexicon import Lexicon, lexicon
from newsgraph.model import Mention, Span

SOURCE = "fallback"

_WORD = re.compile(r"[^\W_](?:[^\W_]|['’\-‐.](?=[^\W_]))*")
_JOIN = re.compile(r"[ \u00a0]")  # what may separate two words of one name
_LETTERS_ONLY = re.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*")
_OPENERS = frozenset(":\"'„“«‹(–—-•|›»”")  # after these a word is capitalised as if it began a sentence
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”)\]]*\s+|\n+")

ACRONYM_LETTERS = (2, 6)
SHOUTING = 0.6  # share of upper-case letters above which a sentence is a headline in capitals
SHOUTING_MIN_WORDS = 3


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    initial: bool  # first word of its sentence, or right after a colon, quote or dash

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class Evidence:
    type: str
    score: float


def words_of(text: str, span: Span) -> list[Word]:
    """The word tokens of `text[span]`, with absolute offsets, marking sentence-initial ones."""
    out: list[Word] = []
    prev_end = span[0]
    for m in _WORD.finditer(text, span[0], span[1]):
        gap = text[prev_end : m.start()]
        initial = not out or any(c in _OPENERS for c in gap)
        out.append(Word(m.start(), m.end(), m.group(), initial))
        prev_end = m.end()
    return out


def split_sentences(text: str, span: Span, lex: Lexicon) -> list[Span]:
    """Sentences of `text[span]` for documents the sentence stage has not seen (newlines and end marks)."""
    out, start = [], span[0]
    for m in _SENTENCE_END.finditer(text, span[0], span[1]):
        before = text[start : m.start()].rsplit(None, 1)
        last = before[-1].casefold() if before else ""
        if m.group().strip() and (len(last) == 1 or last.rstrip(".") in lex.abbreviations):
            continue  # "J. Smith", "prof. Nowak": the dot ends an abbreviation, not the sentence
        if start < m.start():
            out.append((start, m.start()))
        start = m.end()
    if start < span[1]:
        out.append((start, span[1]))
    return out


def known_person(name: str, lang: str | None) -> bool:
    """Whether the knowledge base has a person by exactly this name (False without a knowledge base)."""
    from newsgraph.entities.kb import EXACT, KnowledgeBase  # the KB is only needed for rare runs

    try:
        found = KnowledgeBase.default().candidates(name, lang, type="PER", limit=1)
    except (OSError, sqlite3.Error):
        return False
    return bool(found) and found[0].kind == EXACT


def is_acronym(word: str) -> bool:
    letters = sum(c.isalpha() for c in word)
    return word.isupper() and ACRONYM_LETTERS[0] <= letters <= ACRONYM_LETTERS[1] and word[:1].isalpha()


def is_mixed_case(word: str) -> bool:
    """ "McDonald", "PiS", "EUobserver": capitals after the first letter mark a name anywhere."""
    return word[:1].isupper() and not word.isupper() and any(c.isupper() for c in word[1:])


def is_shouting(words: Sequence[Word]) -> bool:
    letters = [c for w in words for c in w.text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(words) >= SHOUTING_MIN_WORDS and upper >= SHOUTING * max(1, len(letters))


def _particle_name(word: str, lex: Lexicon) -> bool:
    """ "al-Assad", "ибн-Сауд": a particle glued to a capitalised name."""
    head, sep, rest = word.partition("-")
    return bool(sep) and head.casefold() in lex.particles and rest[:1].isupper()


class FallbackRecognizer:
    """Rule-based names for any language with capital letters; data from `langdata/<lang>/entities.toml`."""

    source = SOURCE

    def __init__(self, lang: str | None):
        self.lang = lang
        self.lex = lexicon(lang)

    def __call__(self, text: str, blocks: Sequence[Span], sentences: Sequence[Span]) -> list[Mention]:
        if not sentences:
            sentences = [s for b in blocks for s in split_sentences(text, b, self.lex)]
        caseless = [s for s in sentences if is_caseless(text[s[0] : s[1]])]
        if caseless:
            sentences = [s for s in sentences if s not in set(caseless)]
        sentence_words = [w for w in (words_of(text, s) for s in sentences) if w and not is_shouting(w)]
        sentence_cues = [self._cues(words) for words in sentence_words]
        lower = {w.text.casefold() for ws in sentence_words for w in ws if not w.capitalised}
        named = self._named(text, sentence_words, sentence_cues)
        runs = [
            found
            for words, cues in zip(sentence_words, sentence_cues, strict=True)
            for found in self._runs(text, words, cues, named, lower)
        ]
        alone = {stem(run[0].text) for run, _ in runs if len(run) == 1}
        together = Counter(tuple(stem(w.text) for w in run) for run, _ in runs if len(run) == 2)
        mentions = []
        for run, cue in runs:
            once = len(run) == 2 and together[tuple(stem(w.text) for w in run)] == 1
            parts = self._split_standalone(run, alone) if once else [run]
            for k, part in enumerate(parts):
                mentions.append(self._mention(text, part, cue and k == len(parts) - 1))
        if caseless:
            mentions.extend(CaselessReader(self.lex)(text, caseless))
        return mentions

    def _named(self, text: str, sentence_words: list[list[Word]], sentence_cues: list[set[int]]) -> set[str]:
        """Stems of words the document itself shows to be names: capitalised mid-sentence (or, where
        every noun is capitalised, inside a run of several capitalised words)."""
        named: set[str] = set()
        for words, cues in zip(sentence_words, sentence_cues, strict=True):
            for run in self._raw_runs(text, words, cues):
                kept = [w for w in run if not self.lex.is_stop(w.text)]
                if len(kept) > 1 or not self.lex.capitalised_nouns:
                    named.update(stem(w.text) for w in kept if not w.initial)
        return named

    # ------------------------------------------------------------------ runs of name words
    def _runs(
        self, text: str, words: list[Word], cues: set[int], named: set[str], lower: set[str]
    ) -> Iterator[tuple[list[Word], bool]]:
        """Trimmed runs of name words, each with whether a title or honorific stands before it."""
        position = {id(w): i for i, w in enumerate(words)}
        for run in self._raw_runs(text, words, cues):
            first, after = position[id(run[0])], position[id(run[-1])] + 1
            nxt = words[after] if after < len(words) else None
            head = nxt if nxt is not None and self._is_head(text, run, nxt) else None
            trimmed = self._trim(run, named, lower, headed=head is not None)
            if not trimmed:
                continue
            cue = first - 1 in cues or (trimmed[0] is not run[0] and self.lex.is_cue(run[0].text))
            cut = self._title_inside(trimmed)
            if cut:  # "Frankreichs Verteidigungsministerin Vautrin": a place, a title, then the name
                yield from ((part, False) for part in self._split(trimmed[:cut]))
                trimmed, cue = trimmed[cut + 1 :], True
            parts = self._split([*trimmed, head] if head is not None and trimmed[-1] is run[-1] else trimmed)
            for k, part in enumerate(parts):
                yield part, cue and k == len(parts) - 1

    def _raw_runs(self, text: str, words: list[Word], cues: set[int]) -> Iterator[list[Word]]:
        i = 0
        while i < len(words):
            if i in cues or not self._name_word(words[i]):
                i += 1
                continue
            j = i + 1
            while j < len(words) and j not in cues and self._continues(text, words, j):
                j += 1
            yield words[i:j]
            i = j

    def _cues(self, words: list[Word]) -> set[int]:
        """Indices of the words of title and honorific phrases standing before a capitalised word
        ("Secretary of State Antony Blinken", "госсекретарь США"); a capitalised title with no name
        after it is part of a name ("Martin Luther King")."""
        out: set[int] = set()
        i = 0
        while i < len(words):
            n = self._cue_length(words, i)
            after = words[i + n] if i + n < len(words) else None
            if n and after is not None and after.capitalised:
                out.update(range(i, i + n))
            i += max(n, 1)
        return out

    def _cue_length(self, words: list[Word], i: int) -> int:
        if words[i].text.casefold().rstrip(".") in self.lex.honorifics.exact:
            return 1
        for n in range(min(3, len(words) - i), 0, -1):
            if self.lex.titles.match(" ".join(w.text for w in words[i : i + n])):
                return n
        return 0

    def _name_word(self, word: Word) -> bool:
        return word.capitalised or _particle_name(word.text, self.lex)

    def _continues(self, text: str, words: list[Word], j: int) -> bool:
        """Whether `words[j]` continues the run that ends with `words[j - 1]`."""
        prev, word = words[j - 1], words[j]
        gap = text[prev.end : word.start]
        if word.initial:
            return False
        if len(prev.text) == 1 and prev.text.isupper() and gap in (". ", ".\u00a0", "."):
            return self._name_word(word)  # an initial: "J. K. Rowling"
        if not _JOIN.fullmatch(gap):
            return False
        if self._name_word(word):
            return True
        k = j  # particles, then a capitalised word: "Ursula von der Leyen"
        while (
            k < len(words)
            and words[k].text.casefold() in self.lex.particles
            and (k == j or _JOIN.fullmatch(text[words[k - 1].end : words[k].start]))
        ):
            k += 1
        return (
            j < k < len(words)
            and words[k].capitalised
            and bool(_JOIN.fullmatch(text[words[k - 1].end : words[k].start]))
        )

    def _is_head(self, text: str, run: list[Word], nxt: Word) -> bool:
        """ "Evropská komise": a lone capitalised word and a lower-case organisation or place head."""
        return (
            self.lex.extend_with_heads
            and len(run) == 1
            and not nxt.capitalised
            and bool(_JOIN.fullmatch(text[run[0].end : nxt.start]))
            and (nxt.text in self.lex.org_words or nxt.text in self.lex.loc_words)
            and not self._is_place([run[0].text])
        )

    def _trim(self, run: list[Word], named: set[str], lower: set[str], headed: bool) -> list[Word]:
        """The run without leading/trailing words that are no part of a name."""
        while run and (
            self.lex.is_cue(run[0].text)
            or (
                (not headed or len(run) > 1)
                and not self._opens_place(run)
                and self._not_a_name_start(run[0], named, lower)
            )
            or self._leading_noun(run)
        ):
            run = run[1:]
        while run and (
            self.lex.is_stop(run[-1].text)
            or self.lex.is_cue(run[-1].text)
            or run[-1].text.casefold() in self.lex.particles
        ):
            run = run[:-1]
        if headed or len(run) != 1:
            return run
        word = run[0].text
        if len(word) == 1 or word.casefold() in self.lex.calendar:
            return []
        if (
            self.lex.capitalised_nouns
            and self._common(word)
            and not is_acronym(word)
            and not self._is_place([word])
        ):
            return []
        return run

    def _opens_place(self, run: list[Word]) -> bool:
        """Whether the run's first words name a known place of several words ("Estados Unidos",
        "Stati Uniti", "Соединённые Штаты"): a dictionary word that opens such a name ("Estados") is
        part of it, so the place wins over its parts."""
        return any(self._is_place([w.text for w in run[:n]]) for n in range(2, min(len(run), 4) + 1))

    def _leading_noun(self, run: list[Word]) -> bool:
        """Where every noun is capitalised (German), a common noun that opens a run before a function
        word ("Tod des … Jahja Sinwar"), or a compound ending in a title ("Verteidigungsminister Joav
        Gallant", "US-Außenminister Antony Blinken"). Dictionaries list given names too ("Emmanuel"),
        so a dictionary word before a name is not enough."""
        if not self.lex.capitalised_nouns or len(run) < 2:
            return False
        first, second = run[0].text, run[1].text.casefold()
        if is_acronym(first) or self._is_place([first]):
            return False
        if self._title_compound(first):
            return True
        return self._common(first) and (self.lex.is_stop(second) or second in self.lex.particles)

    def _title_inside(self, run: list[Word]) -> int:
        """Where every noun is capitalised (German), the position of a title compound standing
        between two parts of a run ("Israels Verteidigungsminister Gallant"), else 0: the words
        before it name the title's country or body, the words after it the person."""
        if not self.lex.capitalised_nouns:
            return 0
        for i in range(1, len(run) - 1):
            if self._title_compound(run[i].text) and not is_acronym(run[i].text):
                return i
        return 0

    def _title_compound(self, word: str) -> bool:
        """A word ending in a title ("Verteidigungsminister", "US-Außenminister")."""
        folded = word.casefold()
        return any(folded.endswith(title) for title in self.lex.titles.exact if len(title) > 3)

    def _not_a_name_start(self, first: Word, named: set[str], lower: set[str]) -> bool:
        """A function word, or a sentence opener that nothing marks as a name."""
        if self.lex.is_stop(first.text):
            return True
        if not first.initial or not first.capitalised or is_acronym(first.text) or is_mixed_case(first.text):
            return False
        if stem(first.text) in named or self._is_place([first.text]):
            return False
        return first.text.casefold() in lower or self._common(first.text) or self._verb_form(first.text)

    def _verb_form(self, word: str) -> bool:
        """A finite verb by its ending (Belarusian "Прысутнічае"), in a language whose data lists verb
        endings because no dictionary says which capitalised sentence openers are common words."""
        low = word.casefold()
        return any(low.endswith(e) and len(low) > len(e) + 2 for e in self.lex.verb_endings)

    def _split(self, run: list[Word]) -> list[list[Word]]:
        """Names that stand side by side: an acronym or a word in another script next to a name
        ("США Ентоні Блінкен", "Brexit Домінік Рааб"; not "Rada UE"), a place or organisation before
        a person."""
        parts: list[list[Word]] = [[run[0]]]
        for word in run[1:]:
            prev = parts[-1][-1]
            if word.capitalised and (
                script(word.text) != script(prev.text)
                or (is_acronym(word.text) != is_acronym(prev.text) and prev.text not in self.lex.org_words)
            ):
                parts.append([word])
            else:
                parts[-1].append(word)
        return [piece for part in parts for piece in self._split_person_off(part)]

    def _split_person_off(self, part: list[Word]) -> list[list[Word]]:
        """ "Північної Ірландії Шейлеш Вара", "Komisji Europejskiej Jean-Claude’em Junckerem"."""
        for size in (2, 3):
            left, right = part[:-size], part[-size:]
            if (
                left
                and self._looks_like_person([w.text for w in right])
                and (
                    self._is_place([w.text for w in left])
                    or self._is_place([left[-1].text])
                    or any(w.text in self.lex.org_words for w in left)
                )
            ):
                return [left, right]
        return [part]

    def _split_standalone(self, run: list[Word], alone: set[str]) -> list[list[Word]]:
        """Two names side by side (once in the document) that it writes on their own elsewhere: "w
        Bundestagu Merz zdobył" is the Bundestag and Merz when the article also says "w Bundestagu"
        and "Merz" alone. A name written whole more than once is one name, and so is one whose first
        word names a place (many given names do: "Asia Bibi") or a person the knowledge base knows by
        the two words."""
        if len(run) != 2 or not all(stem(w.text) in alone for w in run):
            return [run]
        if self._is_place([run[0].text]):  # places are given names too: "Asia Bibi", "Israel Katz"
            return [run]
        if known_person(" ".join(w.text for w in run), self.lang):
            return [run]
        return [run[:1], run[1:]]

    def _looks_like_person(self, words: Sequence[str]) -> bool:
        return (
            self._person_shaped(words)
            and not self._is_place(words)
            and not any(w in self.lex.org_words or w in self.lex.loc_words for w in words)
        )

    # ------------------------------------------------------------------ types
    def _common(self, word: str) -> bool:
        return self.lang is not None and is_common_word(word, self.lang)

    def _is_place(self, words: Sequence[str]) -> bool:
        if is_place(words) or " ".join(words).casefold() in self.lex.places:
            return True
        return self.lang is not None and is_place([lemma(w, self.lang) for w in words])

    def _evidence(self, words: Sequence[str], cue: bool) -> Evidence:
        if len(words) == 1 and is_acronym(words[0]):
            return Evidence("LOC", 0.8) if self._is_place(words) else Evidence("ORG", 0.7)
        if self._is_place(words):
            return Evidence("LOC", 0.85)
        if any(w in self.lex.org_words for w in words):
            return Evidence("ORG", 0.7)
        if any(w in self.lex.loc_words for w in words):
            return Evidence("LOC", 0.6)
        if cue:
            return Evidence("PER", 0.9)
        surname = words[-1].casefold()
        if any(surname.endswith(s) and len(surname) > len(s) + 2 for s in self.lex.per_suffixes):
            return Evidence("PER", 0.6)
        if self._person_shaped(words):
            return Evidence("PER", 0.5)
        return Evidence("MISC", 0.3)

    def _without_ending(self, word: str) -> str:
        """ "Sarayı’na" -> "Sarayı" where case endings follow an apostrophe (the repairs cut the span)."""
        if not self.lex.apostrophe_suffixes:
            return word
        head, mark, ending = word.rpartition("’") if "’" in word else word.rpartition("'")
        return head if mark and head and ending.islower() else word

    def _person_shaped(self, words: Sequence[str]) -> bool:
        """Two or three capitalised words, name particles aside ("Ursula von der Leyen")."""
        named = [w for w in words if w.casefold() not in self.lex.particles]
        return len(named) in (2, 3) and all(
            _LETTERS_ONLY.fullmatch(w) and w[:1].isupper() and not w.isupper() for w in named
        )

    def _mention(self, text: str, run: list[Word], cue: bool) -> Mention:
        words = [self._without_ending(w.text) for w in run]
        evidence = self._evidence(words, cue)
        start, end = run[0].start, run[-1].end
        return Mention(
            start,
            end,
            text[start:end],
            evidence.type,
            normal=normal_form(words, self.lang),
            source=SOURCE,
            score=evidence.score,
        )
