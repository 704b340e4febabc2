"""What the story grouping compares: per article, its lead embedding, salient entities and date.

Entity ids are global after resolution ("E:antony-blinken" in every language), so entity overlap
links articles across languages and scripts even where the embedding is weak.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import numpy as np

from newsgraph.model import DateValue, Document
from newsgraph.stories.embed import DIMENSIONS, embed_documents, embedding_reliable

LEAD_SENTENCES = 3  # a name in the title or the first sentences is what the article is about
LEAD_BONUS = 2.0  # how much more a mention in the lead counts than one further down
DAY_PRECISIONS = frozenset({"day", "hour", "minute"})


@dataclass(frozen=True)
class ArticleFeatures:
    """One article as the grouping sees it."""

    doc_id: str
    vector: np.ndarray  # L2-normalised lead embedding; zeros when the article has no text
    reliable: bool  # the encoder knows the article's language (see `embed.embedding_reliable`)
    entities: dict[str, float]  # global entity id -> salience in the article (> 0)
    day: int | None  # publication date as a day ordinal, when known to the day
    lang: str | None = None
    outlet: str | None = None
    title: str | None = None


def article_features(docs: Sequence[Document], embed: bool = True) -> list[ArticleFeatures]:
    """Features of each document, in order (the embeddings are computed in one batch).

    With `embed=False` the vectors are zeros: for copies of a text already grouped, which join the
    story of their original and need only their date, language and outlet.
    """
    vectors = embed_documents(docs) if embed else np.zeros((len(docs), DIMENSIONS), dtype=np.float32)
    return [
        ArticleFeatures(
            doc.doc_id,
            vectors[i],
            embedding_reliable(doc.lang),
            entity_salience(doc),
            publication_day(doc.published),
            doc.lang,
            outlet_name(doc),
            doc.title,
        )
        for i, doc in enumerate(docs)
    ]


def outlet_name(doc: Document) -> str | None:
    """The outlet as given, else the host of the article's address."""
    if doc.outlet:
        return doc.outlet
    host = urlsplit(doc.url).hostname if doc.url else None
    return host.removeprefix("www.") if host else None


def entity_salience(doc: Document) -> dict[str, float]:
    """Entity id -> 1 + log of its mention count, mentions in the lead counting `LEAD_BONUS` times."""
    lead_end = lead_end_offset(doc)
    counts: defaultdict[str, float] = defaultdict(float)  # lead-weighted mention counts
    for mention in doc.mentions:
        if mention.entity:
            counts[mention.entity] += LEAD_BONUS if mention.start < lead_end else 1.0
    return {entity: 1.0 + math.log(count) for entity, count in counts.items()}


def lead_end_offset(doc: Document) -> int:
    """Where the lead (title and first sentences) ends in `doc.text`."""
    ends = [doc.sentences[min(LEAD_SENTENCES, len(doc.sentences)) - 1][1]] if doc.sentences else []
    if doc.title_span:
        ends.append(doc.title_span[1])
    return max(ends, default=0)


def publication_day(published: DateValue | None) -> int | None:
    """The day ordinal of a publication date known at least to the day, else None."""
    if published is None or not published.value or published.precision not in DAY_PRECISIONS:
        return None
    try:
        return date.fromisoformat(published.value[:10]).toordinal()
    except ValueError:
        return None
