"""Who holds the office a role phrase names, read from the titles the article itself writes.

A headline says "Chef du ministère de la Défense d'Ukraine réclame…", "Глава Минобороны Украины
потребовал…" or "The Israeli foreign minister demanded…"; the body names the person with a title
of the same office ("le ministre ukrainien de la Défense Rustem Umerov", "министр обороны Украины
Рустем Умеров", "Foreign Minister Eli Cohen"). A reader names that person as the one who acts, not the
ministry or the country the phrase contains: an institution is an actor only when the phrase names
the institution itself ("le ministère de la Défense a annoncé").

Offices are those of the role phrases of `langdata/<lang>/roles.toml` (matched by the knowledge
base's `find_roles`: lemmas, so inflected forms match). Two phrases name one office when their
offices and their countries (or the lack of one) are the same, and their titles where the data
gives both ("chancelier" and "Premier ministre" are one office, head of government, but two
titles). A title is a role phrase written right before a person's name (up to a verb, a
conjunction or a clause mark) or right after it, set off by a comma ("Rustem Umerov, ministre de la
Défense,"). Writers put the country word inside the phrase where the data has none ("le ministre
*ukrainien* de la Défense", "head of *Ukraine's* defence ministry"), so a phrase the data does not
match as written is tried again without its country words, which then give its country. A phrase
names a holder only when exactly one person of the article carries a title of that office.

A country-less phrase does not take a titled holder of a country: "the first Warsaw Pact foreign
minister" after "German Foreign Minister Oskar Fischer" could be another; the words of a title
repeated ("the foreign minister") are linked by `ActorFinder.role_antecedent` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from newsgraph import langdata
from newsgraph.entities.kb import KnowledgeBase
from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import Document, Mention, Span

TITLE_TOKENS = 8  # how far before a name its title may begin ("le ministre ukrainien de la Défense")
APPOSED_SKIP = 2  # words between the comma after a name and its title ("Umerov, le ministre …")
TITLE_BREAKS = frozenset({"CCONJ", "VERB", "AUX", "SCONJ", "PRON"})  # words that end a title
_CLAUSE_MARKS = frozenset({",", ";", ":", "(", ")", "«", "»", '"', "“", "”", "—", "–"})
PERSON = "PER"
SHORT_NAME = 2  # letters of a country word that counts only in capitals
OPENING = 4  # letters that any form of a role phrase's first word keeps ("глава", "главы", "главой")
SamePerson = Callable[[str | None, str | None], bool]  # two entity ids a clusterer kept apart are one person


def title_run(tokens: Iterable[Token], sent: int, marks: frozenset[str] = _CLAUSE_MARKS) -> list[Token]:
    """The tokens of sentence `sent`, in the order given (outward from a name), up to the first verb,
    conjunction, pronoun or one of `marks`: where a title written next to a name may stand."""
    out: list[Token] = []
    for token in tokens:
        if token.sent != sent or token.pos in TITLE_BREAKS or token.text in marks:
            break
        out.append(token)
    return out


@dataclass(frozen=True)
class Office:
    """An office a phrase names: its code in the roles data, its country's entity id (if said) and
    its title where the data tells one office's titles apart ("chancelier", "Premier ministre")."""

    office: str
    country: str | None
    title: str | None = None

    def agrees(self, other: Office) -> bool:
        """One office: the same code and the same country, or neither phrase naming one ("the first
        Warsaw Pact foreign minister" is not the "German Foreign Minister" by its words alone:
        `ActorFinder.role_antecedent` links a phrase that repeats a title's own words), and the same
        title when both phrases give one."""
        if self.office != other.office or self.country != other.country:
            return False
        return self.title is None or other.title is None or self.title == other.title


@cache
def role_openings(lang: str | None) -> frozenset[str]:
    """The first letters (`OPENING`) of the first word of each role phrase of `lang`, casefolded: a
    phrase none of whose words begins so holds no role phrase, and is not given to the matcher
    (which lemmatises every word it is given)."""
    table = langdata.load(lang, "roles")
    return frozenset(
        words[0].casefold()[:OPENING]
        for entry in table.get("role", [])
        for phrase in entry.get("phrases", [])
        if (words := phrase.replace("'", " ").replace("’", " ").split())
    )


@cache
def polity_words(lang: str | None) -> dict[str, str]:
    """One-word names and adjectives of countries and organisations in `lang`, casefolded -> entity
    id ("ukrainien" -> Ukraine): the words a writer may put inside a title."""
    return {
        name.casefold(): eid
        for name, eid in KnowledgeBase.default().polity_names(lang)
        if " " not in name.strip()
    }


class OfficeHolders:
    """The offices of role phrases and the people one document titles with them."""

    def __init__(self, doc: Document, analysis: Analysis, kb: KnowledgeBase | None = None):
        self.doc = doc
        self.analysis = analysis
        self.kb = kb or KnowledgeBase.default()
        self._titled: list[tuple[Office, str]] | None = None
        self._holders: dict[tuple[Span, int | None, Span | None], str | None] = {}

    # -------------------------------------------------------------------------- reading offices
    def offices(
        self, tokens: Sequence[Token], within: Token | None = None
    ) -> list[tuple[Office, list[Token]]]:
        """The offices the role phrases among `tokens` name, each with the tokens of its phrase; only
        phrases holding `within` when it is given. The words as written first, then without their
        country words (each then giving the phrase's country)."""
        openings = role_openings(self.doc.lang)
        if not any(t.text.casefold()[:OPENING] in openings for t in tokens):
            return []
        found = self._read(tokens, within, [])
        if found:
            return found
        countries = {t.i: c for t in tokens if t is not within and (c := self.country_of(t)) is not None}
        if not countries:
            return []
        # a country word goes with its own preposition or possessive ("d'Ukraine", "Ukraine's")
        kept = [t for t in tokens if t.i not in countries and not (t.dep == "case" and t.head in countries)]
        return self._read(kept, within, list(countries.values()))

    def _read(
        self, tokens: Sequence[Token], within: Token | None, dropped: list[str]
    ) -> list[tuple[Office, list[Token]]]:
        """Role phrases of the tokens joined by single spaces (so dropped words leave no gap)."""
        if not tokens:
            return []
        text, starts = "", []
        for token in tokens:
            starts.append(len(text))
            text += token.text + " "
        out = []
        for role in self.kb.find_roles(text, 0, len(text), self.doc.lang):
            covered = [t for t, at in zip(tokens, starts, strict=True) if role.start <= at < role.end]
            if within is not None and within not in covered:
                continue
            country = role.country or (dropped[0] if dropped else None)
            out.append((Office(role.office, country, role.title), covered))
        return out

    def country_of(self, token: Token) -> str | None:
        """The country a word names: a country name or adjective the knowledge base knows, as written
        or as its lemma. Not any place mention: recognisers read an office's own words as places
        ("ministre de la *Défense*")."""
        if len(token.text) <= SHORT_NAME and not token.text.isupper():
            return None  # "us", "un": a one- or two-letter country word only in capitals ("US", "ЕС")
        words = polity_words(self.doc.lang)
        return words.get(token.text.casefold()) or words.get(token.lemma.casefold())

    # -------------------------------------------------------------------------- titles of people
    def titled(self) -> list[tuple[Office, str]]:
        """(office, person entity id) for each title the document writes next to a person's name."""
        if self._titled is None:
            self._titled = []
            for mention in self.doc.mentions:
                if mention.type == PERSON and mention.entity:
                    for office in self.titles_of(mention):
                        self._titled.append((office, mention.entity))
        return self._titled

    def titles_of(self, mention: Mention) -> list[Office]:
        """The offices of the titles right before a person's name and right after it past a comma."""
        first = self.analysis.token_at(mention.start)
        if first is None:
            return []
        before = self.words_before(first, comma=True)
        out = [office for office, covered in self.offices(before) if covered and covered[-1] is before[-1]]
        after = self._title_after(mention)
        out += [
            office
            for office, covered in self.offices(after)
            if covered and covered[0] in after[: APPOSED_SKIP + 1]
        ]
        return out

    def words_before(self, first: Token, comma: bool = False) -> list[Token]:
        """The words before a name's first token, back to a verb, a conjunction or a clause mark; with
        `comma`, past a comma right before the name, which sets a person's name off from its title
        ("el ministro de Defensa ucraniano, Rustem Umerov")."""
        tokens = self.analysis.tokens
        last = first.i - 1
        if comma and last >= 0 and tokens[last].text == "," and tokens[last].sent == first.sent:
            last -= 1
        run = title_run((tokens[i] for i in range(last, max(-1, last - TITLE_TOKENS), -1)), first.sent)
        return run[::-1]

    def _title_after(self, mention: Mention) -> list[Token]:
        """The words after a name set off by a comma ("Rustem Umerov, ministre de la Défense,"), up to
        the next verb, conjunction or clause mark."""
        last = self.analysis.token_at(mention.end - 1)
        if last is None or last.i + 1 >= len(self.analysis.tokens):
            return []
        comma = self.analysis.tokens[last.i + 1]
        if comma.text != "," or comma.sent != last.sent:
            return []
        return title_run(self.analysis.tokens[comma.i + 1 : comma.i + 1 + TITLE_TOKENS], last.sent)

    # -------------------------------------------------------------------------- holders
    def holder(
        self,
        span: Span,
        head: Token | None,
        same_person: SamePerson | None = None,
        inside: Span | None = None,
    ) -> str | None:
        """The person the document titles with the office the phrase over `span` names (a role phrase
        holding its head word, and all of `inside` when given), when exactly one person carries such
        a title. Kept per phrase: each trigger of a sentence asks again for the same actors."""
        key = (span, head.i if head is not None else None, inside)
        if key not in self._holders:
            self._holders[key] = self._holder(span, head, same_person, inside)
        return self._holders[key]

    def _holder(
        self, span: Span, head: Token | None, same_person: SamePerson | None, inside: Span | None
    ) -> str | None:
        tokens = self.analysis.tokens_in(span)
        offices = [
            office
            for office, covered in self.offices(tokens, within=head)
            if inside is None or (covered[0].start <= inside[0] and inside[1] <= covered[-1].end)
        ]
        if not offices:
            return None
        people: list[str] = []
        for held, person in self.titled():
            if person not in people and any(held.agrees(office) for office in offices):
                people.append(person)
        if same_person is not None:
            people = [p for k, p in enumerate(people) if not any(same_person(q, p) for q in people[:k])]
        return people[0] if len(people) == 1 else None
