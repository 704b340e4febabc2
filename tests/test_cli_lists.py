"""Every listing command over `NewsGraph`: `--format table|json|csv`, totals when a list is cut,
enumerated options checked with the allowed values listed, tables that fit 80 columns, and the
`stories`/`story` commands. The store is the API tests' (French, English, Russian articles)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures_stores import store_stories
from newsgraph.cli import main as cli
from newsgraph.store import Store
from test_api import BLINKEN, HERZOG, cluster, english, french, russian

ENV = {"NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None, "COLUMNS": "80"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lists") / "news.db"
    docs = [french(), english(), russian()]
    docs[2].events[0].cluster = "C:visit"
    for doc in docs:
        doc.story = "S:ru" if doc.lang == "ru" else "S:call"
    with Store(path) as store:
        store.add_documents(
            docs, clusters=[cluster("C:call", docs[:2], "phone"), cluster("C:visit", docs[2:], "visit")]
        )
        store_stories(store, docs, copies={})
    return path


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.app, ["--db", str(db), *args], env=ENV)
    return result.exit_code, result.stdout, result.stderr


LISTINGS = [
    ("search", "Herzog"),
    ("documents",),
    ("entities",),
    ("quotes",),
    ("claims", "--each"),
    ("timeline", "Blinken"),
    ("stories",),
]


@pytest.mark.parametrize("command", LISTINGS)
def test_every_listing_prints_json_lines_csv_and_a_table_within_80_columns(
    db: Path, command: tuple[str, ...]
) -> None:
    code, out, err = run(db, *command, "--format", "json")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(isinstance(r, dict) for r in records)
    code, out, _ = run(db, *command, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(records)
    code, out, _ = run(db, *command)
    assert code == 0 and out.strip()
    assert max(len(line) for line in out.splitlines()) <= 80, out


def test_a_cut_list_says_which_rows_and_how_many_there_are(db: Path) -> None:
    code, out, err = run(db, "documents", "--limit", "2", "--format", "json")
    assert code == 0 and len(out.splitlines()) == 2
    assert "rows 1-2 of 3; --offset 2 for more" in err
    code, out, err = run(db, "documents", "--limit", "2", "--offset", "2", "--format", "json")
    assert [json.loads(line)["doc_id"] for line in out.splitlines()] == ["ru-1"] and "rows 3-3 of 3" in err
    code, out, err = run(db, "documents", "--format", "json")
    assert "rows" not in err  # the whole list: nothing to say


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (("timeline", "Blinken", "--type", "MEET"), "AGREE, CONSULT, SUPPORT"),
        (("entities", "--type", "PERSON"), "PER, ORG, LOC, MISC"),
        (("claims", "--kind", "murdered"), "killed, injured"),
        (("quotes", "--format", "xml"), "table, json, csv"),
    ],
)
def test_enumerated_options_list_the_allowed_values(db: Path, args: tuple[str, ...], allowed: str) -> None:
    result = CliRunner().invoke(cli.app, ["--db", str(db), *args], env={**ENV, "COLUMNS": "300"})
    assert result.exit_code == 2 and allowed in result.output


def test_type_values_are_taken_in_any_case(db: Path) -> None:
    code, out, _ = run(db, "timeline", "Blinken", "--type", "consult", "--format", "json")
    assert code == 0 and {json.loads(line)["type"] for line in out.splitlines()} == {"CONSULT"}


def test_an_unknown_name_is_an_error_that_says_where_to_look(db: Path) -> None:
    code, _, err = run(db, "quotes", "--speaker", "Nobody Atall")
    assert code == 1 and "no entity named 'Nobody Atall'" in err and "entities" in err


def test_the_cli_and_the_api_give_the_same_timeline_rows(db: Path) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.api.app import create_app

    _, out, _ = run(db, "timeline", "Блинкен", "--format", "json", "--min-confidence", "0")
    cli_rows = [json.loads(line) for line in out.splitlines()]
    api_rows = TestClient(create_app(db)).get("/api/timeline?actor=Blinken&min_confidence=0").json()["items"]
    assert [{k: v for k, v in r.items() if k != "names"} for r in cli_rows] == api_rows
    assert [(r["cluster"], r["reports"]) for r in cli_rows] == [("C:visit", 1), ("C:call", 2)]
    assert cli_rows[1]["names"][BLINKEN] == "Antony Blinken"


def test_stories_and_one_story(db: Path) -> None:
    code, out, _ = run(db, "stories", "--format", "json")
    stories = [json.loads(line) for line in out.splitlines()]
    assert [s["id"] for s in stories] == ["S:call", "S:ru"]
    assert stories[0]["languages"] == {"fr": 1, "en": 1} and stories[0]["size"] == 2
    code, out, _ = run(db, "stories", "--entity", "Блинкен", "--until", "2023-10", "--format", "json")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["S:ru"]
    code, out, _ = run(db, "story", "S:call")
    assert code == 0 and "fr-1" in out and "en-1" in out and "CONSULT/phone" in out
    assert "→" in out and HERZOG not in out  # events name their actors, not their ids
    assert "Framing per outlet" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run(db, "story", "S:call", "--format", "json")
    story = json.loads(out)
    assert [a["id"] for a in story["articles"]] == ["en-1", "fr-1"] and story["events"][0][
        "cluster"
    ] == "C:call"
    code, _, err = run(db, "story", "S:none")
    assert code == 1 and "no story 'S:none'" in err
