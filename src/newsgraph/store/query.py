"""Turning what a user types into safe SQL: full-text queries and publication-date ranges.

Search rules (the FTS5 query language is never exposed, so no input can be a syntax error):
- a word, several words in a row, or a quoted phrase that names an entity of the store (as
  `names(text)` finds it: any script, any inflection) also matches the entity's other names and
  forms as written in the stored articles: "Blinken" finds "Блинкена", "Ławrowem" finds "Lavrov";
  the hits are still ranked by plain full-text relevance. Without `names`, only the words typed;
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
from collections.abc import Callable, Iterable, Sequence
from datetime import date

_TERM = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')
_TOKENS = re.compile(r"\w+")  # roughly what unicode61 indexes: two forms with the same tokens are one


def _has_token(term: str) -> bool:
    # unicode61 indexes letters and numbers; a term of punctuation only would be an empty phrase
    return any(ch.isalnum() for ch in term)


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


NameForms = Callable[[str], Sequence[str]]
"""A name as typed -> the other names and forms of the entities it names (empty: it names none)."""

MAX_NAME_WORDS = 4  # the longest run of typed words looked up as one name ("Antony John Blinken")


def fts_query(user_query: str, names: NameForms | None = None) -> str | None:
    """The FTS5 MATCH expression for `user_query` (rules in the module docstring); None if it has no
    term. With `names`, a term that names an entity matches any of its forms (`term OR form ...`)."""
    parts: list[str] = []
    words: list[str] = []  # plain words in a row, looked up as names together

    def flush() -> None:
        parts.extend(_name_runs(words, names))
        words.clear()

    for match in _TERM.finditer(user_query):
        phrase, word = match["phrase"], match["word"]
        if phrase is not None:
            flush()
            if _has_token(phrase):
                parts.append(_alternatives(phrase, names(phrase) if names else ()))
            continue
        stem = word.rstrip("*")
        if not _has_token(stem):
            continue
        if stem != word:  # a prefix asks for its own endings: searched as typed
            flush()
            parts.append(_fts_string(stem) + "*")
        else:
            words.append(stem)
    flush()
    return " AND ".join(parts) or None


def _name_runs(words: Sequence[str], names: NameForms | None) -> list[str]:
    """The terms of plain words: the longest run from each word on that names an entity becomes one
    term with the entity's forms; a word that starts no such run is a term of its own."""
    out, i = [], 0
    while i < len(words):
        for n in range(min(MAX_NAME_WORDS, len(words) - i) if names else 1, 0, -1):
            text = " ".join(words[i : i + n])
            forms = names(text) if names else ()
            if forms or n == 1:
                out.append(_alternatives(text, forms))
                i += n
                break
    return out


def _alternatives(text: str, forms: Iterable[str]) -> str:
    """`"text"`, or `("text" OR "form" ...)`: each form a phrase, the same token sequence once."""
    seen, terms = set(), []
    for term in (text, *forms):
        key = " ".join(_TOKENS.findall(term.casefold()))
        if key and key not in seen:
            seen.add(key)
            terms.append(_fts_string(term))
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


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
