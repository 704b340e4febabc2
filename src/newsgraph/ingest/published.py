"""Which of the dates a page offers is the article's own publication date, and why the others lost.

A page can carry several dates: the caller's metadata, the HTML metadata (htmldate), the address
(`/2024/03/08/`), datelines in the text. Some are not the article's: a site clock printed above the
headline (sometimes a stale one from an earlier year), an update stamp, a related link's date.
The caller's metadata always wins. Otherwise each candidate is scored by its source, its place
(above the headline is the site's furniture, under it the article's), its cue ("Published" or
"Updated") and its agreement with the other sources and with the full dates the article itself
mentions; among the candidates that name the winning day, the most precise one is kept (a dateline
with a time beats the address's day). Every other candidate is recorded in `rejected` with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from newsgraph.ingest.dateline import Dateline
from newsgraph.ingest.urldate import url_date
from newsgraph.model import PRECISIONS, DateValue, Span

# source weights: how often each source names the article's own day when it names one
URL_DAY, URL_MONTH, HTML, TEXT = 3.0, 1.0, 2.5, 2.0
PUBLISHED_CUE = 1.5  # "Publié le", "Опубликовано": an explicit stamp outweighs the address's day
UPDATED_CUE = -1.5  # an update stamp is the article's, but not its publication
ABOVE_TITLE = -2.0  # a date above the headline belongs to the site (clock, ticker), not the article
AGREEMENT = 2.0  # per other source naming the same day
MENTION_SUPPORT, MAX_MENTION_SUPPORT = 0.5, 1.5  # per full date in the text shortly before the candidate
MENTION_WINDOW_DAYS = 60  # a news article's explicit dates are recent: this many days before publication
MENTION_GRACE_DAYS = 2  # ... or announced for the next day or two


@dataclass(frozen=True)
class Candidate:
    """One date a page offers for its publication."""

    value: str
    precision: str
    origin: str  # "html", "url", "text"
    evidence: Span | None = None
    line: int | None = None  # the line of a text candidate
    updated: bool = False
    cued: bool = False

    @property
    def day(self) -> str:
        return self.value[:10]

    def record(self, reason: str) -> dict[str, Any]:
        """The candidate as a `rejected` entry."""
        evidence = list(self.evidence) if self.evidence else None
        return {
            "value": self.value,
            "precision": self.precision,
            "origin": self.origin,
            "evidence": evidence,
            "reason": reason,
        }


def candidates(given: DateValue | None, url: str | None, datelines: Sequence[Dateline]) -> list[Candidate]:
    """The page's dates other than the caller's: its HTML metadata, its address, its datelines."""
    out = []
    if given is not None and given.origin == "html" and given.value:
        out.append(Candidate(given.value, given.precision or "day", "html"))
    found = url_date(url)
    if found is not None:
        out.append(Candidate(found.value, found.precision, "url"))
    for d in datelines:
        out.append(Candidate(d.value, d.precision, "text", d.evidence, d.index, d.updated, d.cued))
    return out


def choose_published(
    given: DateValue | None,
    found: Sequence[Candidate],
    title_line: int | None,
    mentions: Sequence[str],
) -> DateValue | None:
    """The article's publication date among `found` (the caller's metadata wins), losers in `rejected`.

    `title_line` is the headline's line index (None when the text has none); `mentions` are the ISO
    days of the full dates the text mentions outside its datelines.
    """
    if given is not None and given.origin == "metadata":
        rejected = [c.record("the caller's metadata wins") for c in found]
        return DateValue(given.value, given.precision, given.evidence, given.origin, rejected)
    if not found:
        return given
    scores = {c: score(c, found, title_line, mentions) for c in found}
    best = max(found, key=lambda c: (scores[c], -(c.line if c.line is not None else -1)))
    chosen = max(
        (c for c in found if _same_day(c, best) and not c.updated),
        key=lambda c: (PRECISIONS.index(c.precision), c.evidence is not None),
        default=best,
    )
    rejected = [c.record(_reason(c, chosen, title_line, scores)) for c in found if c is not chosen]
    return DateValue(chosen.value, chosen.precision, chosen.evidence, chosen.origin, rejected)


def score(c: Candidate, found: Sequence[Candidate], title_line: int | None, mentions: Sequence[str]) -> float:
    """How much the page's evidence says `c` is the article's own date."""
    if c.origin == "url":
        total = URL_DAY if c.precision == "day" else URL_MONTH
    elif c.origin == "html":
        total = HTML
    else:
        total = TEXT + (PUBLISHED_CUE if c.cued else 0.0) + (UPDATED_CUE if c.updated else 0.0)
        if _above_title(c, title_line):
            total += ABOVE_TITLE
    total += AGREEMENT * len({o.origin for o in found if o.origin != c.origin and _same_day(o, c)})
    return total + min(MAX_MENTION_SUPPORT, MENTION_SUPPORT * _supporting(c, mentions))


def _same_day(a: Candidate, b: Candidate) -> bool:
    """Same day, or same month when one of them only names a month (an address's month folder)."""
    size = min(len(a.day), len(b.day))
    return a.day[:size] == b.day[:size]


def _above_title(c: Candidate, title_line: int | None) -> bool:
    return c.line is not None and title_line is not None and c.line < title_line


def _supporting(c: Candidate, mentions: Sequence[str]) -> int:
    """The text's full dates that fall in the weeks before `c` (a stale clock gets none)."""
    if c.precision not in ("day", "hour", "minute"):
        return 0
    when = date.fromisoformat(c.day)
    count = 0
    for day in mentions:
        delta = (when - date.fromisoformat(day)).days
        count += -MENTION_GRACE_DAYS <= delta <= MENTION_WINDOW_DAYS
    return count


def _reason(c: Candidate, chosen: Candidate, title_line: int | None, scores: dict[Candidate, float]) -> str:
    if _same_day(c, chosen):
        return "update stamp of the same day" if c.updated else "same day, less precise or later"
    versus = f"disagrees with the {chosen.origin} date (score {scores[c]:.1f} against {scores[chosen]:.1f})"
    if _above_title(c, title_line):
        return f"above the headline (site clock or ticker); {versus}"
    if c.updated:
        return f"update stamp; {versus}"
    return versus
