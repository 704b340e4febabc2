"""Reading a request's query string: every parameter is checked, and a bad one is a 400 that says
what to send instead. Values only ever reach SQL as bound parameters."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from newsgraph.ingest.metadata import parse_published

MAX_LIMIT = 200  # rows per page
MAX_OFFSET = 10_000  # deeper pages are refused: narrow the query instead
MAX_TEXT = 500  # characters of a text parameter
MAX_FIELDS = 32  # parameters in one query string
MAX_FRACTION_CHARS = 8  # "0.654321": a longer number is no threshold anyone types
PAGING = ("limit", "offset")


class ApiError(Exception):
    """A request that cannot be answered, with the status and a message saying what to do."""

    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, message)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    @property
    def window(self) -> int:
        """Rows to fetch from the start: this page and one more, to know whether another page follows."""
        return self.offset + self.limit + 1

    def payload(self, rows: Sequence[Any], skipped: int = 0, **extra: Any) -> dict[str, Any]:
        """The JSON shape of every list: `extra` fields, then `items` (this page of `rows`, which
        start at result number `skipped`), `limit`, `offset`, and `next_offset` (None on the last page)."""
        start = self.offset - skipped
        more = len(rows) > start + self.limit
        return {
            **extra,
            "items": list(rows[start : start + self.limit]),
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": self.offset + self.limit if more else None,
        }


class Params:
    """The query string of one request, restricted to the names an endpoint accepts."""

    def __init__(self, query: str, allowed: Collection[str], defaults: Mapping[str, float] | None = None):
        self.defaults = dict(defaults or {})  # server settings a parameter falls back to
        try:
            parsed = parse_qs(query, max_num_fields=MAX_FIELDS, errors="replace")
        except ValueError as exc:
            raise bad_request(f"too many query parameters ({exc}): send at most {MAX_FIELDS}") from exc
        unknown = sorted(set(parsed) - set(allowed))
        if unknown:
            known = ", ".join(sorted(allowed)) or "none"
            raise bad_request(f"unknown parameter {unknown[0]!r}: this endpoint takes {known}")
        self.values = {name: values[-1].strip() for name, values in parsed.items() if values[-1].strip()}

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is not None and len(value) > MAX_TEXT:
            raise bad_request(f"{name} is {len(value)} characters long: send at most {MAX_TEXT}")
        return value

    def choice(self, name: str, options: Sequence[str]) -> str | None:
        """One of `options`, matched without regard to case, returned as spelled in `options`."""
        value = self.text(name)
        if value is None:
            return None
        by_key = {option.casefold(): option for option in options}
        if value.casefold() not in by_key:
            raise bad_request(f"{name}={value!r} is not known: use one of {', '.join(options)}")
        return by_key[value.casefold()]

    def date(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None and parse_published(value) is None:
            raise bad_request(
                f"{name}={value!r} is not a date: send 2023, 2023-11, 2023-11-01 or 2023-11-01T15:03"
            )
        return value

    def number(self, name: str, default: int, low: int, high: int) -> int:
        value = self.values.get(name)
        if value is None:
            return default
        # a bounded digit string first: int() of a huge string is slow, and "+1_0" is not a number here
        digits = value.isascii() and value.isdigit() and len(value) <= len(str(high))
        if not digits or not low <= int(value) <= high:
            raise bad_request(
                f"{name}={value[:20]!r} is out of range: send a whole number from {low} to {high}"
            )
        return int(value)

    def fraction(self, name: str) -> float:
        """A number from 0 to 1 ("0.6"), else the server's setting for it (0 when it has none)."""
        value = self.values.get(name)
        if value is None:
            return float(self.defaults.get(name, 0.0))
        try:
            number = float(value) if len(value) <= MAX_FRACTION_CHARS else -1.0
        except ValueError:
            number = -1.0
        if not 0.0 <= number <= 1.0:
            raise bad_request(f"{name}={value[:20]!r} is out of range: send a number from 0 to 1, e.g. 0.6")
        return number

    def page(self, default_limit: int) -> Page:
        return Page(
            self.number("limit", default_limit, 1, MAX_LIMIT), self.number("offset", 0, 0, MAX_OFFSET)
        )
