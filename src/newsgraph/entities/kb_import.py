"""Import entities into a user knowledge base (a KB file that overlays the default one).

- `import_wikidata_dump(path, kb_path, types, languages)` streams a Wikidata JSON dump (`.json`,
  `.json.gz`, `.json.bz2`: one big JSON array with one entity per line) and keeps the items that
  are an instance of one of `types` (Wikidata class id -> entity type), with their labels and
  aliases in `languages` and their positions held (P39, dated by the qualifiers P580/P582) as roles.
- `import_alias_csv(path, kb_path)` adds names from a CSV with the columns `entity_id` or
  `wikidata`, `name`, `lang`, `type`.

An imported item already known (same Wikidata id, in the default KB or in the user KB) keeps
its entity id and gains names and roles; a new one gets `E:<slug of its name>`.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import json
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import IO, Any

from newsgraph.entities.kb import Alias, KBEntity, KBWriter, KnowledgeBase, Role, default_kb_path, entity_id
from newsgraph.entities.kb_build import BUILD_LANGUAGES

# Wikidata classes kept by default ("instance of", P31) and the entity type and kind they give.
DEFAULT_TYPES: dict[str, tuple[str, str]] = {
    "Q5": ("PER", "person"),  # human
    "Q6256": ("LOC", "country"),  # country
    "Q3624078": ("LOC", "country"),  # sovereign state
    "Q515": ("LOC", "city"),  # city
    "Q1549591": ("LOC", "city"),  # big city
    "Q43229": ("ORG", "organisation"),  # organization
    "Q484652": ("ORG", "organisation"),  # international organization
    "Q7278": ("ORG", "organisation"),  # political party
    "Q4830453": ("ORG", "organisation"),  # business
}
DEFAULT_LANGUAGES = BUILD_LANGUAGES
INSTANCE_OF, POSITION_HELD, START, END, ISO_ALPHA_2 = "P31", "P39", "P580", "P582", "P297"
WIKIDATA_SOURCE = "Wikidata dump {name} (CC0)"
# Past this many imported names, re-resolving the documents they may concern costs about as much as
# re-resolving the whole store, which is then done instead.
MAX_TRACKED_NAMES = 100_000
# Wikidata time precisions: 9 = year, 10 = month, 11 = day
YEAR, MONTH = 9, 10


@dataclass
class ImportStats:
    read: int = 0  # entities (or CSV rows) read
    imported: int = 0  # entities added or extended
    aliases: int = 0
    roles: int = 0
    # the names imported (up to MAX_TRACKED_NAMES; None past it): which stored documents an import
    # may change (`newsgraph.store.corrections.reresolve_names`); None means any of them
    names: set[str] | None = field(default_factory=set)

    def track(self, aliases: Iterable[Alias]) -> None:
        """Remember imported names, until there are too many to be worth it (a whole dump)."""
        if self.names is None:
            return
        self.names.update(a.name for a in aliases)
        if len(self.names) > MAX_TRACKED_NAMES:
            self.names = None


@dataclass(frozen=True)
class Position:
    """What a Wikidata position item (a P39 value) means as a role."""

    office: str
    country: str | None = None  # ISO code or entity id
    title: str | None = None


def default_positions() -> dict[str, Position]:
    """Position items with a known office (`newsgraph/kb/facts/wikidata_positions.toml`)."""
    path = Path(str(resources.files("newsgraph.kb") / "facts" / "wikidata_positions.toml"))
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        qid: Position(str(p["office"]), p.get("country"), p.get("title"))
        for qid, p in table.get("positions", {}).items()
    }


# ---------------------------------------------------------------------------------------------- dumps
def open_text(path: str | Path) -> IO[str]:
    """A text stream of a plain, gzip or bzip2 file (by its suffix)."""
    suffix = Path(path).suffix
    if suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    if suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def iter_dump(stream: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Entities of a Wikidata JSON dump: an array with one entity per line (JSON Lines also work)."""
    for line in stream:
        text = line.strip().rstrip(",")
        if text and text not in ("[", "]"):
            yield json.loads(text)


def _claim_ids(entity: dict[str, Any], prop: str) -> list[str]:
    out = []
    for claim in entity.get("claims", {}).get(prop, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and "id" in value:
            out.append(str(value["id"]))
    return out


def _claim_strings(entity: dict[str, Any], prop: str) -> list[str]:
    return [
        str(v)
        for c in entity.get("claims", {}).get(prop, [])
        if isinstance(v := c.get("mainsnak", {}).get("datavalue", {}).get("value"), str)
    ]


def wikidata_time(snak: dict[str, Any], last: bool) -> date | None:
    """A Wikidata time value as a date; a year or month stands for its first (or `last`) day."""
    value = snak.get("datavalue", {}).get("value")
    if not isinstance(value, dict) or "time" not in value:
        return None
    year, month, day = (int(part) for part in value["time"].lstrip("+").split("T")[0].split("-")[-3:])
    if year < 1 or value["time"].startswith("-"):  # before the common era: no role date
        return None
    precision = int(value.get("precision", 11))
    if precision <= YEAR or month == 0:
        return date(year, 12, 31) if last else date(year, 1, 1)
    if precision == MONTH or day == 0:
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1) if last else date(year, month, 1)
    return date(year, month, day)


def _qualifier_date(claim: dict[str, Any], prop: str, last: bool) -> date | None:
    snaks = claim.get("qualifiers", {}).get(prop, [])
    return wikidata_time(snaks[0], last) if snaks else None


def positions_held(
    entity: dict[str, Any],
    positions: Mapping[str, Position],
    source: str,
    country_id: Callable[[str], str | None],
) -> list[Role]:
    """P39 statements as roles; a position without a known office keeps its item id as office."""
    roles = []
    for claim in entity.get("claims", {}).get(POSITION_HELD, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if not isinstance(value, dict) or "id" not in value:
            continue
        qid = str(value["id"])
        position = positions.get(qid, Position(office=f"wikidata:{qid}"))
        roles.append(
            Role(
                position.office,
                country_id(position.country) if position.country else None,
                _qualifier_date(claim, START, last=False),
                _qualifier_date(claim, END, last=True),
                f"{source}, {qid}",
                position.title,
            )
        )
    return roles


def _names(entity: dict[str, Any], languages: frozenset[str]) -> list[Alias]:
    names = [
        Alias(label["value"], (lang,))
        for lang, label in entity.get("labels", {}).items()
        if lang in languages
    ]
    names += [
        Alias(alias["value"], (lang,))
        for lang, aliases in entity.get("aliases", {}).items()
        if lang in languages
        for alias in aliases
    ]
    return names


# ---------------------------------------------------------------------------------------------- ids
class _Ids:
    """Entity ids for imported items: known ones (user KB, default KB, this run) are kept."""

    def __init__(self, writer: KBWriter, base: KnowledgeBase):
        self.writer = writer
        self.base = base
        self.assigned: dict[str, str] = {}

    def for_wikidata(self, qid: str, name: str) -> str:
        if qid not in self.assigned:
            self.assigned[qid] = self.known(qid) or self._new(name, qid)
        return self.assigned[qid]

    def known(self, qid: str) -> str | None:
        mine = self.writer.id_for_wikidata(qid)
        if mine:
            return mine
        known = self.base.by_wikidata(qid)
        return known.id if known else None

    def _new(self, name: str, qid: str) -> str:
        eid = entity_id(name)
        taken = self.writer.has(eid) or self.base.get(eid) is not None or eid in self.assigned.values()
        return f"{eid}-{qid.lower()}" if taken else eid

    def country(self, ref: str) -> str | None:
        if ref.startswith("E:"):
            return ref
        polity = self.base.country(ref)
        return polity.id if polity else None


def _base(base: KnowledgeBase | None) -> KnowledgeBase:
    return base if base is not None else KnowledgeBase([default_kb_path()], [True])


# ---------------------------------------------------------------------------------------------- imports
def import_wikidata_dump(
    path: str | Path,
    kb_path: str | Path,
    types: Mapping[str, tuple[str, str]] | None = None,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    positions: Mapping[str, Position] | None = None,
    base: KnowledgeBase | None = None,
) -> ImportStats:
    """Stream a Wikidata dump into the KB file `kb_path` (created when missing); see the module doc.

    `types` maps a class id to (entity type, kind), default `DEFAULT_TYPES`; `positions` maps a
    position id to its office (default: `newsgraph/kb/facts/wikidata_positions.toml`); `base` is
    the KB whose ids are reused (default: the shipped default KB).
    """
    wanted = dict(types) if types is not None else DEFAULT_TYPES
    langs = frozenset(languages)
    offices = dict(positions) if positions is not None else default_positions()
    source = WIKIDATA_SOURCE.format(name=Path(path).name)
    stats = ImportStats()
    with KBWriter(kb_path) as writer, open_text(path) as stream:
        ids = _Ids(writer, _base(base))
        for item in iter_dump(stream):
            stats.read += 1
            classes = [wanted[c] for c in _claim_ids(item, INSTANCE_OF) if c in wanted]
            names = _names(item, langs)
            if not classes or not names:
                continue
            etype, kind = classes[0]
            label = item.get("labels", {}).get("en", {}).get("value") or names[0].name
            attrs: dict[str, Any] = {"kind": kind}
            iso = _claim_strings(item, ISO_ALPHA_2)
            if iso:
                attrs["iso2"] = iso[0]
            roles = positions_held(item, offices, source, ids.country)
            eid = ids.for_wikidata(item["id"], label)
            writer.add(KBEntity(eid, etype, label, item["id"], names, roles, attrs))
            stats.imported += 1
            stats.aliases += len(names)
            stats.roles += len(roles)
            stats.track(names)
    return stats


def import_alias_csv(path: str | Path, kb_path: str | Path, base: KnowledgeBase | None = None) -> ImportStats:
    """Add names from a CSV (columns `entity_id` or `wikidata`, `name`, `lang`, `type`) to `kb_path`.

    A row names a known entity by its id or Wikidata id; an unknown one becomes a new entity of
    the row's `type` (a row without a known entity or a type is an error, reported with its line).
    """
    stats = ImportStats()
    with KBWriter(kb_path) as writer, open(path, encoding="utf-8", newline="") as stream:
        ids = _Ids(writer, _base(base))
        for line, row in enumerate(csv.DictReader(stream), start=2):
            stats.read += 1
            clean = {k: (v or "").strip() for k, v in row.items()}
            _add_csv_row(clean, writer, ids, f"{path}:{line}")
            stats.imported += 1
            stats.aliases += 1
            stats.track([Alias(clean["name"], ())])
    return stats


def _add_csv_row(row: dict[str, str], writer: KBWriter, ids: _Ids, where: str) -> None:
    """One CSV name: added to the entity it names (copied from the base KB first), or a new entity."""
    name = row.get("name", "")
    if not name:
        raise ValueError(f"{where}: a row needs a name")
    alias = Alias(name, (row["lang"],) if row.get("lang") else ())
    qid = row.get("wikidata") or None
    eid = row.get("entity_id") or (ids.known(qid) if qid else None)
    if eid and writer.has(eid):
        writer.add_aliases(eid, [alias])
        return
    known = ids.base.get(eid) if eid else None
    if known is not None:
        writer.add(replace(known, aliases=[alias], roles=[]))
        return
    if not row.get("type"):
        raise ValueError(f"{where}: {name!r} names no known entity and has no type")
    new_id = eid or (ids.for_wikidata(qid, name) if qid else entity_id(name))
    attrs = {"kind": "person"} if row["type"] == "PER" else {}
    writer.add(KBEntity(new_id, row["type"], name, qid, [alias], attrs=attrs))
