"""`NewsGraph`: the application object every face stands on (in the spirit of Datasette's `Datasette`).

It holds the settings (and with them the store's path and the knowledge base in use) and answers
every question a user can ask as a typed model of `newsgraph.responses`: documents and full-text
search, one document, entities and an entity's profile, the timeline of an actor or a pair, one
event cluster with its evidence, quotes, claims, stories and one story, statistics; and it adds
documents through the same pipeline and store path as `newsgraph ingest`. The CLI (`newsgraph.cli`)
and the HTTP API (`newsgraph.api`) only translate arguments in and answers out, so they cannot
disagree; the SQL is in `newsgraph.store`.

Each query opens the store for its own duration, read-only unless the object was made `writable`,
so one object serves many threads (the HTTP server) and never holds a lock between questions.
A question the store cannot answer raises `NotFound`; a bad argument raises `Invalid`; both carry a
message that says what to ask instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from newsgraph.config import Settings
from newsgraph.ingest.readers import record_document
from newsgraph.model import CLAIM_KINDS, ENTITY_TYPES, EVENT_TYPES, Document
from newsgraph.responses import (
    ClaimItem,
    ClusterView,
    DocumentItem,
    DocumentsPage,
    EntityItem,
    EntityName,
    EntityProfile,
    IngestResult,
    Page,
    QuoteItem,
    QuotesPage,
    StoriesPage,
    StoryView,
    TimelineItem,
    TimelinePage,
)
from newsgraph.store import browse, facets, facts, suggest
from newsgraph.store import entities as entity_queries
from newsgraph.store import stories as story_queries
from newsgraph.store import timeline as timeline_queries
from newsgraph.store.db import NAMES, Store
from newsgraph.store.readonly import open_readonly
from newsgraph.stories.framing import frame_story

PROFILE_LIMIT = 50  # documents and neighbours listed on an entity's profile


class NotFound(LookupError):
    """The store has no such document, entity, cluster or story; the message says where to look."""


class Invalid(ValueError):
    """An argument outside what a query accepts; the message lists what it accepts."""


def choice(value: str | None, options: Sequence[str], what: str) -> str | None:
    """`value` as spelled in `options` (case aside), None for no value; `Invalid` listing the options."""
    if value is None or not value.strip():
        return None
    by_key = {option.casefold(): option for option in options}
    if value.strip().casefold() not in by_key:
        raise Invalid(f"{value!r} is not {what}: use one of {', '.join(options)}")
    return by_key[value.strip().casefold()]


def _next(total: int, limit: int, offset: int) -> int | None:
    return offset + limit if offset + limit < total else None


FRAMING_TEXTS = 40  # articles a story's framing table reads at most (a page stays fast on any story)


def framing_sample(articles: Sequence[dict[str, Any]], limit: int) -> list[str]:
    """Up to `limit` article ids for a story's framing table: taken in turn from each outlet, and
    within one outlet distinct texts before copies, newest first; so every outlet of a large story
    keeps its column and no outlet's volume crowds the others out."""
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        by_outlet.setdefault(article["outlet"] or article["id"], []).append(article)
    queues = []
    for group in by_outlet.values():  # two stable sorts: newest day first, then originals first
        newest = sorted(group, key=lambda a: (a["published"] or "")[:10], reverse=True)
        queues.append(sorted(newest, key=lambda a: a["duplicate_of"] is not None))
    chosen: list[str] = []
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0)["id"])
    return chosen


class NewsGraph:
    """The store at `settings.db` and every query over it (module docstring)."""

    def __init__(self, settings: Settings, writable: bool = False):
        self.settings = settings
        self.writable = writable

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store, open for one question (read-only unless the object is `writable`)."""
        store = Store(self.settings.db) if self.writable else open_readonly(self.settings.db)
        with store:
            yield store

    # ------------------------------------------------------------------------------ helpers
    def entity_ids(self, store: Store, name: str | None, what: str = "entity") -> list[str]:
        """The entities a name (any language or script) or an id designates; [] without a name.

        The one place a name given by a user becomes ids, for every face."""
        if name is None or not name.strip():
            return []
        ids = entity_queries.find_entities(store, name.strip())
        if not ids:
            raise NotFound(f"no entity named {name!r} ({what}): list the names the store knows with entities")
        return ids

    # ------------------------------------------------------------------------------ documents
    def documents(
        self,
        q: str | None = None,
        lang: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
        mode: str = NAMES,
    ) -> DocumentsPage:
        """Full-text hits best first when `q` is given, else the documents, newest first.

        `mode` "names": a word that names an entity also finds its other names and forms; "text":
        only the words typed."""
        with self.store() as store:
            if q and q.strip():
                total, hits = browse.search(store, q, lang, since, until, limit, offset, mode)
                items = []
                for hit in hits:
                    snippet, highlights = browse.split_marked(hit.snippet)
                    items.append(
                        DocumentItem(
                            doc_id=hit.doc_id,
                            title=hit.title,
                            lang=hit.lang,
                            published=hit.published,
                            snippet=snippet,
                            highlights=highlights,
                            rank=hit.rank,
                        )
                    )
            else:
                total, rows = browse.documents(store, lang, since, until, limit, offset)
                items = [DocumentItem(**asdict(row)) for row in rows]
        return DocumentsPage(
            total=total,
            limit=limit,
            offset=offset,
            next_offset=_next(total, limit, offset),
            items=items,
            query=q or None,
        )

    def document(self, doc_id: str) -> Document:
        with self.store() as store:
            doc = store.get(doc_id)
        if doc is None:
            raise NotFound(f"no document {doc_id!r}: find ids with a search (/api/documents?q=WORDS)")
        return doc

    # ------------------------------------------------------------------------------ entities
    def entities(
        self, type: str | None = None, lang: str | None = None, limit: int = 20, offset: int = 0
    ) -> Page[EntityItem]:
        entity_type = choice(type, ENTITY_TYPES, "an entity type")
        with self.store() as store:
            total, rows = browse.entities(store, entity_type, lang, limit, offset)
        return Page[EntityItem](
            total=total,
            limit=limit,
            offset=offset,
            next_offset=_next(total, limit, offset),
            items=[EntityItem(**asdict(row)) for row in rows],
        )

    def entity(self, entity_id: str, limit: int = PROFILE_LIMIT) -> EntityProfile:
        """Names per language, documents, co-occurring entities and resolution decisions of one entity."""
        with self.store() as store:
            profile = entity_queries.entity_profile(store, entity_id, limit)
            if profile is None:
                named = entity_queries.find_entities(store, entity_id)
                advice = (
                    f"it names {', '.join(named[:5])}: use one of these ids"
                    if named
                    else "list the ids the store knows with entities (/api/entities)"
                )
                raise NotFound(f"no entity {entity_id!r}: {advice}")
            aliases = browse.entity_aliases(store, entity_id)
        names: dict[str, list[dict[str, Any]]] = {}
        for form, lang, mentions in profile.forms:
            names.setdefault(lang, []).append({"text": form, "mentions": mentions})
        return EntityProfile.model_validate(
            {
                **asdict(profile.summary),
                "aliases": aliases,
                "names": names,
                "documents_mentioning": [
                    dict(zip(("doc_id", "title", "published", "lang", "mentions"), row, strict=True))
                    for row in profile.documents
                ],
                "co_occurring": [
                    {"id": other, "name": name, "documents": n} for other, name, n in profile.co_occurring
                ],
                "decisions": profile.decisions,
            }
        )

    # ------------------------------------------------------------------------------ quotes, claims
    def quotes(
        self,
        speaker: str | None = None,
        about: str | None = None,
        lang: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> QuotesPage:
        """Quotes and reported speech, oldest first; speaker and about: a name in any script or an id."""
        with self.store() as store:
            speakers = self.entity_ids(store, speaker, "speaker")
            topics = self.entity_ids(store, about, "about")
            total = facts.count_quotes(store, speakers, topics, lang, since, until)
            rows = facts.quotes(store, speakers, topics, lang, since, until, limit, offset)
        return QuotesPage(
            total=total,
            limit=limit,
            offset=offset,
            next_offset=_next(total, limit, offset),
            items=[QuoteItem(**asdict(row)) for row in rows],
            speaker_ids=speakers,
            about_ids=topics,
        )

    def claims(
        self,
        kind: str | None = None,
        subject: str | None = None,
        lang: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[ClaimItem]:
        """Numeric claims in date order (as-of date, else publication)."""
        claim_kind = choice(kind, CLAIM_KINDS, "a claim kind")
        with self.store() as store:
            total = facts.count_claims(store, claim_kind, subject, lang, since, until)
            rows = facts.claims(store, claim_kind, subject, lang, since, until, limit, offset)
        return Page[ClaimItem](
            total=total,
            limit=limit,
            offset=offset,
            next_offset=_next(total, limit, offset),
            items=[ClaimItem(**asdict(row)) for row in rows],
        )

    # ------------------------------------------------------------------------------ timeline
    def timeline(
        self,
        actor: str | None = None,
        with_actor: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_confidence: float | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> TimelinePage:
        """Events (one per cluster) of an actor, or of a pair with `with_actor`, in date order, planned
        ones last; `min_confidence` defaults to the `timeline_min_confidence` setting."""
        event_type = choice(type, EVENT_TYPES, "a PLOVER event type")
        threshold = self.settings.timeline_min_confidence if min_confidence is None else min_confidence
        if not 0.0 <= threshold <= 1.0:
            raise Invalid(f"min_confidence={threshold} is out of range: give a number from 0 to 1")
        with self.store() as store:
            actors = self.entity_ids(store, actor, "actor")
            partners = self.entity_ids(store, with_actor, "with")
            total, entries = timeline_queries.timeline(
                store, actors, partners, event_type, since, until, threshold, limit, offset
            )
            named = {*actors, *partners, *(i for e in entries for i in (*e.participants, e.place) if i)}
            names = browse.entity_names(store, named)
        return TimelinePage(
            total=total,
            limit=limit,
            offset=offset,
            next_offset=_next(total, limit, offset),
            items=[TimelineItem.model_validate(asdict(e)) for e in entries],
            actor_ids=actors,
            with_ids=partners,
            entities={i: EntityName(**n) for i, n in names.items()},
            min_confidence=threshold,
        )

    def cluster(self, cluster_id: str) -> ClusterView:
        """One event with every article's report of it, in every language."""
        with self.store() as store:
            entry = timeline_queries.cluster(store, cluster_id)
            if entry is None:
                raise NotFound(
                    f"no event cluster {cluster_id!r}: find clusters in a timeline (/api/timeline)"
                )
            names = browse.entity_names(store, [*entry.participants, entry.place or ""])
        return ClusterView.model_validate(
            {**asdict(entry), "entities": {i: EntityName(**n) for i, n in names.items()}}
        )

    # ------------------------------------------------------------------------------ web helpers
    def suggest_names(self, prefix: str, limit: int = 10) -> dict[str, Any]:
        """Entities with a name or alias word beginning with `prefix` (any script), most mentioned
        first: what the web app's name fields suggest as one types."""
        with self.store() as store:
            return {"prefix": prefix, "items": suggest.suggest_entities(store, prefix, limit)}

    def facets(
        self,
        listing: str,
        q: str | None = None,
        lang: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> dict[str, dict[str, int]]:
        """Facet counts over a whole selection (not the page shown): documents by language and
        outlet, entities by type; `{}` for a list without facets."""
        with self.store() as store:
            if listing == "documents":
                return facets.document_facets(store, q, lang, since, until)
            if listing == "entities":
                return facets.entity_facets(store, lang)
        return {}

    # ------------------------------------------------------------------------------ stories
    def stories(
        self,
        since: str | None = None,
        until: str | None = None,
        entity: str | None = None,
        lang: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> StoriesPage:
        """Stories, newest first; `entity` keeps those that mention it (a name in any script or an id)."""
        with self.store() as store:
            ids = self.entity_ids(store, entity, "entity") or None
            page = story_queries.list_stories(
                store, since=since, until=until, entity_ids=ids, lang=lang, limit=limit, offset=offset
            )
        return StoriesPage.model_validate(
            {**page, "next_offset": _next(page["total"], page["limit"], page["offset"])}
        )

    def story(self, story_id: str) -> StoryView:
        """One story: its articles (copies marked), events, the names of every entity it shows, and
        how each outlet frames it (`stories.framing`, over the distinct texts of the story)."""
        with self.store() as store:
            found = story_queries.story(store, story_id)
            if found is None:
                raise NotFound(f"no story {story_id!r}: list stories with /api/stories")
            shown = {e["id"] for e in found["entities"]}
            for event in found["events"]:
                shown.update(event["source"], event["target"])
            read = framing_sample(found["articles"], FRAMING_TEXTS)
            docs = [doc for doc_id in read if (doc := store.get(doc_id)) is not None]
            mentioned = {m.entity for doc in docs for m in doc.mentions if m.entity}
            labels = browse.entity_names(store, shown | mentioned)  # one lookup for both uses
            found["names"] = {entity_id: labels[entity_id] for entity_id in shown if entity_id in labels}
            names = {entity_id: labels[entity_id]["name"] for entity_id in mentioned if entity_id in labels}
            copies = {a["id"]: a["duplicate_of"] for a in found["articles"] if a["duplicate_of"]}
            if docs:
                found["framing"] = frame_story(docs, names, copies)
                found["framing"]["sample"] = {"read": len(docs), "articles": len(found["articles"])}
            else:
                found["framing"] = None
        return StoryView.model_validate(found)

    # ------------------------------------------------------------------------------ the store
    def stats(self) -> dict[str, Any]:
        with self.store() as store:
            return store.stats()

    def errors(self, limit: int | None = None) -> list[dict[str, Any]]:
        with self.store() as store:
            return store.errors(limit)

    def ingest_records(self, records: Sequence[dict[str, Any]]) -> IngestResult:
        """Add input records (interchange.md fields) through `newsgraph ingest`'s path: read as JSON
        Lines records are, annotated by the configured runner, resolved and clustered against the
        store, stored a batch per transaction. Needs a `writable` object."""
        from newsgraph.pipeline.runs import ingest_documents, runner_for  # the pipeline, on demand only

        if not self.writable:
            raise Invalid("this store is open read-only: documents cannot be added")
        source = f"api:{uuid.uuid4().hex}"
        docs = [record_document(record, f"{source}#{n}", self.settings) for n, record in enumerate(records)]
        messages = [f"record {n}: {e}" for n, doc in enumerate(docs) for e in doc.errors]
        with self.store() as store:
            summary = ingest_documents(docs, store, self.settings, runner_for(None))
            stored = browse.documents_from(store, f"{source}#")
        return IngestResult(
            added=summary.added,
            duplicates=summary.duplicates,
            errors=summary.errors,
            doc_ids=stored,
            messages=messages,
        )
