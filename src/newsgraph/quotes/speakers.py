"""Who a cue attributes words to: a name, a title phrase, a pronoun, or a bare noun phrase.

The speaker expression is read from the parse where there is one (the cue verb's subject) and
otherwise from the words next to the cue. It then names an entity when it is a recognised mention
(person or organisation), a pronoun (the person the preceding text is about: the first person
named, outside quotations, in the nearest sentence before it that names one whose gender, as the
document tells it, does not contradict the pronoun's: `gender`), or a title phrase
("le secrétaire américain", "госсекретарь США": the last person before it whose own mentions carry
that title).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from newsgraph.entities.backends.lexicon import Lexicon, lexicon
from newsgraph.entities.local import titles_near
from newsgraph.model import Mention, Span
from newsgraph.quotes.context import Context
from newsgraph.quotes.gender import Genders, word_gender

SPEAKER_TYPES = ("PER", "ORG")
SUBJECTS = ("nsubj", "expl:subj")  # subject relations (and their subtypes); French "a-t-il" gives both
SHARED_SUBJECT = ("conj", "xcomp", "advcl")  # a cue with one of these relations may share its head's subject
NAME_PARTS = ("appos", "compound", "flat", "flat:name", "nmod:poss")  # a name so related names the subject
CLITIC_MARKS = "-'’"  # what ties a clitic pronoun to its verb ("a-t-il", "-elle")
NOUN_PHRASE_MAX = 6  # words kept of a speaker that names no entity ("Police officials")
SUBTREE_MAX = 12  # a longer subject keeps only its words up to its head
TITLE_WORDS_MAX = 3
RELATIVE_CLAUSE_MAX = 16  # tokens of a relative clause after a name searched for the title it gives
PRONOUN_LOOKBACK = 5  # sentences searched back for the person a pronoun stands for
NOMINAL = frozenset({"NOUN", "PROPN", ""})
DATELINE_ENDS = frozenset("-–—,(")  # what follows a dateline's place ("WASHINGTON --", "PARIS (AFP)")


@dataclass(frozen=True)
class Speaker:
    span: Span  # the speaker expression in the text
    entity: str | None = None  # the entity it names, when known
    named: bool = True  # False for a bare noun phrase that no rule identified


class Speakers:
    """Speaker lookups for one document."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.names: Lexicon = lexicon(ctx.doc.lang)

    # ------------------------------------------------------------------ from the parse
    def subject_of(self, cue_token: int) -> Speaker | None:
        """The cue verb's subject (or its head's: "stood up and said", "…, adding"), if the parse has one."""
        tokens = self.ctx.tokens
        i = cue_token
        for _ in range(2):
            subjects = [
                self._subject(c.i)
                for c in self.ctx.analysis.children(i)
                if c.dep.startswith(SUBJECTS) and not self.ctx.in_quote(c.i)
            ]
            if subjects:
                return next((s for s in subjects if s.named), subjects[0])
            if tokens[i].dep not in SHARED_SUBJECT or tokens[i].head == i:
                return None
            i = tokens[i].head
        return None

    def _subject(self, head: int) -> Speaker:
        """The speaker a subject names: the mention, title or pronoun at its head (or in a name joined to
        it: "spokesman Matthew Miller", "Revesz, director of …"), else the phrase itself."""
        ctx = self.ctx
        start, end = ctx.analysis.subtree_span(head)
        if len(ctx.analysis.tokens_in((start, end))) > SUBTREE_MAX:
            end = ctx.tokens[head].end
        last = ctx.analysis.tokens_in((start, end))[-1].i
        if ctx.mention_at(ctx.tokens[head].start) is None:
            title = self._title_at(head, last)  # the whole title phrase: "Chef du ministère de la Défense"
            if title is not None:
                return title
        for i in [head, *(c.i for c in ctx.analysis.children(head) if c.dep in NAME_PARTS)]:
            found = self.in_region(i, i, from_right=False)
            if found is not None:
                return found
        return Speaker((start, end), named=False)

    # ------------------------------------------------------------------ from the words around the cue
    def in_region(self, first: int, last: int, from_right: bool, places: bool = True) -> Speaker | None:
        """The speaker named in tokens `first..last`: a person or organisation, a title phrase or a
        pronoun, the one nearest the cue (`from_right` when the cue follows the region); a place only
        when nothing else is there (and `places` allows it). A relative pronoun right after a comma
        ("premier Tusk, który dodał") stands for the name before the comma."""
        if first > last:
            return None
        order = range(last, first - 1, -1) if from_right else range(first, last + 1)
        place = None
        for i in order:
            if self.ctx.in_quote(i):
                continue
            if self._is_relative(i):
                antecedent = self._antecedent(i)
                if antecedent is not None:  # the pronoun is the speaker's phrase, its antecedent the entity
                    return Speaker(self.ctx.span_of(i, i), antecedent.entity)
            mention = self.ctx.mention_at(self.ctx.tokens[i].start)
            if mention is not None and self._is_dateline(mention):
                continue
            if mention is not None and mention.type in SPEAKER_TYPES:
                return Speaker((mention.start, mention.end), mention.entity)
            if mention is not None and place is None:
                place = Speaker((mention.start, mention.end), mention.entity)
                continue
            title = self._title_at(i, last)
            if title is not None:
                return title
            if any(form in self.ctx.lex.pronouns for form in self.ctx.surface_forms(i)):  # "ils" is no "il"
                start, end = self.ctx.span_of(i, i)
                start += len(self.ctx.text[start:end]) - len(self.ctx.text[start:end].lstrip(CLITIC_MARKS))
                return Speaker((start, end), self.person_before(start, word_gender(self.ctx, i)))
        return place if places else None

    def _is_dateline(self, mention: Mention) -> bool:
        """ "WASHINGTON --", "LOS ANGELES, Sept. 28": a place in capitals that opens its paragraph before a
        dash or comma is where the story was filed, never who speaks in the sentence it opens."""
        text = self.ctx.text
        line_start = text.rfind("\n", 0, mention.start) + 1
        if text[line_start : mention.start].strip() or not mention.text.isupper() or len(mention.text) < 3:
            return False
        return text[mention.end : mention.end + 3].lstrip()[:1] in DATELINE_ENDS

    def _is_relative(self, i: int) -> bool:
        """A relative pronoun right after a comma ("…, który", "…, who")."""
        return i > 0 and self.ctx.tokens[i - 1].text == "," and self.ctx.word(i) in self.ctx.lex.relatives

    def _antecedent(self, i: int) -> Speaker | None:
        """The person or organisation (or title) that ends right before the comma before token `i`."""
        comma = self.ctx.tokens[i - 1]
        mention = self.ctx.mention_at(max(0, comma.start - 1))
        if mention is not None and mention.type in SPEAKER_TYPES:
            return Speaker((mention.start, mention.end), mention.entity)
        sent = self.ctx.tokens[i].sent
        k = i - 2
        while (
            k >= 0
            and self.ctx.tokens[k].sent == sent
            and not self.ctx.is_boundary(k)
            and i - k <= TITLE_WORDS_MAX + 1
        ):
            title = self._title_at(k, i - 2)
            if title is not None:
                return title
            k -= 1
        return None

    def noun_phrase(self, first: int, last: int, from_right: bool) -> Speaker | None:
        """The words of tokens `first..last` (at most NOUN_PHRASE_MAX, nearest the cue) without the
        function words around them, when a noun is among them: a speaker no rule identified."""
        words = [i for i in range(first, last + 1) if self.ctx.is_word(i) and not self.ctx.in_quote(i)]
        words = words[-NOUN_PHRASE_MAX:] if from_right else words[:NOUN_PHRASE_MAX]
        for _ in range(2):  # trim, cut at an inner auxiliary ("Schon im Wahlkampf hatte Merz"), trim again
            while words and self.is_function_word(words[0]):
                words.pop(0)
            while words and self.is_function_word(words[-1]):
                words.pop()
            verbs = [n for n, i in enumerate(words) if self.ends_phrase(i)]
            if verbs:
                words = words[verbs[-1] + 1 :] if from_right else words[: verbs[0]]
        if not words or not any(self.ctx.tokens[i].pos in NOMINAL for i in words):
            return None
        return Speaker(self.ctx.span_of(words[0], words[-1]), named=False)

    def is_function_word(self, i: int) -> bool:
        """True for a word that cannot name a speaker: a stop word, an auxiliary, a pronoun of the
        speaker's own words ("мы"), a relative pronoun or a speech verb ("ha", "se han", "dijo")."""
        word = self.ctx.word(i)
        return (
            self.names.is_stop(word)
            or word in self.ctx.lex.passive
            or word in self.ctx.lex.auxiliaries
            or word in self.ctx.lex.first_person
            or word in self.ctx.lex.relatives
            or self._is_verb(i)
            or self.ctx.tokens[i].pos in ("AUX", "ADV", "DET", "ADP", "PART", "CCONJ", "SCONJ", "PRON")
        )

    # ------------------------------------------------------------------ titles
    def _title_at(self, i: int, last: int) -> Speaker | None:
        """A title phrase starting at token `i` ("the spokesman", "президент Израиля"), up to `last`."""
        for n in range(min(TITLE_WORDS_MAX, last - i + 1), 0, -1):
            title = self.names.titles.match(" ".join(self.ctx.word(k) for k in range(i, i + n)))
            if title is not None:
                start = self.ctx.tokens[i].start
                end = self._phrase_end(i + n - 1, last)
                named = self._named_in(i + n, end) or self._apposition(end, last)
                if named is not None:
                    return named
                return Speaker((start, end), self.holder_of(title, start))
        return None

    def _named_in(self, first: int, end: int) -> Speaker | None:
        """A person named inside a title's phrase, from token `first` to character `end` ("la alcaldesa
        Ana Ruiz"): the title describes that name."""
        for token in self.ctx.tokens[first:]:
            if token.start >= end:
                break
            mention = self.ctx.mention_at(token.start)
            if mention is not None and mention.type == "PER" and mention.start == token.start:
                return Speaker((mention.start, mention.end), mention.entity)
        return None

    def _apposition(self, end: int, last: int) -> Speaker | None:
        """The person named right after a title phrase ending at `end` ("el ministro iraní, Abbas
        Araqchi,"), up to token `last`: the title describes that name."""
        i = self.ctx.first_token_from(end)
        if i is not None and i <= last and self.ctx.tokens[i].text == ",":
            i += 1
        if i is None or i > last:
            return None
        mention = self.ctx.mention_at(self.ctx.tokens[i].start)
        if mention is None or mention.type != "PER" or mention.start != self.ctx.tokens[i].start:
            return None
        return Speaker((mention.start, mention.end), mention.entity)

    def _phrase_end(self, i: int, last: int) -> int:
        """End of the noun phrase a title word heads: its modifiers up to a boundary or a verb."""
        end = i
        while (
            end < last
            and not self.ctx.is_boundary(end + 1)
            and self.ctx.tokens[end + 1].pos in ("ADJ", "PROPN", "NOUN", "ADP", "DET", "")
            and not self.ends_phrase(end + 1)
        ):
            end += 1
        return self.ctx.tokens[end].end

    def ends_phrase(self, i: int) -> bool:
        """An auxiliary or a speech verb ends a title's phrase, even untagged ("ministro iraní ha")."""
        lex = self.ctx.lex
        return self.ctx.word(i) in lex.auxiliaries or self._is_verb(i)

    def _is_verb(self, i: int) -> bool:
        """A speech verb, unless the tagger reads it as a noun ("the report", "officials")."""
        if self.ctx.tokens[i].pos not in ("VERB", "AUX", ""):
            return False
        return any(form in self.ctx.lex.verbs for form in self.ctx.forms(i))

    def holder_of(self, title: str, position: int) -> str | None:
        """The entity of the last person before `position` whose mentions carry a compatible title."""
        for mention in reversed(self.ctx.mentions):
            if mention.start >= position or mention.type != "PER" or mention.entity is None:
                continue
            if any(title in held or held in title for held in self._titles.get(mention.entity, ())):
                return mention.entity
        return None

    @cached_property
    def _titles(self) -> dict[str, set[str]]:
        """Title words seen next to each person's mentions, by entity."""
        held: dict[str, set[str]] = defaultdict(set)
        for mention in self.ctx.mentions:
            if mention.type == "PER" and mention.entity is not None:
                held[mention.entity].update(titles_near(self.ctx.text, mention, self.names))
                held[mention.entity].update(self._relative_titles(mention))
        return held

    def _relative_titles(self, mention: Mention) -> set[str]:
        """Titles in the relative clause right after a person's name ("Friedrich Merz, qui … deviendra
        chancelier fédéral,"): an apposition in all but form, it says what the person is or becomes."""
        i = self.ctx.first_token_from(mention.end)
        if i is None or i + 1 >= len(self.ctx.tokens) or self.ctx.tokens[i].text != ",":
            return set()
        if self.ctx.word(i + 1) not in self.ctx.lex.relatives:
            return set()
        found: set[str] = set()
        k = i + 2
        while k < len(self.ctx.tokens) and not self.ctx.is_boundary(k) and k - i <= RELATIVE_CLAUSE_MAX:
            title = self.names.titles.match(self.ctx.word(k))
            if title is not None:
                found.add(title)
            k += 1
        return found

    # ------------------------------------------------------------------ pronouns and subjects
    def person_before(self, position: int, gender: str | None = None) -> str | None:
        """The entity a singular personal pronoun at `position` (of `gender`, if it marks one) most
        likely stands for."""
        mention = self.first_person(position, gender=gender)
        return mention.entity if mention is not None else None

    @cached_property
    def genders(self) -> Genders:
        return Genders(self.ctx)

    def first_person(
        self, position: int, lookback: int = PRONOUN_LOOKBACK, gender: str | None = None
    ) -> Mention | None:
        """The first person named outside quotations in the sentence of `position` (before it) or, failing
        that, in the nearest sentence before it that names one; with a `gender`, the first the document
        gives that gender ("she" is not the man named first), else the first it gives no gender."""
        sent = self.ctx.analysis.sentence_of(position)
        if sent is None:
            return None
        candidates = [
            mention
            for k in range(sent, max(-1, sent - lookback - 1), -1)
            for mention in self.ctx.mentions_in(
                (self.ctx.analysis.sentences[k][0], min(self.ctx.analysis.sentences[k][1], position))
            )
            if mention.type == "PER"
            and self.ctx.quote_at(mention.start) is None
            and self.genders.fits(mention.entity, gender)
        ]
        if gender is not None:  # a person the text says has that gender, before one it says nothing about
            known = [m for m in candidates if self.genders.of(m.entity) == gender]
            candidates = known + candidates
        return candidates[0] if candidates else None

    def clause_subject(self, position: int) -> Speaker | None:
        """The person or organisation named first in the sentence before `position`, outside quotations
        (the subject a participle cue shares: "X said …, adding that …")."""
        sent = self.ctx.analysis.sentence_of(position)
        if sent is None:
            return None
        start, _ = self.ctx.analysis.sentences[sent]
        for mention in self.ctx.mentions_in((start, position)):
            if mention.type in SPEAKER_TYPES and self.ctx.quote_at(mention.start) is None:
                return Speaker((mention.start, mention.end), mention.entity)
        return None
