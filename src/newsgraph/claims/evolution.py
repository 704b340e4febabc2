"""How a figure evolved: the claims of many articles folded into one row per distinct figure.

A casualty toll is reported again and again, in several languages, by several outlets, often with
the same number. An analyst wants the sequence of distinct figures: grouped by what is counted
(kind and unit), in date order (the claim's as-of date, else its article's publication date), one
row per (value, bound) with every outlet, source and date that gave it. Two articles repeating the
same figure are one row; the same sentence read twice is one claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsgraph.model import Claim


@dataclass(frozen=True)
class Reported:
    """One figure as an article reports it. `at` tells one report from another: the same `at` in the
    same document is the same sentence's figure listed again."""

    kind: str
    value: float | int
    bound: str
    date: str | None  # the as-of date, else the article's publication date
    doc_id: str
    at: tuple[object, ...]
    outlet: str | None = None
    source: str | None = None
    unit: str | None = None

    @classmethod
    def of_claim(cls, claim: Claim, doc_id: str, published: str | None, outlet: str | None) -> Reported:
        """A claim of an extracted document, with its article's publication date and outlet."""
        as_of = claim.as_of.value if claim.as_of is not None and claim.as_of.value else None
        return cls(
            claim.kind,
            claim.value,
            claim.bound,
            as_of or published,
            doc_id,
            (claim.start, claim.end),
            outlet,
            claim.attributed_to,
            claim.unit,
        )


@dataclass
class Figure:
    """One distinct figure of a series: its first date, and everyone who reported it."""

    kind: str
    unit: str | None
    value: float | int
    bound: str
    date: str | None
    outlets: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        """The figure as a flat record (JSON or CSV), lists kept in first-seen order."""
        return {
            "kind": self.kind,
            "unit": self.unit,
            "value": self.value,
            "bound": self.bound,
            "date": self.date,
            "outlets": self.outlets,
            "sources": self.sources,
            "dates": self.dates,
            "documents": self.documents,
        }


def evolution(items: list[Reported]) -> list[Figure]:
    """One row per distinct figure, grouped by kind and unit, each group in date order (undated last)."""
    seen: set[tuple[str, tuple[object, ...]]] = set()
    rows: dict[tuple[str, str | None, float | int, str], Figure] = {}
    for item in sorted(items, key=lambda r: (r.date is None, r.date or "", r.doc_id)):
        if (item.doc_id, item.at) in seen:
            continue  # the same figure of the same sentence, listed twice
        seen.add((item.doc_id, item.at))
        key = (item.kind, item.unit, item.value, item.bound)
        row = rows.setdefault(key, Figure(item.kind, item.unit, item.value, item.bound, item.date))
        _add(row.outlets, item.outlet)
        _add(row.sources, item.source)
        _add(row.dates, item.date)
        _add(row.documents, item.doc_id)
    return sorted(rows.values(), key=lambda f: (f.kind, f.unit or "", f.date is None, f.date or "", f.value))


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)
