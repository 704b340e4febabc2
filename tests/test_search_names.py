"""Search across scripts and inflections: a query that names an entity of the store also finds the
entity's other names and forms as the stored articles write them (Блинкен <-> Blinken, Ławrowem <->
Lavrov), ranked by plain full-text relevance; `mode="text"` (`--exact`) searches only the words typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures_stores import Article, Name, build_store, entity_of
from newsgraph.cli import main as cli
from newsgraph.store import Store
from newsgraph.store.query import fts_query

ENV = {"COLUMNS": "200", "NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None}

ARTICLES = [
    Article(
        "ru-1",
        "ru",
        "2023-11-03",
        "Госсекретарь США Энтони Блинкен встретился в Иерусалиме с президентом Израиля Исааком Герцогом.",
        [
            Name("Энтони Блинкен", "L:0"),
            Name("Иерусалиме", "L:1", "LOC", "Иерусалим"),
            Name("Израиля", "L:2", "LOC", "Израиль"),
            Name("Исааком Герцогом", "L:3", normal="Исаак Герцог"),
        ],
    ),
    Article(
        "en-1",
        "en",
        "2023-11-03",
        "Isaac Herzog hosted Antony Blinken in Jerusalem for talks on the hostages.",
        [Name("Isaac Herzog", "L:0"), Name("Antony Blinken", "L:1"), Name("Jerusalem", "L:2", "LOC")],
    ),
    Article(
        "fr-1",
        "fr",
        "2022-01-21",
        "Antony Blinken a rencontré Sergueï Lavrov à Genève pendant une heure et demie.",
        [Name("Antony Blinken", "L:0"), Name("Sergueï Lavrov", "L:1"), Name("Genève", "L:2", "LOC")],
    ),
    Article(
        "pl-1",
        "pl",
        "2022-01-21",
        "Sekretarz stanu Antony Blinken rozmawiał w piątek z Siergiejem Ławrowem.",
        [Name("Antony Blinken", "L:0"), Name("Siergiejem Ławrowem", "L:1", normal="Siergiej Ławrow")],
    ),
    Article(
        "uk-1",
        "uk",
        "2022-01-21",
        "Держсекретар Ентоні Блінкен зустрівся із Сергієм Лавровим.",
        [Name("Ентоні Блінкен", "L:0"), Name("Сергієм Лавровим", "L:1", normal="Сергій Лавров")],
    ),
    Article(
        "en-2",
        "en",
        "2023-11-04",
        "Floods closed the road to the airport; the talks on the budget were put off.",
        [],
    ),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("search") / "news.db", ARTICLES)


@pytest.fixture
def store(db: Path) -> Store:
    return Store(db)


def hits(store: Store, query: str, **options: object) -> set[str]:
    return {hit.doc_id for hit in store.search(query, **options)}  # type: ignore[arg-type]


def test_the_fixture_links_each_person_across_scripts(store: Store) -> None:
    blinken = entity_of(store, "en-1", "Antony Blinken")
    assert {entity_of(store, d, n) for d, n in [("ru-1", "Энтони Блинкен"), ("uk-1", "Ентоні Блінкен")]} == {
        blinken
    }
    lavrov = entity_of(store, "fr-1", "Sergueï Lavrov")
    assert (
        entity_of(store, "pl-1", "Siergiejem Ławrowem")
        == lavrov
        == entity_of(store, "uk-1", "Сергієм Лавровим")
    )
    assert entity_of(store, "ru-1", "Исааком Герцогом") == entity_of(store, "en-1", "Isaac Herzog")


def test_two_names_find_the_article_that_writes_both_in_another_script(store: Store) -> None:
    assert hits(store, "Blinken Herzog") == {"en-1", "ru-1"}
    assert hits(store, "Blinken Herzog", mode="text") == {"en-1"}  # only the words typed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ławrowem", {"fr-1", "pl-1", "uk-1"}),  # Polish instrumental -> French, Ukrainian
        ("Lavrov", {"fr-1", "pl-1", "uk-1"}),
        ("Лавровым", {"fr-1", "pl-1", "uk-1"}),  # Russian instrumental: no Russian article says it
        ("Блінкена", {"ru-1", "en-1", "fr-1", "pl-1", "uk-1"}),  # Ukrainian genitive
        ("Герцогом", {"ru-1", "en-1"}),
        ("Herzog", {"ru-1", "en-1"}),
        ('"Isaac Herzog"', {"ru-1", "en-1"}),  # a quoted name is a name too
        ("Lavrov Genève", {"fr-1"}),  # every term must match: Geneva is written only in French
    ],
)
def test_a_name_finds_its_other_scripts_and_inflections(store: Store, query: str, expected: set[str]) -> None:
    assert hits(store, query) == expected


def test_plain_full_text_still_works(store: Store) -> None:
    assert hits(store, "rencontré") == {"fr-1"}
    assert hits(store, "talks") == {"en-1", "en-2"}  # a word that names no one is searched as typed
    assert hits(store, "Блинк*") == {"ru-1"}  # a prefix asks for endings of what was typed
    assert hits(store, "Ławrowem", mode="text") == {"pl-1"}
    assert hits(store, "Blinken", lang="ru") == {"ru-1"}  # filters apply to the expanded search
    with pytest.raises(ValueError, match="not a search mode"):
        store.search("Blinken", mode="fuzzy")


def test_the_match_expression_offers_each_named_term_its_forms() -> None:
    forms = {"Antony Blinken": ["Энтони Блинкен", "Блинкена"], "Herzog": ["Герцогом", "herzog"]}
    assert fts_query("Antony Blinken Herzog talks", lambda text: forms.get(text, [])) == (
        '("Antony Blinken" OR "Энтони Блинкен" OR "Блинкена") AND ("Herzog" OR "Герцогом") AND "talks"'
    )
    assert fts_query("Antony Blinken Herzog talks") == '"Antony" AND "Blinken" AND "Herzog" AND "talks"'
    assert fts_query('AND "OR" Blink*', lambda text: ["x"]) == '("AND" OR "x") AND ("OR" OR "x") AND "Blink"*'


def test_the_search_command_expands_names_unless_exact(db: Path) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli.app, ["--db", str(db), "search", *args], env=ENV, terminal_width=200)
        assert result.exit_code == 0, result.output
        return result.output

    assert "ru-1" in run("Blinken Herzog") and "ru-1" not in run("Blinken Herzog", "--exact")
