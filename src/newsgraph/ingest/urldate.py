"""The publication date a page's address spells out: `/2024/03/08/`, `/2024-03-08-slug`, `/20240308/`.

Content systems put the day an article went live into its path (a folder per year, month and day,
or a date glued to the slug); the address is metadata the crawler hands over with the text, so it
is read like any other source and weighed against the text's own datelines. Only the path and the
query are read (a host name holds no date), and digits inside longer digit runs (article ids) are
never a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote, urlsplit

MIN_YEAR = 1995  # no news site published under a dated path before the web went mainstream
MAX_YEARS_AHEAD = 1  # a path dated further ahead is an id, not a day
_NO_DIGIT_BEFORE = r"(?<!\d)"
_NO_DIGIT_AFTER = r"(?!\d)"
# /2024/03/08/, /2024/3/8/, /2024-03-08-slug, /2024_03_08, ?date=2024.03.08: year first, one separator
_YMD = re.compile(
    _NO_DIGIT_BEFORE
    + r"(?P<y>(?:19|20)\d\d)(?P<sep>[/_.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    + _NO_DIGIT_AFTER
)
# /08-03-2024-slug, /08.03.2024: day first (the European slug form)
_DMY = re.compile(
    _NO_DIGIT_BEFORE
    + r"(?P<d>\d{1,2})(?P<sep>[/_.-])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)"
    + _NO_DIGIT_AFTER
)
# /20240308/, _08032024_: eight digits on their own, read as YYYYMMDD, else DDMMYYYY
_COMPACT = re.compile(_NO_DIGIT_BEFORE + r"(\d{8})" + _NO_DIGIT_AFTER)
# /2024/03/slug: a month folder only
_YM = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/")


@dataclass(frozen=True)
class UrlDate:
    """A date read from the address, at `day` or `month` precision, with the matched text."""

    value: str
    precision: str
    matched: str


def url_date(url: str | None, today: date | None = None) -> UrlDate | None:
    """The first full date in the address's path and query, else a year/month folder; None without one."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a malformed address (bad port, brackets) holds nothing we can trust
        return None
    where = unquote(parts.path) + ("?" + unquote(parts.query) if parts.query else "")
    limit = (today or date.today()).year + MAX_YEARS_AHEAD
    for year, month, day, text in _full_dates(where):
        valid = _valid(year, month, day, limit)
        if valid is not None:
            return UrlDate(valid.isoformat(), "day", text)
    for match in _YM.finditer(where):
        year, month = int(match["y"]), int(match["m"])
        if MIN_YEAR <= year <= limit and 1 <= month <= 12:
            return UrlDate(f"{year:04d}-{month:02d}", "month", match.group(0))
    return None


def _full_dates(where: str) -> list[tuple[int, int, int, str]]:
    """(year, month, day, text) of every year-month-day shape, in address order (the path's folders first)."""
    found = []
    for match in _YMD.finditer(where):
        found.append((match.start(), int(match["y"]), int(match["m"]), int(match["d"]), match.group(0)))
    for match in _DMY.finditer(where):
        found.append((match.start(), int(match["y"]), int(match["m"]), int(match["d"]), match.group(0)))
    for match in _COMPACT.finditer(where):
        digits = match.group(1)
        ymd = (int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        dmy = (int(digits[4:]), int(digits[2:4]), int(digits[:2]))
        for year, month, day in (ymd, dmy):
            found.append((match.start(), year, month, day, digits))
    ordered = sorted(found, key=lambda f: f[0])  # stable: YYYYMMDD before DDMMYYYY at one place
    return [(year, month, day, text) for _, year, month, day, text in ordered]


def _valid(year: int, month: int, day: int, limit: int) -> date | None:
    if not MIN_YEAR <= year <= limit:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
