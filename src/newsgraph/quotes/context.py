"""One document as the quotation finder reads it: tokens, sentences, quoted stretches and mentions.

Everything here is a lookup over the shared analysis (`newsgraph.language.syntax`) and the
document's mentions, built once per document so the rules in `cues`, `speakers`, `quotations`
and `reported` stay small functions of token indices.
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
    _token_starts: list[int] = field(init=False, repr=False)
    _forms: list[tuple[str, str, str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.mentions = sorted(self.doc.mentions, key=lambda m: (m.start, m.end))
        # every rule asks for a token's forms, many times over: computed once per token
        self._forms = [(t.lemma.casefold(), *_surface_forms(t.text)) for t in self.tokens]
        self._token_starts = [t.start for t in self.tokens]
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
        """What a lexicon entry may name token `i` by: its lemma and its surface forms."""
        return self._forms[i]

    def surface_forms(self, i: int) -> tuple[str, str]:
        """Token `i`'s text, case-folded, and for a clitic ("-il", "a-t-il") its last part."""
        _, text, last = self._forms[i]
        return text, last

    def is_word(self, i: int) -> bool:
        return any(c.isalnum() for c in self.tokens[i].text)

    def is_boundary(self, i: int) -> bool:
        """A punctuation token that ends a clause or a phrase (comma, dash, colon, quotation mark, ...),
        not a hyphen inside a word ("labor-policy")."""
        text = self.tokens[i].text
        if any(c.isalnum() for c in text) or set(text) <= NOT_BOUNDARIES:
            return False
        return not (
            text == "-"
            and 0 < i < len(self.tokens) - 1
            and self.tokens[i - 1].end == self.tokens[i].start
            and self.tokens[i].end == self.tokens[i + 1].start
        )

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

    def first_token_from(self, offset: int) -> int | None:
        """Index of the first token starting at or after character `offset`."""
        k = bisect_left(self._token_starts, offset)
        return k if k < len(self.tokens) else None

    def sentence_at(self, offset: int) -> int | None:
        """Sentence of the token containing character `offset`, if a token does."""
        token = self.analysis.token_at(offset)
        return token.sent if token is not None else None

    def words_in(self, span: Span) -> int:
        return sum(self.is_word(t.i) for t in self.analysis.tokens_in(span))

    def words_between(self, first: int, stop: int) -> int:
        """Words among tokens `first` to `stop` (excluded)."""
        return sum(self.is_word(i) for i in range(first, stop))

    def is_complementizer(self, i: int) -> bool:
        return bool(set(self.forms(i)) & self.lex.complementizers)

    # ------------------------------------------------------------------ clauses
    def clause_start(self, i: int) -> int:
        """First token of the clause token `i` is in: after the last boundary before it, in its sentence."""
        sent = self.tokens[i].sent
        while i > 0 and not self.is_boundary(i - 1) and self.tokens[i - 1].sent == sent:
            i -= 1
        return i

    def clause_end(self, first: int, stop: int) -> int:
        """Index of the first boundary token from `first` (or `stop`), quotation marks left aside."""
        end = first
        while end < stop and (not self.is_boundary(end) or self.is_quote_mark(end)):
            end += 1
        return end

    def begins_clause(self, offset: int) -> bool:
        """True when the token at `offset` begins a sentence or follows a boundary (not "called it “…”")."""
        i = self.first_token_from(offset)
        if i is None:
            return False
        return i == 0 or self.tokens[i - 1].sent != self.tokens[i].sent or self.is_boundary(i - 1)

    def ends_clause(self, offset: int) -> bool:
        """True when nothing of the clause follows character `offset` ("…''." or "…», a-t-il dit")."""
        i = self.first_token_from(offset)
        return i is None or self.is_boundary(i) or self.tokens[i].sent != self.sentence_at(offset - 1)

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


def _surface_forms(text: str) -> tuple[str, str]:
    """A token's text, case-folded, and for a clitic ("-il", "a-t-il") its last part."""
    folded = text.casefold()
    return folded, folded.rsplit("-", 1)[-1].lstrip("'’")


def trimmed(text: str, span: Span, marks: frozenset[str] = frozenset()) -> Span:
    """`span` without the whitespace (and the `marks`) around it."""
    start, end = span
    while start < end and (text[start].isspace() or text[start] in marks):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks):
        end -= 1
    return start, end
