"""Corpus-wide entity resolution: every document-local cluster ("L:3") gets a global id.

Workers cluster mentions within one document (`newsgraph.entities.local`); this pass, one process
for the whole corpus, maps each local cluster to an entity of the knowledge base, to an entity
already seen in the corpus (this call or the store), or to a new entity. Candidates come from
blocking by phonetic name keys, so the cost grows with block sizes, not with the corpus. Scores
combine name similarity across scripts (`names.name_similarity`), type agreement, and context:
entities already resolved in the same document that the candidate has co-occurred with before.
Every decision is kept (`Decision`) so that `newsgraph entity explain` can say why.

Order matters: full names are resolved before short forms, so that "Blinken" alone in one
article finds the "Antony Blinken" of another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsgraph.entities.index import EntityIndex, KnownEntity
from newsgraph.entities.names import (
    EXACT,
    FUZZY,
    SHORT_FORM,
    NameMatch,
    name_keys,
    name_length,
    name_similarity,
    normal_text,
)
from newsgraph.model import Document, Entity, Mention, Span, plain_fields

LOCAL_PREFIX = "L:"
ACCEPT = 0.8  # a candidate is the same entity from this score on
SHORT_FORM_MARGIN = 0.05  # a short form ("Blinken") must beat the runner-up by this much, or have context
CONTEXT_WEIGHT = 0.1  # bonus for a candidate that co-occurred before with this document's entities
MAX_FORMS = 6  # names of a local cluster tried
# How much a type disagreement costs: countries are often tagged ORG, and MISC is "unsure". Other
# disagreements cost more, but an exact name still links: recognisers mistype names more often
# ("Khan Younis" as a person) than two different entities share a whole name.
TYPE_FACTOR = {("LOC", "ORG"): 0.9, ("ORG", "LOC"): 0.9}
UNSURE_TYPE = "MISC"
TYPE_MISMATCH = 0.8
CLOSE_TYPES = 0.9  # below this type agreement, only an exact name links
ALIAS_FACTOR = 0.95  # a match through another form of the cluster than its name counts a little less
KB_PREFERENCE = 0.03  # between equal matches, the knowledge base's entity wins over a corpus one
ACRONYM_LETTERS = 6
FUZZY_MIN = 0.88  # a spelling variant that is neither a transliteration nor a short form must be this close
PERSON = "PER"
KB_CACHE_SIZE = 100_000


class CandidateSource(Protocol):
    """A knowledge base: `newsgraph.entities.kb.KnowledgeBase`."""

    def candidates(
        self, name: str, lang: str | None = None, type: str | None = None, limit: int = 10
    ) -> list[Any]: ...


@dataclass
class Decision:
    """Why the mentions of one name in one document's local cluster got their global id."""

    doc_id: str
    local_id: str
    entity_id: str
    method: str  # override, kb, corpus, new
    score: float
    matched: str | None = None  # the name of the entity that matched
    kind: str | None = None  # exact, translit, short_form, fuzzy
    runner_up: tuple[str, float] | None = None
    context: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        return plain_fields(self)  # `asdict`'s dict, without its deep copy (the one writer's CPU)


@dataclass
class _Scored:
    known: KnownEntity
    score: float
    kind: str
    matched: str
    method: str
    rank: int = 0  # the knowledge base's own order (prominence) between equal scores


def _in_context(known: KnownEntity, context: Sequence[str]) -> bool:
    """The candidate is already named in this document (another spelling: "Galant" beside
    "Gallant"), or has been named before beside entities this document names."""
    return known.id in context or any(known.neighbours.get(c) for c in context)


def is_acronym(name: str) -> bool:
    """ "EU", "ЕС", "NATO", "UE": names that only an exact match may link (any fuzzy match is noise)."""
    letters = name.replace(".", "").strip()
    return len(letters) <= 2 or (letters.isalpha() and letters.isupper() and len(letters) <= ACRONYM_LETTERS)


def judge(
    form: str, matched: str, match: NameMatch, own_type: str, their_type: str, by_name: bool
) -> float | None:
    """The score of linking a cluster, through one of its forms, to an entity through one of its
    names; None when the match cannot link whatever the score."""
    if match.kind != EXACT and (is_acronym(form) or is_acronym(matched)):
        return None
    # Short forms are how people are named ("Blinken" for "Antony Blinken"), and only the cluster
    # may be the short one: "Israel Katz" is not "Israel", "Brexit" is not "Anti-Brexit". A surname
    # the recogniser mistyped still counts, at the type penalty (so it needs context to link).
    factor = type_factor(own_type, their_type)
    if match.kind == SHORT_FORM:
        # counted without particles: "Badr al Busaidi" is no longer than "Minister Badr Albusaidi"
        if their_type != PERSON or name_length(form) >= name_length(matched):
            return None
    elif match.kind != EXACT and factor < CLOSE_TYPES:
        return None
    if match.kind == FUZZY and match.score < FUZZY_MIN:  # "Gallant" is not "Golan"
        return None
    return match.score * factor * (1.0 if by_name else ALIAS_FACTOR)


def type_factor(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if UNSURE_TYPE in (a, b):
        return 0.95
    return TYPE_FACTOR.get((a, b), TYPE_MISMATCH)


GROUP_SEPARATOR = "#"


def group_id(mention: Mention) -> str:
    return f"{mention.entity}{GROUP_SEPARATOR}{normal_text(mention.normal or mention.text)}"


def name_groups(doc: Document) -> list[Entity]:
    """Each local cluster split by name: one pseudo-entity per distinct normal form.

    The within-document clusterer joins "Blinken" to "Antony Blinken", but a recogniser that glues
    two names ("Brussels London") would make it join two entities; resolving each name on its own,
    with the rest of the document as context, keeps such a slip to the mentions that carry it."""
    groups: dict[str, list[Mention]] = {}
    for mention in doc.mentions:
        if mention.entity and mention.entity.startswith(LOCAL_PREFIX):
            groups.setdefault(group_id(mention), []).append(mention)
    out = []
    for gid, members in groups.items():
        local = doc.entities.get(members[0].entity or "")
        normal = members[0].normal or members[0].text
        evidence = dict(local.evidence) if local else {}
        evidence.update(normals=[normal], count=len(members))
        out.append(
            Entity(
                gid,
                normal if _keeps_capitals(normal, members[0].text) else members[0].text,
                _vote(members),
                aliases=list(dict.fromkeys(m.text for m in members)),
                evidence=evidence,
            )
        )
    return out


def _keeps_capitals(normal: str, surface: str) -> bool:
    """A lemmatiser may lower-case a name ("wielki brytania"): then the surface form names it."""
    return [w[:1].isupper() for w in normal.split()] == [w[:1].isupper() for w in surface.split()]


def _vote(members: Sequence[Mention]) -> str:
    votes: dict[str, float] = {}
    for m in members:
        votes[m.type] = votes.get(m.type, 0.0) + m.score
    return max(votes, key=lambda t: (votes[t], t))


def cluster_forms(entity: Entity) -> list[str]:
    """The names to look a local cluster up by: its name first, then its normal and surface forms."""
    forms = [entity.name, *entity.evidence.get("normals", []), *entity.aliases]
    seen: dict[str, str] = {}
    for form in forms:
        key = normal_text(form)
        if key and key not in seen:
            seen[key] = form
    return list(seen.values())[:MAX_FORMS]


def specificity(entity: Entity) -> tuple[int, int, int]:
    """Sort key: multi-word names first, then the most mentioned."""
    words = len(entity.name.split())
    return (-min(words, 3), -int(entity.evidence.get("count", 1)), -len(entity.name))


class Resolver:
    def __init__(
        self,
        index: EntityIndex,
        kb: CandidateSource | None = None,
        overrides: Mapping[str, str] | None = None,
    ):
        self.index = index
        self.kb = kb
        self.overrides = dict(overrides or {})  # normal form of a name -> entity id (user merges/splits)
        self._from_kb: dict[str, KnownEntity] = {}  # KB entities met as candidates, not yet in the index
        self._kb_cache: dict[tuple[str, str | None], list[Any]] = {}  # names recur across documents

    # ------------------------------------------------------------------------------------------ batch
    def resolve(self, docs: Sequence[Document]) -> list[Decision]:
        """Give every mention of `docs` a global id, rewriting mentions, `doc.entities` and what
        refers to them (event actors, speakers, sources)."""
        work = [(doc, group) for doc in docs for group in name_groups(doc)]
        work.sort(key=lambda pair: specificity(pair[1]))
        resolved: dict[str, dict[str, Decision]] = {doc.doc_id: {} for doc in docs}
        weights = {group.id: (int(group.evidence["count"]), len(group.name.split())) for _, group in work}
        decisions = []
        for doc, group in work:
            context = [d.entity_id for d in resolved[doc.doc_id].values()]
            decision = self.decide(doc.doc_id, group, doc.lang, context)
            resolved[doc.doc_id][group.id] = decision
            decisions.append(decision)
            self._learn(decision.entity_id, group, doc.lang, context)
        for doc in docs:
            self._rewrite(doc, resolved[doc.doc_id], weights)
        return decisions

    # ------------------------------------------------------------------------------------------ one
    def decide(self, doc_id: str, ent: Entity, lang: str | None, context: Sequence[str]) -> Decision:
        forms = cluster_forms(ent)
        for form in forms:
            target = self.overrides.get(normal_text(form))
            if target:
                return Decision(doc_id, ent.id, target, "override", 1.0, form, "exact")
        scored = self._kb_candidates(forms, ent, lang) + self._corpus_candidates(forms, ent, lang)
        best: dict[str, _Scored] = {}
        for s in scored:
            if _in_context(s.known, context):
                s.score = min(1.0, s.score + CONTEXT_WEIGHT)
            if s.known.id not in best or s.score > best[s.known.id].score:
                best[s.known.id] = s
        ranked = sorted(best.values(), key=lambda s: (-round(s.score, 6), s.rank, s.known.id))
        if ranked and self._accept(ranked, context):
            top = ranked[0]
            runner = (ranked[1].known.id, round(ranked[1].score, 4)) if len(ranked) > 1 else None
            return Decision(
                doc_id,
                ent.id,
                top.known.id,
                top.method,
                round(top.score, 4),
                top.matched,
                top.kind,
                runner,
                [c for c in context if top.known.neighbours.get(c)],
            )
        runner = (ranked[0].known.id, round(ranked[0].score, 4)) if ranked else None
        return Decision(doc_id, ent.id, self._new_id(ent), "new", 1.0, None, None, runner)

    def _accept(self, ranked: list[_Scored], context: Sequence[str]) -> bool:
        top = ranked[0]
        if top.score < ACCEPT:
            return False
        if top.kind != SHORT_FORM or len(ranked) == 1:
            return True
        margin = top.score - ranked[1].score
        return margin >= SHORT_FORM_MARGIN or _in_context(top.known, context)

    def _kb_candidates(self, forms: list[str], ent: Entity, lang: str | None) -> list[_Scored]:
        if self.kb is None:
            return []
        out = []
        for i, form in enumerate(forms):
            for rank, cand in enumerate(self._kb_lookup(form, lang)):
                kb_entity = cand.entity
                score = judge(
                    form, cand.alias, NameMatch(cand.score, cand.kind), ent.type, kb_entity.type, i == 0
                )
                if score is None:
                    continue
                known = self.index.get(kb_entity.id) or self._from_kb.setdefault(
                    kb_entity.id,
                    KnownEntity(
                        id=kb_entity.id,
                        name=kb_entity.name,
                        type=kb_entity.type,
                        wikidata=kb_entity.wikidata,
                        in_kb=True,
                    ),
                )
                out.append(_Scored(known, score + KB_PREFERENCE, cand.kind, cand.alias, "kb", rank))
        return out

    def _kb_lookup(self, form: str, lang: str | None) -> list[Any]:
        assert self.kb is not None
        key = (form, lang)
        if key not in self._kb_cache:
            if len(self._kb_cache) >= KB_CACHE_SIZE:
                self._kb_cache.clear()
            self._kb_cache[key] = self.kb.candidates(form, lang, None, 5)
        return self._kb_cache[key]

    def _corpus_candidates(self, forms: list[str], ent: Entity, lang: str | None) -> list[_Scored]:
        keys: set[str] = set()
        for form in forms:
            keys |= name_keys(form, lang)
        out = []
        for known in self.index.block(keys):
            best: _Scored | None = None
            for i, form in enumerate(forms):
                for name in known.matching_forms():
                    match = name_similarity(form, name, lang, None)
                    score = judge(form, name, match, ent.type, known.type, i == 0)
                    if score is not None and (best is None or score > best.score):
                        best = _Scored(known, score, match.kind, name, "kb" if known.in_kb else "corpus")
            if best is not None:
                out.append(best)
        return out

    def _new_id(self, ent: Entity) -> str:
        from newsgraph.entities.kb import entity_id

        base = entity_id(ent.name)
        if base == "E:":
            base = "E:entity"
        candidate, n = base, 1
        while self.index.taken(candidate) or candidate in self._from_kb:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # ------------------------------------------------------------------------------------------ memory
    def _learn(self, entity_id: str, ent: Entity, lang: str | None, context: Sequence[str]) -> None:
        known = self.index.get(entity_id) or self._from_kb.pop(entity_id, None)
        if known is None:
            known = KnownEntity(id=entity_id, name=ent.name, type=ent.type, wikidata=ent.wikidata)
        count = int(ent.evidence.get("count", 1))
        for form in {*ent.aliases, *ent.evidence.get("normals", []), ent.name}:
            known.forms[form] += count
        if lang:
            known.langs[lang] += count
        for other in context:
            if other != entity_id:
                known.neighbours[other] += 1
                neighbour = self.index.get(other)
                if neighbour is not None:
                    neighbour.neighbours[entity_id] += 1
                    self.index.put(neighbour)
        known.documents += 1
        self.index.put(known)

    def _rewrite(
        self, doc: Document, decisions: dict[str, Decision], weights: dict[str, tuple[int, int]]
    ) -> None:
        by_group = {gid: d.entity_id for gid, d in decisions.items()}
        # what referred to a whole local cluster (an event actor, a speaker) takes the id of the
        # cluster's best-attested name: most mentions, then most words
        heads: dict[str, tuple[int, int, str]] = {}
        for gid, d in decisions.items():
            local = gid.partition(GROUP_SEPARATOR)[0]
            weight = (*weights[gid], d.entity_id)
            if local not in heads or weight > heads[local]:
                heads[local] = weight
        by_local = {local: weight[2] for local, weight in heads.items()}

        # a reference that comes with a span ("Israel Katz" as an event's target) takes the id of the
        # name written there, even when its cluster also holds another name ("Israel")
        spans: list[tuple[int, int, str, str]] = []  # (start, end, local id, global id)

        def glob(entity: str | None, where: Sequence[Span | None] = ()) -> str | None:
            if not entity or not entity.startswith(LOCAL_PREFIX):
                return entity
            for start, end, local, global_id in spans:
                if local == entity and any(s and s[0] < end and start < s[1] for s in where):
                    return global_id
            return by_local.get(entity, entity)

        for mention in doc.mentions:
            if mention.entity and mention.entity.startswith(LOCAL_PREFIX):
                local = mention.entity
                mention.entity = by_group.get(group_id(mention), by_local.get(local, local))
                spans.append((mention.start, mention.end, local, mention.entity))
        for event in doc.events:
            event.source = list(dict.fromkeys(glob(e, event.source_spans) or e for e in event.source))
            event.target = list(dict.fromkeys(glob(e, event.target_spans) or e for e in event.target))
            event.location = glob(event.location, [event.location_span])
        for quote in doc.quotes:
            quote.speaker = glob(quote.speaker, [quote.speaker_span])
        for claim in doc.claims:
            claim.attributed_entity = glob(claim.attributed_entity, [claim.attribution_span])
        local_entities = doc.entities
        merged: dict[str, Entity] = {}
        for mention in doc.mentions:
            entity_id = mention.entity
            if not entity_id or entity_id.startswith(LOCAL_PREFIX):
                continue
            ent = merged.get(entity_id)
            if ent is None:
                known = self.index.get(entity_id)
                decision = next((d for d in decisions.values() if d.entity_id == entity_id), None)
                ent = merged[entity_id] = Entity(
                    id=entity_id,
                    name=known.name if known else mention.text,
                    type=known.type if known else mention.type,
                    wikidata=known.wikidata if known else None,
                    evidence={"resolution": decision.to_data() if decision else None},
                )
            if mention.text not in ent.aliases:
                ent.aliases.append(mention.text)
        merged.update({k: v for k, v in local_entities.items() if not k.startswith(LOCAL_PREFIX)})
        doc.entities = merged
