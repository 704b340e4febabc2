"""Who speaks for a state at talks: "Russia's chief negotiator Vladimir Medinsky".

Reports of talks often name only the states ("talks between Russia and Ukraine ended") while another
sentence of the same article names who led a side ("Russlands Chefunterhändler Wladimir Medinski",
"le négociateur en chef iranien Abbas Araghchi"). An analyst looking for that person's contacts must
find those talks too, so the person joins the state's side of the article's contacts, beside the
state (which stays: the state's own timeline keeps its row), and the event's context says so
("delegate:<entity id>"); clusters are blocked without such participants.

A person leads a state's side when a negotiator phrase (`negotiator` in `langdata/<lang>/events.toml`:
"chief negotiator", "head of the delegation", "Chefunterhändler") stands between the state and the
person's name, with nothing but a few title words between them and no clause mark. The state is a
mention right before the phrase, or right after it ("le négociateur en chef iranien"), or a word
there that is an inflection or adjective of the name of a state taking part in the article's
contacts ("Russlands", "российской", "iranien": the name, or the name less its last letter, 4 letters
at least, begins the word), as recognisers often leave genitives and adjectives unnamed. Only
CONSULT events with a named other side, and only a state for which the article names exactly one
such person (two names for one side say it was not one person's delegation).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from newsgraph import langdata
from newsgraph.model import Document, Event, Mention, Span

RESOURCE = "events"
KEY = "negotiator"
CONSULT = "CONSULT"
DELEGATE = "delegate:"  # context tag of an event a negotiator joined, then the person's entity id
STATE_TYPES = frozenset({"LOC", "MISC"})  # a country's name, or its adjective ("Russian", "iranien")
MIN_STEM = 4  # letters of the shortest name stem that may begin an inflected word ("Iran" -> "iranien")
TITLE_WORDS = 4  # words between the phrase and the name: titles ("presidential aide")
GLUE = re.compile(r"^[\s'’s]*$")  # what may stand between the state and the phrase: "Russia's"
CLAUSE_MARK = re.compile(r"[,;:.!?()\[\]«»\"“”]")
_WORD = re.compile(r"[^\W_]+(?:['’]s\b)?")  # a possessive stays on its word: "Serbia's"


@cache
def negotiator_phrases(lang: str | None) -> tuple[tuple[str, ...], ...]:
    """The negotiator phrases of `lang`, as casefolded word prefixes ("chefunterhändler" also matches
    "Chefunterhändlers"), longest first."""
    table = langdata.load(lang, RESOURCE)
    phrases = {tuple(w.casefold() for w in _WORD.findall(p)) for p in table.get(KEY, [])}
    return tuple(sorted((p for p in phrases if p), key=len, reverse=True))


@cache
def phrases_by_letter(lang: str | None) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The negotiator phrases by the first letter of their first word, each list in the order of
    `negotiator_phrases`: a word is tried only against the phrases that can begin with it, and the
    first that matches is the one the full list would give."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in negotiator_phrases(lang):
        out.setdefault(phrase[0][0], []).append(phrase)
    return {letter: tuple(group) for letter, group in out.items()}


def add_delegates(doc: Document) -> None:
    """Add to each CONSULT event the person the article names as leading the side of a state that
    takes part in it (entity and mention span on that state's side)."""
    if not any(event.type == CONSULT for event in doc.events):
        return  # nothing to join: the search below is the stage's costliest part
    heads = delegation_heads(doc)
    if not heads:
        return
    for event in doc.events:
        if event.type == CONSULT:
            for state, person in heads.items():
                join_side(event, state, person)


def delegation_heads(doc: Document) -> dict[str, Mention]:
    """State entity id -> the one person mention the article names as its negotiator."""
    found: dict[str, dict[str, Mention]] = defaultdict(dict)
    phrases = negotiator_phrases(doc.lang)
    if not phrases:
        return {}
    by_letter = phrases_by_letter(doc.lang)
    words = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(doc.text)]
    mentions = sorted(doc.mentions, key=lambda m: m.start)
    stems = state_stems(doc)
    for i in range(len(words)):
        for phrase in by_letter.get(words[i][0][0], ()):
            if not _starts(words, i, phrase):
                continue
            span = (words[i][1], words[i + len(phrase) - 1][2])
            state = state_of(doc.text, mentions, span, words, i, len(phrase), stems)
            person = person_after(doc.text, mentions, span)
            if state is not None and person is not None and person.entity:
                found[state][person.entity] = person
            break
    return {state: next(iter(people.values())) for state, people in found.items() if len(people) == 1}


def _starts(words: list[tuple[str, int, int]], i: int, phrase: tuple[str, ...]) -> bool:
    """True when the words from `i` begin with the phrase's words (each a prefix of its word)."""
    if i + len(phrase) > len(words):
        return False
    return all(words[i + k][0].startswith(part) for k, part in enumerate(phrase))


def state_stems(doc: Document) -> dict[str, str]:
    """Casefolded name stems -> entity id, for the places that take part in the article's CONSULT
    events: each one-word form (mentions, name, aliases) whole and less its last letter, of at least
    `MIN_STEM` letters ("iran" begins "iranien", "armenie" begins "Armeniens")."""
    places = {
        e
        for event in doc.events
        if event.type == CONSULT
        for e in (*event.source, *event.target)
        if (entity := doc.entities.get(e)) is not None and entity.type == "LOC"
    }
    stems: dict[str, str] = {}
    for eid in places:
        entity = doc.entities[eid]
        forms = {m.text for m in doc.mentions if m.entity == eid} | {entity.name, *entity.aliases}
        for form in forms:
            folded = form.casefold()
            if " " in folded:
                continue
            for stem in (folded, folded[:-1]):
                if len(stem) >= MIN_STEM:
                    stems[stem] = eid
    return stems


def state_of(
    text: str,
    mentions: list[Mention],
    span: Span,
    words: list[tuple[str, int, int]],
    i: int,
    size: int,
    stems: dict[str, str],
) -> str | None:
    """The state whose side the phrase at words[i:i+size] names: a mention, else a word beside it."""
    mention = state_before(text, mentions, span)
    if mention is not None and mention.entity:
        return mention.entity
    beside = [words[i - 1]] if i > 0 and GLUE.match(text[words[i - 1][2] : span[0]]) else []
    if i + size < len(words) and not CLAUSE_MARK.search(text[span[1] : words[i + size][1]]):
        beside.append(words[i + size])
    for word, _, _ in beside:
        for stem, eid in stems.items():
            if word.startswith(stem):
                return eid
    return None


def state_before(text: str, mentions: list[Mention], span: Span) -> Mention | None:
    """The country (or country adjective) mention right before the phrase: "Russia's chief negotiator",
    "Russlands Chefunterhändler"; or the adjective right after the phrase's first word in languages
    that put it there ("le négociateur en chef iranien" is read by `person_after`'s gap)."""
    before = [m for m in mentions if m.type in STATE_TYPES and m.end <= span[0]]
    if before and GLUE.match(text[before[-1].end : span[0]]):
        return before[-1]
    after = [m for m in mentions if m.type in STATE_TYPES and m.start >= span[1]]
    if after and not CLAUSE_MARK.search(text[span[1] : after[0].start]):
        gap = _WORD.findall(text[span[1] : after[0].start])
        if len(gap) <= 1:  # "négociateur en chef iranien", "head of the Russian delegation"
            return after[0]
    return None


def person_after(text: str, mentions: list[Mention], span: Span) -> Mention | None:
    """The first person named after the phrase, with at most a few title words (and the state's
    adjective) between them and no clause mark."""
    for mention in mentions:
        if mention.start < span[1]:
            continue
        if mention.type != "PER":
            continue
        gap = text[span[1] : mention.start]
        if CLAUSE_MARK.search(gap) or len(_WORD.findall(gap)) > TITLE_WORDS:
            return None
        return mention
    return None


def join_side(event: Event, state: str, person: Mention) -> None:
    """Put the person on the side where the state takes part, unless already a participant. Only in a
    contact with a named other side: with none ("Russia made demands at the talks"), the person would
    be paired with their own state."""
    if person.entity is None or person.entity in event.source or person.entity in event.target:
        return
    if not event.source or not event.target or set(event.source) | set(event.target) == {state}:
        return
    for ids, spans in ((event.source, event.source_spans), (event.target, event.target_spans)):
        if state in ids:
            ids.append(person.entity)
            spans.append((person.start, person.end))
            event.context.append(DELEGATE + person.entity)
            return


def delegates(event: Event) -> set[str]:
    """The participants added as a state's negotiator: reports of the same talks with and without
    them are one event, so clusters are blocked without them."""
    return {c[len(DELEGATE) :] for c in event.context if c.startswith(DELEGATE)}
