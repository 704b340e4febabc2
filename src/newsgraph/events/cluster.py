"""Event clusters: the reports of one real-world event, across documents and languages.

Runs after entity resolution (actors carry global ids). Two events report the same event when
they have the same type, the same set of actor entities (whatever their roles; a report with a
participant known only as a phrase stays a cluster of its own), compatible modes (equal, one
unknown, or two ways of being in one room: a meeting, a visit, a summit; a call and a meeting are
two events), places that can be one when both name one (the same, a city and its country, or a
region the knowledge base draws no borders for), and dates that can be the same day (see
`dates.day_interval`: a day ±1, a whole month, a week up to an inferred publication date).
Candidates are found by blocking on (type, actor ids), so the work grows with the number of
events, not its square. Dated reports are placed first, so the order documents come in changes
nothing. A report with no date at all joins the cluster its own article's report of the same
actors joined, else the one dated cluster it fits (clusters of undated reports name no other day),
else the one cluster it fits: two meetings of the same pair on different days stay apart, and a
report that cannot tell which of them it is about joins neither; its own words may tell ("am
Mittwoch" in an undated article fits only the meeting held on a Wednesday, and prefers a meeting read
to that Wednesday over one known only to the month; "a Roma" only the round held in Rome).
A state's negotiator added to a report (`events.delegates`) is no actor of its block.

Each cluster keeps its members (document, event, language, date, sentence), the days all its
members allow, and a consensus date: the most precise date read in a text, the most supported
among equally precise ones. An event whose own date was only inferred from the publication date
takes the cluster's date (still `origin="inferred"`, with "date-from-cluster" in its context); a
cluster whose date is itself only inferred passes no date on, except to an article without a
publication date when two or more actors meet in it, and such an article's other undated events
then take that day too ("date-from-related-reports"). An event its own text dates after the
day of publication gets "planned" in its context (it had not happened when the article was written),
and a cluster all of whose reports announce the event for later is `planned`: timelines show it apart.

`ClusterIndex` holds the clusters between calls (`to_data`/`from_data` for the store), so
documents added later join the clusters of earlier ones and cluster ids stay stable.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Protocol

from newsgraph.entities.kb import KnowledgeBase
from newsgraph.events.dates import (
    DAY_SLACK,
    FUTURE_DAYS,
    INFERRED,
    INFERRED_DAYS,
    NOT_HAPPENED,
    PRECISION_RANK,
    Interval,
    centre,
    day_interval,
    overlap,
    parse_calendar,
)
from newsgraph.events.delegates import delegates
from newsgraph.model import DateValue, Document, Event, Span
from newsgraph.times.component import resolve_expression

HYPOTHETICAL = "hypothetical"
DATE_FROM_CLUSTER = "date-from-cluster"
DATE_FROM_RELATED = "date-from-related-reports"  # an undated document dated by the clusters it joined
EVIDENCE_CHARS = 400
# modes of contact at a distance: such a report never joins one of an encounter in person (a call
# and a meeting are two events); the in-person modes (meet, visit, multilateral, ...) can all
# describe one encounter ("visited Warsaw", "met Tusk", "the joint press conference")
REMOTE_MODES = frozenset({"phone"})
GENERIC_MODE = "meet"
PLANNED = "planned"
DAY_OR_FINER = ("day", "hour", "minute")
WEEK = 7
DEICTIC_TEST = (date(2001, 1, 10), date(2001, 1, 11))  # two successive anchors (any two days would do)
REGION = "region"  # the knowledge base's kind of place for continents and other regions

BlockKey = tuple[str, tuple[str, ...]]
# The most days a cluster's window spans: a window is the days all its dated reports allow, so it lies
# inside one report's interval (`dates.day_interval`), the widest of which is a year inferred from a
# publication (a year, a week before it, a day after) or a date announced for later (30 days after).
# A stored window that overlaps an interval therefore ends at most this many days after the interval:
# the bound that makes the store's lookup by date one index range.
WIDEST_WINDOW_DAYS = 366 + max(INFERRED_DAYS + DAY_SLACK, FUTURE_DAYS, 2 * DAY_SLACK)


@dataclass
class ClusterMember:
    """One report: an event of one document."""

    doc_id: str
    event_id: str
    lang: str | None
    date: DateValue | None
    sentence: str
    source: list[str]
    target: list[str]
    mode: str | None = None
    place: str | None = None
    confidence: float = 0.5
    planned: bool = False  # announced for later ("will meet"), not reported as done

    def to_data(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "lang": self.lang,
            "date": self.date.to_record() if self.date else None,
            "sentence": self.sentence,
            "source": self.source,
            "target": self.target,
            "mode": self.mode,
            "place": self.place,
            "confidence": self.confidence,
            "planned": self.planned,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ClusterMember:
        return cls(
            doc_id=data["doc_id"],
            event_id=data["event_id"],
            lang=data.get("lang"),
            date=DateValue.from_record(data.get("date")),
            sentence=data.get("sentence", ""),
            source=list(data.get("source") or []),
            target=list(data.get("target") or []),
            mode=data.get("mode"),
            place=data.get("place"),
            confidence=float(data.get("confidence", 0.5)),
            planned=bool(data.get("planned", False)),
        )


@dataclass
class EventCluster:
    id: str
    type: str
    actors: tuple[str, ...]  # entity ids, sorted
    members: list[ClusterMember] = field(default_factory=list)
    window: Interval | None = None  # the days every dated member allows
    date: DateValue | None = None  # consensus
    mode: str | None = None
    place: str | None = None
    closed: bool = False  # founded by a report with an unidentified participant: joins nothing

    @property
    def key(self) -> BlockKey:
        return self.type, self.actors

    @property
    def participants(self) -> tuple[str, ...]:
        """Every entity some report gives as a participant: the actors, and negotiators named for a
        state ("Russia's chief negotiator X") in some of the reports."""
        return tuple(sorted({*self.actors, *(e for m in self.members for e in (*m.source, *m.target))}))

    @property
    def reports(self) -> int:
        """Documents that report the event."""
        return len({m.doc_id for m in self.members})

    @property
    def planned(self) -> bool:
        """True when no report says the event took place: every one announces it for later."""
        return bool(self.members) and all(m.planned for m in self.members)

    @property
    def confidence(self) -> float:
        """The best evidence any report gives."""
        return max((m.confidence for m in self.members), default=0.0)

    @property
    def languages(self) -> list[str]:
        return sorted({m.lang for m in self.members if m.lang})

    @property
    def source(self) -> list[str]:
        """The actors the reports most often give as source (the others are targets)."""
        return [a for a in self.actors if self._role_votes(a) > 0] or list(self.actors[:1])

    @property
    def target(self) -> list[str]:
        return [a for a in self.actors if a not in self.source]

    def _role_votes(self, actor: str) -> int:
        return sum((actor in m.source) - (actor in m.target) for m in self.members)

    # -------------------------------------------------------------------------- membership
    def accepts(self, event: Event, interval: Interval | None) -> bool:
        if self.closed or not modes_compatible(self.mode, event.mode):
            return False
        if self.place and event.location and not places_compatible(self.place, event.location):
            return False
        return self.window is None or interval is None or overlap(self.window, interval) is not None

    def add(self, member: ClusterMember, interval: Interval | None) -> None:
        self.members = [m for m in self.members if m.event_id != member.event_id] + [member]
        if interval is not None:
            self.window = interval if self.window is None else overlap(self.window, interval) or self.window
        self.settle()

    def settle(self) -> None:
        """Consensus date, mode and place from the members."""
        self.date = consensus_date(self.members)
        modes = Counter(m.mode for m in self.members if m.mode)
        self.mode = max(modes, key=lambda m: (modes[m], m != GENERIC_MODE)) if modes else None
        places = Counter(m.place for m in self.members if m.place)
        self.place = places.most_common(1)[0][0] if places else None

    # -------------------------------------------------------------------------- persistence
    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "actors": list(self.actors),
            "members": [m.to_data() for m in self.members],
            "window": [self.window[0].isoformat(), self.window[1].isoformat()] if self.window else None,
            "date": self.date.to_record() if self.date else None,
            "mode": self.mode,
            "place": self.place,
            "closed": self.closed,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> EventCluster:
        window = data.get("window")
        return cls(
            id=data["id"],
            type=data["type"],
            actors=tuple(data.get("actors") or ()),
            members=[ClusterMember.from_data(m) for m in data.get("members") or []],
            window=(date.fromisoformat(window[0]), date.fromisoformat(window[1])) if window else None,
            date=DateValue.from_record(data.get("date")),
            mode=data.get("mode"),
            place=data.get("place"),
            closed=bool(data.get("closed")),
        )


class ClusterIndex:
    """Event clusters blocked by (type, actor ids); `changed()` says which to write back."""

    def __init__(self, clusters: Iterable[EventCluster] = ()):
        self._blocks: dict[BlockKey, list[EventCluster]] = {}
        self._changed: dict[str, EventCluster] = {}
        for cluster in clusters:
            self._blocks.setdefault(cluster.key, []).append(cluster)

    def block(self, key: BlockKey) -> list[EventCluster]:
        return self._blocks.get(key, [])

    def candidates(
        self, key: BlockKey, event: Event, interval: Interval | None, doc: Document
    ) -> list[EventCluster]:
        """The clusters `best_cluster` weighs for a report: here every cluster of its block (the index
        holds them all); an index backed by the store loads what the rules need first."""
        return self.block(key)

    def add(self, cluster: EventCluster) -> None:
        self._blocks.setdefault(cluster.key, []).append(cluster)

    def touch(self, cluster: EventCluster) -> None:
        self._changed[cluster.id] = cluster

    def changed(self) -> list[EventCluster]:
        return list(self._changed.values())

    def clean(self) -> None:
        """Forget what changed (it has been written back)."""
        self._changed.clear()

    def clusters(self) -> list[EventCluster]:
        return [c for block in self._blocks.values() for c in block]

    def __len__(self) -> int:
        return sum(len(block) for block in self._blocks.values())

    def to_data(self) -> list[dict[str, Any]]:
        return [c.to_data() for c in self.clusters()]

    @classmethod
    def from_data(cls, data: Iterable[dict[str, Any]]) -> ClusterIndex:
        return cls(EventCluster.from_data(d) for d in data)


class ClusterSource(Protocol):
    """The stored clusters, as `StoredClusterIndex` looks them up (`newsgraph.store.Store`)."""

    def clusters_near(
        self, ranges: Mapping[BlockKey, Sequence[Interval]], held: AbstractSet[str]
    ) -> list[EventCluster]:
        """The clusters of these blocks with no window, or with one that overlaps one of the block's
        intervals (all but those whose ids are `held`), each block's in the order they were stored."""
        ...

    def clusters_in_blocks(self, keys: Iterable[BlockKey]) -> list[EventCluster]:
        """Every cluster of these blocks, each block's in the order they were stored."""
        ...

    def dated_clusters(self, key: BlockKey) -> Iterator[EventCluster]:
        """The clusters of the block that have a window, read lazily (the caller may stop early)."""
        ...

    def stored_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of these document ids the store has."""
        ...


class StoredClusterIndex(ClusterIndex):
    """The clusters a batch's reports could join, loaded from the store: the lookup stays bounded
    as the store grows, and the clusters chosen are those of an index holding every stored one.

    A dated report joins only a cluster whose window overlaps its own days, or one with no window at
    all (`EventCluster.accepts`), so `load` reads, per block, the clusters with no window and those
    whose window overlaps a dated report of the batch (one index range each, `WIDEST_WINDOW_DAYS`),
    in the order they were stored: `best_cluster` breaks a tie of distance by that order. Windows
    only narrow as reports join, so no other stored cluster can come to overlap during the batch.

    A report with no date joins the one dated cluster it fits, whatever its days: before it is placed
    (`candidates`), the block's other dated clusters are read until it is certain that not exactly
    one fits: two that fit (two its words name a day of, when they name one), or none left. What a
    report fits is decided on a cluster as stored unless the batch holds it (then on the batch's
    copy), as with a complete index. A report of a document the store already has may have its own
    stored cluster to return to: its block is then read whole.
    """

    def __init__(self, source: ClusterSource):
        super().__init__()
        self.source = source
        self._held: set[str] = set()
        self._whole: set[BlockKey] = set()
        self._stored_docs: set[str] = set()

    def load(self, docs: Sequence[Document]) -> None:
        """Hold the stored clusters the dated reports of `docs` could join, and every windowless one
        of their blocks (an undated report's too)."""
        ranges: dict[BlockKey, list[Interval]] = {}
        for doc in docs:
            for event in doc.events:
                key = block_key(event)
                if key is None or key in self._whole:
                    continue
                interval = report_interval(event, doc)
                ranges.setdefault(key, []).extend([interval] if interval is not None else [])
        self._hold(self.source.clusters_near(ranges, self._held))
        self._stored_docs |= self.source.stored_documents(doc.doc_id for doc in docs)

    def candidates(
        self, key: BlockKey, event: Event, interval: Interval | None, doc: Document
    ) -> list[EventCluster]:
        if interval is None and key not in self._whole:
            if doc.doc_id in self._stored_docs:
                self._hold([c for c in self.source.clusters_in_blocks([key]) if c.id not in self._held])
                self._whole.add(key)
            else:
                self._hold_undated_choice(key, event, doc)
        return self.block(key)

    def _hold_undated_choice(self, key: BlockKey, event: Event, doc: Document) -> None:
        """Hold enough of the block's dated clusters for `best_cluster` to place an undated report as
        it would among all of them: it joins a dated cluster only when exactly one fits (exactly one
        its words name the day of, when they name a day and some cluster has it)."""
        words = day_words(event, doc)
        fits = [c for c in self.block(key) if c.window is not None and fits_undated(c, event, doc, words)]
        named = sum(1 for c in fits if words is not None and says_its_day(doc, words, c.date))
        if (named if words is not None else len(fits)) >= 2:
            return
        found = []
        for cluster in self.source.dated_clusters(key):
            if cluster.id in self._held or not fits_undated(cluster, event, doc, words):
                continue
            found.append(cluster)
            if words is None and len(fits) + len(found) >= 2:
                break
            if words is not None and says_its_day(doc, words, cluster.date):
                named += 1
                if named >= 2:
                    break
        self._hold(found)

    def _hold(self, clusters: Iterable[EventCluster]) -> None:
        for cluster in clusters:
            self.add(cluster)

    def add(self, cluster: EventCluster) -> None:
        self._held.add(cluster.id)
        super().add(cluster)


def day_words(event: Event, doc: Document) -> Span | None:
    """The words of an undated report that name a day ("am Mittwoch", "3 марта"), which
    `best_cluster` matches against the clusters' days; None when its date names none."""
    if event.date is not None and event.date.evidence and names_a_day(doc, event.date.evidence):
        return event.date.evidence
    return None


def fits_undated(cluster: EventCluster, event: Event, doc: Document, words: Span | None) -> bool:
    """What `best_cluster` keeps of a block for an undated report: a cluster that accepts it and, when
    its words name a day, one not read to another day."""
    if not cluster.accepts(event, None):
        return False
    return words is None or not read_to_the_day(cluster.date) or says_its_day(doc, words, cluster.date)


# ------------------------------------------------------------------------------ clustering
def cluster_events(docs: Sequence[Document], clusters: ClusterIndex | None = None) -> list[EventCluster]:
    """Assign `Event.cluster` for the events of `docs` (adding to `clusters` when given) and return
    the clusters they joined or founded; inferred dates are then replaced by their cluster's.

    Dated reports go first, undated ones after them: whether an undated report can tell which event
    it is about depends on every dated report of the batch, not on the order the documents came in."""
    index = clusters if clusters is not None else ClusterIndex()
    touched: dict[str, EventCluster] = {}
    pending = []
    for doc in docs:
        for event in doc.events:
            key = block_key(event)
            interval = report_interval(event, doc)
            if key is None:
                event.cluster = None
                continue
            pending.append((interval is None, doc, event, key, interval))
    for _, doc, event, key, interval in sorted(pending, key=lambda item: item[0]):
        # an event with a participant we cannot compare is a cluster of its own
        cluster = (
            None
            if incomplete(event)
            else best_cluster(index.candidates(key, event, interval, doc), event, interval, doc)
        )
        if cluster is None:
            cluster = EventCluster(cluster_id(key, doc.doc_id, event.id), *key, closed=incomplete(event))
            index.add(cluster)
        cluster.add(member_of(doc, event), interval)
        event.cluster = cluster.id
        index.touch(cluster)
        touched[cluster.id] = cluster
    for doc in docs:
        for event in doc.events:
            if event.cluster in touched:
                inherit_date(event, touched[event.cluster], undated_document(doc))
        date_undated_document(doc, touched)
    return list(touched.values())


def report_interval(event: Event, doc: Document) -> Interval | None:
    """The days a report may be about (after marking it `planned` when its text dates it after the
    publication: an announced event's inferred days lie after the day of publication)."""
    mark_planned(event, doc.published)
    return day_interval(event.date, future=bool(NOT_HAPPENED & set(event.context)))


def mark_planned(event: Event, published: DateValue | None) -> None:
    """An event its own text dates after the day of publication has not taken place when the article was
    written ("talks will resume next Saturday", whatever the verb's tense): it is `planned`."""
    if event.negated or event.date is None or event.date.origin == INFERRED or PLANNED in event.context:
        return
    if published is None or not published.value or published.precision not in DAY_OR_FINER:
        return
    days, published_days = parse_calendar(event.date.value or ""), parse_calendar(published.value)
    if days is None or published_days is None:
        return
    if days[0] > published_days[1]:
        event.context.append(PLANNED)


def block_key(event: Event) -> BlockKey | None:
    """(type, actor ids) for an event that can be clustered: asserted, with an identified actor."""
    if event.negated or HYPOTHETICAL in event.context:
        return None
    # a state's negotiator added from elsewhere in the article does not make the talks another event
    actors = tuple(sorted((set(event.source) | set(event.target)) - delegates(event)))
    return (event.type, actors) if actors else None


def incomplete(event: Event) -> bool:
    """True when a participant is known only as a phrase ("ils", "his country")."""
    return len(event.source_spans) > len(event.source) or len(event.target_spans) > len(event.target)


def best_cluster(
    block: Sequence[EventCluster], event: Event, interval: Interval | None, doc: Document
) -> EventCluster | None:
    """The compatible cluster whose days are nearest the event's; else the only compatible cluster with no
    date at all. For an undated report: a cluster the same document's report of these actors already
    joined (an article tells one contact of a pair unless its dates say otherwise), else the only one
    that fits (its own unanchored words, "on Wednesday", may single it out)."""
    fitting = [c for c in block if c.accepts(event, interval)]
    if (
        interval is None
        and event.date is not None
        and event.date.evidence
        and names_a_day(doc, event.date.evidence)
    ):
        words = event.date.evidence
        fitting = [c for c in fitting if not read_to_the_day(c.date) or says_its_day(doc, words, c.date)]
        fitting = prefer_named_day(doc, words, fitting)
    if not fitting:
        return None
    dated = [c for c in fitting if c.window is not None]
    if interval is None:  # an undated report: only where it cannot be about another event
        own = [c for c in fitting if any(m.doc_id == doc.doc_id for m in c.members)]
        if len(own) == 1:
            return own[0]
        if dated:  # the one dated event it fits; clusters of undated reports name no other day
            return dated[0] if len(dated) == 1 else None
        return fitting[0] if len(fitting) == 1 else None
    if not dated:  # clusters of undated reports only: one that cannot be another event
        return fitting[0] if len(fitting) == 1 else None
    middle = centre(interval)
    return min(dated, key=lambda c: abs((centre(c.window) - middle).days) if c.window else 0)


def names_a_day(doc: Document, words: Span) -> bool:
    """True when words that needed a publication date name a day of the calendar ("Mittwoch", "3 марта"):
    they then tell which meeting a report is about. Words read from the publication date itself ("today",
    "this morning", "yesterday") move with it, a day for a day, and say nothing of the day: they rule out
    no cluster. Read against two successive anchors, a weekday or a date stays (or jumps a week or a
    year); a deictic word moves by exactly one day."""
    text = doc.text[words[0] : words[1]]
    read = [resolve_expression(text, doc.lang, DateValue(day.isoformat(), "day"))[0] for day in DEICTIC_TEST]
    try:
        first, second = (date.fromisoformat((value or "")[:10]) for value in read)
    except ValueError:
        return False
    return (second - first).days != 1


def prefer_named_day(doc: Document, words: Span, fitting: list[EventCluster]) -> list[EventCluster]:
    """Among dated clusters an undated report's words ("Mittwoch", "3 марта") fit, those read to a day
    the words name, when there are any: such a cluster was certainly on that day, where one known only
    to the month (or inferred from a publication) fits a weekday one time in seven. Clusters of undated
    reports stay, for the report's own article to be joined."""
    named = [c for c in fitting if says_its_day(doc, words, c.date)]
    if not named:
        return fitting
    return [c for c in fitting if c in named or c.window is None]


def says_its_day(doc: Document, words: Span, day: DateValue | None) -> bool:
    """True when an expression that needed a publication date ("Mittwoch", "3 марта") names `day`: read
    from the end of a week that ends on `day`, it resolves to `day` itself ("yesterday" never does)."""
    if day is None or not read_to_the_day(day):
        return False
    try:
        last = date.fromisoformat((day.value or "")[:10])
    except ValueError:
        return False
    anchor = DateValue((last + timedelta(days=WEEK - 1)).isoformat(), "day")
    value, _ = resolve_expression(doc.text[words[0] : words[1]], doc.lang, anchor)
    return value is not None and value[:10] == (day.value or "")[:10]


def read_to_the_day(day: DateValue | None) -> bool:
    """True for a date some report read in its text, to the day."""
    return day is not None and bool(day.value) and day.origin != INFERRED and day.precision == "day"


def cluster_id(key: BlockKey, doc_id: str, event_id: str) -> str:
    """Stable: made from the block and the founding report."""
    text = "|".join([key[0], *key[1], doc_id, event_id])
    return "C:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def evidence_sentence(text: str, span: Sequence[int] | None) -> str:
    """A member's evidence: its event's sentence in `text`, whitespace runs as one space, at most
    `EVIDENCE_CHARS`. The store keeps no copy of it and rebuilds it with this function."""
    if not span:
        return ""
    return " ".join(text[span[0] : span[1]].split())[:EVIDENCE_CHARS]


def member_of(doc: Document, event: Event) -> ClusterMember:
    return ClusterMember(
        doc_id=doc.doc_id,
        event_id=event.id,
        lang=doc.lang,
        date=event.date,
        sentence=evidence_sentence(doc.text, event.sentence),
        source=list(event.source),
        target=list(event.target),
        mode=event.mode,
        place=event.location,
        confidence=event.confidence,
        planned=bool(NOT_HAPPENED & set(event.context)),
    )


def places_compatible(a: str, b: str) -> bool:
    """Equal, one inside the other ("in der Türkei" and "in Istanbul" can be one meeting; Rome and
    Muscat cannot), or one a region the knowledge base gives no borders for ("Europe"), which
    contradicts no city or country. Cities' countries and regions come from the knowledge base."""
    if a == b or region(a) or region(b):
        return True
    return place_attrs(a).get("country") == b or place_attrs(b).get("country") == a


def region(place: str) -> bool:
    """A continent or other region of the knowledge base: no city or country is known to lie outside it."""
    return place_attrs(place).get("kind") == REGION


@lru_cache(maxsize=4096)
def place_attrs(place: str) -> dict[str, Any]:
    """The knowledge base's attributes of a place (its `kind`, a city's `country` id); empty for a
    place the knowledge base does not know, or without a knowledge base."""
    try:
        entity = KnowledgeBase.default().get(place)
    except (OSError, sqlite3.Error):
        return {}
    return dict(entity.attrs) if entity is not None else {}


def modes_compatible(a: str | None, b: str | None) -> bool:
    """Equal, one unknown, or both ways of meeting in person."""
    return a is None or b is None or a == b or (a not in REMOTE_MODES and b not in REMOTE_MODES)


def consensus_date(members: Sequence[ClusterMember]) -> DateValue | None:
    """The most precise date read in a report (the most reported among equals, then the earliest);
    else the earliest inferred one (the event came no later than its first report)."""
    read = Counter(
        (m.date.value, m.date.precision)
        for m in members
        if m.date and m.date.value and m.date.origin != INFERRED
    )
    if read:
        value, precision = max(
            read, key=lambda vp: (PRECISION_RANK.get(vp[1] or "", -1), read[vp], _earliness(vp[0]))
        )
        return DateValue(value, precision, None, "text")
    inferred = [m.date for m in members if m.date and m.date.value]
    if not inferred:
        return None
    first = min(inferred, key=lambda d: d.value or "")
    return DateValue(first.value, first.precision, None, INFERRED)


def _earliness(value: str | None) -> tuple[int, ...]:
    """Sort key under which earlier ISO dates rank higher."""
    return tuple(-ord(c) for c in value or "")


def inherit_date(event: Event, cluster: EventCluster, undated_doc: bool = False) -> None:
    """An event dated only by its publication (or by words that needed one) takes the date its cluster
    reads in other reports. In a document without a publication date, an event with no date at all
    also takes a date the cluster only inferred from its other reports' publication, when the cluster
    is a contact of two or more actors: the article reported the same contact, so it was written
    about when they were (still `inferred`)."""
    if event.date is not None and event.date.value and event.date.origin != INFERRED:
        return
    if cluster.date is None:
        return
    if cluster.date.origin == INFERRED and not (undated_doc and len(cluster.actors) >= 2):
        return  # a cluster of one actor says too little that two articles tell one contact
    event.date = DateValue(cluster.date.value, cluster.date.precision, None, INFERRED)
    if DATE_FROM_CLUSTER not in event.context:
        event.context.append(DATE_FROM_CLUSTER)


def undated_document(doc: Document) -> bool:
    """True when the document has no publication date to anchor its events."""
    return doc.published is None or not doc.published.value


def date_undated_document(doc: Document, clusters: dict[str, EventCluster]) -> None:
    """A document without a publication date whose contacts between two or more actors joined clusters
    that other documents date, all on one day, was written then: its other undated events (not
    announced for later) take that day, `inferred`, with "date-from-related-reports" in their context.
    Clusters of one actor say too little that two articles tell the same story; dates that
    disagree say nothing."""
    if not undated_document(doc):
        return
    days = set()
    for event in doc.events:
        cluster = clusters.get(event.cluster or "")
        if cluster is None or len(cluster.actors) < 2 or cluster.date is None or not cluster.date.value:
            continue
        if any(m.doc_id != doc.doc_id and m.date and m.date.value for m in cluster.members):
            days.add((cluster.date.value[:10], cluster.date.precision))
    if len(days) != 1:
        return
    value, precision = days.pop()
    for event in doc.events:
        dated = event.date is not None and bool(event.date.value)
        if event.negated or dated or NOT_HAPPENED & set(event.context):
            continue
        event.date = DateValue(value, "day" if precision in DAY_OR_FINER else precision, None, INFERRED)
        event.context.append(DATE_FROM_RELATED)
        cluster = clusters.get(event.cluster or "")
        if cluster is not None:  # the timeline built from clusters shows the same date
            for member in cluster.members:
                if member.doc_id == doc.doc_id and member.event_id == event.id:
                    member.date = event.date
            cluster.settle()
