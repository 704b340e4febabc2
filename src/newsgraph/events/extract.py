"""Events of one document: triggers, participants, attributes, then one event per dyad.

Each sentence (the headline included) is searched for trigger phrases; each trigger gets its
participants (`arguments`) and attributes (`attributes`). Then, document-wide:
- a CONSULT-like event without a mode of its own takes the mode of another event of the same
  type whose source takes part in it ("Blinken arrived in Israel" makes his meetings there
  visits), else a mode cue of a neighbouring sentence that names one of its participants;
- a cooperative event announced for later is also a commitment (AGREE), a refused one a REJECT,
  a hostile one announced or conditional a THREATEN (`intent` of the lexicon);
- participants become dyads: one event per (source, target) pair (or per source when there is no
  target), and for a symmetric type with coordinated participants and no target ("X and Y
  discussed"), one per pair of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from newsgraph.events.actors import Actor, ActorFinder
from newsgraph.events.arguments import ArgumentFinder, Arguments
from newsgraph.events.attributes import (
    FUTURE,
    HYPOTHETICAL,
    NEIGHBOUR,
    OWN,
    SENTENCE,
    WEAK,
    Attributes,
    owning_trigger,
)
from newsgraph.events.lexicon import Lexicon, lexicon
from newsgraph.events.neighbour_time import ReadAttributes, Reading, borrow_neighbour_dates
from newsgraph.events.triggers import Match, find_triggers
from newsgraph.events.when import event_date
from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import DateValue, Document, Event, Span

NEIGHBOURHOOD = 2  # sentences either side whose mode cue may apply ("… a tweeté Ashkenazi après l'appel")
MAX_DYADS = 12  # per trigger: a list of twenty guests is not twenty events worth keeping
AGREE, REJECT, THREATEN = "AGREE", "REJECT", "THREATEN"
CONSULT, VISIT = "CONSULT", "visit"
ONE_SIDE = "one-side:"  # context tag of an event with one participant, then why
# Evidence score (`evidence`, up to) -> share of events right on dev (2026-12-05: news dev CONSULT with two
# named sides fitting a gold contact, and PLOVER dev events of the sentence's gold type; 373 events pooled,
# made monotone by pooling adjacent scores). See docs/BENCHMARKS.md, "Issue 8A".
CALIBRATION = ((0.50, 0.07), (0.65, 0.55), (0.75, 0.58), (0.80, 0.75), (1.00, 0.80))
COORDINATION = frozenset(
    {"conj", "parataxis"}
)  # relations between two reported events, not event and content


@dataclass
class Draft:
    """A trigger with its participants and attributes, before it is split into dyads."""

    type: str
    match: Match
    trigger: Span
    sentence: int
    sentence_span: Span
    args: Arguments
    negated: bool
    context: list[str]
    mode: str | None
    mode_rank: int
    noun: bool
    derived: bool = False  # an AGREE/REJECT/THREATEN read off another event's context
    date: DateValue | None = None

    @property
    def participants(self) -> set[str]:
        return {a.entity for a in (*self.args.sources, *self.args.targets) if a.entity}

    @property
    def source_entities(self) -> set[str]:
        return {a.entity for a in self.args.sources if a.entity}


def extract_events(doc: Document, analysis: Analysis) -> list[Event]:
    lex = lexicon(doc.lang)
    finder = ActorFinder(doc, analysis, lex.delegations)
    arguments = ArgumentFinder(finder, lex)
    attributes = Attributes(analysis, lex)
    sentences = sentence_tokens(analysis)
    matches = [find_triggers(tokens, lex) for tokens in sentences]
    heads = frozenset(
        tokens[m.head].i for tokens, found in zip(sentences, matches, strict=True) for m in found
    )
    drafts: list[Draft] = []
    contents: list[Draft] = []
    for index, (tokens, found) in enumerate(zip(sentences, matches, strict=True)):
        for match in found:
            if named_inside(finder, tokens, match):
                continue
            draft = make_draft(match, index, tokens, found, arguments, attributes)
            if draft is not None and content_only(doc, analysis, draft, tokens[match.head], heads):
                contents.append(draft)  # no event, but what it announces may be one ("prepared to impose")
                continue
            if draft is not None:
                draft.date = event_date(
                    doc, analysis, tokens[match.head], draft.trigger, heads, draft.context
                )
                drafts.append(draft)
    share_subjects(drafts, sentences)
    settle_modes(drafts, sentences, matches, finder, attributes, lex)
    reading = report_reading(attributes)
    borrow_neighbour_dates(doc, analysis, drafts, sentences, matches, heads, reading)
    drafts += announced([*drafts, *contents], lex)
    events = [event for draft in drafts for event in dyad_events(doc, draft, lex, finder.same_person)]
    return with_ids(doc, deduplicated(events, lex))


def report_reading(attributes: Attributes) -> ReadAttributes:
    """Whether the report a trigger would make is denied, and its context (planned, future, ...): what
    a neighbouring sentence must say for its date to be lent (`neighbour_time`)."""

    def read(match: Match, tokens: Sequence[Token]) -> Reading:
        trigger, noun = tokens[match.head], match.entry.noun
        return Reading(
            attributes.negated(trigger, noun, tokens, match),
            attributes.context(trigger, noun, tokens, match),
        )

    return read


def sentence_tokens(analysis: Analysis) -> list[list[Token]]:
    out: list[list[Token]] = [[] for _ in analysis.sentences]
    for token in analysis.tokens:
        out[token.sent].append(token)
    return out


def make_draft(
    match: Match,
    index: int,
    tokens: Sequence[Token],
    matches: Sequence[Match],
    arguments: ArgumentFinder,
    attributes: Attributes,
) -> Draft | None:
    args = without_venue(arguments.arguments(match, tokens))
    if not args.valid or not (args.sources or args.targets):
        return None
    trigger = tokens[match.head]
    noun = match.entry.noun
    mode, rank = attributes.mode(match, tokens, matches)
    type_ = match.entry.type
    first_run = len(match.entry.phrase.parts[0])  # "appeler … à": the trigger is the first run of words
    span = (tokens[match.positions[0]].start, tokens[match.positions[first_run - 1]].end)
    if reception(match, args, arguments, span):
        type_, mode, rank = CONSULT, mode or VISIT, OWN
    return Draft(
        type=type_,
        match=match,
        trigger=span,
        sentence=index,
        sentence_span=attributes.analysis.sentences[index],
        args=args,
        negated=attributes.negated(trigger, noun, tokens, match),
        context=attributes.context(trigger, noun, tokens, match),
        mode=mode,
        mode_rank=rank,
        noun=noun,
    )


def reception(match: Match, args: Arguments, arguments: ArgumentFinder, trigger: Span) -> bool:
    """True for a host verb of another category ("welcome", "begrüßen", "przywitać", "karşılamak": a
    greeting) whose two sides are people: "Macron welcomed Scholz", "von Macron begrüßt" report a
    reception, a contact in person with the host and the guest as its sides; what is welcomed when it
    is no person ("welcomed the decision") stays the approval it is."""
    host = arguments.lex.has_role(match.entry, "host")
    return match.entry.type != CONSULT and host and arguments.between_people(args, trigger)


def without_venue(args: Arguments) -> Arguments:
    """The event's place is not also one of its sides: "a rencontré à Tel-Aviv …" may reach the city
    both as the venue and, through another path of the parse, as a counterpart."""
    venue = args.place.entity if args.place else None
    if venue:
        args.sources = [a for a in args.sources if a.entity != venue]
        args.targets = [a for a in args.targets if a.entity != venue]
    return args


def named_inside(finder: ActorFinder, tokens: Sequence[Token], match: Match) -> bool:
    """True when the trigger lies inside a name: "Amnesty International", "the Agency for
    Development and Cooperation", "Relief Coordinator" name an actor, not an event."""
    first, last = tokens[match.positions[0]], tokens[match.positions[-1]]
    mention = finder.covering(first.start, last.end)
    return mention is not None and (mention.start, mention.end) != (first.start, last.end)


def content_only(
    doc: Document, analysis: Analysis, draft: Draft, trigger: Token, heads: frozenset[int]
) -> bool:
    """True for an event that is only the content of another one in its sentence ("rejected a U.S.
    request"): governed by another trigger, it names fewer than two participants and has no time
    expression of its own ("a month after the attack by Hamas on 7 October" reports that attack)."""
    if len(draft.participants) > 1 or not subordinate(analysis, trigger, heads):
        return False
    sentence = analysis.sentences[trigger.sent]
    for time in doc.times:
        if sentence[0] <= time.start and time.end <= sentence[1]:
            token = analysis.token_at(time.start)
            if token is not None and owning_trigger(analysis, token, heads) == trigger.i:
                return False
    return True


def subordinate(analysis: Analysis, trigger: Token, heads: frozenset[int]) -> bool:
    """True when another trigger governs this one (not by coordination): "rejected a U.S. request",
    "demanded the withdrawal", "accused … of violating a ceasefire". The sentence reports the
    governing event; the governed one is its content, an event of its own only when it names both
    its sides (the caller's test)."""
    token = trigger
    for _ in range(len(analysis.tokens)):
        if not token.dep or token.head == token.i or token.dep in COORDINATION:
            return False
        token = analysis.tokens[token.head]
        if token.i in heads:
            return True
    return False


def share_subjects(drafts: Sequence[Draft], sentences: Sequence[Sequence[Token]]) -> None:
    """A report that names only its counterpart takes the subject of the report of the same type just
    before it in its sentence: "X held two meetings, the first with Y, then one with Z", "X met Y and
    later held talks with Z" — one subject, several contacts. A report with a subject of its own, even
    one that names no one, keeps it; the borrowed subject is never one of its own counterparts. Only
    without a parse: a parser gives coordinated verbs their shared subject itself, and a parsed noun
    left without one is mostly what another report is about ("discussed plans for negotiations with
    Z"), not a second contact of that report's subject."""
    for index, draft in enumerate(drafts):
        if draft.args.sources or not any(a.entity for a in draft.args.targets):
            continue
        if sentences[draft.sentence][draft.match.head].dep:
            continue
        donor = next(
            (
                d
                for d in reversed(drafts[:index])
                if d.sentence == draft.sentence and d.type == draft.type and d.trigger[1] <= draft.trigger[0]
            ),
            None,
        )
        if donor is None:
            continue
        own = {a.key for a in draft.args.targets}
        shared = [a for a in donor.args.sources if a.entity and a.key not in own]
        if shared and len(shared) == len(donor.args.sources):
            draft.args.sources = list(shared)


# ------------------------------------------------------------------------------ document-wide
def settle_modes(
    drafts: list[Draft],
    sentences: Sequence[Sequence[Token]],
    matches: Sequence[Sequence[Match]],
    finder: ActorFinder,
    attributes: Attributes,
    lex: Lexicon,
) -> None:
    """Modes for the events whose own sentence gave none or only a weak one (see module doc)."""
    for draft in drafts:
        if draft.type not in lex.weak_modes or draft.mode_rank <= SENTENCE:
            continue
        donors = [
            d
            for d in drafts
            if d.type == draft.type
            and d is not draft
            and d.mode_rank <= SENTENCE
            and not d.negated
            and d.source_entities & draft.participants
        ]
        if donors:
            donor = min(donors, key=lambda d: abs(d.trigger[0] - draft.trigger[0]))
            draft.mode, draft.mode_rank = donor.mode, NEIGHBOUR
            continue
        for neighbour in neighbours(draft.sentence):
            if 0 <= neighbour < len(sentences) and names_any(finder, sentences[neighbour], draft):
                mode = attributes.sentence_mode(draft.type, sentences[neighbour], matches[neighbour])
                if mode is not None:
                    draft.mode, draft.mode_rank = mode, NEIGHBOUR
                    break


def neighbours(sentence: int) -> list[int]:
    """Nearby sentences, nearest first, the following before the preceding."""
    return [n for step in range(1, NEIGHBOURHOOD + 1) for n in (sentence + step, sentence - step)]


def names_any(finder: ActorFinder, tokens: Sequence[Token], draft: Draft) -> bool:
    """True when the sentence of `tokens` mentions one of the draft's participants."""
    if not tokens:
        return False
    named = {m.entity for m in finder.inside((tokens[0].start, tokens[-1].end)) if m.entity}
    return bool(named & draft.participants)


def announced(drafts: Sequence[Draft], lex: Lexicon) -> list[Draft]:
    """AGREE / REJECT / THREATEN events that PLOVER reads off announced or refused acts."""
    cooperative = lex.intent.get("cooperative", frozenset())
    hostile = lex.intent.get("hostile", frozenset())
    out = []
    for draft in drafts:
        future = FUTURE in draft.context
        if draft.type in cooperative and future:
            type_ = REJECT if draft.negated else AGREE
        elif draft.type in hostile and not draft.negated and (future or HYPOTHETICAL in draft.context):
            type_ = THREATEN
        else:
            continue
        context = [c for c in draft.context if c not in (FUTURE, HYPOTHETICAL)]
        out.append(
            replace(
                draft, type=type_, context=context, negated=False, mode=None, mode_rank=WEAK, derived=True
            )
        )
    return out


# ------------------------------------------------------------------------------ dyads
def dyads(
    draft: Draft,
    symmetric: bool,
    same: Callable[[str | None, str | None], bool] | None = None,
    named_sides: bool = False,
) -> list[tuple[list[Actor], list[Actor]]]:
    """(sources, targets) pairs of a draft; a pair whose two sides are one person (a name the
    recogniser split from its title) is none; with `named_sides`, a phrase that names no one is no
    side beside a named actor."""
    sources, targets = draft.args.sources, draft.args.targets
    if named_sides and any(a.entity for a in (*sources, *targets)):
        # a contact is between named actors: beside one, "other rights activists" is no side
        sources, targets = [a for a in sources if a.entity], [a for a in targets if a.entity]
    sides: list[list[Actor]] = [[s] for s in sources] or [[]]
    named_targets = [t for t in targets if t.entity]
    if symmetric and len(sources) > 1 and not named_targets and sum(1 for s in sources if s.entity) > 1:
        pairs = [([a], [b]) for a, b in combinations(sources, 2)]  # "X and Y met on Monday": each other
    elif targets:
        pairs = [(side, [t]) for side in sides for t in targets]
    elif symmetric and len(sources) > 1:
        pairs = [([a], [b]) for a, b in combinations(sources, 2)]
    else:
        pairs = [(side, []) for side in sides]
    distinct = [
        (s, t)
        for s, t in pairs
        if not ({a.key for a in s} & {b.key for b in t})
        and not (same and any(same(a.entity, b.entity) for a in s for b in t))
    ]
    return distinct[:MAX_DYADS]


def dyad_events(
    doc: Document, draft: Draft, lex: Lexicon, same: Callable[[str | None, str | None], bool] | None = None
) -> list[Event]:
    place = draft.args.place
    date = draft.date
    out = []
    symmetric = lex.is_symmetric(draft.match.entry) and draft.args.together
    for sources, targets in dyads(draft, symmetric, same, draft.type in lex.named_sides):
        out.append(
            Event(
                id="",
                type=draft.type,
                mode=draft.mode,
                source=[a.entity for a in sources if a.entity],
                target=[a.entity for a in targets if a.entity],
                source_spans=[a.span for a in sources],
                target_spans=[a.span for a in targets],
                date=date,
                location=place.entity if place else None,
                location_span=place.span if place else None,
                sentence=draft.sentence_span,
                trigger=draft.trigger,
                negated=draft.negated,
                context=[*draft.context, *single_side(sources, targets, place, draft.args)],
                confidence=confidence(draft, sources, targets),
            )
        )
    return out


def single_side(
    sources: Sequence[Actor], targets: Sequence[Actor], place: Actor | None, args: Arguments
) -> list[str]:
    """Why an event names fewer than two participants, as a context tag: its other side is a phrase
    that names no one ("one-side:unnamed": "the delegations"), a venue ("one-side:venue": "arrived in
    Istanbul"), or nothing in the sentence ("one-side:absent")."""
    named = {a.entity for a in (*sources, *targets) if a.entity}
    if len(named) > 1:
        return []
    if any(a.entity is None for a in (*args.sources, *args.targets)):
        return [ONE_SIDE + "unnamed"]
    return [ONE_SIDE + ("venue" if place is not None else "absent")]


def confidence(draft: Draft, sources: Sequence[Actor], targets: Sequence[Actor]) -> float:
    """The share of dev events with this much evidence that were right (`calibrated`)."""
    return calibrated(evidence(draft, sources, targets))


def calibrated(score: float) -> float:
    """An evidence score mapped to the precision measured on dev for scores up to it (`CALIBRATION`)."""
    for upto, precision in CALIBRATION:
        if score <= upto + 1e-9:
            return precision
    return CALIBRATION[-1][1]


def evidence(draft: Draft, sources: Sequence[Actor], targets: Sequence[Actor]) -> float:
    """Evidence strength: a verb over a noun, a parse over a window, linked participants over phrases."""
    score = 0.6 if draft.noun else 0.75
    score += 0.05 * (draft.match.entry.phrase.size - 1)
    if not draft.args.syntactic:
        score -= 0.15
    linked = sum(1 for group in (sources, targets) if any(a.entity for a in group))
    score += (-0.1, 0.05, 0.15)[linked]
    if draft.derived:
        score -= 0.1
    return round(min(0.95, max(0.05, score)), 2)


def deduplicated(events: list[Event], lex: Lexicon) -> list[Event]:
    """One event per type, sentence and dyad (a symmetric dyad read either way), the most confident."""
    best: dict[tuple[object, ...], Event] = {}
    for event in events:
        sides = (
            participant_keys(event.source, event.source_spans),
            participant_keys(event.target, event.target_spans),
        )
        dyad: object = frozenset(sides) if event.type in lex.symmetric else sides
        key = (event.type, event.sentence, dyad, event.negated)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(best.values(), key=lambda e: (e.trigger or (0, 0), e.type))


def participant_keys(ids: Sequence[str], spans: Sequence[Span]) -> frozenset[str]:
    return frozenset(ids) if ids else frozenset(f"span:{s[0]}:{s[1]}" for s in spans)


def with_ids(doc: Document, events: list[Event]) -> list[Event]:
    owner = doc.content_hash or doc.doc_id
    for event in events:
        key = "|".join(
            [
                owner,
                event.type,
                str(event.trigger),
                *sorted(map(str, event.source_spans)),
                "→",
                *sorted(map(str, event.target_spans)),
            ]
        )
        event.id = "V:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return events
