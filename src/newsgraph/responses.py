"""The typed answers of `newsgraph.application.NewsGraph`: one pydantic model per query.

The HTTP API declares them as its response models (so `/openapi.json` describes every field), the
web pages render them, and the CLI prints them as tables, JSON or CSV. Every list is a `Page`: its
`items`, the window (`limit`, `offset`), `total` (how many match, all pages together) and
`next_offset` (None on the last page).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from newsgraph.model import DateValue

Item = TypeVar("Item")


def date_text(date: DateValue | None) -> str:
    """A date as every face writes it: value, precision and where it was read."""
    if date is None or not date.value:
        return "unknown"
    return f"{date.value} ({date.precision or 'unknown precision'}, from {date.origin})"


def csv_text(items: list[dict[str, Any]]) -> str:
    """Rows as CSV (header from the first row): lists of plain values joined with "; ", anything
    nested as JSON. The CLI's and the HTTP API's CSV are this."""
    if not items:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(items[0]), extrasaction="ignore")
    writer.writeheader()
    for item in items:
        writer.writerow({key: _cell(value) for key, value in item.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


class Page(BaseModel, Generic[Item]):
    total: int = Field(description="how many match, all pages together")
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")
    items: list[Item]


class EntityName(BaseModel):
    name: str
    type: str


# ------------------------------------------------------------------------------------- documents
class DocumentItem(BaseModel):
    doc_id: str
    title: str | None
    lang: str | None
    published: str | None
    outlet: str | None = None
    snippet: str | None = Field(None, description="search only: text around the matched words, plain")
    highlights: list[tuple[int, int]] | None = Field(
        None, description="search only: [start, end) of the matched words in snippet"
    )
    rank: float | None = Field(None, description="search only: FTS5 bm25, lower is better")


class DocumentsPage(Page[DocumentItem]):
    query: str | None = None


# ------------------------------------------------------------------------------------- entities
class EntityItem(BaseModel):
    id: str
    name: str
    type: str
    wikidata: str | None
    mentions: int
    documents: int


class NameForm(BaseModel):
    text: str | None
    mentions: int


class EntityDocument(BaseModel):
    doc_id: str
    title: str | None
    published: str | None
    lang: str | None
    mentions: int


class Neighbour(BaseModel):
    id: str
    name: str
    documents: int


class EntityProfile(EntityItem):
    aliases: list[str]
    names: dict[str, list[NameForm]] = Field(description="language -> names as written, most used first")
    documents_mentioning: list[EntityDocument]
    co_occurring: list[Neighbour]
    decisions: list[dict[str, Any]] = Field(description="why each document's mentions were linked")


# ------------------------------------------------------------------------------------- quotes, claims
class QuoteItem(BaseModel):
    doc_id: str
    published: str | None
    lang: str | None
    outlet: str | None
    speaker: str | None = Field(description="entity id")
    speaker_name: str | None
    text: str
    direct: bool


class QuotesPage(Page[QuoteItem]):
    speaker_ids: list[str] = []
    about_ids: list[str] = []


class ClaimItem(BaseModel):
    doc_id: str
    published: str | None
    lang: str | None
    outlet: str | None
    kind: str
    value: int | float
    bound: str
    subject: str | None
    as_of: str | None
    attributed_to: str | None
    text: str
    sentence: str


# ------------------------------------------------------------------------------------- timeline
class Report(BaseModel):
    doc_id: str
    title: str | None
    lang: str | None
    outlet: str | None
    published: str | None
    sentence: str
    event_id: str
    date: dict[str, Any] | None
    confidence: float
    planned: bool


class TimelineItem(BaseModel):
    cluster: str
    type: str = Field(description="PLOVER category")
    mode: str | None
    date: dict[str, Any] | None = Field(description="consensus date: value, precision, origin")
    first_published: str | None
    planned: bool = Field(description="no report gives it as held: announced, supposed or intended")
    confidence: float
    source: list[str]
    target: list[str]
    participants: list[str]
    place: str | None
    reports: int = Field(description="distinct articles that report it")
    languages: list[str]
    evidence: list[Report] = Field(description="one report per article")


class TimelinePage(Page[TimelineItem]):
    actor_ids: list[str] = []
    with_ids: list[str] = []
    entities: dict[str, EntityName] = {}
    min_confidence: float = 0.0


class ClusterView(TimelineItem):
    entities: dict[str, EntityName]


# ------------------------------------------------------------------------------------- stories
class StoryEntity(BaseModel):
    id: str
    name: str
    type: str
    count: int


class StorySummary(BaseModel):
    id: str
    label: str
    title: str
    first: str | None
    last: str | None
    size: int = Field(description="distinct texts")
    documents: int = Field(description="all articles, copies included")
    languages: dict[str, int]
    outlets: dict[str, int]
    entities: list[StoryEntity]


class StoryArticle(BaseModel):
    id: str
    title: str | None
    lang: str | None
    outlet: str | None
    published: str | None
    url: str | None
    duplicate_of: str | None


class StoryView(StorySummary):
    articles: list[StoryArticle]
    events: list[TimelineItem]
    names: dict[str, dict[str, str]] = {}  # {entity id: {"name", "type"}} for every id shown
    framing: dict[str, Any] | None


class StoriesPage(Page[StorySummary]):
    pass


# ------------------------------------------------------------------------------------- writing
class IngestResult(BaseModel):
    added: int
    duplicates: int
    errors: int
    doc_ids: list[str] = Field(description="ids the documents are stored under")
    messages: list[str] = Field(description="what went wrong with a document, if anything")
