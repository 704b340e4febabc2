"""Online story grouping: each article joins the most similar recent story, or starts one.

Like entity resolution this is a corpus-wide pass in the one process that writes the output, after
`resolve` (it reads global entity ids). `StoryIndex` is the state (one `Story` per story: centroid
of the lead embeddings, entity counts, date range, size) and persists with `to_data`/`from_data`,
so `ingest` keeps story ids stable as the store grows.

Similarity of an article to a story mixes the embedding cosine to the story's centroid with the
cosine of their IDF-weighted entity profiles (so "United States" counts less than "Asia Bibi"),
minus a penalty for a publication date far outside the story's date range (stories drift: an
article is compared with what the story was about lately, not when it began). Blocking keeps it
sub-quadratic: only stories sharing a salient entity with the article, plus a bounded number of
the most recently updated stories, are scored.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

import numpy as np

from newsgraph.model import Document
from newsgraph.stories.embed import DIMENSIONS
from newsgraph.stories.features import ArticleFeatures, article_features

STORY_PREFIX = "S:"


@dataclass(frozen=True)
class StoryParams:
    """The knobs of the grouping (tuned on the dev benchmarks by scripts/eval_stories.py)."""

    threshold: float = 0.5  # an article joins the best story from this similarity on
    embedding_weight: float = 1.0  # embedding cosine, for an article in a language the encoder knows
    weak_embedding_weight: float = 0.5  # the same for other languages, whose vectors are less reliable
    entity_weight: float = 0.5  # IDF-weighted entity cosine
    day_grace: int = 3  # days outside the story's date range that cost nothing
    day_scale: float = 14.0  # days over which the date penalty grows to `day_penalty`
    day_penalty: float = 0.3
    day_bonus: float = 0.0
    recent_stories: int = 500  # most recently updated stories always scored
    blocking_entities: int = 8  # the article's most salient entities whose stories are scored
    max_candidates: int = 2000  # the most recent of the candidates are scored when there are more
    story_entities: int = 200  # entity counts a story keeps (the most frequent)
    entity_measure: str = "cosine"
    merge_threshold: float = 2.0
    merge_min_size: int = 3
    merge_min_small: int = 3
    merge_min_share: float = 0.05
    merge_embedding_weight: float = 0.0
    combine: str = "mean"
    typical_share: float = 0.5


@dataclass
class Story:
    """A story: its members' mean lead embedding, how many members mention each entity, dates, size."""

    id: str
    centroid: np.ndarray = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    entities: Counter[str] = field(default_factory=Counter)
    size: int = 0
    first_day: int | None = None
    last_day: int | None = None
    last_seq: int = 0  # arrival number of its latest member: recency for blocking

    def add(self, article: ArticleFeatures, seq: int, keep_entities: int) -> set[str]:
        """Count `article` in; returns the entities dropped from the story's counts."""
        self.size += 1
        self.centroid = self.centroid + (article.vector - self.centroid) / self.size
        self.entities.update(article.entities.keys())
        if article.day is not None:
            self.first_day = article.day if self.first_day is None else min(article.day, self.first_day)
            self.last_day = article.day if self.last_day is None else max(article.day, self.last_day)
        self.last_seq = seq
        if len(self.entities) <= 2 * keep_entities:  # prune the long tail now and then, not every time
            return set()
        kept = Counter(dict(_most_common(self.entities, keep_entities)))
        dropped = set(self.entities) - set(kept)
        self.entities = kept
        return dropped

    def day_gap(self, day: int | None) -> int:
        """Days between `day` and the story's date range (0 inside it, or when either is unknown)."""
        if day is None or self.first_day is None or self.last_day is None:
            return 0
        return max(self.first_day - day, day - self.last_day, 0)

    def to_data(self) -> dict[str, Any]:
        return {"id": self.id, "size": self.size, "centroid": [float(x) for x in self.centroid],
                "entities": dict(_most_common(self.entities, len(self.entities))),
                "first_day": _iso(self.first_day), "last_day": _iso(self.last_day), "last_seq": self.last_seq}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Story:
        return cls(id=data["id"], centroid=np.asarray(data["centroid"], dtype=np.float32),
                   entities=Counter(data["entities"]), size=int(data["size"]),
                   first_day=_ordinal(data.get("first_day")), last_day=_ordinal(data.get("last_day")),
                   last_seq=int(data.get("last_seq", 0)))


class StoryIndex:
    """All stories so far, with the entity document frequencies that weight entity overlap."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self.stories: dict[str, Story] = {}
        self.entity_documents: Counter[str] = Counter()  # documents mentioning each entity
        self.documents = 0
        self.seq = 0
        self._postings: defaultdict[str, set[str]] = defaultdict(set)  # entity -> stories counting it
        self._recent: OrderedDict[str, None] = OrderedDict()  # story ids, least recently updated first

    # ------------------------------------------------------------------ weights
    def observe(self, articles: Iterable[ArticleFeatures]) -> None:
        """Count the articles' entities into the document frequencies (before assigning them)."""
        for article in articles:
            self.documents += 1
            self.entity_documents.update(article.entities.keys())

    def idf(self, entity: str) -> float:
        return math.log((1 + self.documents) / (1 + self.entity_documents[entity])) + 1.0

    # ------------------------------------------------------------------ assignment
    def assign(self, article: ArticleFeatures) -> str:
        """The id of the story `article` joins (a new one when none is similar enough)."""
        self.seq += 1
        best, best_score = None, -math.inf
        candidates = self.candidates(article)
        for story, score in zip(candidates, self.scores(article, candidates), strict=True):
            if score > best_score:  # ties go to the more recent story (candidates come most recent first)
                best, best_score = story, score
        if best is None or best_score < self.params.threshold:
            best = Story(self._new_id(article.doc_id))
            self.stories[best.id] = best
        self._add(best, article)
        return best.id

    def candidates(self, article: ArticleFeatures) -> list[Story]:
        """Stories sharing a salient entity with `article`, and the most recently updated ones."""
        p = self.params
        ids = set(islice(reversed(self._recent), p.recent_stories))
        for entity in self.salient(article)[:p.blocking_entities]:
            ids |= self._postings.get(entity, set())
        stories = sorted((self.stories[i] for i in ids), key=lambda s: s.last_seq, reverse=True)
        return stories[:p.max_candidates]

    def salient(self, article: ArticleFeatures) -> list[str]:
        """The article's entities, most telling first (salience times IDF)."""
        return sorted(article.entities, key=lambda e: (-article.entities[e] * self.idf(e), e))

    def scores(self, article: ArticleFeatures, stories: Sequence[Story]) -> list[float]:
        """Similarity of `article` to each story."""
        if not stories:
            return []
        p = self.params
        centroids = np.stack([s.centroid for s in stories])
        cosines = centroids @ article.vector
        norms = np.linalg.norm(centroids, axis=1)
        cosines = np.divide(cosines, norms, out=np.zeros_like(cosines), where=norms > 0)
        weight = p.embedding_weight if article.reliable else p.weak_embedding_weight
        profile = self._profile(article.entities)
        out = []
        for story, cosine in zip(stories, cosines, strict=True):
            ent = self._entity_cosine(profile, story) if p.entity_measure == "cosine" else self._coverage(profile, story)
            if p.combine == "mean":
                similarity = (weight * float(cosine) + p.entity_weight * ent) / (weight + p.entity_weight)
            else:
                similarity = weight * float(cosine) + p.entity_weight * ent
            gap = story.day_gap(article.day)
            bonus = p.day_bonus if (article.day is not None and story.first_day is not None and gap <= p.day_grace) else 0.0
            out.append(similarity + bonus - self._date_penalty(gap))
        return out

    def _profile(self, entities: dict[str, float]) -> dict[str, float]:
        return {e: w * self.idf(e) for e, w in entities.items()}

    def _entity_cosine(self, profile: dict[str, float], story: Story) -> float:
        if not profile or not story.entities:
            return 0.0
        dot = sum(w * story.entities[e] * self.idf(e) for e, w in profile.items() if e in story.entities)
        if dot == 0:
            return 0.0
        story_norm = math.sqrt(sum((n * self.idf(e)) ** 2 for e, n in story.entities.items()))
        return dot / (math.sqrt(sum(w * w for w in profile.values())) * story_norm)

    def _coverage(self, profile: dict[str, float], story: Story) -> float:
        if not profile or not story.entities:
            return 0.0
        got = sum(w * min(1.0, story.entities[e] / story.size / self.params.typical_share)
                  for e, w in profile.items() if e in story.entities)
        return got / sum(profile.values())

    def _date_penalty(self, gap: int) -> float:
        p = self.params
        return p.day_penalty * min(1.0, max(0, gap - p.day_grace) / p.day_scale)

    def _add(self, story: Story, article: ArticleFeatures) -> None:
        for entity in story.add(article, self.seq, self.params.story_entities):
            self._postings[entity].discard(story.id)
        self._index(story)

    def _index(self, story: Story) -> None:
        for entity in story.entities:
            self._postings[entity].add(story.id)
        self._recent[story.id] = None
        self._recent.move_to_end(story.id)

    def _new_id(self, doc_id: str) -> str:
        """A stable id from the first member's doc_id (salted when a story already has it)."""
        salt = 0
        while True:
            key = doc_id if salt == 0 else f"{doc_id}#{salt}"
            story_id = STORY_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
            if story_id not in self.stories:
                return story_id
            salt += 1

    # ------------------------------------------------------------------ merging
    def merge_new_stories(self, new: set[str]) -> dict[str, str]:
        """Merge stories started in this batch into similar stories; returns absorbed id -> survivor id."""
        p = self.params
        moved: dict[str, str] = {}
        while True:
            best: tuple[float, str, str] | None = None
            for sid in sorted(new):
                story = self.stories.get(sid)
                if story is None:
                    continue
                for other in self._story_candidates(story):
                    if max(other.size, story.size) < p.merge_min_size or min(other.size, story.size) < p.merge_min_small:
                        continue
                    score = self.story_similarity(story, other)
                    if best is None or score > best[0]:
                        best = (score, sid, other.id)
            if best is None or best[0] < p.merge_threshold:
                break
            _, sid, tid = best
            absorbed, survivor = (sid, tid) if (tid not in new or self.stories[tid].size >= self.stories[sid].size) else (tid, sid)
            self._merge(self.stories[absorbed], self.stories[survivor])
            new.discard(absorbed)
            moved = {k: (survivor if v == absorbed else v) for k, v in moved.items()}
            moved[absorbed] = survivor
        return moved

    def _story_candidates(self, story: Story) -> list[Story]:
        ids: set[str] = set()
        for e, _ in _most_common(story.entities, self.params.blocking_entities):
            ids |= self._postings.get(e, set())
        ids.discard(story.id)
        return [self.stories[i] for i in sorted(ids)]

    def story_similarity(self, a: Story, b: Story) -> float:
        p = self.params
        pa, pb = self._story_profile(a), self._story_profile(b)
        dot = sum(w * pb[e] for e, w in pa.items() if e in pb)
        ent = dot / (math.sqrt(sum(w * w for w in pa.values())) * math.sqrt(sum(w * w for w in pb.values())) or 1.0)
        na, nb = np.linalg.norm(a.centroid), np.linalg.norm(b.centroid)
        cos = float(a.centroid @ b.centroid / (na * nb)) if na and nb else 0.0
        gap = 0
        if a.first_day and a.last_day and b.first_day and b.last_day:
            gap = max(a.first_day - b.last_day, b.first_day - a.last_day, 0)
        return (p.merge_embedding_weight * cos + ent) / (p.merge_embedding_weight + 1) - self._date_penalty(gap)

    def _story_profile(self, story: Story) -> dict[str, float]:
        return {e: n / story.size * self.idf(e) for e, n in story.entities.items()
                if n / story.size >= self.params.merge_min_share}

    def _merge(self, absorbed: Story, survivor: Story) -> None:
        total = absorbed.size + survivor.size
        survivor.centroid = (survivor.centroid * survivor.size + absorbed.centroid * absorbed.size) / total
        survivor.size = total
        survivor.entities.update(absorbed.entities)
        days = [d for d in (absorbed.first_day, absorbed.last_day, survivor.first_day, survivor.last_day) if d]
        survivor.first_day, survivor.last_day = (min(days), max(days)) if days else (None, None)
        survivor.last_seq = max(survivor.last_seq, absorbed.last_seq)
        del self.stories[absorbed.id]
        self._recent.pop(absorbed.id, None)
        for entity in absorbed.entities:
            self._postings[entity].discard(absorbed.id)
        self._index(survivor)

    # ------------------------------------------------------------------ persistence
    def to_data(self) -> dict[str, Any]:
        return {"documents": self.documents, "seq": self.seq,
                "entity_documents": dict(self.entity_documents),
                "stories": [s.to_data() for s in self.stories.values()]}

    @classmethod
    def from_data(cls, data: dict[str, Any], params: StoryParams | None = None) -> StoryIndex:
        index = cls(params)
        index.documents = int(data.get("documents", 0))
        index.seq = int(data.get("seq", 0))
        index.entity_documents = Counter(data.get("entity_documents") or {})
        stories = [Story.from_data(s) for s in data.get("stories") or []]
        for story in sorted(stories, key=lambda s: s.last_seq):
            index.stories[story.id] = story
            index._index(story)
        return index


def assign_stories(docs: Sequence[Document], index: StoryIndex) -> list[str | None]:
    """Give each document with text a story id (also set as `doc.story`); None for the others.

    The batch's entities are counted first, so IDF weights do not depend on the order within the
    batch; articles are then assigned in publication order (undated ones last, input order within
    a day), which is the order stories unfold in.
    """
    with_text = [i for i, doc in enumerate(docs) if doc.text.strip()]
    out: list[str | None] = [None] * len(docs)
    assigned = assign_articles(article_features([docs[i] for i in with_text]), index)
    for i, story_id in zip(with_text, assigned, strict=True):
        out[i] = story_id
    for doc, maybe_story in zip(docs, out, strict=True):
        doc.story = maybe_story
    return out


def assign_articles(articles: Sequence[ArticleFeatures], index: StoryIndex) -> list[str]:
    """The story id of each article, in order (see `assign_stories`)."""
    index.observe(articles)
    known = set(index.stories)
    out = [""] * len(articles)
    for k in sorted(range(len(articles)), key=lambda k: (articles[k].day is None, articles[k].day or 0, k)):
        out[k] = index.assign(articles[k])
    merged = index.merge_new_stories(set(index.stories) - known)
    return [merged.get(story_id, story_id) for story_id in out]


def _most_common(counts: Counter[str], n: int) -> list[tuple[str, int]]:
    """The `n` largest counts, ties broken by key so that pruning is deterministic."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def _ordinal(value: str | None) -> int | None:
    return date.fromisoformat(value).toordinal() if value else None
