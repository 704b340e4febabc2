"""Participants of a trigger without a parse: the names around it, read by their function words.

Most languages the system reads have no dependency parser here (German, Spanish, Italian, Polish,
Ukrainian, Belarusian, Turkish, Arabic, ...), and a parsed sentence may still give a trigger no
subject. Then the names of the trigger's sentence are read in a window of tokens around it, each by
the function word that introduces it (`markers.<name>` of the language's `events.toml`, so the same
code serves every language):

- a name after a partner preposition ("con", "mit", "z", "з") or before a partner postposition
  (Turkish "ile") is the counterpart;
- a coordinated group after a "between" preposition ("tra Iran e Stati Uniti", "zwischen der Ukraine
  und Russland") or before a "between" postposition ("Rusya ile Ukrayna arasında") holds both sides;
- a coordinated group right after an event noun names its sides ("сустрэча дэлегацый Украіны і
  Расеі", "Negotiations Russia and Ukraine");
- a place after a place preposition ("in Istanbul", "a Roma", "w Paryżu") or with a locative ending
  ("İstanbul’da") is where the event happens, never a participant; so is what a movement trigger
  reaches ("odwiedził Francję");
- a name behind an attribution word ("laut AFP", "secondo Tasnim") is a source of the report, not
  of the event;
- the nearest coordinated group before the trigger is the source; a group that a place relative
  follows ("Francję, gdzie spotkał się …") is the place, and the subject stands before it;
- a comma between a person and a non-person name is an apposition (a title: "ministro de Relaciones
  Exteriores, Abás Araqchi"), not a list: the person is the participant.

A function word may stand up to `MAX_LEAD` words (`max_lead` of the language) before its name
(articles, titles: "mit dem russischen Präsidenten X" still marks X as a partner).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.events.actors import Actor, ActorFinder
from newsgraph.events.lexicon import Lexicon
from newsgraph.events.triggers import Match, keys
from newsgraph.language.syntax import Token
from newsgraph.model import Mention

WINDOW_TOKENS = 12  # how far from the trigger a participant may stand
MAX_LEAD = 3  # tokens between a function word and the name it introduces (determiners, titles)
NOUN_GROUP_GAP = 2  # tokens between an event noun and the group naming its sides
MAX_JOIN_GAP = 4  # tokens between two coordinated names ("X and the Russian president Y")
PERSON = "PER"
CLAUSE_WORDS = frozenset({"VERB", "AUX", "SCONJ", "PRON"})  # with a parse: "X said and Y met" is no group

# What the function word before (or after) a name makes it.
PARTNER, BETWEEN, PLACE, ATTRIBUTION = "partner", "between", "place", "attribution"
OBJECT = "object"  # a case ending of the direct object (Turkish accusative "Scholz’u")
NOUN_GROUP, NEAREST = "noun-group", "window"  # further ways the window finds sides


@dataclass(frozen=True)
class Slot:
    """A named mention of the sentence, at token positions [first, last] of the sentence, and its role
    marker (None when no function word introduces it)."""

    mention: Mention
    first: int
    last: int
    marker: str | None


@dataclass
class WindowArguments:
    sources: list[Mention]
    targets: list[Mention]
    place: Mention | None
    reason: str  # how the sides were found: between, noun-group, partner, window


def token_span(sentence: Sequence[Token], mention: Mention) -> tuple[int | None, int | None]:
    """Positions of the tokens holding the first and last character of `mention` (None where no
    token does). A name may fill only part of a token: a case ending after an apostrophe
    ("Medinskiy’nin") or a clitic before it (Arabic "وإيران", "and Iran") stays in the token."""
    first = next((k for k, t in enumerate(sentence) if t.start <= mention.start < t.end), None)
    last = next((k for k, t in enumerate(sentence) if t.start < mention.end <= t.end), None)
    return first, last


def glued_prefix(sentence: Sequence[Token], slot: Slot) -> str:
    """What the name's first token holds before the name: a clitic conjunction or preposition
    written as one word with it (Arabic "و" in "والولايات"); "" when the name starts the token."""
    token = sentence[slot.first]
    return token.text[: max(0, slot.mention.start - token.start)].casefold()


class WindowReader:
    """Reads the participants of triggers from the token window (see module doc)."""

    def __init__(self, finder: ActorFinder, lex: Lexicon):
        self.finder = finder
        self.lex = lex
        self.suffixes = {name: lex.suffixes.get(name, ()) for name in (PLACE, PARTNER, OBJECT)}

    # -------------------------------------------------------------------------- entry point
    def read(self, match: Match, sentence: Sequence[Token], destination: bool) -> WindowArguments:
        slots = self.slots(sentence, match)
        lo, hi = match.positions[0], match.positions[-1]
        after = [s for s in slots if s.first > hi]
        before = [s for s in slots if s.last < lo]
        place = self.place(slots, lo, hi, destination)
        between = self.between(sentence, slots, lo, hi)
        if between:
            return WindowArguments(between[:1], between[1:], place, BETWEEN)
        if match.entry.noun:
            group = self.noun_group(sentence, after, hi)
            if len(group) == 1:  # "colloqui Iran-Stati Uniti"
                group = self.finder.pair_parts(group[0]) or group
            if len(group) > 1:
                return WindowArguments(group[:1], group[1:], place, NOUN_GROUP)
        partners = self.partners(sentence, slots, lo, hi)
        targets = partners or self.object_before(before)
        if not targets and not self.lex.head_final:  # a head-final language names no participant after it
            first = next((s for s in after if s.marker is None), None)
            if first is not None and not (destination and first.mention.type == "LOC"):
                targets = self.group_from(sentence, after, first)
        taken = {id(m) for m in targets}
        sources = [m for m in self.source_group(sentence, before) if id(m) not in taken]
        if not sources and partners and self.lex.verb_initial and not match.entry.noun:
            sources = self.subject_after(sentence, after, taken)
        unparsed = not sentence[lo].dep
        if unparsed and not targets and not match.entry.noun and sources:  # "Lawrow wird Fidan treffen"
            subject = self.subject_before_object(sentence, before, sources, lo)
            if subject:
                sources, targets = subject, sources
        if len(sources) == 1 and not targets:  # "Rusya-Ukrayna müzakereleri": one name for both sides
            sides = self.finder.pair_parts(sources[0])
            if sides:
                return WindowArguments(sides[:1], sides[1:], place, NOUN_GROUP)
        return WindowArguments(sources, targets, place, PARTNER if partners else NEAREST)

    # -------------------------------------------------------------------------- slots
    def slots(self, sentence: Sequence[Token], match: Match) -> list[Slot]:
        """The named mentions within the window, with their markers."""
        if not sentence:
            return []
        lo = max(0, match.positions[0] - WINDOW_TOKENS)
        hi = min(len(sentence) - 1, match.positions[-1] + WINDOW_TOKENS)
        out: list[Slot] = []
        for mention in self.finder.inside((sentence[0].start, sentence[-1].end)):
            if not mention.entity:
                continue
            first, last = token_span(sentence, mention)
            if first is None or last is None or (out and first <= out[-1].last):
                continue
            if last < lo or first > hi:  # a long name counts when it reaches into the window
                continue
            if first <= match.positions[-1] and last >= match.positions[0]:
                continue  # the trigger itself lies in the name
            out.append(Slot(mention, first, last, self.marker(sentence, first, last, mention.type)))
        return out

    def marker(self, sentence: Sequence[Token], first: int, last: int, kind: str | None) -> str | None:
        """What introduces the name at [first, last]: a case ending on its last word, a postposition
        after it, or a preposition before it over at most `MAX_LEAD` words (articles, titles:
        "mit dem Präsidenten X"), not across punctuation, a conjunction or another name. A place
        word only marks a place ("a Roma"; "telefonato a Macron" is a call)."""
        ending = sentence[last].text.casefold()
        for name in (
            PLACE,
            PARTNER,
            OBJECT,
        ):  # a locative ending marks whatever the recogniser called the name
            if ending.endswith(self.suffixes[name]) and self.suffixes[name]:
                return name
        if last + 1 < len(sentence):
            following = set(keys(sentence[last + 1]))
            if following & self.lex.marker("partner_after"):
                return PARTNER
            if following & self.lex.marker("between_after"):
                return BETWEEN
            if following & self.lex.marker("attribution_after"):
                return ATTRIBUTION
        for k in range(first - 1, max(-1, first - 1 - self.lex.max_lead), -1):
            token = sentence[k]
            words = set(keys(token))
            for name in (PARTNER, BETWEEN, PLACE, ATTRIBUTION):
                if words & self.lex.marker(name) and (name != PLACE or kind == "LOC"):
                    return name
            if (
                token.pos == "PUNCT"
                or words & self.lex.marker("and")
                or self.finder.covering(token.start, token.end)
            ):
                break
        return None

    # -------------------------------------------------------------------------- groups
    def joined(self, sentence: Sequence[Token], left: Slot, right: Slot) -> bool:
        """True when two names are coordinated: a conjunction (or comma) between them and at most a
        title's words besides."""
        between = sentence[left.last + 1 : right.first]
        conjunctions = self.lex.marker("and")
        if glued_prefix(sentence, right) in conjunctions and len(between) <= MAX_JOIN_GAP:
            return not any(t.pos in CLAUSE_WORDS for t in between)  # Arabic "إيران والولايات المتحدة"
        if not between or len(between) > MAX_JOIN_GAP:
            return False
        return any(set(keys(t)) & conjunctions for t in between) and not any(
            t.pos in CLAUSE_WORDS for t in between
        )

    def apposition(self, sentence: Sequence[Token], left: Slot, right: Slot) -> bool:
        """True when a person and a non-person name stand side by side or only a comma sets them off:
        a title and its holder ("prezydentem Francji Emmanuelem Macronem", "ministro de Relaciones
        Exteriores, Abás Araqchi")."""
        between = [t.text for t in sentence[left.last + 1 : right.first]]
        return between in ([], [","]) and (left.mention.type == PERSON) != (right.mention.type == PERSON)

    def group_from(self, sentence: Sequence[Token], slots: list[Slot], first: Slot) -> list[Mention]:
        """`first` and the names coordinated after it."""
        group = [first]
        for slot in slots[slots.index(first) + 1 :]:
            joined = self.joined(sentence, group[-1], slot) or self.apposition(sentence, group[-1], slot)
            if slot.marker not in (None, BETWEEN) or not joined:
                break
            group.append(slot)
        return self.without_titles(sentence, group)

    def source_group(self, sentence: Sequence[Token], before: list[Slot]) -> list[Mention]:
        """The nearest coordinated group of unmarked names before the trigger; a group that a place
        relative follows ("Francję, gdzie …", "Rome, where …") is a place, the subject stands before."""
        free = [s for s in before if s.marker is None]
        while free:
            group = [free[-1]]
            for slot in reversed(free[:-1]):
                if not (self.joined(sentence, slot, group[0]) or self.apposition(sentence, slot, group[0])):
                    break
                group.insert(0, slot)
            if not self.relative_place_follows(sentence, group[-1]):
                return self.without_titles(sentence, group)
            free = free[: free.index(group[0])]
        return []

    def subject_after(self, sentence: Sequence[Token], after: list[Slot], taken: set[int]) -> list[Mention]:
        """In a verb-first clause ("التقى وزير الخارجية X بنظيره Y"), the unmarked group after the verb
        that comes before its partner is the subject."""
        free = [s for s in after if s.marker is None and id(s.mention) not in taken]
        partner_at = min((s.first for s in after if id(s.mention) in taken), default=len(sentence))
        first = next((s for s in free if s.first < partner_at), None)
        return self.group_from(sentence, after, first) if first is not None else []

    def subject_before_object(
        self, sentence: Sequence[Token], before: list[Slot], objects: list[Mention], lo: int
    ) -> list[Mention]:
        """In a clause whose verb comes last ("Lawrow hat Fidan getroffen", "Lavrov Fidan ile
        görüştü"), the group before the nearest one is the subject, the nearest the object: both
        unmarked, with no punctuation between the subject and the trigger."""
        first = next(s for s in before if s.mention is objects[0])
        earlier = [s for s in before if s.last < first.first]
        subject = self.source_group(sentence, earlier)
        if not subject:
            return []
        last = next(s for s in earlier if s.mention is subject[-1])
        if self.apposition(sentence, last, first):  # "Premier ministre Benjamin Netanyahu": one phrase
            return []
        start = last.last + 1
        if any(t.pos == "PUNCT" for t in sentence[start:lo]):
            return []
        return subject

    def without_titles(self, sentence: Sequence[Token], group: list[Slot]) -> list[Mention]:
        """The group's mentions, a title set off by a comma from its holder left out."""
        out = []
        for k, slot in enumerate(group):
            neighbours = [
                other
                for other in group[max(0, k - 1) : k + 2]
                if other is not slot
                and other.mention.type == PERSON
                and self.apposition(sentence, *sorted((slot, other), key=lambda s: s.first))
            ]
            if not neighbours:
                out.append(slot.mention)
        return out

    def relative_place_follows(self, sentence: Sequence[Token], slot: Slot) -> bool:
        words = sentence[slot.last + 1 : slot.last + 3]
        return any(set(keys(t)) & self.lex.marker("relative_place") for t in words)

    # -------------------------------------------------------------------------- roles
    def between(self, sentence: Sequence[Token], slots: list[Slot], lo: int, hi: int) -> list[Mention]:
        """Both sides named after "between" near the trigger (or before a "between" postposition)."""
        for slot in slots:
            if slot.marker != BETWEEN or slot.first > hi + MAX_LEAD + 2 or slot.last < lo - WINDOW_TOKENS:
                continue
            if self.postposed(sentence, slot):  # "Rusya ile Ukrayna arasında": the group ends here
                group = self.chain_before(sentence, slots, slot)
            else:
                group = self.group_from(sentence, slots, slot)
            if len(group) > 1:
                return group
        return []

    def postposed(self, sentence: Sequence[Token], slot: Slot) -> bool:
        """True when the name's marker is the word after it (a postposition)."""
        return slot.last + 1 < len(sentence) and bool(
            set(keys(sentence[slot.last + 1]))
            & (self.lex.marker("between_after") | self.lex.marker("partner_after"))
        )

    def chain_before(self, sentence: Sequence[Token], slots: list[Slot], last: Slot) -> list[Mention]:
        """The coordinated names that end at `last` (a postposition follows the group)."""
        group = [last]
        for slot in reversed(slots[: slots.index(last)]):
            if not self.joined(sentence, slot, group[0]) and not self.postposed_and(sentence, slot, group[0]):
                break
            group.insert(0, slot)
        return [s.mention for s in group]

    def postposed_and(self, sentence: Sequence[Token], left: Slot, right: Slot) -> bool:
        """True when a partner postposition joins two names ("Rusya ile Ukrayna"): "with" as "and"."""
        between = sentence[left.last + 1 : right.first]
        return len(between) == 1 and bool(set(keys(between[0])) & self.lex.marker("partner_after"))

    def noun_group(self, sentence: Sequence[Token], after: list[Slot], hi: int) -> list[Mention]:
        """A coordinated group of names right after an event noun: its sides."""
        if not after or after[0].marker is not None or after[0].first - hi - 1 > NOUN_GROUP_GAP:
            return []
        return self.group_from(sentence, after, after[0])

    def object_before(self, before: list[Slot]) -> list[Mention]:
        """In a language whose complements precede their verb and whose case ending marks the direct
        object ("Erdoğan, Scholz’u Ankara’da karşıladı"), the object-marked name nearest the trigger is
        its target; the subject is another name before it."""
        if not self.lex.head_final:
            return []
        marked = [s for s in before if s.marker == OBJECT]
        return [marked[-1].mention] if marked else []

    def partners(self, sentence: Sequence[Token], slots: list[Slot], lo: int, hi: int) -> list[Mention]:
        """Names introduced as partners: after the trigger ("met with X"), or, marked by a postposition
        or case ending, before it ("X ile görüştü")."""
        for slot in slots:
            if slot.marker != PARTNER:
                continue
            postposed = slot.last < lo
            if postposed and not (self.lex.marker("partner_after") or self.suffixes[PARTNER]):
                continue
            group = [slot.mention]
            if not postposed:
                group = self.group_from(sentence, [s for s in slots if s.first >= slot.first], slot)
            return group
        return []

    def place(self, slots: list[Slot], lo: int, hi: int, destination: bool) -> Mention | None:
        """Where the event happens: a place-marked name (the nearest after the trigger first), else what
        a movement reaches."""
        places = [s for s in slots if s.marker == PLACE and s.mention.type == "LOC"]
        if places:
            return min(places, key=lambda s: (s.first < hi, abs(s.first - hi))).mention
        if destination:
            reached = next((s for s in slots if s.first > hi and s.marker is None), None)
            if reached is not None and reached.mention.type == "LOC":
                return reached.mention
        return None


def to_actors(finder: ActorFinder, mentions: list[Mention]) -> list[Actor]:
    return [finder.of_window_mention(m) for m in mentions]
