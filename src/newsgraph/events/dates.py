"""Date values as day intervals, for comparing event dates of different precision and origin.

A date read at day precision stands for that day give or take one (time zones, "overnight",
reports filed after midnight); a month or a year for the whole of it. A date inferred from the
publication date says the event happened on or before it (within `INFERRED_DAYS`), or, for an
event announced for later, after it (within `FUTURE_DAYS`).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from newsgraph.model import DateValue

Interval = tuple[date, date]  # first and last day, both included
DAY_SLACK = 1
INFERRED_DAYS = 7
FUTURE_DAYS = 30
INFERRED = "inferred"
PRECISION_RANK = {"year": 0, "month": 1, "day": 2, "hour": 3, "minute": 4}
# event contexts that say the event was not reported as having taken place: announced ("future",
# "planned"), supposed ("conditional", "hypothetical") or the aim of another act ("intended": "came
# to Warsaw to meet Tusk"). A timeline shows such events apart, as planned; a date read for one is
# not moved into the past.
NOT_HAPPENED = frozenset({"future", "planned", "conditional", "hypothetical", "intended"})


def day_interval(value: DateValue | None, future: bool = False) -> Interval | None:
    """The days a date may stand for; None when it has no readable calendar value."""
    if value is None or not value.value:
        return None
    parsed = parse_calendar(value.value)
    if parsed is None:
        return None
    first, last = parsed
    if value.origin == INFERRED:
        if future:
            return last, last + timedelta(days=FUTURE_DAYS)
        return first - timedelta(days=INFERRED_DAYS), last + timedelta(days=DAY_SLACK)
    if first == last:
        return first - timedelta(days=DAY_SLACK), last + timedelta(days=DAY_SLACK)
    return first, last


def parse_calendar(text: str) -> Interval | None:
    """The first and last day of "YYYY", "YYYY-MM" or "YYYY-MM-DD[T…]"."""
    parts = text[:10].split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(parts[2]))
    except ValueError:
        return None
    return day, day


def overlap(a: Interval, b: Interval) -> Interval | None:
    """The days two intervals share; None when they share none."""
    first, last = max(a[0], b[0]), min(a[1], b[1])
    return (first, last) if first <= last else None


def centre(interval: Interval) -> date:
    return interval[0] + (interval[1] - interval[0]) / 2
