"""The knowledge base: the shipped default KB, role resolution by date, imports into a user KB."""

from __future__ import annotations

import bz2
import gzip
import json
import time
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsgraph.entities.kb import (
    Alias,
    KBEntity,
    KBWriter,
    KnowledgeBase,
    Role,
    default_kb_path,
    keys_version,
    user_kb_path,
)
from newsgraph.entities.kb_build import facts_dir, parse_day, read_facts
from newsgraph.entities.kb_import import Position, import_alias_csv, import_wikidata_dump

OFFICES = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "vice_president",
    "foreign_ministry_spokesperson",
    "national_security_adviser",
    "secretary_general",
    "director_general",
    "leader",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase([default_kb_path()], [True])


def top(kb: KnowledgeBase, name: str, lang: str | None, type: str | None = None) -> str:
    found = kb.candidates(name, lang, type)
    assert found, f"no candidate for {name!r}"
    return found[0].entity.id


# ---------------------------------------------------------------------------------------------- default KB
def test_default_kb_is_small_loads_fast_and_matches_the_current_rules() -> None:
    assert default_kb_path().stat().st_size < 30_000_000
    start = time.perf_counter()
    fresh = KnowledgeBase([default_kb_path()], [True])
    assert fresh.get("E:israel") is not None
    assert time.perf_counter() - start < 1.0
    version = fresh.sources[0].rows("SELECT value FROM meta WHERE key = 'keys_version'")[0][0]
    assert version == keys_version(), "name-key rules changed: run scripts/build_kb.py"


@pytest.mark.parametrize(
    ("names", "entity"),
    [
        (
            [
                ("Israël", "fr"),
                ("Israel", "en"),
                ("Израиль", "ru"),
                ("Израиля", "ru"),
                ("Izrael", "pl"),
                ("Ізраїлю", "uk"),
                ("ישראל", "he"),
            ],
            "E:israel",
        ),
        (
            [
                ("États-Unis", "fr"),
                ("США", "ru"),
                ("Соединенных Штатов Америки", "ru"),
                ("the U.S.", "en"),
                ("USA", None),
                ("Stany Zjednoczone", "pl"),
                ("САЩ", "bg"),
                ("Vereinigten Staaten", "de"),
            ],
            "E:united-states",
        ),
        (
            [("Gaza", "fr"), ("bande de Gaza", "fr"), ("Gaza Strip", "en"), ("секторе Газа", "ru")],
            "E:gaza-strip",
        ),
        ([("ХАМАСа", "ru"), ("Hamas", "fr")], "E:hamas"),
        ([("ООН", "ru"), ("ONU", "fr"), ("United Nations", "en")], "E:united-nations"),
        (
            [("Великобритания", "bg"), ("Royaume-Uni", "fr"), ("UK", "en"), ("Wielkiej Brytanii", "pl")],
            "E:united-kingdom",
        ),
    ],
)
def test_names_in_many_languages_resolve_to_one_entity(
    kb: KnowledgeBase, names: list[tuple[str, str | None]], entity: str
) -> None:
    for name, lang in names:
        assert top(kb, name, lang) == entity, name


@pytest.mark.parametrize(
    ("name", "lang", "entity"),
    [
        ("Блинкена", "ru", "E:antony-blinken"),
        ("Blinken", "fr", "E:antony-blinken"),
        ("Galante", "en", "E:yoav-gallant"),
        ("Йоав Галант", "ru", "E:yoav-gallant"),
        ("Исааком Герцогом", "ru", "E:isaac-herzog"),
        ("Нетаньяху", "ru", "E:benjamin-netanyahu"),
        ("Kuleba", "en", "E:dmytro-kuleba"),
        ("Зеленського", "uk", "E:volodymyr-zelenskyy"),
        ("Zełenskiego", "pl", "E:volodymyr-zelenskyy"),
        ("Ashkenazi", "fr", "E:gabi-ashkenazi"),
    ],
)
def test_people_are_found_from_any_spelling(kb: KnowledgeBase, name: str, lang: str, entity: str) -> None:
    assert top(kb, name, lang, "PER") == entity


def test_candidates_put_exact_names_first_and_filter_by_type(kb: KnowledgeBase) -> None:
    found = kb.candidates("Israel", "en")
    assert found[0].entity.id == "E:israel" and found[0].kind == "exact"
    assert all(c.entity.type == "PER" for c in kb.candidates("Israel", "en", type="PER"))
    assert kb.candidates("Qxzvbn", "en") == []


def test_an_entity_has_its_names_roles_and_document_view(kb: KnowledgeBase) -> None:
    blinken = kb.get("E:antony-blinken")
    assert blinken is not None and blinken.wikidata == "Q7167" and blinken.type == "PER"
    assert blinken.label("ru") == "Энтони Блинкен"
    role = next(r for r in blinken.roles if r.office == "foreign_minister")
    assert (role.country, role.start, role.end) == ("E:united-states", date(2021, 1, 26), date(2025, 1, 20))
    assert role.source and role.title == "secretary_of_state"
    assert role.held_on(date(2025, 1, 20)) and not role.held_on(date(2025, 1, 21))
    view = blinken.to_entity()
    assert view.id == "E:antony-blinken" and "Энтони Блинкен" in view.aliases
    assert kb.by_wikidata("Q7167") == blinken
    assert kb.get("E:nobody") is None


@pytest.mark.parametrize(
    ("office", "country", "on", "holder"),
    [
        ("foreign_minister", "US", date(2023, 11, 1), "E:antony-blinken"),
        ("foreign_minister", "United States", date(2025, 6, 1), "E:marco-rubio"),
        ("head_of_government", "IL", date(2024, 1, 9), "E:benjamin-netanyahu"),
        ("head_of_government", "E:israel", date(2022, 1, 1), "E:naftali-bennett"),
        ("head_of_state", "Израиль", date(2023, 5, 1), "E:isaac-herzog"),
        ("defence_minister", "IL", date(2024, 10, 23), "E:yoav-gallant"),
        ("defence_minister", "IL", date(2025, 3, 1), "E:israel-katz"),
        ("foreign_minister", "IL", date(2021, 2, 9), "E:gabi-ashkenazi"),
        ("foreign_minister", "UA", date(2023, 1, 1), "E:dmytro-kuleba"),
        ("defence_minister", "US", date(2023, 11, 3), "E:lloyd-austin"),
        ("head_of_state", "SA", date(2025, 1, 1), "E:salman-of-saudi-arabia"),  # a snapshot erratum
    ],
)
def test_holders_of_an_office_on_a_date(
    kb: KnowledgeBase, office: str, country: str, on: date, holder: str
) -> None:
    assert [e.id for e in kb.holders(office, country, on)][:1] == [holder]


def test_world_leaders_snapshot_closes_older_open_roles(kb: KnowledgeBase) -> None:
    starmer = kb.get("E:keir-starmer")
    assert starmer is not None
    role = next(r for r in starmer.roles if r.office == "head_of_government")
    assert role.end is not None and role.end > date(2024, 7, 5)
    assert kb.holders("head_of_government", "GB", role.end)[0].id == "E:keir-starmer"


@pytest.mark.parametrize(
    ("phrase", "lang", "office", "country"),
    [
        ("secrétaire d'État américain", "fr", "foreign_minister", "E:united-states"),
        ("госсекретарь США", "ru", "foreign_minister", "E:united-states"),
        ("the Israeli Prime Minister", "en", "head_of_government", "E:israel"),
        ("ministre israélien de la Défense", "fr", "defence_minister", "E:israel"),
        ("chef du ministère de la Défense d’Israël", "fr", "defence_minister", "E:israel"),
        ("президента Израиля", "ru", "head_of_state", "E:israel"),
        ("міністр закордонних справ України", "uk", "foreign_minister", "E:ukraine"),
        ("israelische Verteidigungsminister", "de", "defence_minister", "E:israel"),
        ("ministra spraw zagranicznych Rosji", "pl", "foreign_minister", "E:russia"),
        # Iran's Supreme Leader is its head of state; its president heads the government
        ("the Iranian president", "en", "head_of_government", "E:iran"),
        ("secrétaire général de l'ONU", "fr", "secretary_general", "E:united-nations"),
        ("Prime Minister", "en", "head_of_government", None),
    ],
)
def test_role_phrases(kb: KnowledgeBase, phrase: str, lang: str, office: str, country: str | None) -> None:
    assert kb.role_phrase(phrase, lang) == (office, country)


def test_role_phrase_and_date_give_the_holder(kb: KnowledgeBase) -> None:
    office, country = kb.role_phrase("secrétaire d'État américain", "fr") or ("", None)
    assert [e.id for e in kb.holders(office, country, date(2023, 11, 1))] == ["E:antony-blinken"]
    assert [e.id for e in kb.holders(office, country, date(2025, 6, 1))] == ["E:marco-rubio"]
    assert kb.role_phrase("a long sunny afternoon", "en") is None


# ---------------------------------------------------------------------------------------------- facts
def test_every_recorded_role_is_dated_sourced_and_ordered() -> None:
    entries = read_facts(facts_dir())
    roles = [(e["name"], r) for e in entries for r in e.get("roles", [])]
    assert len(roles) > 100
    for name, role in roles:
        assert role["office"] in OFFICES, name
        start, end = parse_day(role.get("start"), last=False), parse_day(role.get("end"), last=True)
        assert start is not None and (end is None or start <= end), name
    assert all(e.get("source") for e in entries)
    errata = tomllib.loads((facts_dir() / "world_leaders_errata.toml").read_text(encoding="utf-8"))
    assert all(e.get("source") and e.get("reason") for e in errata["world_leaders_erratum"])


def test_month_dates_stand_for_their_first_or_last_day() -> None:
    assert parse_day("2023-05", last=False) == date(2023, 5, 1)
    assert parse_day("2024-02", last=True) == date(2024, 2, 29)
    assert parse_day("2021-01-26", last=True) == date(2021, 1, 26)


# ---------------------------------------------------------------------------------------------- imports
def wd_item(
    qid: str,
    labels: dict[str, str],
    classes: list[str],
    aliases: dict[str, list[str]] | None = None,
    positions: list[tuple[str, str | None, str | None]] | None = None,
) -> dict[str, Any]:
    """A Wikidata item as the JSON dump writes it (only the parts the importer reads)."""

    def item_snak(prop: str, value: str) -> dict[str, Any]:
        return {
            "snaktype": "value",
            "property": prop,
            "datavalue": {
                "type": "wikibase-entityid",
                "value": {"entity-type": "item", "id": value, "numeric-id": int(value[1:])},
            },
        }

    def time_snak(prop: str, day: str) -> dict[str, Any]:
        precision = 11 if len(day) == 10 else 9
        stamp = f"+{day}T00:00:00Z" if precision == 11 else f"+{day}-00-00T00:00:00Z"
        return {
            "snaktype": "value",
            "property": prop,
            "datavalue": {"type": "time", "value": {"time": stamp, "precision": precision}},
        }

    held = []
    for position, start, end in positions or []:
        qualifiers = {p: [time_snak(p, d)] for p, d in (("P580", start), ("P582", end)) if d}
        held.append({"mainsnak": item_snak("P39", position), "type": "statement", "qualifiers": qualifiers})
    return {
        "type": "item",
        "id": qid,
        "labels": {lang: {"language": lang, "value": v} for lang, v in labels.items()},
        "aliases": {
            lang: [{"language": lang, "value": v} for v in vs] for lang, vs in (aliases or {}).items()
        },
        "claims": {
            "P31": [{"mainsnak": item_snak("P31", c), "type": "statement"} for c in classes],
            "P39": held,
        },
    }


ITEMS = [
    wd_item(
        "Q1000001",
        {"en": "Mira Castellane", "ru": "Мира Кастеллан", "ja": "ミラ"},
        ["Q5"],
        aliases={"fr": ["M. Castellane"]},
        positions=[("Q14213", "2031-02-01", "2033-06-30"), ("Q999999", "2029", None)],
    ),
    wd_item("Q1000002", {"en": "Port Aldine", "fr": "Port-Aldine"}, ["Q515"]),
    wd_item("Q1000003", {"en": "Lantern Coalition", "de": "Laternenbund"}, ["Q43229"]),
    wd_item("Q1000004", {"en": "A painting of a lantern"}, ["Q3305213"]),
    wd_item("Q7167", {"en": "Antony Blinken", "sl": "Antony Blinken", "ru": "Энтони Джон Блинкен"}, ["Q5"]),
]


def write_dump(path: Path, items: list[dict[str, Any]]) -> Path:
    """A dump the way Wikidata writes it: a JSON array, one entity per line, trailing commas."""
    lines = [
        "[",
        *(json.dumps(item, ensure_ascii=False) + "," for item in items[:-1]),
        json.dumps(items[-1], ensure_ascii=False),
        "]",
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data)
    elif path.suffix == ".bz2":
        data = bz2.compress(data)
    path.write_bytes(data)
    return path


def test_import_wikidata_dump_adds_typed_entities_names_and_dated_roles(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "latest-all.json.gz", ITEMS)
    user = tmp_path / "user.sqlite"
    secretary_of_state = Position("foreign_minister", "US", "secretary_of_state")
    stats = import_wikidata_dump(
        dump, user, languages=("en", "fr", "ru", "de", "sl"), positions={"Q14213": secretary_of_state}
    )
    assert (stats.read, stats.imported, stats.roles) == (5, 4, 2)
    kb = KnowledgeBase([default_kb_path(), user], [True, False])
    mira = kb.get("E:mira-castellane")
    assert mira is not None and mira.type == "PER" and mira.wikidata == "Q1000001"
    assert {a.name for a in mira.aliases} >= {"Mira Castellane", "Мира Кастеллан", "M. Castellane"}
    assert "ミラ" not in {a.name for a in mira.aliases}  # a language not asked for
    assert top(kb, "Кастеллан", "ru", "PER") == "E:mira-castellane"
    assert kb.holders("foreign_minister", "US", date(2032, 1, 1))[0].id == "E:mira-castellane"  # latest start
    unknown = next(r for r in mira.roles if r.office == "wikidata:Q999999")
    assert (unknown.start, unknown.end, unknown.country) == (date(2029, 1, 1), None, None)
    assert kb.get("E:port-aldine") is not None and kb.get("E:lantern-coalition") is not None
    assert top(kb, "Laternenbund", "de") == "E:lantern-coalition"
    assert kb.get("E:a-painting-of-a-lantern") is None  # not an instance of a wanted class
    blinken = kb.get("E:antony-blinken")  # a known item keeps its id and gains names
    assert blinken is not None and "Энтони Джон Блинкен" in {a.name for a in blinken.aliases}
    assert any(r.office == "foreign_minister" for r in blinken.roles)


@pytest.mark.parametrize("suffix", [".json", ".json.bz2"])
def test_import_reads_plain_and_bzip2_dumps(tmp_path: Path, suffix: str) -> None:
    dump = write_dump(tmp_path / f"dump{suffix}", ITEMS[:2])
    stats = import_wikidata_dump(dump, tmp_path / "user.sqlite", languages=("en",), positions={})
    assert stats.imported == 2


def test_import_alias_csv_extends_known_entities_and_creates_new_ones(tmp_path: Path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text(
        "entity_id,wikidata,name,lang,type\n"
        "E:israel,,Izraelo,eo,\n"
        ",Q7167,Tony B.,en,\n"
        ",,Orla Fenwick,en,PER\n"
        "E:orla-fenwick,,Орла Фенвик,ru,\n",
        encoding="utf-8",
    )
    user = tmp_path / "user.sqlite"
    assert import_alias_csv(table, user).imported == 4
    kb = KnowledgeBase([default_kb_path(), user], [True, False])
    assert top(kb, "Izraelo", "eo") == "E:israel"
    israel = kb.get("E:israel")
    assert israel is not None and israel.attrs["iso2"] == "IL"  # the default entity, extended
    assert top(kb, "Tony B.", "en") == "E:antony-blinken"
    assert top(kb, "Orla Fenwick", "en") == "E:orla-fenwick"
    assert top(kb, "Фенвика", "ru", "PER") == "E:orla-fenwick"


def test_import_alias_csv_rejects_a_new_name_without_a_type(tmp_path: Path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("entity_id,wikidata,name,lang,type\n,,Nobody Known,en,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"aliases\.csv:2"):
        import_alias_csv(table, tmp_path / "user.sqlite")


def test_writer_merges_an_entity_added_twice(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    role = Role("leader", None, date(2030, 1, 1), None, "test")
    with KBWriter(path) as writer:
        writer.add(KBEntity("E:x", "ORG", "Xanthe Group", aliases=[Alias("Xanthe", ("en",))]))
        writer.add(KBEntity("E:x", "ORG", "Xanthe Group", aliases=[Alias("Ксанте", ("ru",))], roles=[role]))
        writer.add(KBEntity("E:x", "ORG", "Xanthe Group", aliases=[Alias("Xanthe", ("fr",))]))
    entity = KnowledgeBase([path]).get("E:x")
    assert entity is not None and entity.roles == [role]
    assert {(a.name, a.langs) for a in entity.aliases} == {
        ("Xanthe Group", ()),
        ("Xanthe", ("en", "fr")),
        ("Ксанте", ("ru",)),
    }
    with pytest.raises(ValueError, match="type"), KBWriter(path) as writer:
        writer.add(KBEntity("E:y", "THING", "Y"))


def test_user_kb_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_USER_KB", str(tmp_path / "mine.sqlite"))
    assert user_kb_path() == tmp_path / "mine.sqlite"
    monkeypatch.delenv("NEWSGRAPH_USER_KB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert user_kb_path() == tmp_path / "newsgraph" / "user_kb.sqlite"
