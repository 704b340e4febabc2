"""An actor's timeline: the event clusters it takes part in, in date order.

`timeline(clusters, actor, with_actor, type, since, until, min_confidence)` keeps the clusters where
`actor` (and `with_actor`, when given) is a participant, of the given PLOVER type, whose days meet the
period [since, until] and whose best report is at least `min_confidence`; each becomes a
`TimelineRow` with the consensus date, the roles, how many documents and languages report it, and a
few evidence sentences (the most confident reports first). A row whose every report announces the
event for later is `planned`: it comes after the events that took place, with its intended date when
one was given, so an analyst never reads an announcement as a contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from newsgraph.events.cluster import EventCluster
from newsgraph.events.dates import Interval, parse_calendar
from newsgraph.model import DateValue

EVIDENCE = 3


@dataclass(frozen=True)
class TimelineRow:
    date: DateValue | None
    type: str
    mode: str | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    place: str | None
    reports: int
    languages: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (document id, sentence)
    cluster: str
    planned: bool = False
    confidence: float = 0.0

    def to_data(self) -> dict[str, object]:
        return {
            "date": self.date.to_record() if self.date else None,
            "type": self.type,
            "mode": self.mode,
            "source": list(self.source),
            "target": list(self.target),
            "place": self.place,
            "reports": self.reports,
            "languages": list(self.languages),
            "evidence": [{"doc_id": d, "sentence": s} for d, s in self.evidence],
            "cluster": self.cluster,
            "planned": self.planned,
            "confidence": self.confidence,
        }


def timeline(
    clusters: Iterable[EventCluster],
    actor: str,
    with_actor: str | None = None,
    type: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    min_confidence: float = 0.0,
) -> list[TimelineRow]:
    """The rows of `actor`'s events, earliest first, planned ones after those that took place; undated
    ones come last, and are left out when a period is given."""
    period = _period(since, until)
    rows = []
    for cluster in clusters:
        taking_part = cluster.participants
        if actor not in taking_part or (with_actor is not None and with_actor not in taking_part):
            continue
        if type is not None and cluster.type != type.upper():
            continue
        if period is not None and not _within(_days(cluster.date), period):
            continue
        if cluster.confidence < min_confidence:
            continue
        rows.append(row_of(cluster))
    return sorted(rows, key=_order)


def row_of(cluster: EventCluster) -> TimelineRow:
    best = sorted(cluster.members, key=lambda m: -m.confidence)
    evidence, seen = [], set()
    for member in best:
        if member.sentence and member.doc_id not in seen:
            seen.add(member.doc_id)
            evidence.append((member.doc_id, member.sentence))
    return TimelineRow(
        date=cluster.date,
        type=cluster.type,
        mode=cluster.mode,
        source=tuple(cluster.source),
        target=tuple(cluster.target),
        place=cluster.place,
        reports=cluster.reports,
        languages=tuple(cluster.languages),
        evidence=tuple(evidence[:EVIDENCE]),
        cluster=cluster.id,
        planned=cluster.planned,
        confidence=cluster.confidence,
    )


def _period(since: str | date | None, until: str | date | None) -> Interval | None:
    if since is None and until is None:
        return None
    first = _bound(since, last=False) or date.min
    last = _bound(until, last=True) or date.max
    return first, last


def _bound(value: str | date | None, last: bool) -> date | None:
    """A period bound: a date, or an ISO year/month/day (a month's bound is its first or last day)."""
    if value is None or isinstance(value, date):
        return value
    days = parse_calendar(value)
    if days is None:
        raise ValueError(f"not a date: {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
    return days[1] if last else days[0]


def _within(days: Interval | None, period: Interval) -> bool:
    return days is not None and days[0] <= period[1] and period[0] <= days[1]


def _days(value: DateValue | None) -> Interval | None:
    """The calendar days a date names (no slack: a period filter is taken literally)."""
    return parse_calendar(value.value) if value is not None and value.value else None


def _order(row: TimelineRow) -> tuple[bool, int, date, str]:
    days = _days(row.date)
    return (row.planned, 0, days[0], row.type) if days else (row.planned, 1, date.max, row.type)
