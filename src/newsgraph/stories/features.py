"""What the story grouping compares: per article, its lead embedding, salient entities and date.

Entity ids are global after resolution ("E:antony-blinken" in every language), so entity overlap
links articles across languages and scripts even where the embedding is weak.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np

from newsgraph.entities.names import name_tokens
from newsgraph.entities.translit import skeleton_keys
from newsgraph.model import DateValue, Document, Mention
from newsgraph.stories.embed import DIMENSIONS, embed_documents, embedding_reliable

LEAD_SENTENCES = 3  # a name in the title or the first sentences is what the article is about
LEAD_BONUS = 2.0  # how much more a mention in the lead counts than one further down
DAY_PRECISIONS = frozenset({"day", "hour", "minute"})
NAME_KEY_PREFIX = "K:"
# what a story can be about: not a place, where many stories happen at once ("MISC" holds named
# events such as "Brexit"; a nationality adjective, also MISC, is rarely in 80% of a story's members)
TOPIC_TYPES = frozenset({"PER", "ORG", "MISC"})
MIN_KEY_LETTERS = 3  # shorter words of a name ("al", "de", "Li") are particles, initials or too short to tell
MIN_PAIR_CLASSES = 3  # consonant classes two words' skeletons need together to stand for a name
MIN_SINGLE_CLASSES = 5  # ... and one word's alone: "Bibi" (B) or "Komisija" (KMS) would collide


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
    keys: dict[str, str] = field(default_factory=dict)  # entity id -> its name key (`entity_key`)
    headline: frozenset[str] = frozenset()  # entities named in the title (else the first sentence)


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
            entity_keys(doc),
            headline_entities(doc),
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


def headline_entities(doc: Document) -> frozenset[str]:
    """The persons, organisations and named events (`TOPIC_TYPES`) named in the title, else in the
    first sentence: what the article says it is about (see `StoryIndex.topic`)."""
    if doc.title_span:
        span = doc.title_span
    elif doc.sentences:
        span = doc.sentences[0]
    else:
        return frozenset()
    return frozenset(
        m.entity
        for m in doc.mentions
        if m.entity and m.start < span[1] and m.end > span[0] and _entity_type(doc, m) in TOPIC_TYPES
    )


def _entity_type(doc: Document, mention: Mention) -> str:
    """The type of the mention's entity as resolved, else as recognised."""
    entity = doc.entities.get(mention.entity or "")
    return entity.type if entity is not None else mention.type


def entity_keys(doc: Document) -> dict[str, str]:
    """Entity id -> name key (`entity_key`) of the entities the document mentions, by their names."""
    ids = {m.entity for m in doc.mentions if m.entity}
    return {e: entity_key(e, doc.entities[e].name if e in doc.entities else None) for e in sorted(ids)}


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


@lru_cache(maxsize=65536)
def name_key(name: str) -> str | None:
    """The name key of an entity's name: what the spellings of one name in several languages and
    scripts share, or None for a name too short to tell one entity from another.

    The resolver may give one person several ids across languages, scripts and inflections ("Асия
    Биба", "Mahomet Asia Bibi"): each id then carries part of the evidence that articles tell one
    story. The phonetic skeletons (`translit.skeleton_keys`, most likely reading; vowels and doubled
    letters do not count) of the name's last two words coincide for such spellings ("AS B"; "Jens
    Stoltenberg", "Єнс Столтенберг": "ANS STLTNBRH"). A key must be long enough not to join
    different names by chance: two words with `MIN_PAIR_CLASSES` consonant classes together, or one
    word with `MIN_SINGLE_CLASSES` ("Bibi" alone is B, "Komisja" KMS: no key).
    """
    words = [w for w in name_tokens(name) if len(w) >= MIN_KEY_LETTERS and w.isalpha()]
    skeletons = [keys[0] for keys in (skeleton_keys(w) for w in words) if keys]
    if len(skeletons) >= 2 and len("".join(skeletons[-2:])) >= MIN_PAIR_CLASSES:
        return NAME_KEY_PREFIX + " ".join(skeletons[-2:])
    if len(skeletons) == 1 and len(skeletons[0]) >= MIN_SINGLE_CLASSES:
        return NAME_KEY_PREFIX + skeletons[0]
    return None


def entity_key(entity_id: str, name: str | None = None) -> str:
    """What the grouping compares an entity by: the name key of its name, else of the readable part
    of its id (the name's ASCII slug: "E:asiya-biba"), else the id itself. A disambiguating number
    ("E:tlp-2") is not part of the name."""
    return name_key(name or entity_id.partition(":")[2].replace("-", " ")) or entity_id
