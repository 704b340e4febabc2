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
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from newsgraph.entities.index import EntityIndex, KnownEntity
from newsgraph.entities.names import (
    EXACT,
    SHORT_FORM,
    NameMatch,
    name_keys,
    name_similarity,
    name_tokens,
    normal_text,
)
from newsgraph.model import Document, Entity

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


class CandidateSource(Protocol):
    """A knowledge base: `newsgraph.entities.kb.KnowledgeBase`."""

    def candidates(
        self, name: str, lang: str | None = None, type: str | None = None, limit: int = 10
    ) -> list[Any]: ...


@dataclass
class Decision:
    """Why a local cluster got its global id."""

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
        return asdict(self)


@dataclass
class _Scored:
    known: KnownEntity
    score: float
    kind: str
    matched: str
    method: str


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
    # only the cluster may be the short form ("Blinken" -> "Antony Blinken"); the other way round
    # ("Israel Katz" -> "Israel") is two entities
    if match.kind == SHORT_FORM and len(name_tokens(form)) >= len(name_tokens(matched)):
        return None
    factor = type_factor(own_type, their_type)
    if match.kind != EXACT and factor < CLOSE_TYPES:
        return None
    return match.score * factor * (1.0 if by_name else ALIAS_FACTOR)


def type_factor(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if UNSURE_TYPE in (a, b):
        return 0.95
    return TYPE_FACTOR.get((a, b), TYPE_MISMATCH)


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

    # ------------------------------------------------------------------------------------------ batch
    def resolve(self, docs: Sequence[Document]) -> list[Decision]:
        """Give every local cluster of `docs` a global id, rewriting mentions and `doc.entities`."""
        work = [
            (doc, ent) for doc in docs for ent in doc.entities.values() if ent.id.startswith(LOCAL_PREFIX)
        ]
        work.sort(key=lambda pair: specificity(pair[1]))
        resolved: dict[str, dict[str, Decision]] = {doc.doc_id: {} for doc in docs}
        decisions = []
        for doc, ent in work:
            context = [d.entity_id for d in resolved[doc.doc_id].values()]
            decision = self.decide(doc.doc_id, ent, doc.lang, context)
            resolved[doc.doc_id][ent.id] = decision
            decisions.append(decision)
            self._learn(decision.entity_id, ent, doc.lang, context)
        for doc in docs:
            self._rewrite(doc, resolved[doc.doc_id])
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
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.known.id))
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
            for cand in self.kb.candidates(form, lang, None, 5):
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
                out.append(_Scored(known, score + KB_PREFERENCE, cand.kind, cand.alias, "kb"))
        return out

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

    def _rewrite(self, doc: Document, decisions: dict[str, Decision]) -> None:
        mapping = {local: d.entity_id for local, d in decisions.items()}

        def glob(entity: str | None) -> str | None:
            return mapping.get(entity, entity) if entity else entity

        for mention in doc.mentions:
            mention.entity = glob(mention.entity)
        for event in doc.events:
            event.source = list(dict.fromkeys(mapping.get(e, e) for e in event.source))
            event.target = list(dict.fromkeys(mapping.get(e, e) for e in event.target))
            event.location = glob(event.location)
        for quote in doc.quotes:
            quote.speaker = glob(quote.speaker)
        for claim in doc.claims:
            claim.attributed_entity = glob(claim.attributed_entity)
        merged: dict[str, Entity] = {}
        for local_id, ent in doc.entities.items():
            gid = mapping.get(local_id, local_id)
            known = self.index.get(gid)
            decision = decisions.get(local_id)
            if gid in merged:
                target = merged[gid]
                target.aliases = list(dict.fromkeys([*target.aliases, *ent.aliases]))
                continue
            merged[gid] = Entity(
                id=gid,
                name=known.name if known else ent.name,
                type=known.type if known else ent.type,
                aliases=list(dict.fromkeys(ent.aliases)),
                wikidata=known.wikidata if known else ent.wikidata,
                evidence={**ent.evidence, "resolution": decision.to_data() if decision else None},
            )
        doc.entities = merged
