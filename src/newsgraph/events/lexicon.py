"""Event trigger lexicons: `langdata/<lang>/events.toml` merged over `langdata/xx/events.toml`.

A lexicon entry is a phrase of lemmas. Consecutive words must be consecutive tokens; an ellipsis
("…" or "...") between two parts lets a few tokens stand between them ("appeler … à", "upgrade …
tie"), so one entry covers "a appelé le président à". Tables of the file:

- `verbs.<TYPE>` / `nouns.<TYPE>`: triggers of each PLOVER category; a verb entry also matches
  predicative adjectives ("ready to", "готов"), a noun entry names the event ("meeting", "визит");
- `stop`: phrases that hold a trigger word but are no event ("take part", "принять решение");
- `delegation`: nouns of a group sent to talks ("delegation", "делегация"): with a parse, the person
  named in the phrase ("the Russian delegation led by Medinsky") is the participant;
- `audience`: nouns of the public and the press; meeting them is no dyadic event ("встреча с
  журналистами");
- `modes.<TYPE>.<mode>`: cues of a mode ("по телефону" → phone); a trigger that is itself a cue
  takes its mode; `weak_modes.<TYPE>`: modes that only apply when no other cue does ("meet");
- `roles.host` (the subject is the host: "X received Y" → Y is the source; a greeting verb of
  another category, "welcome", "begrüßen", is a reception, CONSULT, only between two named people),
  `roles.destination`
  (a movement whose place is where the visitor goes: "arrived in Amman"), `roles.reciprocal` (an
  event only with a partner: "X and Y discussed", "discussed with Y", never "X discussed the plan"),
  `roles.obligation` (a modal whose clause subject is asked to act: "Libya must hand over");
- `markers.<name>`: function-word lemmas read off the parse (`partner` "with", `between`,
  `agent` "by", `target` "to/against", `place` "in", `genitive` "of", `and`, `negation`,
  `future`, `hypothetical`, `mark_hypothetical` "if", `light` verbs whose subject takes part in
  the event their object names: "held talks"; `speech` verbs and the `anaphora` demonstratives by
  which they take up the sentence before, whose speaker then asks for what it says: "Y must do Z.
  C'est ce qu'a déclaré X", "Об этом заявил X");
  Read by the token window (`newsgraph.events.window`): `partner_after` / `between_after` /
  `attribution_after` (postpositions: Turkish "ile", "arasında", "göre"), `attribution` ("laut",
  "secondo": the name is who reports, not who acts), `relative_place` ("gdzie", "dove": the name
  before it is a place), `purpose` ("um", "para", "için": the event is what someone set out to do,
  context "intended");
- `suffixes.<name>`: word endings, for languages that mark with a case ending what others mark with
  a word: `place` (Turkish locative "’da"), `partner` (comitative "’la"), `object` (accusative
  "’u": the target of a verb that follows), `future` ("-ecek", "-erà": a verb form whose lemma no
  longer shows its tense);
- `compounds`: true for a language that writes compound nouns as one word (German): a one-word noun
  trigger also matches at the end of a longer word ("Antrittsbesuch", "Telefongespräch");
- `max_lead`: how many words may stand between a function word and the name it introduces (3:
  "mit dem russischen Präsidenten X"; more where titles run longer: Arabic "مع وزير الخارجية
  الإيراني X");
- `verb_initial`: true for a language whose subject may follow its verb (Arabic): with no name
  before a verb trigger, the first unmarked name after it is the subject;
- `head_final`: true for a language whose complements precede their head (Turkish): the window
  takes no participant after a trigger;
- `clause_final_verb`: true for a language whose verb may end its clause after a modal or auxiliary
  that stands early (German "er wolle nach der Wahl im Herbst Rom besuchen"): without a parse, the
  context words of a verb trigger are read back to the start of its clause, not only 5 words;
- `cues.<name>`: phrases anywhere in the sentence (`reported` "according to");
- `heads.<context>`: verbs that put their complement in a context ("plan to meet" → future);
- `morph.<context>`: UD features ("Tense=Fut", "Mood=Cnd");
- `named_sides`: types whose sides must name actors: beside a named one, a phrase that names no
  one ("other rights activists", "young scientists") is no side of the event;
- `symmetric`: types where "X and Y" share the two roles; `recipients`: types whose "à X" / "в X"
  names a target, not a place; `intent.cooperative` / `intent.hostile`: types whose announcement
  is a commitment (AGREE) or a threat (THREATEN).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsgraph import langdata

RESOURCE = "events"
STOP = ""  # the type of a `stop` phrase: it blocks the triggers inside it ("take part", "принять решение")
MIN_COMPOUND_TAIL = 4  # letters of the shortest noun trigger that may end a compound ("Treffen", not "Rat")
_GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")


@dataclass(frozen=True)
class Phrase:
    """Runs of consecutive words (casefolded lemmas); a short gap may separate two runs."""

    parts: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return " … ".join(" ".join(words) for words in self.parts)

    @property
    def size(self) -> int:
        return sum(len(words) for words in self.parts)

    @property
    def first(self) -> str:
        return self.parts[0][0]


def parse_phrase(text: str) -> Phrase:
    parts = tuple(tuple(part.casefold().split()) for part in _GAP.split(text.strip()) if part.strip())
    if not parts:
        raise ValueError(f"empty phrase in {RESOURCE}.toml")
    return Phrase(parts)


@dataclass(frozen=True)
class Entry:
    """One trigger: a phrase that signals an event of `type` (as a verb, or as a noun when `noun`)."""

    phrase: Phrase
    type: str
    noun: bool


@dataclass(frozen=True)
class Lexicon:
    lang: str | None
    entries: dict[str, tuple[Entry, ...]]  # by the first word of the phrase
    modes: dict[str, tuple[tuple[str, Phrase], ...]]  # type -> (mode, cue)
    weak_modes: dict[str, frozenset[str]]
    roles: dict[str, frozenset[str]]  # role -> phrase texts of the triggers that have it
    markers: dict[str, frozenset[str]]
    cues: dict[str, tuple[Phrase, ...]]
    heads: dict[str, frozenset[str]]
    morph: dict[str, tuple[tuple[str, str], ...]]
    symmetric: frozenset[str]
    intent: dict[str, frozenset[str]]
    audience: frozenset[str]
    recipients: frozenset[str]
    delegations: frozenset[str]  # nouns of a group sent to talks, whose leader speaks for it ("delegation")
    named_sides: frozenset[str]  # types whose sides must name actors (a contact is between named actors)
    suffixes: dict[str, tuple[str, ...]]  # word endings that mark a context or a role (`suffixes` table)
    head_final: bool = False  # participants precede the trigger (Turkish): nothing after it is one
    verb_initial: bool = False  # the subject may follow its verb (Arabic "التقى الوزير X بـ Y")
    clause_final_verb: bool = False  # a modal stands early, the verb ends the clause (German)
    max_lead: int = 3  # words a title may put between a function word and its name (window reader)
    compounds: bool = False  # nouns compound into one word (German): a noun trigger may end a word
    # one-word noun triggers (longest first) with their entries, for compounds
    compound_tails: tuple[tuple[str, tuple[Entry, ...]], ...] = ()

    def marker(self, name: str) -> frozenset[str]:
        return self.markers.get(name, frozenset())

    def has_role(self, entry: Entry, role: str) -> bool:
        return entry.phrase.text in self.roles.get(role, frozenset())

    def is_symmetric(self, entry: Entry) -> bool:
        """True when coordinated participants act together ("X and Y met"), not side by side ("X and Y
        arrived", "X and Y received Z")."""
        return entry.type in self.symmetric and not (
            self.has_role(entry, "destination") or self.has_role(entry, "host")
        )

    def mode_cues(self, type_: str) -> tuple[tuple[str, Phrase], ...]:
        return self.modes.get(type_, ())


@cache
def lexicon(lang: str | None) -> Lexicon:
    """The merged event lexicon of `lang` (the neutral one for an unknown language)."""
    return build_lexicon(langdata.load(lang, RESOURCE), lang)


def build_lexicon(table: dict[str, Any], lang: str | None = None) -> Lexicon:
    entries: dict[str, list[Entry]] = defaultdict(list)
    for section, noun in (("verbs", False), ("nouns", True)):
        for type_, phrases in table.get(section, {}).items():
            for text in phrases:
                entry = Entry(parse_phrase(text), type_, noun)
                entries[entry.phrase.first].append(entry)
    for text in table.get("stop", []):
        entry = Entry(parse_phrase(text), STOP, noun=False)
        entries[entry.phrase.first].append(entry)
    modes = {
        type_: tuple((mode, parse_phrase(cue)) for mode, cues in by_mode.items() for cue in cues)
        for type_, by_mode in table.get("modes", {}).items()
    }
    return Lexicon(
        lang=lang,
        entries={word: tuple(found) for word, found in entries.items()},
        modes=modes,
        weak_modes=_word_sets(table.get("weak_modes", {}), fold=False),
        roles={
            role: frozenset(parse_phrase(p).text for p in phrases)
            for role, phrases in table.get("roles", {}).items()
        },
        markers=_word_sets(table.get("markers", {})),
        cues={
            name: tuple(parse_phrase(p) for p in phrases) for name, phrases in table.get("cues", {}).items()
        },
        heads=_word_sets(table.get("heads", {})),
        morph={
            context: tuple(_feature(f) for f in features)
            for context, features in table.get("morph", {}).items()
        },
        symmetric=frozenset(table.get("symmetric", [])),
        intent={kind: frozenset(types) for kind, types in table.get("intent", {}).items()},
        audience=frozenset(w.casefold() for w in table.get("audience", [])),
        recipients=frozenset(table.get("recipients", [])),
        named_sides=frozenset(table.get("named_sides", [])),
        delegations=frozenset(w.casefold() for w in table.get("delegation", [])),
        suffixes={
            name: tuple(e.casefold() for e in endings) for name, endings in table.get("suffixes", {}).items()
        },
        head_final=bool(table.get("head_final", False)),
        verb_initial=bool(table.get("verb_initial", False)),
        clause_final_verb=bool(table.get("clause_final_verb", False)),
        max_lead=int(table.get("max_lead", 3)),
        compounds=bool(table.get("compounds", False)),
        compound_tails=compound_tails(entries) if table.get("compounds", False) else (),
    )


def compound_tails(entries: dict[str, list[Entry]]) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
    """One-word noun triggers, longest first, that may end a compound word."""
    tails = {
        word: tuple(e for e in found if e.noun and e.phrase.size == 1)
        for word, found in entries.items()
        if len(word) >= MIN_COMPOUND_TAIL
    }
    return tuple(sorted(((w, e) for w, e in tails.items() if e), key=lambda item: -len(item[0])))


def _word_sets(table: dict[str, list[str]], fold: bool = True) -> dict[str, frozenset[str]]:
    return {name: frozenset(w.casefold() if fold else w for w in words) for name, words in table.items()}


def _feature(text: str) -> tuple[str, str]:
    name, _, value = text.partition("=")
    if not value:
        raise ValueError(f"{RESOURCE}.toml: morph feature {text!r} is not NAME=VALUE")
    return name, value
