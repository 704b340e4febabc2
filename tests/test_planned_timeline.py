"""Planned events and the confidence threshold in the timeline the user sees: the CLI, the JSON API and
the web page list a planned meeting apart, as planned with its intended day, and leave out events below
the threshold (the `timeline_min_confidence` setting, or what the request asks); a denied meeting is
no entry, nor is a supposed one (never clustered).
A purpose ("travelled to Paris to meet Macron": context `intended`) is planned too, and a
report with one participant (context `one-side:…`) breaks nothing. Reports written for these tests, in
Italian, Polish, Turkish, German, Spanish and French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.api.app import create_app
from newsgraph.cli import main as cli
from newsgraph.config import Settings
from newsgraph.events.timeline import timeline
from newsgraph.model import DateValue, Document, Entity, Event, Mention
from newsgraph.pipeline.resolve import CorpusPass
from newsgraph.store import Store
from newsgraph.store.entities import find_entities
from newsgraph.store.timeline import timeline as stored_timeline

ENV = {"NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None}


def report(
    doc_id: str,
    lang: str,
    text: str,
    names: tuple[str, str],
    date: str,
    context: list[str],
    confidence: float,
    negated: bool = False,
    one_side: bool = False,
) -> Document:
    """A one-sentence report of a meeting of the two `names` (both written in `text`); with `one_side`,
    the second name is only the place (a venue), so the meeting has one participant."""
    doc = Document(
        doc_id=doc_id, text=text, lang=lang, content_hash=doc_id, published=DateValue("2025-05-05", "day")
    )
    for local, name in zip(("L:0", "L:1"), names, strict=True):
        start = text.index(name)
        doc.mentions.append(Mention(start, start + len(name), name, "PER", entity=local))
        doc.entities[local] = Entity(local, name, "PER", [name], evidence={"normals": [name], "count": 1})
    doc.sentences = [(0, len(text))]
    doc.events = [
        Event(
            id=f"V:{doc_id}",
            type="CONSULT",
            mode="meet",
            source=["L:0"],
            target=[] if one_side else ["L:1"],
            source_spans=[(doc.mentions[0].start, doc.mentions[0].end)],
            target_spans=[] if one_side else [(doc.mentions[1].start, doc.mentions[1].end)],
            date=DateValue(date, "day", None, "text"),
            sentence=(0, len(text)),
            context=context,
            confidence=confidence,
            negated=negated,
        )
    ]
    return doc


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("planned") / "t.db"
    docs = [
        report("it", "it", "Meloni ha incontrato Tusk a Roma.", ("Meloni", "Tusk"), "2025-05-02", [], 0.9),
        report(
            "pl",
            "pl",
            "Meloni spotka się z Tuskiem w Warszawie.",
            ("Meloni", "Tuskiem"),
            "2025-05-12",
            ["future"],
            0.9,
        ),
        report("tr", "tr", "Meloni, Fidan ile görüştü.", ("Meloni", "Fidan"), "2025-04-20", [], 0.2),
        report(
            "de",
            "de",
            "Meloni reiste nach Paris, um Macron zu treffen.",
            ("Meloni", "Macron"),
            "2025-05-04",
            ["intended"],
            0.55,
        ),
        report(
            "fr",
            "fr",
            "Meloni est arrivée à Bruxelles.",
            ("Meloni", "Bruxelles"),
            "2025-05-03",
            ["one-side:venue"],
            0.55,
            one_side=True,
        ),
        report(
            "de2", "de", "Meloni traf Merz nicht.", ("Meloni", "Merz"), "2025-05-01", [], 0.9, negated=True
        ),
        report(
            "es",
            "es",
            "Meloni se reuniría con Sánchez en Madrid.",
            ("Meloni", "Sánchez"),
            "2025-05-20",
            ["hypothetical"],
            0.9,
        ),
    ]
    with Store(path) as store:
        learnt = CorpusPass(store)(docs)
        store.add_documents(docs, learnt.entities, learnt.decisions, learnt.clusters, learnt.state)
    return path


def test_the_cli_lists_planned_meetings_apart_and_keeps_the_threshold(db: Path) -> None:
    result = CliRunner().invoke(cli.app, ["--db", str(db), "timeline", "Meloni", "--format", "json"], env=ENV)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["date"]["value"], r["planned"]) for r in rows] == [
        ("2025-05-02", False),
        ("2025-05-03", False),  # the arrival in Brussels: one participant, shown as it is
        ("2025-05-04", True),  # the aim of the journey to Paris
        ("2025-05-12", True),
    ]
    every = CliRunner().invoke(
        cli.app, ["--db", str(db), "timeline", "Meloni", "--min-confidence", "0", "--format", "json"], env=ENV
    )
    assert [json.loads(line)["date"]["value"] for line in every.stdout.splitlines()] == [
        "2025-04-20",
        "2025-05-02",
        "2025-05-03",
        "2025-05-04",
        "2025-05-12",
    ]
    table = CliRunner().invoke(cli.app, ["--db", str(db), "timeline", "Meloni"], env=ENV)
    assert table.output.index("2025-05-03") < table.output.index("Planned") < table.output.index("2025-05-04")


def test_the_api_flags_planned_entries_and_takes_the_threshold_from_the_server_or_the_request(
    db: Path,
) -> None:
    def app(min_confidence: float | None = None) -> TestClient:
        settings = Settings(db=str(db))
        if min_confidence is not None:
            settings = settings.with_overrides(timeline_min_confidence=min_confidence)
        return TestClient(create_app(settings))

    def items(client: TestClient, query: str) -> list[tuple[str, bool]]:
        payload = client.get("/api/timeline?actor=Meloni" + query).json()
        return [(i["date"]["value"], i["planned"]) for i in payload["items"]]

    # a denied meeting is no entry, nor is a supposed one (neither joins an event cluster): the API
    # lists the rows the CLI lists, from the same clusters
    assert items(app(), "") == [
        ("2025-05-02", False),
        ("2025-05-03", False),
        ("2025-05-04", True),
        ("2025-05-12", True),
    ]
    assert items(app(0.0), "")[0] == ("2025-04-20", False)
    assert items(app(), "&min_confidence=0.1")[0] == ("2025-04-20", False)
    assert items(app(), "&min_confidence=0.95") == []
    refused = app().get("/api/timeline?min_confidence=2")
    assert refused.status_code == 400 and "from 0 to 1" in refused.json()["error"]


def test_the_web_page_shows_planned_meetings_under_their_own_heading(db: Path) -> None:
    page = TestClient(create_app(db)).get("/timeline?actor=Meloni").text
    assert page.index("2025-05-02") < page.index("Planned") < page.index("planned for 2025-05-04")
    assert page.index("planned for 2025-05-04") < page.index("planned for 2025-05-12")


def test_the_threshold_is_a_setting_of_the_configuration_file(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "newsgraph.toml"
    config.write_text("timeline_min_confidence = 0.1\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli.app, ["--db", str(db), "--config", str(config), "timeline", "Meloni", "--format", "csv"], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert "2025-04-20" in result.stdout  # the 0.2 report, left out under the default 0.3


@pytest.mark.parametrize(
    ("threshold", "since"), [(0.0, None), (0.3, None), (0.0, "2025-05-03"), (0.6, "2025-05")]
)
def test_the_stored_timeline_keeps_the_rules_of_the_timeline_in_memory(
    db: Path, threshold: float, since: str | None
) -> None:
    """`store.timeline` (SQL over the cluster tables, what every face shows) lists the clusters that
    `events.timeline.timeline` lists from the same clusters in memory, in the same order."""
    with Store(db) as store:
        actors = find_entities(store, "Meloni")
        in_memory = [
            r.cluster
            for r in timeline(store.clusters_with(actors), actors[0], since=since, min_confidence=threshold)
        ]
        total, stored = stored_timeline(store, actors, since=since, min_confidence=threshold, limit=50)
    assert [e.cluster for e in stored] == in_memory and total == len(in_memory) > 0
