"""Resolving the fields of a time expression against the anchor (the publication date).

A date expression resolves to a period (first and last day) at a natural precision; its value is
the period's start written to the finest precision at which start and end agree, never finer than
the natural one: "la semaine dernière" inside one month is that month, "mi-2023" the year 2023.
A value that needs the anchor at a precision it does not have (a weekday when only the year of
publication is known) is None.

News reports the past: a bare weekday is the latest such day on or before the anchor ("mercredi"
in an article of Wednesday 2023-11-01 is that day), unless a future cue ("will", "prochain")
governs it. A day and month without a year take the year that puts them nearest the anchor, the
future counting `FUTURE_COST` times the past ("28 décembre" in January is the past December).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from newsgraph.model import PRECISIONS, DateValue
from newsgraph.times.fields import Fields

FUTURE_COST = 2.0  # a date in the future must be this much nearer than one in the past to be chosen
SHORT_YEAR_LEAD = 10  # "98" is the latest year ending in 98 no later than this many years after the anchor
_YEAR, _MONTH, _DAY, _HOUR, _MINUTE = range(5)
_WIDTHS = (4, 7, 10, 13, 16)  # characters of an ISO value at each precision
_FORMATS = ("%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%dT%H", "%Y-%m-%dT%H:%M")
_DURATION_UNITS = {
    "year": (1, "Y"),
    "month": (1, "M"),
    "week": (1, "W"),
    "day": (1, "D"),
    "decade": (10, "Y"),
    "century": (100, "Y"),
    "quarter": (3, "M"),
    "hour": (1, "TH"),
    "minute": (1, "TM"),
    "second": (1, "TS"),
}
Value = tuple[str | None, str | None]
"""(ISO 8601 value, precision), or (None, None) when the expression cannot be resolved."""

_UNIT_PRECISION = {
    "minute": _MINUTE,
    "hour": _HOUR,
    "day": _DAY,
    "week": _DAY,
    "weekend": _DAY,
    "month": _MONTH,
    "quarter": _MONTH,
    "year": _YEAR,
    "decade": _YEAR,
    "century": _YEAR,
}


@dataclass(frozen=True)
class Anchor:
    """The reference time: a datetime known to `precision` (an index into `PRECISIONS`)."""

    moment: datetime
    precision: int

    @classmethod
    def of(cls, published: DateValue | None) -> Anchor | None:
        if published is None or not published.value or published.precision not in PRECISIONS:
            return None
        precision = PRECISIONS.index(published.precision)
        try:
            moment = datetime.strptime(published.value[: _WIDTHS[precision]], _FORMATS[precision])
        except ValueError:
            return None
        return cls(moment, precision)

    def knows(self, precision: int) -> bool:
        return self.precision >= precision

    @property
    def day(self) -> date:
        return self.moment.date()


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    precision: int  # the natural precision: day for "hier", month for "début octobre"


def resolve(
    fields: Fields, anchor: Anchor | None, future: bool = False, context: date | None = None
) -> Value:
    """(value, precision) of an expression; `context` is the day a bare clock time belongs to."""
    kind = fields.kind
    if kind == "duration":
        return duration_value(fields), None
    if kind == "set":
        return None, None
    try:
        if fields.is_clock:
            return _clock(fields, anchor, future, context)
        period = _period(fields, anchor, future)
    except (ValueError, OverflowError):  # beyond the calendar: "5000 years ago", "30 février"
        return None, None
    return (None, None) if period is None else _write(period)


def duration_value(fields: Fields) -> str | None:
    """ISO 8601 duration of "three years" (P3Y), "two hours" (PT2H); None when the count is vague."""
    if fields.number is None or fields.unit not in _DURATION_UNITS:
        return None
    factor, letter = _DURATION_UNITS[fields.unit]
    amount = fields.number * factor
    text = str(int(amount)) if amount == int(amount) else f"{amount:g}"
    return f"PT{text}{letter[1]}" if letter.startswith("T") else f"P{text}{letter}"


# ---------------------------------------------------------------------------------------- periods
def _period(f: Fields, anchor: Anchor | None, future: bool) -> Period | None:
    if f.ref is not None:
        return _day(anchor.day) if f.ref == "present" and anchor and anchor.knows(_DAY) else None
    if f.direction is not None:
        return _offset(f, anchor)
    if f.year is not None or f.short_year is not None or f.month is not None:
        return _calendar(f, anchor, future)
    if anchor is None:
        return None
    if f.season is not None:  # "this summer", "l'hiver dernier": the year at most
        return _shifted_unit("year", f.shift, anchor) if f.shift is not None else None
    # "ce soir", "this morning": today
    offset = (
        0
        if f.day_offset is None and f.part is not None and f.shift == 0 and f.weekday is None
        else f.day_offset
    )
    if offset is not None:
        return _day(anchor.day + timedelta(days=offset)) if anchor.knows(_DAY) else None
    if f.weekday is not None:
        return _day(_weekday(f.weekday, f.shift, anchor.day, future)) if anchor.knows(_DAY) else None
    if f.unit is not None and (f.shift is not None or f.edge is not None):
        # "the end of the month", "fin de l'année": the current one
        return _shifted_unit(f.unit, f.shift or 0, anchor)
    if f.unit == "quarter" and f.ordinal is not None and anchor.knows(_MONTH):
        return _quarter(f.ordinal, anchor.day)
    return None


def _day(day: date) -> Period:
    return Period(day, day, _DAY)


def _calendar(f: Fields, anchor: Anchor | None, future: bool) -> Period | None:
    """Explicit year / month / day, completed from the anchor when the year is missing."""
    year = f.year if f.year is not None else _full_year(f.short_year, anchor)
    if (
        year is None
        and f.month is not None
        and anchor is not None
        and anchor.knows(_MONTH if f.day is None else _DAY)
    ):
        if f.unit == "year" and f.shift is not None:  # "June last year", "January this year"
            year = anchor.day.year + f.shift
        else:
            year = _infer_year(f.month, f.day, f.shift, anchor.day, future)
    if year is None:
        return None
    if f.month is None:
        return Period(date(year, 1, 1), date(year, 12, 31), _YEAR)
    if f.day is None:
        return Period(date(year, f.month, 1), _month_end(year, f.month), _MONTH)
    return _day(date(year, f.month, f.day))


def _full_year(short_year: int | None, anchor: Anchor | None) -> int | None:
    """ "98" -> 1998 in an article of 2003; the century needs the anchor."""
    if short_year is None or anchor is None:
        return None
    latest = anchor.day.year + SHORT_YEAR_LEAD
    return latest - (latest - short_year) % 100


def _infer_year(month: int, day: int | None, shift: int | None, today: date, future: bool) -> int | None:
    """The year of a day-month (or a month) without one: by its shift word, else nearest the anchor."""
    if shift == 0:
        return today.year
    candidates: list[tuple[int, int]] = []  # (signed distance from the anchor, year)
    for year in (today.year - 1, today.year, today.year + 1):
        if day is None:
            distance = (year * 12 + month) - (today.year * 12 + today.month)
        else:
            try:
                distance = (date(year, month, day) - today).days
            except ValueError:
                continue
        candidates.append((distance, year))
    if shift is not None:
        chosen = [c for c in candidates if (c[0] < 0 if shift < 0 else c[0] > 0)]
        return (max(chosen) if shift < 0 else min(chosen))[1] if chosen else None
    if future:
        ahead = [c for c in candidates if c[0] >= 0]
        return min(ahead)[1] if ahead else None
    if not candidates:
        return None
    return min(candidates, key=lambda c: -c[0] if c[0] <= 0 else c[0] * FUTURE_COST)[1]


def _weekday(weekday: int, shift: int | None, today: date, future: bool) -> date:
    """The day a weekday name points at, seen from `today`."""
    back = (today.isoweekday() - weekday) % 7
    ahead = (weekday - today.isoweekday()) % 7
    if shift == 0:  # "ce mardi", "this Sunday": the nearest such day, past or coming
        return today - timedelta(days=back) if back <= ahead else today + timedelta(days=ahead)
    if shift is not None and shift < 0:  # "vendredi dernier": strictly before
        return today - timedelta(days=back or 7)
    if shift is not None and shift > 0:  # "next Friday": strictly after
        return today + timedelta(days=ahead or 7)
    return today + timedelta(days=ahead) if future else today - timedelta(days=back)


def _offset(f: Fields, anchor: Anchor | None) -> Period | None:
    """ "three days ago", "через два года", "dans une semaine"."""
    if anchor is None or f.unit not in _UNIT_PRECISION or f.direction is None or f.vague:
        return None
    precision = _UNIT_PRECISION[f.unit]
    if not anchor.knows(min(precision, _DAY)):
        return None
    count = int(f.number) if f.number is not None else 1
    step = f.direction * count
    today = anchor.day
    if f.unit in ("day", "week", "weekend"):
        return _day(today + timedelta(days=step * (7 if f.unit != "day" else 1)))
    if f.unit in ("month", "quarter"):
        months = today.year * 12 + today.month - 1 + step * (3 if f.unit == "quarter" else 1)
        year, month = divmod(months, 12)
        return Period(date(year, month + 1, 1), _month_end(year, month + 1), _MONTH)
    if f.unit in ("year", "decade", "century"):
        year = today.year + step * {"year": 1, "decade": 10, "century": 100}[f.unit]
        return Period(date(year, 1, 1), date(year, 12, 31), _YEAR)
    return None  # hours and minutes ago: a clock time the article does not give


def _shifted_unit(unit: str, shift: int, anchor: Anchor) -> Period | None:
    """ "last week", "в этом месяце", "l'an prochain"."""
    today = anchor.day
    if unit == "day":
        return _day(today + timedelta(days=shift)) if anchor.knows(_DAY) else None
    if unit in ("week", "weekend") and anchor.knows(_DAY):
        monday = today - timedelta(days=today.isoweekday() - 1) + timedelta(weeks=shift)
        saturday = monday + timedelta(days=5)
        return Period(saturday if unit == "weekend" else monday, monday + timedelta(days=6), _DAY)
    if unit in ("month", "quarter") and anchor.knows(_MONTH):
        size = 3 if unit == "quarter" else 1
        start = (today.year * 12 + today.month - 1) // size * size + shift * size
        year, month = divmod(start, 12)
        last_year, last_month = divmod(start + size - 1, 12)
        return Period(date(year, month + 1, 1), _month_end(last_year, last_month + 1), _MONTH)
    if unit in ("year", "decade", "century"):
        size = {"year": 1, "decade": 10, "century": 100}[unit]
        first_year = today.year // size * size + shift * size
        return Period(date(first_year, 1, 1), date(first_year + size - 1, 12, 31), _YEAR)
    return None


def _quarter(ordinal: int, today: date) -> Period | None:
    """ "the third quarter": of the anchor's year if it has begun, else of the year before."""
    if not 1 <= ordinal <= 4:
        return None
    year = today.year if today.month >= 3 * ordinal - 2 else today.year - 1
    return Period(date(year, 3 * ordinal - 2, 1), _month_end(year, 3 * ordinal), _MONTH)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------------------------------- clock times
def _clock(f: Fields, anchor: Anchor | None, future: bool, context: date | None) -> Value:
    """ "21 h 45", "10 p.m. Wednesday": on the day named, else on the context's, else on the anchor's."""
    if f.hour is None:
        return None, None
    hour = f.hour % 12 + 12 if f.meridiem == "pm" else (f.hour % 12 if f.meridiem == "am" else f.hour)
    if hour > 23 or (f.minute or 0) > 59:
        return None, None
    dated = replace(f, hour=None, minute=None, meridiem=None, part=None)
    if dated != Fields():
        period = _period(dated, anchor, future)
        day = period.first if period is not None and period.precision == _DAY else None
    else:
        day = context if context is not None else (anchor.day if anchor and anchor.knows(_DAY) else None)
    if day is None:
        return None, None
    moment = datetime(day.year, day.month, day.day, hour, f.minute or 0)
    return moment.isoformat()[: _WIDTHS[_MINUTE]], PRECISIONS[_MINUTE]


def _write(period: Period) -> Value:
    """The period's start at the finest precision where its first and last day agree."""
    first, last = period.first, period.last
    if first.year != last.year:
        return None, None
    precision = _YEAR
    if first.month == last.month:
        precision = _MONTH if first.day != last.day else _DAY
    precision = min(precision, period.precision)
    return first.isoformat()[: _WIDTHS[precision]], PRECISIONS[precision]
