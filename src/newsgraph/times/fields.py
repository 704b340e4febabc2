"""What a matched time expression says, field by field, before it is resolved against an anchor."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from newsgraph.times.grammar import Grammar


@dataclass(frozen=True)
class Fields:
    """What the words of one expression say; every field is optional."""

    year: int | None = None
    short_year: int | None = None  # "octobre 98": the century comes from the anchor
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # ISO: Monday 1 ... Sunday 7
    day_offset: int | None = None  # "hier" -1, "сегодня" 0, "tomorrow" 1
    shift: int | None = None  # "last" -1, "this" 0, "next" 1
    unit: str | None = None  # day, week, weekend, month, quarter, year, decade, century, hour, minute, second
    number: float | None = None  # how many units
    vague: bool = False  # "a few", "plusieurs": a count of units of unknown size
    ordinal: int | None = None  # "the third quarter"
    direction: int | None = None  # "ago" -1, "later" / "через" +1
    edge: str | None = None  # early / mid / late: same value, at the period's precision
    season: str | None = None  # SP, SU, FA, WI: a year's value at most
    hour: int | None = None
    minute: int | None = None
    meridiem: str | None = None  # "am" / "pm"
    part: str | None = None  # part of the day ("soir", "вечером"): widens the span, not the value
    ref: str | None = None  # "now" present, "recently" past, "in the future" future
    every: bool = False  # "chaque jour", "each year": a set

    def merged(self, other: Fields) -> Fields | None:
        """Both expressions as one ("aujourd'hui, mardi"); None when they set a field differently."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if _unset(theirs) or mine == theirs:
                continue
            if not _unset(mine):
                return None
            changes[f.name] = theirs
        return replace(self, **changes)

    @property
    def is_clock(self) -> bool:
        return self.hour is not None

    @property
    def kind(self) -> str:
        if self.every:
            return "set"
        if (self.number is not None or self.vague) and self.direction is None and self.unit:
            return "duration"
        if self.hour is not None or self.part is not None:
            return "time"
        return "date"


def _unset(value: Any) -> bool:
    return value is None or value is False  # not `in (None, False)`: 0 == False, and 0 is "today"


# template group -> the field it sets; word groups take their value from the grammar's tables
_FIELD_OF = {
    "month": "month",
    "month_name": "month",
    "month_number": "month",
    "day": "day",
    "year": "year",
    "plain_year": "year",
    "short_year": "short_year",
    "weekday": "weekday",
    "dayrel": "day_offset",
    "shift": "shift",
    "this": "shift",
    "unit": "unit",
    "ordinal": "ordinal",
    "dir_before": "direction",
    "dir_after": "direction",
    "edge": "edge",
    "season": "season",
    "hour": "hour",
    "minute": "minute",
    "meridiem": "meridiem",
    "part": "part",
    "ref": "ref",
    "every": "every",
}
_NUMERIC = frozenset({"month_number", "day", "year", "plain_year", "short_year", "hour", "minute"})
_DIGITS = re.compile(r"\d+")
_NUMBER_WORD_SPLIT = re.compile(r"[\s-]+")


def decode(groups: dict[str, str | None], grammar: Grammar) -> Fields:
    """The fields named by a template match's groups."""
    changes: dict[str, Any] = {}
    for group, text in groups.items():
        if text is None:
            continue
        if group in ("number", "count"):
            changes.update(_count(text, grammar))
        elif group == "clock_word":
            hour, minute = str(grammar.value(group, text)).split(":")
            changes.update(hour=int(hour), minute=int(minute))
        elif group in _NUMERIC:
            changes[_FIELD_OF[group]] = int(_DIGITS.findall(text)[0])
        elif group in _FIELD_OF:
            value = grammar.value(group, text)
            changes[_FIELD_OF[group]] = True if group == "every" else value
    return Fields(**changes)


def _count(text: str, grammar: Grammar) -> dict[str, Any]:
    """ "3", "2,5", "twenty four", "a few" -> number (or vague, for words listed as `vague_number`)."""
    digits = text.replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return {"number": float(digits)}
    values = [grammar.value("number", text)]
    if not _is_number(values[0]):
        values = [grammar.value("number", part) for part in _NUMBER_WORD_SPLIT.split(text) if part]
    if values and all(_is_number(v) for v in values):
        return {"number": compose_number([float(v) for v in values])}
    return {"vague": True}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def compose_number(values: list[float]) -> float:
    """Number words in order -> their value: [20, 4] -> 24, [2, 1000] -> 2000, [100, 30] -> 130."""
    total, current = 0.0, 0.0
    for value in values:
        if value >= 100:
            current = max(current, 1.0) * value
            if value >= 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current
