"""The participants of a trigger: who acts (sources), on whom (targets), and where.

With a dependency parse (Universal Dependencies relations):
- a verb's subject is its source and its object its target; a passive subject is the target and
  the agent ("by", "par") the source; a verb without a subject of its own takes the subject of the
  verb it is coordinated with or controlled by ("arrived in Israel and met Netanyahu", "agreed to
  provide aid"), or the noun a participle modifies ("Blinken, arrivé en Israël");
- complements are sorted by their preposition (`markers` of the lexicon): a partner ("with"), the
  two sides ("between"), a target ("to", "against"), a place ("in"; the target of a destination
  trigger such as "arrived in Amman");
- a noun trigger takes its genitive ("Blinken's visit", "визит Блинкена") as source, and otherwise
  the subject of the verb it depends on ("held talks with", "a effectué un entretien avec");
- a reciprocal trigger ("discuss", "обсудить") needs a partner: a "with" complement, or two
  coordinated subjects, who then share the roles;
- a host trigger ("receive", "accueillir") makes the guest the source and the host the target;
- the destination of a visit ("arrived in Amman", "visited Israel") is its place, not a target.

Without a parse (languages served by the light analysis) or when the parse gives no subject, the
names around the trigger are read by their function words (`newsgraph.events.window`: "window"
attachment, which lowers the event's confidence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsgraph.entities.backends.gazetteer import is_city
from newsgraph.entities.backends.lexicon import lexicon as entity_lexicon
from newsgraph.events.actors import Actor, ActorFinder
from newsgraph.events.lexicon import Entry, Lexicon
from newsgraph.events.triggers import Match, keys
from newsgraph.events.window import BETWEEN, NOUN_GROUP, WindowReader, to_actors
from newsgraph.language.syntax import Token
from newsgraph.model import Span

SUBJECT_RELATIONS = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass", "nsubj:outer"})
OBJECT_RELATIONS = frozenset({"obj", "iobj", "dobj"})
COMPLEMENT_RELATIONS = frozenset({"obl", "nmod"})  # by their base relation (obl:arg, obl:mod, nmod:poss, ...)
CLAUSE_RELATIONS = frozenset({"xcomp", "ccomp"})
# not "expl:pass": "s'entretient" is active
PASSIVE_MARKS = frozenset({"nsubj:pass", "csubj:pass", "aux:pass"})
# a verb attached by these relations shares its governor's subject
INHERIT_SUBJECT = frozenset({"conj", "xcomp", "advcl"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
GUESTS = frozenset({"PER", "ORG"})
MAX_CLIMB = 4
NOUNS = frozenset({"NOUN", "PROPN"})


@dataclass
class Arguments:
    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    place: Actor | None = None
    subject_seen: bool = False  # a subject was there, even one that names no one known ("we")
    together: bool = True  # coordinated sources meet each other ("X and Y held talks"), not only attend
    syntactic: bool = True  # False when the window gave an actor
    valid: bool = True  # False when the trigger lacks what its role needs (a partner, a guest, a speaker)
    attachment: str = "parse"  # how the participants were found: parse, or the window's reason


@dataclass
class _Complements:
    """A governor's complements sorted by what their preposition makes them."""

    direct: list[int] = field(default_factory=list)
    partners: list[int] = field(default_factory=list)
    between: list[int] = field(default_factory=list)
    agents: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    genitives: list[int] = field(default_factory=list)
    either: list[int] = field(default_factory=list)  # a preposition of places and of targets

    def extend(self, other: _Complements) -> None:
        for name in ("direct", "partners", "between", "agents", "targets", "places", "genitives", "either"):
            getattr(self, name).extend(getattr(other, name))

    def settle(self, recipient: bool) -> _Complements:
        """Sends the ambiguous complements to the targets of an event that has a recipient ("soutien
        à Israël", "помощь в Украину"), to the places of one that happens somewhere ("tués à Gaza")."""
        (self.targets if recipient else self.places).extend(self.either)
        self.either = []
        return self


def base(dep: str) -> str:
    return dep.split(":")[0]


class ArgumentFinder:
    def __init__(self, finder: ActorFinder, lex: Lexicon):
        self.finder = finder
        self.analysis = finder.analysis
        self.lex = lex
        self.reader = WindowReader(finder, lex)
        self.known_markers = frozenset().union(
            *(lex.marker(name) for name in ("partner", "between", "agent", "target", "place", "genitive"))
        )

    # -------------------------------------------------------------------------- entry point
    def arguments(self, match: Match, sentence: Sequence[Token]) -> Arguments:
        trigger = sentence[match.head]
        if not trigger.dep:
            return self.apply_roles(self.window(match, sentence), match, sentence)
        entry = match.entry
        if self.lex.has_role(entry, "obligation"):
            args = self.obligation(trigger)
        elif entry.noun:
            args = self.nominal(trigger, match)
        else:
            args = self.verbal(trigger, match)
        if args.valid and (not args.subject_seen or (self.lex.is_symmetric(entry) and not args.targets)):
            window = self.window(match, sentence)
            taken = {a.entity for a in args.targets}
            sources = [a for a in window.sources if a.entity not in taken]
            if both_sides(window) and len(named(args.sources + args.targets)) < 2:
                # "переговоры между делегациями России и Украины": the parse hung one side elsewhere
                args.sources, args.targets, args.syntactic = window.sources, window.targets, False
                args.attachment = window.attachment
            elif covers_more(sources, args.sources):  # "X et le président russe Y ont discuté"
                args.sources, args.syntactic = sources, False
        return self.apply_roles(args, match, sentence)

    def apply_roles(self, args: Arguments, match: Match, sentence: Sequence[Token]) -> Arguments:
        entry = match.entry
        if self.lex.is_symmetric(entry) and any(map(self.is_audience, (*args.sources, *args.targets))):
            # "a meeting with journalists", "voters at meetings with …": no dyad of political actors
            args.sources = [a for a in args.sources if not self.is_audience(a)]
            args.targets = [a for a in args.targets if not self.is_audience(a)]
            args.valid = args.valid and bool(args.sources) and bool(args.targets)
        args.sources, args.targets = named_first(args.sources), named_first(args.targets)
        if self.lex.has_role(entry, "reciprocal") and not args.targets and len(args.sources) < 2:
            args.valid = False
        if self.lex.has_role(entry, "host"):
            trigger = sentence[match.positions[0]]
            if entry.type != "CONSULT" and not self.between_people(args, (trigger.start, trigger.end)):
                return args  # "welcomed the decision": an approval, no guest to receive
            if not any(a.entity and a.kind in GUESTS and not a.nested for a in args.targets):
                args.valid = False  # "received a letter", "принял законопроект": no guest, no visit
            args.sources, args.targets = args.targets, args.sources
        return args

    def between_people(self, args: Arguments, trigger: Span | None = None) -> bool:
        """True when both sides are named people, each the phrase's own head or named by its title
        ("le président Herzog"): a greeting verb then reports a reception ("Macron begrüßte Scholz"),
        not an approval ("begrüßte die Entscheidung", "приветствовал решение Ван И")."""
        sides = [*args.sources, *args.targets]
        if not (args.sources and args.targets) or not all(self.person_itself(a) for a in sides):
            return False
        if args.attachment == "parse" or trigger is None:
            return True
        return not any(self.complement_of_another_word(a, trigger) for a in sides)

    def complement_of_another_word(self, actor: Actor, trigger: Span) -> bool:
        """Without a parse: a name after the trigger that a genitive or agent word introduces, titles
        aside ("begrüßte die Entscheidung von Scholz", "saludó la decisión de Scholz"), belongs to
        another word: a greeting's guest is its direct object."""
        if actor.span[0] < trigger[1]:
            return False
        cue = entity_lexicon(self.finder.doc.lang).is_cue
        words = [w for w in _WORD.findall(self.finder.doc.text[trigger[1] : actor.span[0]]) if not cue(w)]
        introducers = self.lex.marker("genitive") | self.lex.marker("agent")
        return bool(words) and words[-1].casefold() in introducers

    def person_itself(self, actor: Actor) -> bool:
        """A person named by the phrase itself, not by a word inside a phrase about something else."""
        if not actor.entity or actor.kind != "PER" or actor.nested:
            return False
        if actor.via != "apposition" or actor.head is None:
            return True
        head = self.finder.analysis.tokens[actor.head]
        return entity_lexicon(self.finder.doc.lang).is_cue(head.text)

    # -------------------------------------------------------------------------- verbs
    def verbal(self, trigger: Token, match: Match) -> Arguments:
        entry = match.entry
        subjects, passive = self.subjects(trigger)
        matched = match_indexes(match, trigger)
        comps = self.complements(trigger.i, set(matched), passive)
        for inner in matched:  # "imposed sanctions on Iran": the complements of the phrase's noun too
            if inner != trigger.i:
                comps.extend(self.complements(inner, set(matched), passive))
        comps.settle(self.has_recipient(entry))
        reciprocal = self.lex.has_role(entry, "reciprocal")
        destination = self.lex.has_role(entry, "destination")
        args = Arguments()
        direct = [] if reciprocal else comps.direct
        if destination:  # "visited Israel": a place, not a participant
            comps.places += direct
            direct = []
        if passive:
            args.sources = self.actors(comps.agents)
            args.targets = self.actors(subjects + direct)
            args.subject_seen = bool(comps.agents)
        else:
            args.sources = self.actors(subjects)
            args.targets = self.actors(direct)
            args.subject_seen = bool(subjects)
        if not destination:  # "arrived with a delegation": a companion
            args.targets += self.actors(comps.partners)
        self.add_between(args, comps.between)
        if destination:  # "прибыл к президенту", not "прибыть к месту приземления"
            self.add_places(args, comps.targets, destination=True)
        elif not reciprocal:
            args.targets += self.actors(comps.targets)
        self.add_places(args, comps.places, destination=destination)
        if not args.targets and not reciprocal:
            args.targets = self.clause_targets(trigger, args.sources)
        return args

    def subjects(self, verb: Token) -> tuple[list[int], bool]:
        """The subject tokens of `verb` (its own, else its governor's) and whether it is passive.

        A participle or relative clause modifying a noun has that noun as subject ("Blinken, arrivé
        en Israël"); an infinitive modifying a noun shares the subject of the noun's verb ("called for
        pressure to prevent …"). An infinitive complement of a verb with an object has that object
        as subject ("urged the United States to support Israel", "a appelé les États-Unis à soutenir",
        "призвал США поддержать": the United States would support), not the verb's own subject."""
        passive = any(c.dep in PASSIVE_MARKS for c in self.analysis.children(verb.i))
        token = verb
        controlled = True  # False once the climb crossed a coordination the parse may have misplaced
        for _ in range(MAX_CLIMB):
            own = [c.i for c in self.analysis.children(token.i) if c.dep in SUBJECT_RELATIONS]
            if own and token.pos not in NOUNS:
                return own, passive
            if (
                token is verb
                and token.pos not in NOUNS
                and (fronted := self.subject_after_comma(verb)) is not None
            ):
                return [fronted], passive
            governor = self.analysis.tokens[token.head]
            if governor.i == token.i:
                break
            controller = self.controlling_object(token, governor) if controlled else None
            if controller is not None:
                return [controller], passive
            controlled = controlled and not (token.dep == "conj" and self.other_marker(token, governor))
            if token.dep in ("acl", "acl:relcl") and governor.pos in NOUNS:
                if token.dep == "acl:relcl" or token.morph.get("VerbForm") == "Part":
                    return [governor.i], passive
            elif token.pos in NOUNS:
                if base(token.dep) not in ("obj", "obl") or governor.pos not in ("VERB", "AUX"):
                    break
            elif token.dep not in INHERIT_SUBJECT:
                break
            token = governor
        return [], passive

    def subject_after_comma(self, verb: Token) -> int | None:
        """The name right before a subjectless verb, after a comma, that a parser hung on the noun of
        a fronted phrase as its apposition ("Dans un communiqué du ministère, Rustem Umerov a
        déclaré"): the verb's subject. Only auxiliaries, adverbs and clitics may stand between."""
        k = verb.i - 1
        while k >= 0 and self.analysis.tokens[k].pos in ("AUX", "ADV", "PART") and k > verb.i - 4:
            k -= 1
        if k < 0:
            return None
        token = self.analysis.tokens[k]
        while token.dep in ("flat", "flat:name") and token.head != token.i:
            token = self.analysis.tokens[token.head]  # "Rustem Umerov": the name's first word
        if token.dep != "appos" or token.head == verb.i or token.i == 0:
            return None
        if self.analysis.tokens[token.i - 1].text != ",":
            return None
        mention = self.finder.covering(token.start, token.end)
        return token.i if mention is not None and mention.entity else None

    def controlling_object(self, clause: Token, governor: Token) -> int | None:
        """The object of the verb an infinitive complement depends on, which is who does what the
        infinitive says ("urged X to", "a appelé X à", "призвал X"); None for a verb without one
        ("agreed to provide": its subject)."""
        if clause.dep != "xcomp" or clause.pos != "VERB" or governor.pos != "VERB":
            return None
        if clause.morph.get("VerbForm") not in (None, "Inf"):
            return None
        objects = [
            c.i
            for c in self.analysis.children(governor.i)
            if c.dep in OBJECT_RELATIONS and c.pos in NOUNS and c.i < clause.i
        ]
        # a named actor only: "used tear gas to disperse demonstrators" is a purpose, not a control
        actor = self.finder.actor(objects[0]) if objects else None
        return objects[0] if actor is not None and actor.entity else None

    def other_marker(self, conjunct: Token, first: Token) -> bool:
        """True when two coordinated infinitives are introduced by different words ("empêcher l'Iran
        *de* s'implanter … et *à* arrêter"): the second continues a higher verb ("visant à"), which a
        parser attached to the nearer infinitive."""
        marks = [
            {c.text.casefold() for c in self.analysis.children(t.i) if c.dep == "mark"}
            for t in (conjunct, first)
        ]
        return bool(marks[0] and marks[1] and not marks[0] & marks[1])

    def complements(self, governor: int, exclude: set[int], passive: bool) -> _Complements:
        comps = _Complements()
        for child in self.analysis.children(governor):
            if child.i in exclude:
                continue
            if child.dep in OBJECT_RELATIONS or (child.dep == "xcomp" and child.pos in NOUNS):
                comps.direct.append(child.i)  # a parser may call "appelé Netanyahu à" a secondary predicate
            elif (
                child.dep == "dep"
                and child.pos == "PROPN"
                and child.start > self.analysis.tokens[governor].end
            ):
                comps.direct.append(child.i)  # "avait reçu Merz, le chef de …": a name the parser left loose
            elif child.dep == "obl:agent" and self.marker(child) not in self.lex.marker("partner"):
                comps.agents.append(child.i)  # a parser may label "avec X" an agent
            elif child.dep == "nmod:poss":
                comps.genitives.append(child.i)
            elif base(child.dep) in COMPLEMENT_RELATIONS:
                self.sort_complement(child, comps, passive)
        return comps

    def sort_complement(self, child: Token, comps: _Complements, passive: bool) -> None:
        marker = self.marker(child)
        if marker is None:
            if child.morph.get("Case") == "Gen" and child.pos in ("NOUN", "PROPN"):
                comps.genitives.append(child.i)
            return
        if passive and marker in self.lex.marker("agent"):
            comps.agents.append(child.i)
        elif marker in self.lex.marker("partner"):
            comps.partners.append(child.i)
        elif marker in self.lex.marker("between"):
            comps.between.append(child.i)
        elif marker in self.lex.marker("genitive"):
            comps.genitives.append(child.i)
        elif marker in self.lex.marker("place") and marker in self.lex.marker("target"):
            # "à", "в": "tués à Gaza", "soutien à Israël"; a city is never the recipient ("à Tel-Aviv")
            (comps.places if self.names_city(child) else comps.either).append(child.i)
        elif marker in self.lex.marker("place"):
            comps.places.append(child.i)
        elif marker in self.lex.marker("target"):
            comps.targets.append(child.i)

    def names_city(self, token: Token) -> bool:
        """True when the complement headed by `token` is a place name known as a city (not a country)."""
        mention = self.finder.covering(token.start, token.end)
        if mention is None or mention.type != "LOC":
            return False
        return is_city(mention.text.replace("-", " ").split())

    def marker(self, token: Token) -> str | None:
        """The preposition of a complement: its first `case` dependent, as lemma or text."""
        for child in self.analysis.children(token.i):
            if child.dep in ("case", "mark") and child.start < token.start:
                lemma, text = keys(child)
                return text if text in self.known_markers else lemma
        return None

    def add_between(self, args: Arguments, between: list[int]) -> None:
        sides = self.actors(between)
        if not sides:
            return
        if args.sources:
            args.targets += sides
        else:
            args.sources, args.targets = sides[:1], args.targets + sides[1:]

    def add_places(self, args: Arguments, places: list[int], destination: bool) -> None:
        """Complements introduced by a place preposition: a place is where the event happens (the
        destination of a visit too: the host is whom the visitor meets); a person is a target ("à
        Herzog"), and so is an organisation visited ("visited the UN headquarters")."""
        for actor in self.actors(places):
            if actor.kind == "LOC":
                args.place = args.place or actor
            elif actor.entity and (actor.kind == "PER" or (destination and actor.kind == "ORG")):
                args.targets.append(actor)

    def clause_targets(self, trigger: Token, sources: list[Actor]) -> list[Actor]:
        """Whom a clause complement acts on: "threatened to cut power to X", "demanded that Y leave"."""
        source_keys = {a.key for a in sources}
        for clause in self.analysis.children(trigger.i):
            if clause.dep not in CLAUSE_RELATIONS:
                continue
            subjects = [a for a in self.actors(self.subjects(clause)[0]) if a.key not in source_keys]
            if subjects:
                return subjects
            comps = self.complements(clause.i, set(), passive=False)
            found = self.actors(comps.direct + comps.partners + comps.targets)
            if found:
                return found
        return []

    # -------------------------------------------------------------------------- nouns
    def nominal(self, trigger: Token, match: Match) -> Arguments:
        entry = match.entry
        # a noun's "by" phrase is its agent ("the attack by Hamas"), as in a passive clause
        comps = self.complements(trigger.i, set(match_indexes(match, trigger)), passive=True)
        comps.settle(self.has_recipient(entry))
        reciprocal = self.lex.has_role(entry, "reciprocal")
        # "визит Блинкена": the genitive is the agent; "обсуждение вопроса": the topic
        args = Arguments(sources=self.actors(comps.agents + ([] if reciprocal else comps.genitives)))
        if self.lex.is_symmetric(entry) and len(args.sources) > 1 and not comps.partners:
            args.sources, args.targets = args.sources[:1], args.sources[1:]
        args.targets += self.actors(comps.partners)
        self.add_between(args, comps.between)
        if not reciprocal:
            args.targets += self.actors(comps.targets + comps.direct)
        self.add_places(args, comps.places, destination=self.lex.has_role(entry, "destination"))
        verb = self.governing_verb(trigger)
        if verb is not None:
            if not args.sources and self.takes_part(trigger, verb):
                subjects, passive = self.subjects(verb)
                if not passive and trigger.i not in subjects:
                    args.sources = self.actors(subjects)
                    args.subject_seen = bool(subjects)
                    # "X and Y held talks" vs "X and Y took part in the summit" (side by side)
                    args.together = verb.lemma.casefold() in self.lex.marker("light")
            if not args.targets:
                outer = self.complements(verb.i, {trigger.i}, passive=False).settle(self.has_recipient(entry))
                args.targets = self.actors(outer.partners)
                if not self.lex.has_role(entry, "reciprocal"):
                    args.targets += self.actors(outer.targets)
        return args

    def takes_part(self, noun: Token, verb: Token) -> bool:
        """True when the subject of `verb` takes part in the event its noun names: the verb is a light
        verb ("held talks", "a effectué un entretien", "провёл встречу"), or the noun sets the scene
        of the verb ("in today's meeting Blinken stressed", "lors d'une réunion"); not when the verb
        acts on the event ("condemned the visit", "разрешили встречу")."""
        if base(noun.dep) in ("nsubj", "csubj"):
            return False
        if base(noun.dep) == "obj" and noun.head == verb.i:
            return verb.lemma.casefold() in self.lex.marker("light")
        return True

    def governing_verb(self, noun: Token) -> Token | None:
        """The verb a noun trigger depends on, through at most one other noun ("au cours d'un entretien")."""
        token = noun
        for _ in range(2):
            governor = self.analysis.tokens[token.head]
            if governor.i == token.i:
                return None
            if governor.pos in ("VERB", "AUX"):
                return governor
            token = governor
        return None

    # -------------------------------------------------------------------------- modal requests
    def obligation(self, modal: Token) -> Arguments:
        """ "X said that Y must do Z": a request from X (the speaker) to Y (the modal's subject)."""
        verb = self.analysis.tokens[modal.head] if modal.dep.startswith("aux") else modal
        subjects, _ = self.subjects(verb)
        speaker_verb = self.speech_governor(verb)
        if speaker_verb is not None:
            speakers, _ = self.subjects(speaker_verb)
        elif verb.head == verb.i:  # "Y must do Z. C'est ce qu'a déclaré X", "Об этом заявил X"
            speakers = self.speaker_after(verb)
        else:
            return Arguments(valid=False)
        return Arguments(
            sources=self.actors(speakers), targets=self.actors(subjects), valid=bool(speakers and subjects)
        )

    def speaker_after(self, root: Token) -> list[int]:
        """The speaker of a sentence that the next one attributes as a whole: a speech verb there
        (`markers.speech`) that takes it up by a demonstrative (`markers.anaphora`: "c'est *ce*
        qu'a déclaré X", "*Об этом* заявил X", "*That* is what X said"); its subject, or the name
        that follows the verb in an inverted relative clause ("ce qu'a affirmé Rustem Umerov")."""
        speech, anaphora = self.lex.marker("speech"), self.lex.marker("anaphora")
        if not speech or not anaphora or root.sent + 1 >= len(self.analysis.sentences):
            return []
        for verb in self.analysis.tokens_in(self.analysis.sentences[root.sent + 1]):
            if verb.sent != root.sent + 1 or verb.pos != "VERB" or verb.lemma.casefold() not in speech:
                continue
            if not self.takes_up(verb, anaphora):
                continue
            subjects = [c.i for c in self.analysis.children(verb.i) if c.dep in SUBJECT_RELATIONS]
            if subjects:
                return subjects
            after = [c for c in self.analysis.children(verb.i) if c.i > verb.i and c.pos in NOUNS]
            return [c.i for c in after[:1] if self.finder.covering(c.start, c.end) is not None]
        return []

    def takes_up(self, verb: Token, anaphora: frozenset[str]) -> bool:
        """True when a demonstrative is the speech verb's complement or the head it depends on ("об
        *этом* заявил", "c'est *ce* qu'a déclaré"), or that head's subject ("*That* is what … said")."""
        head = self.analysis.tokens[verb.head]
        near = [*self.analysis.children(verb.i), head, *self.analysis.children(head.i)]
        return any(
            t.lemma.casefold() in anaphora and (t is head or t.dep.startswith(("obj", "obl", "nsubj")))
            for t in near
            if t.i != verb.i and t.pos == "PRON"
        )

    def speech_governor(self, verb: Token) -> Token | None:
        """The verb whose subject says the clause `verb` heads: its governor when the clause is its
        complement ("X said that Y must"); when a parser hung the content clause (one opened by a
        conjunction, "that", "que", "что") on the noun of the statement instead, the verb that
        noun completes ("X said in a statement that Y must", "X a déclaré dans un communiqué que
        Y doit"): the speaker is still X, not the statement."""
        governor = self.analysis.tokens[verb.head]
        if governor.i == verb.i:
            return None
        if verb.dep == "ccomp":
            return governor
        opened = any(c.dep == "mark" and c.pos == "SCONJ" for c in self.analysis.children(verb.i))
        if base(verb.dep) != "acl" or not opened or governor.pos not in NOUNS:
            return None
        speaker_verb = self.analysis.tokens[governor.head]
        if speaker_verb.i == governor.i or speaker_verb.pos != "VERB":
            return None
        return speaker_verb if base(governor.dep) in ("obl", "obj", "nmod") else None

    # -------------------------------------------------------------------------- window attachment
    def window(self, match: Match, sentence: Sequence[Token]) -> Arguments:
        """The names around the trigger, read by their function words (`newsgraph.events.window`)."""
        found = self.reader.read(match, sentence, self.lex.has_role(match.entry, "destination"))
        return Arguments(
            sources=to_actors(self.finder, found.sources),
            targets=to_actors(self.finder, found.targets),
            place=self.finder.of_mention(found.place) if found.place is not None else None,
            syntactic=False,
            attachment=found.reason,
        )

    # -------------------------------------------------------------------------- helpers
    def actors(self, heads: list[int]) -> list[Actor]:
        """The actors of argument heads and their conjuncts; dates ("today's meeting") and event nouns
        ("arrived on his fifth trip") are not participants."""
        out: list[Actor] = []
        seen: set[str] = set()
        for head in heads:
            for index in self.finder.conjuncts(self.finder.relative_antecedent(head)):
                token = self.analysis.tokens[index]
                if self.is_event_noun(token):
                    if token.dep in OBJECT_RELATIONS:  # "rejected Turkey's request": Turkey
                        out += [a for a in self.actors(self.agents_of(token)) if a.key not in seen]
                        seen.update(a.key for a in out)
                    continue
                if token.pos == "NUM" or self.finder.is_time(token):
                    continue
                actor = self.finder.actor(index)
                if actor is not None and actor.key not in seen:
                    seen.add(actor.key)
                    out.append(actor)
        return out

    def has_recipient(self, entry: Entry) -> bool:
        return entry.type in self.lex.recipients and not self.lex.has_role(entry, "destination")

    def agents_of(self, noun: Token) -> list[int]:
        """Who is behind an event noun: its possessor or genitive ("the request from Turkey")."""
        comps = self.complements(noun.i, set(), passive=False)
        return comps.genitives + comps.agents

    def is_audience(self, actor: Actor) -> bool:
        if actor.head is None:
            return False
        return bool(set(keys(self.analysis.tokens[actor.head])) & self.lex.audience)

    def is_event_noun(self, token: Token) -> bool:
        return token.pos in ("NOUN", "") and any(
            entry.noun and entry.phrase.size == 1
            for word in set(keys(token))
            for entry in self.lex.entries.get(word, ())
        )


def named(actors: list[Actor]) -> set[str]:
    return {a.entity for a in actors if a.entity}


def both_sides(window: Arguments) -> bool:
    """True when the window read two sides off a "between" phrase or the group after an event noun."""
    return window.attachment in (BETWEEN, NOUN_GROUP) and len(named(window.sources + window.targets)) > 1


def covers_more(group: list[Actor], found: list[Actor]) -> bool:
    """True when a window group has every entity of the parse's actors, and more."""
    named = {a.entity for a in found if a.entity}
    window = {a.entity for a in group if a.entity}
    return named <= window and len(window) > len(named)


def named_first(actors: list[Actor]) -> list[Actor]:
    """The actors that name an entity when there are any: beside "Blinken", "son soutien" is a topic."""
    named = [a for a in actors if a.entity]
    return named or actors


def match_indexes(match: Match, trigger: Token) -> list[int]:
    """Analysis token indexes of a match (its positions are within the trigger's sentence)."""
    first = trigger.i - match.head
    return [first + p for p in match.positions]
