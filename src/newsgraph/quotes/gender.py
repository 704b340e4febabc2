"""The gender of the people a document names, read from the document itself, for pronoun speakers.

"“…,” she said" stands for the woman named last, not for the man named after her; the language
marks it, and the text says who is a woman: a title before the name ("Mrs. Clinton", "Frau
Baerbock", "Mme Colonna") or the subject pronouns that follow the name in a sentence that names
no other person ("Rendell said he …"). The knowledge base records no gender and a list of first names
would fail on names it does not hold, so the document's own words decide (in Slavic languages also
the ending of a past-tense speech verb whose sentence names that person alone: "заявила"); a person it says
nothing about has no gender and fits any pronoun. The words are `masculine` and `feminine` in
`langdata/<lang>/quotes.toml`.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from newsgraph.quotes.context import Context

MASCULINE, FEMININE = "m", "f"
TITLE_VOTES = 3  # a title before a name says more than a pronoun that may stand for someone else


def word_gender(ctx: Context, i: int) -> str | None:
    """The gender token `i` marks ("she", "his", "Mrs.", "a-t-elle"), if it marks one."""
    for form in ctx.surface_forms(i):
        word = form.rstrip(".")
        if word in ctx.lex.masculine:
            return MASCULINE
        if word in ctx.lex.feminine:
            return FEMININE
    return None


def verb_gender(ctx: Context, i: int) -> str | None:
    """The gender a past-tense verb's ending gives its subject ("заявила", "powiedział", "сказав"), in
    the languages that mark it (`masculine_verb_endings`, `feminine_verb_endings`)."""
    marked = ctx.tokens[i].morph.get("Gender")  # a tagger's reading, where the language has one
    if marked in ("Masc", "Fem") and ctx.tokens[i].pos in ("VERB", "AUX"):
        return MASCULINE if marked == "Masc" else FEMININE
    word = ctx.tokens[i].text.casefold()
    if ctx.lex.feminine_verb_endings and word.endswith(ctx.lex.feminine_verb_endings):
        return FEMININE
    if ctx.lex.masculine_verb_endings and word.endswith(ctx.lex.masculine_verb_endings):
        return MASCULINE
    return None


class Genders:
    """Gender by entity for one document (`of`), from titles and unambiguous pronouns."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._titles()
        self._pronouns()
        self._verbs()

    def of(self, entity: str | None) -> str | None:
        """MASCULINE, FEMININE, or None when the document does not tell (or tells both equally)."""
        votes = self._votes.get(entity or "")
        if not votes or votes[MASCULINE] == votes[FEMININE]:
            return None
        return MASCULINE if votes[MASCULINE] > votes[FEMININE] else FEMININE

    def fits(self, entity: str | None, gender: str | None) -> bool:
        """True unless both genders are known and differ."""
        known = self.of(entity)
        return gender is None or known is None or known == gender

    def _titles(self) -> None:
        """ "Mrs. Clinton", "Herr Merz": a gendered title right before (or opening) a person's mention."""
        ctx = self.ctx
        for mention in ctx.mentions:
            if mention.type != "PER" or mention.entity is None:
                continue
            first = ctx.first_token_from(mention.start)
            if first is None:
                continue
            for i in (first - 1, first):  # the word before the name, or the name's own first word
                gender = word_gender(ctx, i) if i >= 0 else None
                if gender is not None:
                    self._votes[mention.entity][gender] += TITLE_VOTES
                    break

    def _pronouns(self) -> None:
        """A gendered subject pronoun outside quotations in a sentence that names one person only, before
        it ("Rendell said he had …"): that person's gender. An object ("spoke after her") often stands
        for someone else, and so does a pronoun whose person is named in an earlier sentence."""
        ctx = self.ctx
        for token in ctx.tokens:
            i = token.i
            if ctx.in_quote(i) or not set(ctx.surface_forms(i)) & ctx.lex.pronouns:
                continue
            if token.dep and not token.dep.startswith("nsubj"):  # "à côté d'elle" is no subject
                continue
            gender = word_gender(ctx, i)
            if gender is None:
                continue
            window = (ctx.analysis.sentences[token.sent][0], token.start)
            people = {
                m.entity
                for m in ctx.mentions_in(window)
                if m.type == "PER" and m.entity is not None and ctx.quote_at(m.start) is None
            }
            if len(people) == 1:
                self._votes[people.pop()][gender] += 1

    def _verbs(self) -> None:
        """A past-tense verb whose form marks its subject's gender: with a parse, any verb whose subject is
        a person ("где была Мария Соколова"); without one, a speech verb ("powiedział Jan Nowak") outside
        quotations in a sentence that names one person only."""
        ctx = self.ctx
        if not ctx.lex.masculine_verb_endings and not ctx.lex.feminine_verb_endings:
            return
        for token in ctx.tokens:
            if ctx.in_quote(token.i):
                continue
            subject = self._named_subject(token.i)
            if subject is not None:  # parsed: any verb tells its subject's gender ("где была Мария Соколова")
                gender = verb_gender(ctx, token.i) if token.pos in ("VERB", "AUX") else None
                if gender is not None:
                    self._votes[subject][gender] += 1
                continue
            if not set(ctx.forms(token.i)) & ctx.lex.verbs:
                continue
            gender = verb_gender(ctx, token.i)
            if gender is None:
                continue
            people = {
                m.entity
                for m in ctx.mentions_in(ctx.analysis.sentences[token.sent])
                if m.type == "PER" and m.entity is not None and ctx.quote_at(m.start) is None
            }
            named = self._named_before(token.i)
            if len(people) == 1 or named is not None:
                self._votes[named or people.pop()][gender] += 1

    def _named_before(self, i: int) -> str | None:
        """The person named right before token `i`, or before a comma and a relative pronoun ("Anna
        Nowak skrytykowała", "z Anną Nowak, która skrytykowała"): the subject, where no parse tells it."""
        ctx = self.ctx
        k = i - 1
        if k >= 1 and ctx.word(k) in ctx.lex.relatives and ctx.tokens[k - 1].text == ",":
            k -= 2
        if k < 0 or ctx.tokens[k].sent != ctx.tokens[i].sent:
            return None
        mention = ctx.mention_at(ctx.tokens[k].start)
        if mention is None or mention.type != "PER" or mention.end != ctx.tokens[k].end:
            return None
        return mention.entity

    def _named_subject(self, i: int) -> str | None:
        """The person entity whose mention is the parsed subject of token `i`, if any."""
        for child in self.ctx.analysis.children(i):
            if child.dep.startswith("nsubj"):
                mention = self.ctx.mention_at(child.start)
                if mention is not None and mention.type == "PER" and mention.entity is not None:
                    return mention.entity
        return None
