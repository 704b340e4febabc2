"""Caller-given metadata: publication dates in ISO 8601 at the precision they were given."""

from __future__ import annotations

import re
from datetime import datetime

from newsgraph.model import DateValue

_ISO_8601 = re.compile(
    r"""(?P<year>\d{4})
        (?:-(?P<month>\d{2})
          (?:-(?P<day>\d{2})
            (?:[T\ ](?P<hour>\d{2})
              (?::(?P<minute>\d{2})(?::\d{2}(?:[.,]\d+)?)?)?
              (?:Z|[+-]\d{2}(?::?\d{2})?)?
            )?
          )?
        )?""",
    re.VERBOSE | re.ASCII,
)

_PARTS = ("year", "month", "day", "hour", "minute")  # the names of both the groups and the precisions
# ISO 8601 reduced precision (2023, 2023-11, 2023-11-01, 2023-11-01T15, 2023-11-01T15:03), by part count
_FORMATS = ("%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%dT%H", "%Y-%m-%dT%H:%M")


def parse_published(value: str) -> DateValue | None:
    """`2023-11-01` -> day, `2023-11-01T15:03:00+03:00` -> minute `2023-11-01T15:03`; None if not ISO 8601.

    The wall-clock time is kept and the UTC offset dropped: relative dates in the article
    ("yesterday", "вчера") count from the local date the outlet printed, which converting to UTC
    could move by a day.
    """
    match = _ISO_8601.fullmatch(value.strip())
    if match is None:
        return None
    given = [match[name] for name in _PARTS if match[name] is not None]
    value = "-".join(given[:3]) + ("T" + ":".join(given[3:]) if len(given) > 3 else "")
    try:
        datetime.strptime(value, _FORMATS[len(given) - 1])
    except ValueError:  # month 13, February 30, hour 25...
        return None
    return DateValue(value, _PARTS[len(given) - 1], None, origin="metadata")
