"""Turning what a user types into safe SQL: full-text queries and publication-date ranges.

Search rules (the FTS5 query language is never exposed, so no input can be a syntax error):
- words are separated by spaces and all must match (AND), in the title or the body;
- matching ignores case and Latin diacritics ("israel" finds "Israël");
- a word matches whole words only; end it with `*` to match any word it begins
  (`Блинкен*` finds "Блинкена", "Блинкену");
- text in double quotes is a phrase: its words must appear in that order, next to each other;
  an unclosed quote runs to the end of the query;
- every other character (`- ( ) : ^ + AND OR NOT NEAR`, ...) is an ordinary character: operator
  words are searched as words, punctuation separates words; terms with no letter or digit are dropped.
"""

from __future__ import annotations

import re
from datetime import date

_TERM = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')


def _has_token(term: str) -> bool:
    # unicode61 indexes letters and numbers; a term of punctuation only would be an empty phrase
    return any(ch.isalnum() for ch in term)


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(user_query: str) -> str | None:
    """The FTS5 MATCH expression for `user_query` (rules in the module docstring); None if it has no term."""
    parts = []
    for match in _TERM.finditer(user_query):
        phrase, word = match["phrase"], match["word"]
        if phrase is not None:
            if _has_token(phrase):
                parts.append(_fts_string(phrase))
            continue
        stem = word.rstrip("*")
        if _has_token(stem):
            parts.append(_fts_string(stem) + ("*" if stem != word else ""))
    return " ".join(parts) or None


DateBound = str | date
"""An ISO 8601 date or datetime (`2023`, `2023-11`, `2023-11-01`, `2023-11-01T15:03`), or a date/datetime."""


def iso(bound: DateBound) -> str:
    return bound.isoformat() if isinstance(bound, date) else bound.strip()


def published_filter(
    since: DateBound | None, until: DateBound | None, column: str = "published"
) -> tuple[str, list[str]]:
    """SQL condition (and its parameters) keeping documents whose publication overlaps [since, until].

    Both bounds are inclusive and compared at the coarser of the two precisions: `until="2023-11"`
    keeps everything published in November, and a document dated only "2023-11" is kept by
    `since="2023-11-20"`. Times are compared as written (local wall-clock time). Documents
    without a publication date are left out whenever a bound is given.
    """
    conditions, params = [], []
    if since is not None:
        start = iso(since)
        # the first test can use the index on `published`; the second is the exact overlap
        conditions.append(
            f"{column} >= ? AND substr({column}, 1, length(?)) >= substr(?, 1, length({column}))"
        )
        params += [start[:4], start, start]
    if until is not None:
        end = iso(until)
        conditions.append(
            f"{column} <= ? AND substr({column}, 1, length(?)) <= substr(?, 1, length({column}))"
        )
        params += [end + "\uffff", end, end]
    return " AND ".join(conditions) or "1", params
