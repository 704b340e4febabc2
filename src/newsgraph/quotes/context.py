"""One document as the quotation finder reads it: tokens, sentences, quoted stretches and mentions.

Everything here is a lookup over the shared analysis (`newsgraph.language.syntax`) and the
document's mentions, built once per document so the rules in `cues`, `speakers` and `frames`
stay small functions of token indices.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import Document, Mention, Span
from newsgraph.quotes.lexicon import QuoteLexicon
from newsgraph.quotes.marks import Quoted

NOT_BOUNDARIES = frozenset("&%$€£+'’#@")  # symbols that are no clause boundary
TERMINATORS = frozenset(".!?…")


@dataclass
class Context:
    doc: Document
    analysis: Analysis
    lex: QuoteLexicon
    quoted: list[Quoted]  # quotations inside no other one, sorted
    mentions: list[Mention] = field(init=False)
    _quoted_starts: list[int] = field(init=False, repr=False)
    _mention_starts: list[int] = field(init=False, repr=False)
    _sentence_tokens: list[range] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.mentions = sorted(self.doc.mentions, key=lambda m: (m.start, m.end))
        self._quoted_starts = [q.start for q in self.quoted]
        self._mention_starts = [m.start for m in self.mentions]
        bounds = [[len(self.tokens), 0] for _ in self.analysis.sentences]
        for token in self.tokens:
            bounds[token.sent][0] = min(bounds[token.sent][0], token.i)
            bounds[token.sent][1] = max(bounds[token.sent][1], token.i + 1)
        self._sentence_tokens = [range(first, max(first, last)) for first, last in bounds]

    # ------------------------------------------------------------------ text
    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def tokens(self) -> list[Token]:
        return self.analysis.tokens

    def word(self, i: int) -> str:
        return self.tokens[i].text.casefold()

    def forms(self, i: int) -> tuple[str, ...]:
        """What a lexicon entry may name token `i` by: its lemma and its text, case-folded, and for a
        clitic ("-il", "a-t-il") its last part."""
        token = self.tokens[i]
        text = token.text.casefold()
        return (token.lemma.casefold(), text, text.rsplit("-", 1)[-1].lstrip("'’"))

    def is_word(self, i: int) -> bool:
        return any(c.isalnum() for c in self.tokens[i].text)

    def is_boundary(self, i: int) -> bool:
        """A punctuation token that ends a clause or a phrase (comma, dash, colon, quotation mark, ...),
        not a hyphen inside a word ("labor-policy")."""
        text = self.tokens[i].text
        if any(c.isalnum() for c in text) or set(text) <= NOT_BOUNDARIES:
            return False
        return not (text == "-" and 0 < i < len(self.tokens) - 1
                    and self.tokens[i - 1].end == self.tokens[i].start == self.tokens[i + 1].start - 1)

    def is_quote_mark(self, i: int) -> bool:
        text = self.tokens[i].text
        return bool(text) and all(c in self.lex.mark_characters for c in text)

    def ends_sentence(self, i: int) -> bool:
        return self.tokens[i].text[:1] in TERMINATORS

    def sentence_tokens(self, sent: int) -> range:
        """Indices of the tokens of sentence `sent`."""
        return self._sentence_tokens[sent]

    def span_of(self, first: int, last: int) -> Span:
        """Characters from token `first` to token `last` (inclusive)."""
        return self.tokens[first].start, self.tokens[last].end

    # ------------------------------------------------------------------ quotations
    def quote_at(self, offset: int) -> Quoted | None:
        """The quotation (marks included) containing character `offset`, if any."""
        k = bisect_right(self._quoted_starts, offset) - 1
        if k >= 0 and offset < self.quoted[k].end:
            return self.quoted[k]
        return None

    def in_quote(self, i: int) -> bool:
        return self.quote_at(self.tokens[i].start) is not None

    # ------------------------------------------------------------------ mentions
    def mentions_in(self, span: Span) -> list[Mention]:
        """The mentions inside `[start, end)`, in order."""
        first = bisect_left(self._mention_starts, span[0])
        return [m for m in self.mentions[first:] if m.start < span[1] and m.end <= span[1]]

    def mention_at(self, offset: int) -> Mention | None:
        k = bisect_right(self._mention_starts, offset) - 1
        if k >= 0 and offset < self.mentions[k].end:
            return self.mentions[k]
        return None
