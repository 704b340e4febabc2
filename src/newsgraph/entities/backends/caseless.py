"""Names in scripts where no capital letter marks a name (Arabic, Persian, Hebrew, ...).

Capitalisation is the fallback recogniser's main evidence; these scripts have none. Three other kinds
of evidence stand in for it, each as data:

- the knowledge base's names written in the script, and babel's territory names in the language
  (a gazetteer), matched word by word after folding away vowel marks and letter variants;
- a title or role word ("وزير", "المبعوث", "الرئيس", `titles` of the language's `entities.toml`):
  after it and its modifiers (definite adjectives "الخارجية الإيراني", places "سلطنة عمان"), the
  next one to three words are a person's name;
- a name found so is found again where its last word stands alone ("عراقجي" after "عباس عراقجي"),
  and a second name joined to it by a conjunction ("… ستيف ويتكوف وجاريد كوشنر،") is a person too.

Languages that glue conjunctions, prepositions and articles to the next word list them as
`proclitics`: a name may start after one ("وإيران" holds "إيران"), and its span starts there, so
offsets stay into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import babel

from newsgraph.entities.backends.lexicon import Lexicon, WordList
from newsgraph.model import Mention, Span

SOURCE = "fallback"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"  # vowel signs, Quranic marks, tatweel
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+")
_STRIP = re.compile(rf"[{_MARKS}\u200c\u200d]")
# Letter variants that spelling treats as one (hamza seats on alif, alif maqsura, Persian kaf and yeh).
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ک": "ك", "ی": "ي"})
MAX_NAME_WORDS = 5  # longest gazetteer name tried
MAX_MODIFIERS = 4  # words between a title and the name it introduces
MIN_LETTERS = 2  # what is left after a proclitic
MIN_SURNAME = 4  # letters of a last word found again on its own
CUE_SCORE, GAZETTEER_SCORE, ECHO_SCORE = 0.9, 0.85, 0.7


def fold(word: str) -> str:
    """`word` without vowel marks and tatweel, its letter variants unified: the form names compare by."""
    return _STRIP.sub("", word).translate(_FOLD).casefold()


def is_caseless(text: str) -> bool:
    """True when most letters of `text` have no case (Arabic, Hebrew, ...)."""
    letters = [c for c in text if c.isalpha()]
    caseless = sum(1 for c in letters if not (c.isupper() or c.islower()))
    return bool(letters) and 2 * caseless > len(letters)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokens_of(text: str, span: Span) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, span[0], span[1])]


@cache
def gazetteer(lang: str) -> dict[tuple[str, ...], str]:
    """Folded word tuples of every caseless-script name the knowledge base and babel know, with a type."""
    from newsgraph.entities.kb import KnowledgeBase

    names: dict[tuple[str, ...], str] = {}
    try:
        territories = list(babel.Locale.parse(lang).territories.values())
    except (ValueError, babel.UnknownLocaleError):
        territories = []
    for name in territories:
        if is_caseless(name):
            names.setdefault(tuple(fold(w) for w in name.split()), "LOC")
    for name, etype in KnowledgeBase.default().typed_names():
        if is_caseless(name):
            names.setdefault(tuple(fold(w) for w in name.split()), etype)
    return names


class CaselessReader:
    """Finds names in the caseless sentences of one document (see module doc)."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.places = gazetteer(lex.lang)
        self.proclitics = tuple(sorted((fold(p) for p in lex.proclitics), key=len, reverse=True))
        self.definite = tuple(fold(a) for a in lex.definite)
        self.conjunctions = frozenset(fold(c) for c in lex.conjunctions)
        self.stop = frozenset(fold(w) for w in (*lex.stop, *lex.calendar))
        self.particles = frozenset(fold(w) for w in lex.particles)
        self.loc_words = WordList.of([fold(w) for w in lex.loc_words.exact], inflected=False)
        self.titles = WordList.of(
            [fold(w) for w in (*lex.titles.exact, *lex.honorifics.exact)], inflected=False
        )

    def __call__(self, text: str, sentences: Sequence[Span]) -> list[Mention]:
        found: list[Mention] = []
        per_sentence = [tokens_of(text, s) for s in sentences]
        for tokens in per_sentence:
            found.extend(self._sentence(text, tokens))
        found.extend(self._echoes(text, per_sentence, found))
        return found

    # ------------------------------------------------------------------ words
    def forms(self, word: str) -> list[tuple[int, str]]:
        """(characters a proclitic takes, folded rest) for the word as it stands and without each
        proclitic it may carry ("والمبعوث" -> "المبعوث")."""
        folded = fold(word)
        out = [(0, folded)]
        for clitic in self.proclitics:
            rest = folded[len(clitic) :]
            if folded.startswith(clitic) and len(rest) >= MIN_LETTERS:
                out.append((_shift(word, len(clitic)), rest))
        return out

    def _stop(self, folded: str) -> bool:
        return folded in self.stop

    def _title(self, folded: str) -> bool:
        return self.titles.match(folded) is not None

    def _definite(self, folded: str) -> bool:
        return any(folded.startswith(a) and len(folded) > len(a) + 1 for a in self.definite)

    def _plain(self, tokens: list[Token], k: int) -> bool:
        """Whether only spaces stand between token `k - 1` and token `k` (a comma ends a name)."""
        return k > 0 and k < len(tokens) and tokens[k].start - tokens[k - 1].end <= 1

    def _comma(self, text: str, tokens: list[Token], k: int) -> bool:
        """Whether a comma alone sets word `k` off from the one before: a name in apposition to its
        title ("وزير الخارجية العماني، بدر البوسعيدي")."""
        return 0 < k < len(tokens) and text[tokens[k - 1].end : tokens[k].start].strip() in (",", "،")

    # ------------------------------------------------------------------ evidence
    def _gazetteer_at(self, tokens: list[Token], i: int) -> tuple[int, int, str] | None:
        """(words taken, start offset of the name, type) of the longest known name at word `i`; a
        place head before a known place ("سلطنة عمان", "جمهورية مصر") is taken but left out of the
        name, which is the place as the knowledge base knows it."""
        for n in range(min(MAX_NAME_WORDS, len(tokens) - i), 0, -1):
            if any(not self._plain(tokens, k) for k in range(i + 1, i + n)):
                continue
            rest = tuple(fold(t.text) for t in tokens[i + 1 : i + n])
            for shift, first in self.forms(tokens[i].text):
                etype = self.places.get((first, *rest))
                if etype is not None:
                    return n, tokens[i].start + shift, etype
                if n > 1 and self.loc_words.match(first) and self.places.get(rest) == "LOC":
                    return n, tokens[i + 1].start, "LOC"
        return None

    def _title_at(self, tokens: list[Token], i: int) -> int:
        """Words of the title phrase starting at word `i` (0 when none), its first word maybe with a
        proclitic ("ووزير الخارجية")."""
        for n in range(min(3, len(tokens) - i), 0, -1):
            rest = " ".join(fold(t.text) for t in tokens[i + 1 : i + n])
            for _, first in self.forms(tokens[i].text):
                phrase = f"{first} {rest}".strip()
                if phrase in self.titles.exact or (n == 1 and self._title(first)):
                    return n
        return 0

    def _name_at(self, tokens: list[Token], j: int) -> int:
        """Words of the personal name at word `j`, after a title: one to three plain words, a second
        or third only when it is no title, date word or function word ("بدر البوسعيدي")."""
        if j >= len(tokens):
            return 0
        first = fold(tokens[j].text)
        if self._stop(first) or self._title(first) or self._definite(first) or len(first) < MIN_LETTERS:
            return 0
        n = 1
        while n < 3 and self._plain(tokens, j + n):
            word = fold(tokens[j + n].text)
            if self._stop(word) or self._title(word) or self._gazetteer_at(tokens, j + n):
                break
            n += 1
            if n == 2 and not (word in self.particles or self._definite(word)):
                break  # a third word only after a particle ("بن") or as a family name "ال…"
        return n

    # ------------------------------------------------------------------ passes
    def _sentence(self, text: str, tokens: list[Token]) -> list[Mention]:
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            known = self._gazetteer_at(tokens, i)
            if known is not None:
                n, start, etype = known
                out.append(self._mention(text, start, tokens[i + n - 1].end, etype, GAZETTEER_SCORE))
                i += n
                continue
            title = self._title_at(tokens, i)
            if not title:
                i += 1
                continue
            j = self._skip_modifiers(text, tokens, i + title, out)
            n = self._name_at(tokens, j) if self._plain(tokens, j) or self._comma(text, tokens, j) else 0
            if not n:
                i = max(j, i + 1)
                continue
            out.append(self._mention(text, tokens[j].start, tokens[j + n - 1].end, "PER", CUE_SCORE))
            i = j + n
            joined = self._conjoined(text, tokens, i)
            if joined is not None:
                out.append(joined)
                i += 2
        return out

    def _skip_modifiers(self, text: str, tokens: list[Token], j: int, out: list[Mention]) -> int:
        """The word after a title's modifiers: definite adjectives and nouns, further titles and
        honorifics, places (kept as mentions of their own)."""
        for _ in range(MAX_MODIFIERS):
            if not self._plain(tokens, j):
                return j
            word = fold(tokens[j].text)
            place = self._gazetteer_at(tokens, j)
            if place is not None and place[2] == "LOC":
                n, start, etype = place
                out.append(self._mention(text, start, tokens[j + n - 1].end, etype, GAZETTEER_SCORE))
                j += n
            elif self._definite(word) or self._title(word):
                j += 1
            else:
                return j
        return j

    def _conjoined(self, text: str, tokens: list[Token], k: int) -> Mention | None:
        """A second name of two words joined to a found one by a glued conjunction and closed by
        punctuation or the sentence end ("… ويتكوف وجاريد كوشنر،")."""
        if not (self._plain(tokens, k) and self._plain(tokens, k + 1)):
            return None
        after_end = k + 2 >= len(tokens) or not self._plain(tokens, k + 2)
        forms = [
            (s, f) for s, f in self.forms(tokens[k].text)[1:] if fold(tokens[k].text)[:s] in self.conjunctions
        ]
        second = fold(tokens[k + 1].text)
        if not forms or not after_end or self._stop(second) or self._title(second):
            return None
        shift, first = forms[0]
        if self._stop(first) or self._title(first) or self._definite(first):
            return None
        return self._mention(text, tokens[k].start + shift, tokens[k + 1].end, "PER", CUE_SCORE)

    def _echoes(self, text: str, per_sentence: list[list[Token]], found: list[Mention]) -> list[Mention]:
        """The last word of a person found by a title, where it stands alone elsewhere."""
        surnames = {fold(m.text.split()[-1]) for m in found if m.type == "PER" and len(m.text.split()) > 1}
        surnames = {s for s in surnames if len(s) >= MIN_SURNAME}
        given = {
            (fold(m.text.split()[-2]), fold(m.text.split()[-1]))
            for m in found
            if m.type == "PER" and len(m.text.split()) > 1
        }
        taken = [(m.start, m.end) for m in found]
        out = []
        for tokens in per_sentence:
            for k, token in enumerate(tokens):
                if any(s <= token.start < e or s < token.end <= e for s, e in taken):
                    continue
                for shift, form in self.forms(token.text):
                    if form not in surnames:
                        continue
                    start = token.start + shift
                    if self._plain(tokens, k) and any(
                        (first, form) in given for _, first in self.forms(tokens[k - 1].text)
                    ):  # the whole name again, without its title ("بين ستيف ويتكوف، المبعوث …")
                        before = tokens[k - 1]
                        start = before.start + next(
                            sh for sh, first in self.forms(before.text) if (first, form) in given
                        )
                    out.append(self._mention(text, start, token.end, "PER", ECHO_SCORE))
                    break
        return out

    def _mention(self, text: str, start: int, end: int, etype: str, score: float) -> Mention:
        return Mention(start, end, text[start:end], etype, normal=text[start:end], source=SOURCE, score=score)


def _shift(word: str, letters: int) -> int:
    """Characters of `word` that hold its first `letters` folded letters (marks in between count)."""
    seen = 0
    for k, ch in enumerate(word):
        if fold(ch):
            if seen == letters:
                return k
            seen += 1
    return len(word)
