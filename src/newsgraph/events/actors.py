"""Who an argument of an event is: the entity mention at a parse token, or an antecedent.

An argument is a token (the head of a noun phrase) and becomes an `Actor`: the span to point at
and, when one can be found, the entity id of a mention. In order of preference: a mention
covering the token; a person named on the head ("son homologue ukrainien Dmytro Kuleba"); for
a pronoun, the most recent person mentioned before it; for a role noun ("le président
israélien"), the person an earlier occurrence of that phrase introduced ("le président israélien
Isaac Herzog") or a name set off by a comma right after it; an organisation or place named on the
head ("European Community foreign ministers", "президент Франции"); a proper noun some mention of
the document spells alike (a headline's "Блинкен" that the recogniser missed); else the phrase
alone, with no entity. A pronoun that points at no one known is no actor.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from newsgraph.events.offices import OfficeHolders, title_run
from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import Document, Mention, Span

# Relations that stay inside a noun phrase; the head's own preposition and clauses are left out.
_PHRASE_RELATIONS = frozenset(
    {
        "det",
        "amod",
        "compound",
        "flat",
        "appos",
        "nmod",
        "nummod",
        "fixed",
        "case",
        "advmod",
        "det:poss",
        "nmod:poss",
        "flat:name",
        "flat:foreign",
        "compound:prt",
        "det:predet",
        "obl:npmod",
        "dep",
        "obl",
        "obl:mod",
        "obl:arg",
    }
)
_NAMING_RELATIONS = frozenset({"appos", "flat", "flat:name", "compound", "nmod", "nmod:poss", "amod", "dep"})
_NAME_PARTS = frozenset({"flat", "flat:name", "compound", "appos"})
_TYPE_PREFERENCE = {"PER": 0, "ORG": 1, "LOC": 2, "MISC": 3}
ANTECEDENT_SENTENCES = 1  # how far back a pronoun looks for its person
ROLE_TOKENS = 6  # how close before a name its role noun stands ("le président israélien Isaac Herzog")
ROLE_LOOKAHEAD = 3  # sentences after a headline's role noun where the name may come
_ROLE_MARKS = frozenset({",", ";", ":"})  # marks that end a role phrase before a name
_ROLE_HEADS = frozenset({"NOUN", "PROPN"})  # what may head a role phrase ("Chef", "глава", "minister")
# how a recogniser types an institution inside a title, or a title it took for a name (not as a place)
_TITLE_READINGS = frozenset({"ORG", "MISC"})
_WORD = re.compile(r"\S+")
_PAIR = re.compile(r"([^\W\d_][\w ]*?)\s?[-–]\s?([^\W\d_][\w ]*)")  # "Iran-Stati Uniti", "Rusya – Ukrayna"
_CASE_ENDING = re.compile(r"['’][^\W\d_]{1,5}$")  # Turkish "Medinskiy’nin", "Fidan’la"
PERSON = "PER"
LEADER_DEPTH = 3  # relations between a delegation noun and its leader's name ("led" → "by" … "Medinsky")
GLUED_WORDS = 4  # words of a mention long enough to be a title glued to a name, whatever its type
STEM = 4  # letters a name keeps before its inflection ("Merz", "Merzem", "Merza")
INFLECTION = 3  # letters an inflection may add


@dataclass(frozen=True)
class Actor:
    span: Span
    entity: str | None
    kind: str | None  # the mention type, None for a phrase that names no entity
    head: int | None = None  # token index in the analysis
    # how the entity was found: mention, apposition, role, modifier, name, pronoun; "phrase" when none was
    via: str = "mention"

    @property
    def key(self) -> str:
        return self.entity or f"span:{self.span[0]}:{self.span[1]}"

    @property
    def nested(self) -> bool:
        """True when the entity is only named inside the phrase ("президент Франции" → France)."""
        return self.via == "modifier"


class ActorFinder:
    """Actors of one document (its mentions and its analysis)."""

    def __init__(self, doc: Document, analysis: Analysis, delegations: frozenset[str] = frozenset()):
        self.doc = doc
        self.analysis = analysis
        self.delegations = delegations  # nouns whose phrase names the group's leader ("delegation")
        self.mentions = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self.mentions]
        self._people: dict[str, list[Mention]] = {}  # named mentions by the stem of their last word
        for mention in self.mentions:
            if mention.entity and mention.text.split():
                self._people.setdefault(stem(mention.text.split()[-1]), []).append(mention)
        self._by_name: dict[str, Mention] = {}
        self._surname_cache: dict[str, set[str]] | None = None
        self._offices: OfficeHolders | None = None
        for mention in self.mentions:
            for name in (mention.text, mention.normal or "", *mention.text.split()[-1:]):
                if mention.entity and name:
                    self._by_name.setdefault(name.casefold(), mention)

    def is_time(self, token: Token) -> bool:
        """True when the token lies in a time expression ("today", "lundi")."""
        return any(t.start <= token.start and token.end <= t.end for t in self.doc.times)

    # -------------------------------------------------------------------------- mention lookups
    def covering(self, start: int, end: int) -> Mention | None:
        k = bisect_right(self._starts, start) - 1
        while k >= 0 and self.mentions[k].start <= start:
            if self.mentions[k].end >= end:
                return self.mentions[k]
            k -= 1
        return None

    def inside(self, span: Span) -> list[Mention]:
        first, last = bisect_left(self._starts, span[0]), bisect_left(self._starts, span[1])
        return [m for m in self.mentions[first:last] if m.end <= span[1]]

    def before(self, offset: int) -> Iterator[Mention]:
        """Mentions that end before `offset`, nearest first."""
        k = bisect_left(self._starts, offset) - 1
        while k >= 0:
            if self.mentions[k].end <= offset:
                yield self.mentions[k]
            k -= 1

    # -------------------------------------------------------------------------- actors
    def actor(self, index: int) -> Actor | None:
        """The actor at a head token; None for a pronoun that points at no one we know."""
        token = self.analysis.tokens[index]
        if token.pos == "PRON":
            return self.pronoun(token)
        span = self.phrase_span(index)
        named = self.named_inside(index)
        mention = self.covering(token.start, token.end)
        if mention is not None:
            # "le ministre des Affaires étrangères Gabi Ashkenazi": the person, not the office
            if named is not None and named.type == "PER" and mention.type != "PER":
                return Actor(span, named.entity, "PER", index, "apposition")
            # "Le ministre des Affaires étrangères a affirmé", read as an organisation: its holder
            held = self.office_holder(index, span, mention) if mention.type in _TITLE_READINGS else None
            return held or self.of_mention(mention, index)
        if named is not None and named.type == "PER":
            return Actor(span, named.entity, "PER", index, "apposition")
        leader = self.leader(index) if token.lemma.casefold() in self.delegations else None
        if leader is not None:  # "the Russian delegation led by Medinsky", "делегация во главе с Мединским"
            return Actor(span, leader.entity, "PER", index, "delegation")
        role = self.role_antecedent(token) if token.pos == "NOUN" else None
        if role is not None:
            return Actor(span, role.entity, role.type, index, "role")
        apposed = self.apposed(span)
        if apposed is not None:
            return Actor(span, apposed.entity, apposed.type, index, "apposition")
        # "Chef du ministère de la Défense d'Ukraine": the minister the article names, not the ministry
        held = self.office_holder(index, span) if token.pos in _ROLE_HEADS else None
        if held is not None:
            return held
        if named is not None:
            return Actor(span, named.entity, named.type, index, "modifier")
        alike = self._by_name.get(token.text.casefold()) or self._by_name.get(token.lemma.casefold())
        if token.pos == "PROPN" and alike is not None:
            return Actor((token.start, token.end), alike.entity, alike.type, index, "name")
        return Actor(span, None, None, index, "phrase")

    @property
    def offices(self) -> OfficeHolders:
        """The document's office holders, read once when a role phrase first needs them."""
        if self._offices is None:
            self._offices = OfficeHolders(self.doc, self.analysis)
        return self._offices

    def of_window_mention(self, mention: Mention) -> Actor:
        """The actor of a name the window reader found (no parse): the holder of the office when the
        name is an institution inside a role phrase written just before it ("El jefe del *Ministerio
        de Defensa*"), else the name's own actor."""
        if mention.type != PERSON:  # "госсекретарь США": the window found the country of a title
            first = self.analysis.token_at(mention.start)
            before = self.offices.words_before(first) if first is not None else []
            if before:
                span = (before[0].start, mention.end)
                person = self.offices.holder(span, None, self.same_person, (mention.start, mention.end))
                if person is not None:
                    return Actor(span, person, PERSON, None, "office")
        return self.of_mention(mention)

    def office_holder(self, index: int, span: Span, mention: Mention | None = None) -> Actor | None:
        """The person the article titles with the office a role phrase names (`events.offices`), the
        phrase headed by token `index`; with a `mention` covering the head (a title the recogniser
        read as an organisation), only when the role phrase holds the whole mention."""
        region = span if mention is None else (min(span[0], mention.start), max(span[1], mention.end))
        inside = None if mention is None else (mention.start, mention.end)
        person = self.offices.holder(region, self.analysis.tokens[index], self.same_person, inside)
        if person is None:
            return None
        return Actor(span, person, PERSON, index, "office")

    def leader(self, index: int) -> Mention | None:
        """The person named in a delegation's phrase ("led by X", "conduite par X", "во главе с X"),
        at most `LEADER_DEPTH` relations below its head, nearest first."""
        frontier, found = [index], []
        for _ in range(LEADER_DEPTH):
            frontier = [
                c.i for i in frontier for c in self.analysis.children(i) if c.dep not in ("conj", "cc")
            ]
            for i in frontier:
                token = self.analysis.tokens[i]
                mention = self.covering(token.start, token.end)
                if mention is not None and mention.type == "PER" and mention.entity:
                    found.append(mention)
            if found:
                return found[0]
        return None

    def of_mention(self, mention: Mention, index: int | None = None) -> Actor:
        """The actor a mention names; for a name glued to its title ("Bakanı Hakan Fidan", "Niemiec
        Friedrichem Merzem"), the person its last words name elsewhere in the document."""
        held = self.title_holder(mention) or self.name_before_words(mention)
        if held is not None:
            span, person = held
            return Actor(span, person.entity, "PER", index, "apposition")
        return Actor((mention.start, mention.end), mention.entity, mention.type, index, "mention")

    def same_person(self, a: str | None, b: str | None) -> bool:
        """True when two local entities are one person that the clusterer kept apart: a person
        mention of each ends in the same surname ("Bakanı Hakan Fidan" / "Хаканом Фиданом" do not,
        "Bakanı Hakan Fidan" / "Fidan" do)."""
        if not a or not b or a == b:
            return a == b and a is not None
        surnames = self._surnames()
        return any(same_name(x, y) for x in surnames.get(a, ()) for y in surnames.get(b, ()))

    def _surnames(self) -> dict[str, set[str]]:
        if self._surname_cache is None:
            self._surname_cache = {}
            for mention in self.mentions:
                if mention.type == "PER" and mention.entity and mention.text.split():
                    self._surname_cache.setdefault(mention.entity, set()).add(mention.text.split()[-1])
        return self._surname_cache

    def pair_parts(self, mention: Mention) -> list[Mention]:
        """The two names of a hyphenated pair ("Rusya-Ukrayna", "Iran-Stati Uniti") when the document
        names each on its own; else []."""
        halves = _PAIR.fullmatch(mention.text)
        if halves is None:
            return []
        out = []
        for k in (1, 2):
            part = halves.group(k)
            alike = self.named_alike(part)
            if alike is None or alike.entity == mention.entity:
                return []
            start = mention.start + halves.start(k)
            out.append(Mention(start, start + len(part), part, alike.type, alike.entity))
        return out

    def named_alike(self, name: str) -> Mention | None:
        """A mention of the document that spells `name` alike, perhaps inflected."""
        words = name.split()
        for mention in self.mentions:
            if (
                mention.entity
                and len(mention.text.split()) == len(words)
                and same_names(mention.text.split(), words)
            ):
                return mention
        return None

    def title_holder(self, mention: Mention) -> tuple[Span, Mention] | None:
        """(span, mention) of the person named by the last words of a longer mention, when the document
        names that person on their own (a recogniser glued a title, a country or a byline to the name).
        Names compare by stem, so an inflected form finds its base ("Merzem" → "Merz")."""
        words = list(_WORD.finditer(mention.text))
        for k in range(1, len(words)):
            tail = [w.group() for w in words[k:]]
            if not (tail[0][:1].isupper() and words[k - 1].group()[:1].isupper()):
                continue
            for other in self._people.get(stem(tail[-1]), ()):
                if other.entity == mention.entity or other.end - other.start >= mention.end - mention.start:
                    continue
                # one of the two is known as a person, or a long name ends in a person's ("Rusya
                # Devlet Başkanı … Müşaviri Vladimir Medinskiy"); the tail follows a capitalised
                # word, so a name joined by a function word ("Bank of England") keeps its own
                if PERSON not in (other.type, mention.type) and len(words) < GLUED_WORDS:
                    continue
                size = len(other.text.split())
                if size <= len(tail) and same_names(other.text.split(), tail):
                    return (mention.start + words[len(words) - size].start(), mention.end), other
        return None

    def name_before_words(self, mention: Mention) -> tuple[Span, Mention] | None:
        """(span, mention) of the name that begins a mention the recogniser ran on into the next
        words ("Russland zu Ende", "Ukraine gestern"): the first words, up to a lowercase word, when
        the document names them on their own."""
        words = list(_WORD.finditer(mention.text))
        for k in range(len(words) - 1, 0, -1):
            if not words[k].group()[:1].islower():
                continue
            head = [w.group() for w in words[:k]]
            alike = self.named_alike(" ".join(head))
            # "Ursula von der Leyen": a person's name keeps its particles
            both_people = alike is not None and alike.type == mention.type == PERSON
            if alike is not None and alike.entity != mention.entity and not both_people:
                return (mention.start, mention.start + words[k - 1].end()), alike
        return None

    def pronoun(self, token: Token) -> Actor | None:
        """A third-person singular pronoun's person, in its sentence or the one before: the latest one
        that is a subject ("Herzog thanked Blinken. He also met Gallant": Herzog), else the latest. A
        neuter one ("it") takes the latest state or organisation that is a subject ("The union said it
        had called off the strike")."""
        if token.morph.get("Number") == "Plur" or token.morph.get("Person") in ("1", "2"):
            return None
        neuter = token.morph.get("Gender") == "Neut"  # "it": a state or an organisation, and only a subject
        kinds = ("ORG", "LOC") if neuter else ("PER",)
        people = []
        for mention in self.before(token.start):
            mention_token = self.analysis.token_at(mention.start)
            if mention_token is None or token.sent - mention_token.sent > ANTECEDENT_SENTENCES:
                break
            if mention.type in kinds and mention.entity:
                people.append((mention, self.is_subject(self.head_of(mention) or mention_token)))
        if neuter:
            people = [p for p in people if p[1]]
        if not people:
            return None
        mention = next((m for m, subject in people if subject), people[0][0])
        return Actor((token.start, token.end), mention.entity, mention.type, token.i, "pronoun")

    def head_of(self, mention: Mention) -> Token | None:
        """The token of a mention whose head lies outside it ("union" in "The teachers' union")."""
        tokens = self.analysis.tokens_in((mention.start, mention.end))
        inside = {t.i for t in tokens}
        return next((t for t in tokens if t.head not in inside or t.head == t.i), None)

    def is_subject(self, token: Token) -> bool:
        """True when the token is (in) the subject of its clause, a name's first word included."""
        for _ in range(3):
            if token.dep.startswith("nsubj"):
                return True
            if token.dep not in ("flat", "flat:name", "compound", "appos") or token.head == token.i:
                return False
            token = self.analysis.tokens[token.head]
        return False

    def apposed(self, span: Span) -> Mention | None:
        """A person named right after a phrase, set off by a comma ("le chargé d'affaires, Jonathan
        Shrier"), which a parser may have attached elsewhere."""
        after = self.doc.text[span[1] : span[1] + 3]
        if not after.startswith(","):
            return None
        offset = span[1] + 1 + len(after[1:]) - len(after[1:].lstrip())
        k = bisect_left(self._starts, offset)
        if k < len(self.mentions) and self.mentions[k].start == offset and self.mentions[k].type == "PER":
            return self.mentions[k]
        return None

    def relative_antecedent(self, index: int) -> int:
        """For a relative pronoun ("qui", "которые"), the noun its clause modifies; else `index`."""
        token = self.analysis.tokens[index]
        clause = self.analysis.tokens[token.head]
        if token.pos == "PRON" and clause.dep == "acl:relcl" and clause.head != clause.i:
            return clause.head
        return index

    def named_inside(self, index: int) -> Mention | None:
        """The mention that names what a phrase's head is about: on the head's own modifiers
        ("son homologue Dmytro Kuleba", "президент Франции"), a person first, then the nearest."""
        head = self.analysis.tokens[index]
        found: dict[tuple[int, int], Mention] = {}
        for child in self.analysis.children(index):
            if child.dep not in _NAMING_RELATIONS:
                continue
            for token in (child, *(c for c in self.analysis.children(child.i) if c.dep in _NAME_PARTS)):
                mention = self.covering(token.start, token.end)
                if mention is not None and mention.entity:
                    found[(mention.start, mention.end)] = mention
        if not found:
            return None
        # a name follows its title ("посол … Виторио Сандали"): after the head before before it
        return min(
            found.values(),
            key=lambda m: (_TYPE_PREFERENCE.get(m.type, 4), m.start < head.start, abs(m.start - head.start)),
        )

    def role_antecedent(self, token: Token) -> Mention | None:
        """The person an earlier occurrence of this role phrase introduced (the latest one), else, for a
        headline's role phrase, one a later occurrence introduces."""
        words = {token.lemma.casefold()} | {
            c.lemma.casefold() for c in self.analysis.children(token.i) if c.dep == "amod"
        }
        for mention in self.before(token.start):
            if self.introduced_by(mention, words):
                return mention
        last = token.sent + ROLE_LOOKAHEAD
        k = bisect_left(self._starts, token.end)
        for mention in self.mentions[k:]:
            mention_token = self.analysis.token_at(mention.start)
            if mention_token is None or mention_token.sent > last:
                break
            if self.introduced_by(mention, words):
                return mention
        return None

    def introduced_by(self, mention: Mention, words: set[str]) -> bool:
        """True when the words of a role phrase all stand just before a person's mention."""
        if mention.type != "PER" or not mention.entity:
            return False
        first = self.analysis.token_at(mention.start)
        if first is None:
            return False
        tokens = self.analysis.tokens
        before = (tokens[i] for i in range(first.i - 1, max(-1, first.i - 1 - ROLE_TOKENS), -1))
        return words <= {t.lemma.casefold() for t in title_run(before, first.sent, _ROLE_MARKS)}

    def phrase_span(self, index: int) -> Span:
        """The noun phrase headed by token `index`: its modifiers, not its clauses or conjuncts."""
        tokens = self.analysis.tokens
        start, end = tokens[index].start, tokens[index].end
        stack = [c.i for c in self.analysis.children(index) if c.dep in _PHRASE_RELATIONS and c.dep != "case"]
        while stack:
            token = tokens[stack.pop()]
            start, end = min(start, token.start), max(end, token.end)
            stack.extend(c.i for c in self.analysis.children(token.i) if c.dep in _PHRASE_RELATIONS)
        return start, end

    def conjuncts(self, index: int) -> list[int]:
        """Token `index` and the nominal conjuncts coordinated with it ("X, Y and Z")."""
        out, stack = [index], [index]
        while stack:
            for child in self.analysis.children(stack.pop()):
                if child.dep == "conj" and child.pos in ("NOUN", "PROPN", "PRON", "X"):
                    out.append(child.i)
                    stack.append(child.i)
        return out


def stem(word: str) -> str:
    """A name's first letters, casefolded, without a case ending set off by an apostrophe."""
    return _CASE_ENDING.sub("", word).casefold()[:STEM]


def same_name(a: str, b: str) -> bool:
    """True when two words are one name, perhaps inflected ("Merz" / "Merzem", "Fidan" / "Fidan’la")."""
    x, y = sorted((_CASE_ENDING.sub("", a).casefold(), _CASE_ENDING.sub("", b).casefold()), key=len)
    return x == y or (len(x) >= STEM and y.startswith(x) and len(y) - len(x) <= INFLECTION)


def same_names(short: list[str], tail: list[str]) -> bool:
    """True when the words of `short` are the last words of `tail`, name by name."""
    return all(same_name(a, b) for a, b in zip(reversed(short), reversed(tail), strict=False))
