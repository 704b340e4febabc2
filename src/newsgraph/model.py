"""The one document model that every stage reads and enriches.

A `Document` starts as what a reader produced (text plus metadata) and each pipeline component
fills more of its slots. Every span is a pair of character offsets `[start, end)` into
`Document.text`, which is the reader's original text, never a cleaned copy: cleaning *marks*
boilerplate (`Document.boilerplate`) and the body is what is left (`Document.body`).

`Document.to_record()` writes the public interchange format (`schema: newsgraph/1`, see
docs/interchange.md); `Document.from_record()` reads it back, so the store and the JSON Lines
output are two views of the same object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA = "newsgraph/1"

Span = tuple[int, int]
"""`[start, end)` character offsets into `Document.text`."""


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(klass: type) -> tuple[str, ...]:
    """The field names of a dataclass, looked up once per class (`fields` is slow)."""
    names = _FIELD_NAMES.get(klass)
    if names is None:
        names = _FIELD_NAMES[klass] = tuple(f.name for f in fields(klass))
    return names


def plain_fields(item: Any) -> dict[str, Any]:
    """A dataclass's fields as `dataclasses.asdict` gives them for the annotation classes (and the
    resolver's decisions), whose fields hold numbers, strings, None, tuples and lists of those: each
    list copied, the rest as it is (immutable). `asdict` walks and deep-copies every value
    recursively: writing a record's JSON took 0.70 ms per article with it, 0.24 without, the same
    bytes (docs/BENCHMARKS.md, "Issue 14: store and writer, session 6")."""
    out = {}
    for name in _field_names(type(item)):
        value = getattr(item, name)
        out[name] = list(value) if isinstance(value, list) else value
    return out


PRECISIONS = ("year", "month", "day", "hour", "minute")
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
CLAIM_KINDS = ("killed", "injured", "arrested", "displaced", "hostages", "money", "other")
# the sixteen PLOVER event categories (interchange.md: `events[].type`)
EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


@dataclass
class DateValue:
    """A date or datetime at a precision, with the span of text it was read from (if any)."""

    value: str | None
    precision: str | None = None
    evidence: Span | None = None
    # "text" (read from the article), "metadata" (given by the caller), "html" (page metadata),
    # "url" (the page address), "inferred"
    origin: str = "text"
    # other dates the page offered for the same role and why they lost (`published` only; see
    # newsgraph/ingest/published.py): {"value", "precision", "origin", "evidence", "reason"}
    rejected: list[dict[str, Any]] = field(default_factory=list, compare=False)

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "value": self.value,
            "precision": self.precision,
            "evidence": list(self.evidence) if self.evidence else None,
            "origin": self.origin,
        }
        if self.rejected:
            record["rejected"] = [dict(r) for r in self.rejected]
        return record

    @classmethod
    def from_record(cls, rec: dict[str, Any] | None) -> DateValue | None:
        if not rec:
            return None
        ev = rec.get("evidence") or rec.get("span")
        return cls(
            rec.get("value"),
            rec.get("precision"),
            tuple(ev) if ev else None,
            rec.get("origin", "text"),
            list(rec.get("rejected") or []),
        )


@dataclass
class Boilerplate:
    """A stretch of the text that is not article body, and why (the rule that matched)."""

    start: int
    end: int
    kind: str  # e.g. "photo_credit", "byline", "related", "share", "hashtags", "comments", "duplicate"
    rule: str = ""


@dataclass
class Paragraph:
    start: int
    end: int
    lang: str | None = None
    lang_score: float | None = None


@dataclass
class Mention:
    """A name in the text. `entity` is a document-local cluster id before resolution, a global id after."""

    start: int
    end: int
    text: str
    type: str  # PER, ORG, LOC, MISC
    entity: str | None = None
    normal: str | None = None  # lemma / nominative form ("Блинкена" -> "Блинкен")
    source: str = ""  # which recogniser produced it ("spacy:fr_core_news_md", "natasha", "fallback", ...)
    score: float = 1.0

    def to_record(self) -> dict[str, Any]:
        return {k: v for k, v in plain_fields(self).items() if v not in (None, "")}


@dataclass
class Entity:
    """An entity as seen from one document (or from the store, with `id` global)."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # what the resolver needs / decided

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "aliases": self.aliases,
            "wikidata": self.wikidata,
        }
        return rec


@dataclass
class TimeExpression:
    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    kind: str = "date"  # date, time, duration, set

    def to_record(self) -> dict[str, Any]:
        return plain_fields(self)


@dataclass
class Event:
    id: str
    type: str
    mode: str | None = None
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    source_spans: list[Span] = field(default_factory=list)
    target_spans: list[Span] = field(default_factory=list)
    date: DateValue | None = None
    location: str | None = None  # entity id of the place
    location_span: Span | None = None
    sentence: Span | None = None
    trigger: Span | None = None
    negated: bool = False
    context: list[str] = field(default_factory=list)  # "future", "hypothetical", "reported", ...
    confidence: float = 0.5
    cluster: str | None = None

    def to_record(self) -> dict[str, Any]:
        rec = plain_fields(self)
        rec["date"] = (
            None
            if self.date is None
            else {
                "value": self.date.value,
                "precision": self.date.precision,
                "span": list(self.date.evidence) if self.date.evidence else None,
                "origin": self.date.origin,
            }
        )
        for key in ("source_spans", "target_spans"):
            rec[key] = [list(s) for s in rec[key]]
        for key in ("sentence", "trigger", "location_span"):
            rec[key] = list(rec[key]) if rec[key] else None
        return rec


@dataclass
class Quote:
    start: int
    end: int
    text: str
    direct: bool
    speaker: str | None = None
    speaker_span: Span | None = None
    cue: Span | None = None
    speaker_text: str | None = None

    def to_record(self) -> dict[str, Any]:
        rec = plain_fields(self)
        rec["speaker_span"] = list(self.speaker_span) if self.speaker_span else None
        rec["cue"] = list(self.cue) if self.cue else None
        return rec


@dataclass
class Claim:
    start: int
    end: int
    text: str
    value: float | int
    bound: str = "exact"  # exact, more_than, less_than, about, at_least, at_most
    kind: str = "other"  # killed, injured, arrested, displaced, hostages, money, other
    unit: str | None = None  # currency code for money
    subject: str | None = None
    as_of: DateValue | None = None
    attributed_to: str | None = None
    attributed_entity: str | None = None
    attribution_span: Span | None = None
    part_of: int | None = None  # index of the total this is a sub-count of

    def to_record(self) -> dict[str, Any]:
        rec = plain_fields(self)
        rec["as_of"] = (
            None if self.as_of is None else {"value": self.as_of.value, "precision": self.as_of.precision}
        )
        rec["attribution_span"] = list(self.attribution_span) if self.attribution_span else None
        return rec


@dataclass
class Document:
    """One article and everything the pipeline found in it."""

    doc_id: str
    text: str
    source: str | None = None
    lang: str | None = None
    lang_hint: str | None = None
    title: str | None = None
    title_span: Span | None = None
    outlet: str | None = None
    url: str | None = None
    published: DateValue | None = None
    content_hash: str | None = None
    body: list[Span] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    times: list[TimeExpression] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    story: str | None = None
    # the doc_id of the earlier text this one is a copy of (syndicated or lightly edited re-post,
    # `newsgraph.stories.duplicates`); None for a text of its own
    duplicate_of: str | None = None
    errors: list[str] = field(default_factory=list)
    # Per-process scratch space shared by components (e.g. the parse of `newsgraph.language.syntax`):
    # never serialised, never compared.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------------ helpers for components
    def span_text(self, span: Span) -> str:
        return self.text[span[0] : span[1]]

    def in_body(self, start: int, end: int) -> bool:
        """True when `[start, end)` overlaps no boilerplate (and lies in the body when one is set)."""
        if any(b.start < end and start < b.end for b in self.boilerplate):
            return False
        return not self.body or any(s < end and start < e for s, e in self.body)

    # ------------------------------------------------------------------ interchange format
    def to_record(self) -> dict[str, Any]:
        """The public interchange record (docs/interchange.md)."""
        return {
            "schema": SCHEMA,
            "doc_id": self.doc_id,
            "source": self.source,
            "lang": self.lang,
            "title": self.title,
            "title_span": list(self.title_span) if self.title_span else None,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.to_record() if self.published else None,
            "content_hash": self.content_hash,
            "text": self.text,
            "body": [list(s) for s in self.body],
            "boilerplate": [plain_fields(b) for b in self.boilerplate],
            "paragraphs": [plain_fields(p) for p in self.paragraphs],
            "sentences": [list(s) for s in self.sentences],
            "mentions": [m.to_record() for m in self.mentions],
            "entities": {k: e.to_record() for k, e in self.entities.items()},
            "times": [t.to_record() for t in self.times],
            "events": [e.to_record() for e in self.events],
            "quotes": [q.to_record() for q in self.quotes],
            "claims": [c.to_record() for c in self.claims],
            "story": self.story,
            "duplicate_of": self.duplicate_of,
            "errors": list(self.errors),
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Document:
        """Inverse of `to_record` (used by the store and by tools that read our output)."""

        def span(v: Any) -> Span | None:
            return (int(v[0]), int(v[1])) if v else None

        def spans(vs: Any) -> list[Span]:
            return [(int(a), int(b)) for a, b in vs or []]

        def build(klass: type, data: dict[str, Any]) -> Any:
            names = {f.name for f in fields(klass)}
            return klass(**{k: v for k, v in data.items() if k in names})

        doc = cls(
            doc_id=rec["doc_id"],
            text=rec.get("text", ""),
            source=rec.get("source"),
            lang=rec.get("lang"),
            title=rec.get("title"),
            title_span=span(rec.get("title_span")),
            outlet=rec.get("outlet"),
            url=rec.get("url"),
            published=DateValue.from_record(rec.get("published")),
            content_hash=rec.get("content_hash"),
            body=spans(rec.get("body")),
            sentences=spans(rec.get("sentences")),
            story=rec.get("story"),
            duplicate_of=rec.get("duplicate_of"),
            errors=list(rec.get("errors") or []),
        )
        doc.boilerplate = [build(Boilerplate, b) for b in rec.get("boilerplate") or []]
        doc.paragraphs = [build(Paragraph, p) for p in rec.get("paragraphs") or []]
        doc.mentions = [build(Mention, m) for m in rec.get("mentions") or []]
        doc.entities = {
            k: Entity(
                id=k,
                name=v.get("name", k),
                type=v.get("type", "MISC"),
                aliases=list(v.get("aliases") or []),
                wikidata=v.get("wikidata"),
            )
            for k, v in (rec.get("entities") or {}).items()
        }
        doc.times = [build(TimeExpression, t) for t in rec.get("times") or []]
        for ev in rec.get("events") or []:
            e = build(Event, ev)
            e.source_spans = spans(ev.get("source_spans"))
            e.target_spans = spans(ev.get("target_spans"))
            e.sentence, e.trigger = span(ev.get("sentence")), span(ev.get("trigger"))
            e.location_span = span(ev.get("location_span"))
            e.date = DateValue.from_record(ev.get("date"))
            doc.events.append(e)
        for q in rec.get("quotes") or []:
            quote = build(Quote, q)
            quote.speaker_span, quote.cue = span(q.get("speaker_span")), span(q.get("cue"))
            doc.quotes.append(quote)
        for c in rec.get("claims") or []:
            claim = build(Claim, c)
            claim.as_of = DateValue.from_record(c.get("as_of"))
            claim.attribution_span = span(c.get("attribution_span"))
            doc.claims.append(claim)
        return doc
