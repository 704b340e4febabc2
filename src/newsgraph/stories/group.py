"""Online story grouping: each article joins the most similar story, or starts one.

Like entity resolution this is a corpus-wide pass in the one process that writes the output, after
`resolve` (it reads global entity ids). `StoryIndex` is the state (one `Story` per story: centroid
of the lead embeddings, entity counts, date range, size) and persists with `to_data`/`from_data`,
so `ingest` keeps story ids stable as the store grows.

Similarity of an article to a story is the weighted mean of the embedding cosine to the story's
centroid (for a story of one or two texts, the mean cosine to its members) and the IDF-weighted
share of the article's entities that the story's members typically mention (so "United States"
counts less than "Asia Bibi"; entities compared by name key, so that one name resolved to several
ids across languages counts once), plus a date term: a bonus when the article
falls within the story's days, a penalty growing with the distance beyond them. The range grows as
members arrive, so a story can drift over weeks as long as reports keep coming. Blocking keeps the
cost per article bounded: only the most recently updated stories and, for each of the article's most
telling entities, the most recently updated stories counting an entity of its name key (whatever id
they know it by) are scored. An article in a language
the encoder was not trained on joins from a lower threshold (`weak_threshold`): its lead compares
poorly with the reports of its story in other languages, so its scores run lower; such an article
also gains `topic_bonus` with a large story whose topic entity (the person, organisation or event
nearly all its members name) its headline names (`StoryIndex.topic`). After a batch,
stories it started may merge into stories with a similar entity profile and centroid, never on the
centroids alone: the mean leads of any two stories in one language are close, so two stories that
share only a country must stay apart (see `StoryIndex.merge_new_stories`). Two established stories
that both grew in a batch merge under a stricter test (`StoryIndex.merge_established`): pieces of one
story that started apart in different batches; the absorbed id then redirects to the survivor
(`StoryIndex.redirects`), since records and rows already carry it. With a store, the index holds
only what a batch could join (`newsgraph.store.stories.StoryStore.prepare`).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

import numpy as np

from newsgraph.model import Document
from newsgraph.stories.embed import DIMENSIONS
from newsgraph.stories.features import ArticleFeatures, article_features, entity_key

_NO_NAMES: Mapping[str, str] = {}  # no article's names to key ids by (`StoryIndex._key`)

STORY_PREFIX = "S:"


@dataclass(frozen=True)
class StoryParams:
    """The knobs of the grouping. `threshold`, `weak_threshold`, `entity_weight` and the merge knobs
    are chosen among the settings `scripts/eval_stories.py --cv` compares across the BSNLP topics
    with the SemEval pairs, grouping in the command's 512-document chunks (docs/BENCHMARKS.md,
    "Issue 13, session 3"; `small_story` and `name_keys` in "Issue 13, session 4", the topic knobs
    in "Issue 13, session 5", the `established_*` knobs in "Issue 13, session 6"); where the choice
    sat beside a setting that collapses two topics, the neighbour whose own neighbours all hold was
    taken."""

    threshold: float = 0.5  # an article joins the most similar story from this similarity on
    weak_threshold: float = 0.35  # the same for an article in a language the encoder does not know:
    # its lead compares poorly with reports of its story in other languages, so its scores run lower
    embedding_weight: float = 1.0  # embedding cosine, for an article in a language the encoder knows
    weak_embedding_weight: float = 0.5  # the same for other languages, whose vectors compare less well
    entity_weight: float = 0.15  # IDF-weighted share of the article's entities typical of the story
    typical_share: float = 0.3  # an entity 30% of the story's members mention is fully typical of it:
    # reports of one story name its people in different sentences, their leads do not all name them
    day_grace: int = 3  # days outside the story's date range that still count as "the same days"
    day_bonus: float = 0.25  # added when the article falls in those days: same time, same content
    day_scale: float = 14.0  # days beyond the grace over which the penalty grows to `day_penalty`
    day_penalty: float = 0.3
    merge_threshold: float = 0.15  # story similarity from which two stories merge
    merge_min_size: int = 2  # members both stories need before their profiles are trusted
    merge_min_share: float = 0.05  # entities fewer members mention are left out of a profile
    merge_embedding_weight: float = 0.5  # weight of the centroid cosine beside the entity profiles
    merge_min_profile: float = 0.15  # entity-profile cosine two stories need to merge, whatever their
    # centroids: the mean leads of any two stories in one language are close (language and genre
    # survive averaging), so a centroid alone must not merge stories that share only a country
    recent_stories: int = 500  # most recently updated stories always scored
    blocking_entities: int = 8  # the most salient entities (name keys) whose stories are scored
    entity_stories: int = 100  # per such entity, its most recently updated stories: a bounded
    # number however many stories the entity has, so the cost per article does not grow with the store
    max_candidates: int = 2000  # the most recent of the candidates are scored when there are more
    similar_stories: int = 20  # for an undated article, also the stories whose centroids are closest to
    # its lead: nothing says how old its story is, so the most recently updated ones may all miss it
    similar_pool: int = 5000  # among this many most recently updated stories (a bounded cost)
    story_entities: int = 200  # entity counts a story keeps (the most frequent)
    small_story: int = 2  # a story of up to this many texts is compared by the mean cosine of the
    # article to its members, not by the cosine to their normalised mean (see `StoryIndex.scores`);
    # 2, not 3: CV across topics holds for both, 3 costs the SemEval pair AUC 0.003
    topic_bonus: float = 0.2  # added to the score of an article in a language the encoder does not know
    # when its headline names the story's topic entity (`StoryIndex.topic`): its lead compares poorly
    # across languages, and among its other names the topic's weighs little (it is common by design)
    topic_share: float = 0.8  # a name this share of a story's members mention is its topic entity...
    topic_min_size: int = 20  # ... once the story has this many texts (a share of a few says little)
    name_keys: bool = True  # compare entities by name key (`features.entity_key`), not only by id: one
    # name resolved to several ids across languages splits the evidence that articles tell one story
    established_threshold: float = 0.3  # story similarity from which two established stories (started
    # in earlier batches) that both grew in this batch merge (`StoryIndex.merge_established`): twice
    # `merge_threshold`, since their members are already out under their ids; CV across topics
    # ("Issue 13, session 6") scored 0.25 and 0.3 alike, the stricter was taken
    established_min_size: int = 5  # texts each of them needs (a steady profile); 3 costs the SemEval
    # pair AUC, 4 and 5 score alike
    established_max_gap: int = 60  # days between their date ranges beyond which they stay apart


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
    documents: int = 0  # members, copies of another member's text included (`size` counts texts)
    languages: Counter[str] = field(default_factory=Counter)  # documents per language
    outlets: Counter[str] = field(default_factory=Counter)  # documents per outlet
    # per language: [cosine to the centroid when it joined, title, doc_id] of the member that best
    # represents the story (the story's title in that language)
    titles: dict[str, list[Any]] = field(default_factory=dict)
    # members per name key, derived from `entities` when asked for: (version of the keys, counts)
    _keys: tuple[int, Counter[str]] | None = field(default=None, repr=False, compare=False)

    def key_counts(self, key: Callable[[str], str], version: int = 0) -> Counter[str]:
        """Members mentioning each name key (`key`: entity id -> key): the counts of the ids sharing
        a key, summed (a member naming one person by two of its ids counts twice, so a caller caps
        them at `size`). Kept until the entities change or `version` (of the keys) moves on."""
        if self._keys is None or self._keys[0] != version:
            counts: Counter[str] = Counter()
            for entity, n in self.entities.items():
                counts[key(entity)] += n
            self._keys = (version, counts)
        return self._keys[1]

    def add(self, article: ArticleFeatures, seq: int, keep_entities: int) -> set[str]:
        """Count `article` in; returns the entities dropped from the story's counts."""
        self.size += 1
        self.centroid = self.centroid + (article.vector - self.centroid) / self.size
        self.entities.update(article.entities.keys())
        self._keys = None
        self._count(article, seq)
        if article.title:
            score = float(article.vector @ self.centroid)
            best = self.titles.get(article.lang or "")
            if best is None or score > best[0]:
                self.titles[article.lang or ""] = [score, article.title, article.doc_id]
        if len(self.entities) <= 2 * keep_entities:  # prune the long tail now and then, not every time
            return set()
        kept = Counter(dict(_most_common(self.entities, keep_entities)))
        dropped = set(self.entities) - set(kept)
        self.entities = kept
        return dropped

    def add_copy(self, article: ArticleFeatures, seq: int) -> None:
        """Count in a copy of a member's text: a document more, not a text more (centroid and
        entity counts stay those of the distinct texts)."""
        self._count(article, seq)

    def _count(self, article: ArticleFeatures, seq: int) -> None:
        self.documents += 1
        self.languages[article.lang or "und"] += 1
        if article.outlet:
            self.outlets[article.outlet] += 1
        if article.day is not None:
            self.first_day = article.day if self.first_day is None else min(article.day, self.first_day)
            self.last_day = article.day if self.last_day is None else max(article.day, self.last_day)
        self.last_seq = seq

    def absorb(self, other: Story) -> None:
        """Count the members of `other` in (the stories merge)."""
        total = self.size + other.size
        self.centroid = (self.centroid * self.size + other.centroid * other.size) / total
        self.size = total
        self.documents += other.documents
        self.languages.update(other.languages)
        self.outlets.update(other.outlets)
        for lang, best in other.titles.items():
            if lang not in self.titles or best[0] > self.titles[lang][0]:
                self.titles[lang] = best
        self.entities.update(other.entities)
        self._keys = None
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        self.first_day, self.last_day = (min(days), max(days)) if days else (None, None)
        self.last_seq = max(self.last_seq, other.last_seq)

    def day_gap(self, day: int | None) -> int | None:
        """Days between `day` and the story's date range (0 inside it; None when either is unknown)."""
        if day is None or self.first_day is None or self.last_day is None:
            return None
        return max(self.first_day - day, day - self.last_day, 0)

    def range_gap(self, other: Story) -> int | None:
        """Days between the date ranges of two stories (0 when they overlap; None when unknown)."""
        first = other.day_gap(self.first_day)
        last = other.day_gap(self.last_day)
        if first is None or last is None:
            return None
        # two ranges overlap when either contains the other's start
        return 0 if self.day_gap(other.first_day) == 0 else min(first, last)

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": self.size,
            "centroid": [float(x) for x in self.centroid],
            "entities": dict(_most_common(self.entities, len(self.entities))),
            "first_day": _iso(self.first_day),
            "last_day": _iso(self.last_day),
            "last_seq": self.last_seq,
            "documents": self.documents,
            "languages": dict(self.languages),
            "outlets": dict(self.outlets),
            "titles": self.titles,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Story:
        return cls(
            id=data["id"],
            centroid=np.asarray(data["centroid"], dtype=np.float32),
            entities=Counter(data["entities"]),
            size=int(data["size"]),
            first_day=_ordinal(data.get("first_day")),
            last_day=_ordinal(data.get("last_day")),
            last_seq=int(data.get("last_seq", 0)),
            documents=int(data.get("documents", data["size"])),
            languages=Counter(data.get("languages") or {}),
            outlets=Counter(data.get("outlets") or {}),
            titles=dict(data.get("titles") or {}),
        )


class StoryIndex:
    """All stories so far, with the entity document frequencies that weight entity overlap."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self.stories: dict[str, Story] = {}
        self.entity_documents: Counter[str] = Counter()  # documents mentioning each entity
        self.documents = 0
        self.seq = 0
        self._postings: defaultdict[str, set[str]] = defaultdict(set)  # entity -> stories counting it
        self._key_ids: defaultdict[str, set[str]] = defaultdict(set)  # name key -> posted ids with it
        self._recent: OrderedDict[str, None] = OrderedDict()  # story ids, least recently updated first
        self._rows = CentroidRows()  # every story's centroid as a row of one matrix, for `similar`
        self._profiles: dict[str, dict[str, float]] | None = None  # while merging: story -> profile
        self.members: dict[str, str] = {}  # doc_id -> story id, for the copies of its text
        self.loaded_entities: set[str] = set()  # entities whose stored document frequency is counted in
        self.entity_keys: dict[str, str] = {}  # entity id -> name key, from the names articles gave
        self.keys_version = 0  # moves on when a known id's key changes (stories recount their keys)
        # what changed since `clean()`, for the store: stories, document frequency increments, members
        self.touched: set[str] = set()
        self.merged: dict[str, str] = {}
        self.new_entity_documents: Counter[str] = Counter()
        self.new_members: dict[str, str] = {}
        # established stories absorbed by another (`merge_established`), over the index's life: their
        # ids were given out before, so whoever holds them follows this map (see `resolve`)
        self.redirects: dict[str, str] = {}
        # with a store: loads the stored document frequencies of entities not counted in yet (the
        # entities of loaded stories that the batch does not name), so that two stories compare as
        # they would in memory (`StoryStore.index` sets it)
        self.frequencies: Callable[[Sequence[str]], Mapping[str, int]] | None = None

    def resolve(self, story_id: str) -> str:
        """The id a story goes by now: `story_id`, or the story that absorbed it."""
        return self.redirects.get(story_id, story_id)

    def clean(self) -> None:
        """What changed has been stored: start collecting afresh."""
        self.touched, self.merged = set(), {}
        self.new_entity_documents, self.new_members = Counter(), {}

    def load(self, stories: Iterable[Story]) -> None:
        """Add stored stories to the working set (the store gives those an article could join)."""
        for story in sorted(stories, key=lambda s: s.last_seq):
            if story.id not in self.stories:
                self.stories[story.id] = story
                self._index(story)

    # ------------------------------------------------------------------ weights
    def observe(self, articles: Iterable[ArticleFeatures]) -> None:
        """Count the articles' entities into the document frequencies (before assigning them)."""
        for article in articles:
            self.documents += 1
            self.entity_documents.update(article.entities.keys())
            self.new_entity_documents.update(article.entities.keys())
            self.learn_keys(article.keys)

    def learn_keys(self, keys: Mapping[str, str]) -> None:
        """Remember the name keys the articles' entity names give (ids met before keep theirs)."""
        for entity, key in keys.items():
            if entity in self.entity_keys:
                continue
            self.entity_keys[entity] = key
            if key != entity_key(entity):  # until now the id's key was read from its slug
                self.keys_version += 1
                slug_ids = self._key_ids.get(entity_key(entity), set())
                if self.params.name_keys and entity in slug_ids:  # posted under the slug's key
                    slug_ids.discard(entity)
                    self._key_ids[key].add(entity)

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
        threshold = self.params.threshold if article.reliable else self.params.weak_threshold
        if best is None or best_score < threshold:
            best = Story(self._new_id(article.doc_id))
            self.stories[best.id] = best
        self._add(best, article)
        return best.id

    def candidates(self, article: ArticleFeatures) -> list[Story]:
        """Stories sharing a salient entity with `article`, and the most recently updated ones."""
        p = self.params
        ids = set(islice(reversed(self._recent), p.recent_stories))
        for key in self.salient_keys(article)[: p.blocking_entities]:
            ids.update(self.key_stories(key))
        if article.day is None:
            ids.update(self.similar(article))
        stories = sorted((self.stories[i] for i in ids), key=lambda s: s.last_seq, reverse=True)
        return stories[: p.max_candidates]

    def similar(self, article: ArticleFeatures) -> list[str]:
        """The `similar_stories` stories (among the `similar_pool` most recently updated) whose
        centroids are closest to the article's lead.

        Blocking by recency assumes that an article joins a story still being updated; an undated
        article (a page without a date, an archive) may report a story of any age, and then only
        its content can point to the story.
        """
        p = self.params
        if p.similar_stories <= 0 or not self._recent or not article.vector.any():
            return []
        pool = list(islice(reversed(self._recent), p.similar_pool))
        if len(pool) <= p.similar_stories:  # every one of them: no need to rank
            return pool
        cosines = self._rows.cosines(pool, article.vector)
        top = np.argpartition(-cosines, p.similar_stories - 1)[: p.similar_stories]
        return [pool[int(k)] for k in top]

    def key_stories(self, key: str) -> list[str]:
        """The `entity_stories` most recently updated stories counting an entity of name key `key`
        (see `_key`): a story that knows the article's person under another id (the resolver gave
        the name one id in Cyrillic, another in Latin script) is found as the story that shares the
        id is, not only when it happens to be among the most recent ones."""
        posted = self._posted(key)
        if len(posted) <= self.params.entity_stories:
            return list(posted)
        return heapq.nlargest(self.params.entity_stories, posted, key=lambda i: self.stories[i].last_seq)

    def _posted(self, key: str) -> set[str]:
        """The stories counting an entity of name key `key` (the ids of one name, their postings
        joined)."""
        ids = self._key_ids.get(key, ())
        if len(ids) == 1:
            return self._postings.get(next(iter(ids)), set())
        return set().union(*(self._postings.get(entity, ()) for entity in ids))

    def salient(self, article: ArticleFeatures) -> list[str]:
        """The article's entities, most telling first (salience times IDF)."""
        return self.ranked(article.entities)

    def ranked(self, salience: Mapping[str, float]) -> list[str]:
        """Entities by salience times IDF, most telling first."""
        return sorted(salience, key=lambda e: (-salience[e] * self.idf(e), e))

    def salient_keys(self, article: ArticleFeatures) -> list[str]:
        """The name keys of the article's entities, most telling first (by its most telling id of
        the key): two ids of one name take one blocking slot, not two."""
        return list(dict.fromkeys(self._key(entity) for entity in self.salient(article)))

    def blocking(self, salience: Mapping[str, float], names: Mapping[str, str]) -> tuple[set[str], set[str]]:
        """What one article's stories are looked up by in a store, before the article is observed:
        (entity ids, name keys). As `candidates` blocks: the article's `blocking_entities` most
        telling keys (`salient_keys`), each key's ids, and the keys that are names, not ids (those
        the store posts). `names` (id -> key by the article's names) keys an id the index has not
        keyed yet; without `name_keys` every id is its own key."""
        key_of = {e: self._key(e, names) for e in self.ranked(salience)}
        top = set(list(dict.fromkeys(key_of.values()))[: self.params.blocking_entities])
        ids = {e for e, key in key_of.items() if key in top}
        return ids, {key_of[e] for e in ids if key_of[e] != e}

    def scores(self, article: ArticleFeatures, stories: Sequence[Story]) -> list[float]:
        """Similarity of `article` to each story: the weighted mean of the embedding cosine and the
        entity coverage, plus the date term."""
        if not stories:
            return []
        p = self.params
        centroids = np.stack([s.centroid for s in stories])
        norms = np.linalg.norm(centroids, axis=1)
        # the mean of a few leads is a poor estimate of a story's direction: normalised, it points
        # between members that may differ, and an article near that middle scores higher than it
        # would against any member. A small story is compared by the mean cosine to its members
        # (the unnormalised dot with their mean), which asks the article to be like the members.
        divisors = np.where([s.size <= p.small_story for s in stories], 1.0, norms)
        cosines = np.divide(
            centroids @ article.vector,
            divisors,
            out=np.zeros(len(stories), dtype=np.float32),
            where=divisors > 0,
        )
        weight = p.embedding_weight if article.reliable else p.weak_embedding_weight
        profile = self._article_profile(article)
        # an article with no resolved entity (a language without a recogniser) has no entity
        # evidence either way: its score is the embedding's, not pulled down by an empty overlap
        entity_weight = p.entity_weight if profile else 0.0
        headline = article.headline if not article.reliable else frozenset()
        return [
            (weight * float(cosine) + entity_weight * self._coverage(profile, story))
            / (weight + entity_weight)
            + self._date_term(story.day_gap(article.day))
            + (p.topic_bonus if self.topic(headline, story) else 0.0)
            for story, cosine in zip(stories, cosines, strict=True)
        ]

    def topic(self, headline: Iterable[str], story: Story) -> bool:
        """True when an entity of `headline` (ids, compared by name key) is a topic entity of
        `story`: a person, organisation or named event (`features.headline_entities`) that
        `topic_share` of the members of a story of `topic_min_size` texts or more mention.

        A large story whose members nearly all name one entity is about it (every report of the
        Commission's decisions, of one trial). An article in a language the encoder was not trained
        on compares poorly with the story's reports in other languages, and its entity coverage
        weighs the topic entity little beside its rarer names, because the topic is common by
        design; naming it in the headline says what the article is about. Small stories are left
        out: a share of two or three members says little, and a place is no topic (many stories
        happen in one country at once).
        """
        p = self.params
        if not headline or story.size < p.topic_min_size:
            return False
        counts = self._counts(story)
        return any(counts.get(self._key(entity), 0) >= p.topic_share * story.size for entity in headline)

    def _key(self, entity: str, names: Mapping[str, str] = _NO_NAMES) -> str:
        """What entities are compared by: the name key of the entity (`features.entity_key`, from
        its name when an article gave it, else `names`' key for it, else from its id), or the id
        itself without `name_keys`."""
        if not self.params.name_keys:
            return entity
        return self.entity_keys.get(entity) or names.get(entity) or entity_key(entity)

    def _counts(self, story: Story) -> Mapping[str, int]:
        """Members of `story` per name key (or per id, see `_key`)."""
        return story.key_counts(self._key, self.keys_version) if self.params.name_keys else story.entities

    def _article_profile(self, article: ArticleFeatures) -> dict[str, float]:
        """Name key -> salience times IDF of the article's entities; of two ids with one key (one
        person resolved twice) the heavier counts, so a name is not counted twice."""
        profile: dict[str, float] = {}
        for entity, salience in article.entities.items():
            key = self._key(entity)
            profile[key] = max(profile.get(key, 0.0), salience * self.idf(entity))
        return profile

    def _coverage(self, profile: dict[str, float], story: Story) -> float:
        """The IDF-weighted share of the article's entities that the story's members typically mention.

        Unlike a cosine with the story's whole profile, this does not fall as a story grows and
        gathers entities of its own: an article only has to fit the story, not resemble all of it.
        """
        total = sum(profile.values())
        if not total or not story.size:
            return 0.0
        typical = self.params.typical_share * story.size
        counts = self._counts(story)
        return sum(w * min(1.0, counts[e] / typical) for e, w in profile.items() if e in counts) / total

    def _date_term(self, gap: int | None) -> float:
        """A bonus within the story's days, a penalty growing with the distance beyond, 0 when unknown."""
        p = self.params
        if gap is None:
            return 0.0
        if gap <= p.day_grace:
            return p.day_bonus
        return -p.day_penalty * min(1.0, (gap - p.day_grace) / p.day_scale)

    def _add(self, story: Story, article: ArticleFeatures) -> None:
        for entity in story.add(article, self.seq, self.params.story_entities):
            self._postings[entity].discard(story.id)
        self._index(story)
        self._member(article.doc_id, story.id)

    def _member(self, doc_id: str, story_id: str) -> None:
        self.members[doc_id] = story_id
        self.new_members[doc_id] = story_id
        self.touched.add(story_id)

    def assign_copy(self, article: ArticleFeatures, story_id: str) -> str:
        """Count `article`, a copy of a text of story `story_id`, in that story."""
        self.seq += 1
        story = self.stories[story_id]
        story.add_copy(article, self.seq)
        self._index(story)
        self._member(article.doc_id, story_id)
        return story_id

    def _index(self, story: Story) -> None:
        self._rows.put(story.id, story.centroid)
        for entity in story.entities:
            if entity not in self._postings:  # a new id: posted under its name key as well
                self._key_ids[self._key(entity)].add(entity)
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
        """Merge stories started in this batch into stories with a similar entity profile.

        One language's reports of a story often start a story of their own: the encoder compares
        languages less well than it compares articles of one language. Once stories have a few
        members, their entity profiles (which entities most members mention) are steadier than any
        one article's names, and show which of them tell one story. Only stories started in this
        batch are absorbed, so the stories of documents already stored keep their ids. The most
        similar pair merges first; returns absorbed id -> surviving id.
        """
        return self._merge_pairs(new, self._most_similar_pair)

    def _merge_pairs(
        self, pool: set[str], most_similar: Callable[[set[str]], tuple[str, str] | None]
    ) -> dict[str, str]:
        """Merge the pair `most_similar(pool)` names, again and again until it names none; the
        absorbed story leaves `pool`. Returns absorbed id -> surviving id (chains followed).

        Each round compares every story of the pool with its candidates again, but only the
        survivor of the last merge changed (the IDF weights stay those of the batch): the entity
        profiles are kept while it runs."""
        moved: dict[str, str] = {}
        self._profiles = {}
        try:
            while pair := most_similar(pool):
                absorbed, survivor = pair
                self._merge(self.stories[absorbed], self.stories[survivor])
                self._profiles.pop(absorbed, None)
                self._profiles.pop(survivor, None)
                pool.discard(absorbed)
                moved = _redirected(moved, absorbed, survivor)
        finally:
            self._profiles = None
        return moved

    def merge_established(self, touched: set[str]) -> dict[str, str]:
        """Merge established stories (started in earlier batches) that both grew in this batch and
        now look like one: returns absorbed id -> surviving id.

        Two pieces of one story can grow apart for many batches: the reports in one language the
        encoder compares poorly with the others' join their own piece, and `merge_new_stories` only
        absorbs stories a batch started, so two pieces that were both established before they became
        comparable never meet. Merging them is stricter than merging a new story: both must have
        `established_min_size` texts (a steady profile), their date ranges must be within
        `established_max_gap` days, and their story similarity must reach `established_threshold`.
        The larger survives (ties: the earlier id); the absorbed id is kept in `redirects`, because
        records and rows already carry it.
        """
        p = self.params
        eligible = {
            i for i in touched if i in self.stories and self.stories[i].size >= p.established_min_size
        }
        if len(eligible) < 2:
            return {}
        self._count_frequencies(eligible)
        moved = self._merge_pairs(eligible, self._most_similar_established)
        for absorbed, survivor in moved.items():
            self.redirects = _redirected(self.redirects, absorbed, survivor)
        return moved

    def _most_similar_established(self, eligible: set[str]) -> tuple[str, str] | None:
        """(absorbed, survivor) of the most similar pair of `eligible` stories from
        `established_threshold` on, with date ranges within `established_max_gap` days; else None."""
        p = self.params
        best: tuple[float, str, str] | None = None
        for story_id in sorted(eligible):
            story = self.stories[story_id]
            for other in self._profile_candidates(story):
                if other.id not in eligible or other.id <= story_id:  # each pair once
                    continue
                gap = story.range_gap(other)
                if gap is not None and gap > p.established_max_gap:
                    continue
                score = self.story_similarity(story, other)
                if score >= p.established_threshold and (best is None or score > best[0]):
                    best = (score, story_id, other.id)
        if best is None:
            return None
        _, first, second = best  # first < second: the earlier id survives a tie in size
        if self.stories[second].size > self.stories[first].size:
            return first, second
        return second, first

    def _count_frequencies(self, story_ids: Iterable[str]) -> None:
        """With a store (`frequencies`), count in the stored document frequencies of the stories'
        entities not counted in yet: the store loaded those of the batch's entities only."""
        if self.frequencies is None:
            return
        wanted = sorted({e for i in story_ids for e in self.stories[i].entities} - self.loaded_entities)
        self.entity_documents.update(self.frequencies(wanted))
        self.loaded_entities.update(wanted)

    def _most_similar_pair(self, new: set[str]) -> tuple[str, str] | None:
        """(absorbed, survivor) of the most similar pair from `merge_threshold` on, else None."""
        p = self.params
        best: tuple[float, str, str] | None = None
        for story_id in sorted(new):
            story = self.stories[story_id]
            if story.size < p.merge_min_size:
                continue
            for other in self._profile_candidates(story):
                if other.size < p.merge_min_size:
                    continue
                score = self.story_similarity(story, other)
                if score >= p.merge_threshold and (best is None or score > best[0]):
                    best = (score, story_id, other.id)
        if best is None:
            return None
        _, story_id, other_id = best
        # the older story survives, or the larger one when both are new
        if other_id in new and self.stories[other_id].size < self.stories[story_id].size:
            return other_id, story_id
        return story_id, other_id

    def _profile_candidates(self, story: Story) -> list[Story]:
        """Stories counting an entity of one of the story's most frequent name keys (whatever the
        id they know it by), in id order."""
        ids: set[str] = set()
        for key, _ in _most_common(self._counts(story), self.params.blocking_entities):
            ids |= self._posted(key)
        ids.discard(story.id)
        return [self.stories[i] for i in sorted(ids)]

    def story_similarity(self, a: Story, b: Story) -> float:
        """Cosine of the two stories' entity profiles, minus the penalty for far-apart date ranges,
        averaged (weight `merge_embedding_weight`) with the cosine of their centroids.

        A story's centroid is the mean of several leads, steadier than any one article's; it
        carries what entity ids miss when one name was resolved to several ids across languages.
        It is no evidence on its own, though (two stories in one language have close centroids
        whatever they tell): below `merge_min_profile` of profile cosine the similarity is 0.
        """
        pa, pb = self._story_profile(a), self._story_profile(b)
        dot = sum(w * pb[e] for e, w in pa.items() if e in pb)
        if not dot:
            return 0.0
        cosine = dot / math.sqrt(sum(w * w for w in pa.values()) * sum(w * w for w in pb.values()))
        if cosine < self.params.merge_min_profile:
            return 0.0
        profile = cosine + min(0.0, self._date_term(a.range_gap(b)))
        weight = self.params.merge_embedding_weight
        return (profile + weight * _cosine(a.centroid, b.centroid)) / (1.0 + weight)

    def _story_profile(self, story: Story) -> dict[str, float]:
        """Name key -> share of the members mentioning it times its IDF, for the commonly mentioned
        ones; a key of several ids takes the IDF of its most frequent id (the lowest). Kept while
        `merge_new_stories` runs."""
        if self._profiles is not None and story.id in self._profiles:
            return self._profiles[story.id]
        idf: dict[str, float] = {}
        for entity in story.entities:
            key = self._key(entity)
            idf[key] = min(idf.get(key, math.inf), self.idf(entity))
        counts = self._counts(story)
        profile = {
            k: min(1.0, counts[k] / story.size) * w
            for k, w in idf.items()
            if counts[k] / story.size >= self.params.merge_min_share
        }
        if self._profiles is not None:
            self._profiles[story.id] = profile
        return profile

    def _merge(self, absorbed: Story, survivor: Story) -> None:
        survivor.absorb(absorbed)
        del self.stories[absorbed.id]
        self._recent.pop(absorbed.id, None)
        self._rows.drop(absorbed.id)
        for entity in absorbed.entities:
            self._postings[entity].discard(absorbed.id)
        self._index(survivor)
        self.touched.discard(absorbed.id)
        self.touched.add(survivor.id)
        self.merged = _redirected(self.merged, absorbed.id, survivor.id)
        for doc_id, story_id in self.new_members.items():
            if story_id == absorbed.id:
                self.new_members[doc_id] = self.members[doc_id] = survivor.id

    # ------------------------------------------------------------------ persistence
    def to_data(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "seq": self.seq,
            "entity_documents": dict(self.entity_documents),
            "stories": [s.to_data() for s in sorted(self.stories.values(), key=lambda s: s.last_seq)],
        }

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


class CentroidRows:
    """The stories' centroids as the rows of one matrix, each row rewritten when its story changes.

    An undated article is compared with the centroids of up to `similar_pool` stories
    (`StoryIndex.similar`). Stacking them afresh for every such article copied the pool (10 MB for
    5,000 stories) and took 50 ms; with the rows kept current, one product with the matrix does it.
    The row norms are kept beside the rows, computed as a stacked matrix's would be, so the cosines
    are those the stacked pool gave, up to float32 rounding (BLAS may sum a row in another order).
    """

    def __init__(self) -> None:
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.norms = np.zeros(0, dtype=np.float32)
        self.slot: dict[str, int] = {}  # story id -> row
        self.free: list[int] = []  # rows of merged-away stories, reused first
        self.used = 0  # rows ever handed out (live or free)

    def put(self, story_id: str, centroid: np.ndarray) -> None:
        """Write (or rewrite) the row of `story_id`."""
        slot = self.slot.get(story_id)
        if slot is None:
            slot = self.free.pop() if self.free else self._next_row()
            self.slot[story_id] = slot
        self.matrix[slot] = centroid
        self.norms[slot] = np.linalg.norm(self.matrix[slot : slot + 1], axis=1)[0]

    def drop(self, story_id: str) -> None:
        """Free the row of a story that is gone (merged into another)."""
        slot = self.slot.pop(story_id, None)
        if slot is not None:
            self.matrix[slot] = 0.0
            self.norms[slot] = 0.0
            self.free.append(slot)

    def cosines(self, ids: Sequence[str], vector: np.ndarray) -> np.ndarray:
        """Cosine of `vector` (unit length) with the centroid of each story of `ids`, in order
        (0 for an all-zero centroid)."""
        slots = np.fromiter((self.slot[i] for i in ids), dtype=np.intp, count=len(ids))
        if self.used <= 2 * len(slots):  # most rows are wanted: one product with them all
            dots = (self.matrix[: self.used] @ vector)[slots]
        else:
            dots = self.matrix[slots] @ vector
        norms = self.norms[slots]
        return np.divide(dots, norms, out=np.zeros(len(slots), dtype=np.float32), where=norms > 0)

    def _next_row(self) -> int:
        if self.used == len(self.matrix):  # full: double the capacity
            capacity = max(64, 2 * len(self.matrix))
            matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
            matrix[: self.used] = self.matrix[: self.used]
            norms = np.zeros(capacity, dtype=np.float32)
            norms[: self.used] = self.norms[: self.used]
            self.matrix, self.norms = matrix, norms
        self.used += 1
        return self.used - 1


def assign_stories(
    docs: Sequence[Document], index: StoryIndex, matched: Mapping[str, str] | None = None
) -> list[str | None]:
    """Give each document with text a story id (also set as `doc.story`); None for the others.

    The batch's entities are counted first, so IDF weights do not depend on the order within the
    batch; articles are then assigned in publication order (undated ones last, input order within
    a day), which is the order stories unfold in. A copy of another text (`matched`: copy doc_id ->
    the document whose text it copies, see `stories.duplicates`) joins that document's story when
    the index knows it, without counting as a text of its own.
    """
    matched = matched or {}
    with_text = [i for i, doc in enumerate(docs) if doc.text.strip()]
    copies = [i for i in with_text if matched.get(docs[i].doc_id) is not None]
    originals = [i for i in with_text if i not in set(copies)]
    assigned = assign_with_copies(
        article_features([docs[i] for i in originals]),
        article_features([docs[i] for i in copies], embed=False),
        matched,
        index,
        lambda late: article_features([docs[copies[k]] for k in late]),
    )
    out: list[str | None] = [None] * len(docs)
    for i in with_text:
        out[i] = assigned[docs[i].doc_id]
    for doc, maybe_story in zip(docs, out, strict=True):
        doc.story = maybe_story
    return out


def assign_with_copies(
    originals: Sequence[ArticleFeatures],
    copies: Sequence[ArticleFeatures],
    matched: Mapping[str, str],
    index: StoryIndex,
    embedded: Callable[[list[int]], Sequence[ArticleFeatures]] | None = None,
) -> dict[str, str]:
    """Story id by doc_id: the originals grouped, then each copy in the story of the document it
    copies; a copy whose original has no story in the index is grouped as a text of its own
    (`embedded` gives those copies' features with their embedding, when `copies` lack it)."""
    out = dict(zip((a.doc_id for a in originals), assign_articles(originals, index), strict=True))
    late = []
    for k, article in enumerate(copies):
        original = index.members.get(matched.get(article.doc_id) or "")
        if original is not None:  # its story may have been absorbed since the original joined it
            original = index.resolve(original)
        if original is not None and original in index.stories:
            out[article.doc_id] = index.assign_copy(article, original)
        else:
            late.append(k)
    if late:
        features = embedded(late) if embedded else [copies[k] for k in late]
        out.update(zip((a.doc_id for a in features), assign_articles(features, index), strict=True))
    return out


def assign_articles(articles: Sequence[ArticleFeatures], index: StoryIndex) -> list[str]:
    """The story id of each article, in order (see `assign_stories`)."""
    index.observe(articles)
    known = set(index.stories)  # stories of earlier batches: their ids are kept
    out = [""] * len(articles)
    for k in sorted(range(len(articles)), key=lambda k: (articles[k].day is None, articles[k].day or 0, k)):
        out[k] = index.assign(articles[k])
    merged = index.merge_new_stories(set(index.stories) - known)
    out = [merged.get(story_id, story_id) for story_id in out]
    absorbed = index.merge_established(index.touched & known)
    return [absorbed.get(story_id, story_id) for story_id in out]


def _redirected(ids: Mapping[str, str], absorbed: str, survivor: str) -> dict[str, str]:
    """`ids` (absorbed story id -> the story that absorbed it) after `survivor` absorbed `absorbed`:
    what pointed to `absorbed` points to `survivor`, and `absorbed` itself does."""
    out = {k: survivor if v == absorbed else v for k, v in ids.items()}
    out[absorbed] = survivor
    return out


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norms if norms else 0.0


def _most_common(counts: Mapping[str, int], n: int) -> list[tuple[str, int]]:
    """The `n` largest counts, ties broken by key so that pruning is deterministic."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def _ordinal(value: str | None) -> int | None:
    return date.fromisoformat(value).toordinal() if value else None
