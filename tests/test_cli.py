"""The `newsgraph` command: extract, ingest (crash-safe, idempotent), export, search, show, stats.

Most tests call the Typer app in-process (CliRunner); a few run the installed `newsgraph` script
as a user would, the crash test among them (SIGKILL in the middle of an ingest, then a re-run).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from csv import DictReader
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from fixtures_stores import store_rows
from newsgraph.cli import main as cli
from newsgraph.config import DEFAULT_STAGES, Settings
from newsgraph.model import Document
from newsgraph.pipeline.components import Component, register

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
# wide enough that tables do not fold; no store or settings from the environment of whoever runs the tests
# in-process tests annotate in the test process (workers 0): a worker process would load the models again
ENV: dict[str, str | None] = {
    "COLUMNS": "200",
    "NEWSGRAPH_DB": None,
    "NEWSGRAPH_CONFIG": None,
    "NEWSGRAPH_WORKERS": "0",
}
USER_ENV = {**{k: v for k, v in os.environ.items() if k not in ENV}, "COLUMNS": "200"}  # workers: 1

FR = (
    "Le Parlement européen adopte un texte sur l'intelligence artificielle\n\n"
    "Strasbourg, 13 mars 2024 – Les députés européens ont approuvé mercredi un règlement qui encadre "
    "l'intelligence artificielle. Le texte a été adopté par 523 voix pour et 46 contre. Il interdit "
    "certains usages jugés dangereux, comme la notation sociale des citoyens.\n\n"
    "Les entreprises auront deux ans pour se mettre en conformité.\n"
)
RU = (
    "Землетрясение у берегов Тайваня\n\n"
    "Сильное землетрясение произошло в среду утром у восточного побережья острова. По данным "
    "властей, погибли девять человек, более тысячи получили ранения.\n\n"
    "В Тайбэе на время остановили метро, школы закрыли до конца дня.\n"
)
EN = (
    "Eclipse crosses North America\n\n"
    "Millions of people watched a total solar eclipse cross Mexico, the United States and Canada on "
    "Monday. In Dallas the sky went dark for almost four minutes.\n\n"
    '"It was worth the long drive," said a visitor from Chicago.\n'
)
WIRE = [
    {
        "id": "wire-1",
        "title": "Ceasefire talks resume in Cairo",
        "published": "2024-05-01",
        "lang": "en",
        "text": "Negotiators returned to Cairo on Wednesday for a new round of talks on a ceasefire and the "
        "release of hostages, officials from both delegations said.",
    },
    {
        "id": "wire-2",
        "published": "2024-05-02T09:30:00+02:00",
        "text": "Le gouvernement a présenté jeudi un plan de soutien aux agriculteurs touchés par la "
        "sécheresse, d'un montant de 400 millions d'euros.",
    },
    {"id": "wire-3", "title": "A record with no text"},
]
PAGE = """<!doctype html><html lang="en"><head><title>Harbour reopens after storm</title>
<meta property="article:published_time" content="2024-02-10T08:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Harbour reopens after storm</h1>
<p>The port of Rotterdam reopened on Saturday after a storm forced its closure for two days.</p>
<p>Shipping companies said delays would last until the end of the week.</p></article>
<footer>Copyright 2024</footer></body></html>"""

FAILS = "notation sociale"  # the test stage below raises on the document containing this


@register("test.cli-fails")
def make_failing(settings: Settings) -> Component:
    def fail(doc: Document) -> Document:
        if FAILS in doc.text:
            raise RuntimeError("stage broke on this one")
        return doc

    return fail


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with articles in fr, ru and en (.txt), a JSON Lines feed, an HTML page, an empty file."""
    folder = tmp_path / "in"
    (folder / "txt").mkdir(parents=True)
    for name, text in (("fr", FR), ("ru", RU), ("en", EN)):
        (folder / "txt" / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "feed.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in WIRE), encoding="utf-8"
    )
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


INPUTS = 8  # documents in `corpus`: 3 txt + 3 lines + 1 html + 1 empty
READABLE = 6  # the record without text and the empty file are errors


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args], env=ENV)


def read_records(lines: Iterable[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines if line.strip()]


def spans(record: dict[str, Any]) -> Iterator[tuple[str, int, int]]:
    """Every `[start, end)` of a record, named by its layer."""
    for layer in ("body", "sentences"):
        for start, end in record[layer]:
            yield layer, start, end
    if record["title_span"]:
        yield "title_span", *record["title_span"]
    for layer in ("boilerplate", "paragraphs", "mentions", "times", "quotes", "claims"):
        for item in record[layer]:
            yield layer, item["start"], item["end"]


def assert_valid(record: dict[str, Any]) -> None:
    assert record["schema"] == "newsgraph/1"
    for layer, start, end in spans(record):
        assert 0 <= start <= end <= len(record["text"]), (record["doc_id"], layer, start, end)


# ---------------------------------------------------------------------------- extract


def test_extract_writes_one_valid_record_per_input(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    result = invoke("extract", corpus, "--output", output)
    assert result.exit_code == 0, result.output
    assert f"wrote {INPUTS} records" in result.stderr
    records = read_records(output.read_text(encoding="utf-8").splitlines())
    assert len(records) == INPUTS
    for record in records:
        assert_valid(record)
    by_source = {Path(r["source"].split("#")[0]).name + r["source"].partition("#")[2]: r for r in records}
    for name, text in (("fr.txt", FR), ("ru.txt", RU), ("en.txt", EN)):
        assert by_source[name]["text"] == text  # the input text, unchanged
        assert not by_source[name]["errors"]
        assert by_source[name]["sentences"]
    assert by_source["feed.jsonlL1"]["text"] == WIRE[0]["text"]
    assert by_source["feed.jsonlL1"]["doc_id"] == "wire-1"
    assert by_source["feed.jsonlL2"]["published"]["value"] == "2024-05-02T09:30"
    assert by_source["feed.jsonlL3"]["errors"] and not by_source["feed.jsonlL3"]["text"]
    assert by_source["empty.txt"]["errors"]
    assert "Rotterdam" in by_source["page.html"]["text"]
    assert {r["lang"] for r in records if r["text"]} >= {"fr", "ru", "en"}


def test_extract_to_stdout_prints_records_only(corpus: Path) -> None:
    result = invoke("extract", corpus / "txt", "-o", "-")
    assert result.exit_code == 0, result.output
    records = read_records(result.stdout.splitlines())
    assert [Path(r["source"]).name for r in records] == ["en.txt", "fr.txt", "ru.txt"]
    assert "wrote 3 records to standard output" in result.stderr


def test_extract_that_fails_midway_keeps_what_was_done_and_says_where_it_stopped(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_reader(paths: Iterable[str], settings: Settings) -> Iterator[Document]:
        yield Document(doc_id="first", text="A first article that is fine.")
        raise OSError("disk vanished")

    output = tmp_path / "out" / "records.jsonl"
    output.parent.mkdir()
    output.write_text("previous run\n", encoding="utf-8")
    monkeypatch.setattr(cli, "read_paths", failing_reader)
    result = invoke("extract", corpus, "--output", output)
    assert result.exit_code != 0
    assert isinstance(result.exception, OSError)
    first, stopped = read_records(output.read_text(encoding="utf-8").splitlines())
    assert first["doc_id"] == "first" and first["errors"] == [] and first["sentences"]
    [message] = stopped["errors"]
    assert message.startswith("the run stopped here: OSError: disk vanished;") and stopped["text"] == ""
    assert [p.name for p in output.parent.iterdir()] == ["records.jsonl"]  # no temporary file left


def test_extract_removes_the_temporary_file_a_killed_extract_left(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "records.jsonl"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    left = tmp_path / f".records.jsonl.{int(dead.stdout)}.tmp"
    left.write_text('{"half": ', encoding="utf-8")
    mine = tmp_path / f".records.jsonl.{os.getpid()}.tmp.keep"  # not one of ours: kept
    mine.write_text("x", encoding="utf-8")
    assert invoke("extract", corpus / "txt" / "en.txt", "--output", output).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, "records.jsonl", "in"])


def test_extract_refuses_to_replace_a_pipe_or_device(corpus: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "records.pipe"
    os.mkfifo(fifo)
    result = invoke("extract", corpus, "--output", fifo)
    assert result.exit_code == 2 and "use --output - and redirect it" in result.stderr
    assert fifo.is_fifo()  # still the pipe, not replaced by a file


def test_a_stage_failing_on_one_document_gives_an_error_record(corpus: Path, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f"stages = {json.dumps([*DEFAULT_STAGES, 'test.cli-fails'])}\n", encoding="utf-8")
    result = invoke("--config", config, "extract", corpus / "txt", "-o", "-")
    assert result.exit_code == 0, result.output
    records = {Path(r["source"]).stem: r for r in read_records(result.stdout.splitlines())}
    assert records["fr"]["errors"] == ["test.cli-fails: RuntimeError: stage broke on this one"]
    assert records["fr"]["sentences"]  # the stages before it did their work
    assert not records["en"]["errors"] and not records["ru"]["errors"]
    assert "1 with errors" in result.stderr


def test_usage_errors_say_what_to_do(tmp_path: Path) -> None:
    missing = invoke("extract", tmp_path / "nope.txt", "-o", "-")
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr and "give a .txt/.html/.jsonl file or a folder" in missing.stderr
    no_store = invoke("--db", tmp_path / "none.db", "stats")
    assert no_store.exit_code == 2
    assert "does not exist yet: run `newsgraph ingest PATH` first" in no_store.stderr
    assert not (tmp_path / "none.db").exists()
    bad_date = invoke("--db", tmp_path / "none.db", "search", "x", "--since", "last week")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output
    bad_config = invoke("--config", tmp_path / "missing.toml", "stats")
    assert bad_config.exit_code == 2 and "no such config file" in bad_config.stderr


@pytest.mark.skipif(importlib.util.find_spec("distributed") is not None, reason="the dask extra is installed")
def test_dask_without_the_extra_says_how_to_install_it(corpus: Path) -> None:
    result = invoke("extract", corpus, "-o", "-", "--dask", "local")
    assert result.exit_code == 2
    assert 'pip install "newsgraph[dask]"' in result.stderr
    assert not result.stdout


def test_every_command_teaches_by_example() -> None:
    for command in ("ingest", "extract", "export", "search", "show", "stats"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "Example: newsgraph" in result.stdout and command in result.stdout


# ---------------------------------------------------------------------------- ingest and the store


@pytest.fixture
def store(corpus: Path, tmp_path: Path) -> Path:
    db = tmp_path / "news.db"
    result = invoke("--db", db, "ingest", corpus)
    assert result.exit_code == 0, result.output
    assert f"added {READABLE}, duplicates 0, errors 2" in result.stdout
    return db


def test_ingesting_twice_stores_each_article_once(store: Path, corpus: Path) -> None:
    again = invoke("--db", store, "ingest", corpus, corpus / "txt" / "fr.txt")
    assert again.exit_code == 0, again.output
    assert f"added 0, duplicates {READABLE + 1}" in again.stdout
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM documents").fetchone() == (
            READABLE,
            READABLE,
        )


def test_search_shows_highlighted_hits(store: Path) -> None:
    result = invoke("--db", store, "search", "conformité")
    assert result.exit_code == 0, result.output
    assert "Le Parlement européen adopte un texte" in result.stdout  # the title column
    assert "conformité" in result.stdout
    none = invoke("--db", store, "search", "zeppelin")
    assert none.exit_code == 0 and "no documents match 'zeppelin'" in none.stderr
    filtered = invoke("--db", store, "search", "Cairo", "--since", "2024-05", "--until", "2024-05-01")
    assert "wire-1" in filtered.stdout
    assert "wire-1" not in invoke("--db", store, "search", "Cairo", "--since", "2024-06").stdout


def test_show_prints_the_article_with_header_and_annotations(store: Path) -> None:
    result = invoke("--db", store, "show", "wire-1")
    assert result.exit_code == 0, result.output
    assert "published" in result.stdout and "2024-05-01 (day, from metadata)" in result.stdout
    assert "Negotiators returned to Cairo" in result.stdout
    record = json.loads(invoke("--db", store, "show", "wire-1", "--json").stdout)
    assert record["doc_id"] == "wire-1" and record["text"] == WIRE[0]["text"]
    assert_valid(record)
    missing = invoke("--db", store, "show", "nope")
    assert missing.exit_code == 1 and "no document 'nope'" in missing.stderr


def test_stats_counts_documents_and_lists_errors(store: Path) -> None:
    result = invoke("--db", store, "stats")
    assert result.exit_code == 0, result.output
    assert re.search(rf"│ documents\s+│\s+{READABLE} │", result.stdout)
    assert "Languages" in result.stdout and "fr" in result.stdout
    assert "Recent errors (2)" in result.stdout
    assert "wire-3" in result.stdout and "empty: no text" in result.stdout


def test_export_writes_each_format(store: Path, tmp_path: Path) -> None:
    jsonl, csv, parquet = tmp_path / "x.jsonl", tmp_path / "x.csv", tmp_path / "x.parquet"
    assert invoke("--db", store, "export", "--format", "jsonl", "--output", jsonl).exit_code == 0
    records = read_records(jsonl.read_text(encoding="utf-8").splitlines())
    assert len(records) == READABLE
    for record in records:
        assert_valid(record)
    only_fr = invoke("--db", store, "export", "-f", "csv", "-o", csv, "--lang", "fr")
    assert only_fr.exit_code == 0, only_fr.output
    with csv.open(encoding="utf-8", newline="") as table:
        rows = list(DictReader(table))
    assert sorted(row["lang"] for row in rows) == ["fr", "fr"]  # fr.txt and wire-2
    assert "Strasbourg" in next(row["body_text"] for row in rows if row["doc_id"] != "wire-2")
    result = invoke("--db", store, "export", "-f", "parquet", "-o", parquet)
    assert result.exit_code == 0 and f"exported {READABLE} documents" in result.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(parquet).num_rows == READABLE
    assert invoke("--db", store, "export", "-f", "xml", "-o", parquet).exit_code == 2


# ---------------------------------------------------------------------------- as a user runs it


def run_newsgraph(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NEWSGRAPH, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=USER_ENV
    )


def synthetic_feed(path: Path, n: int) -> Path:
    """`n` short distinct articles in JSON Lines, alternating French and English."""
    templates = (
        "La mairie de la ville numéro {i} a voté mardi un budget de {m} millions d'euros pour rénover "
        "ses écoles.\n\nLe maire a salué « un effort historique » devant le conseil municipal.",
        "Officials in district {i} said on Friday that {m} families had been moved after the river "
        "flooded.\n\nRescue teams worked through the night, the regional governor said.",
    )
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = templates[i % 2].format(i=i, m=i % 97 + 3)
            out.write(json.dumps({"id": f"art-{i:04d}", "text": text, "published": "2024-03-01"}) + "\n")
    return path


def stored(db: Path) -> tuple[int, int]:
    """(documents, distinct ids) in the store; nothing while it is still being created."""
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone()
    except sqlite3.OperationalError:  # no such table yet
        return 0, 0


def child_pids(pid: int) -> set[int]:
    """The processes `pid` started (Linux /proc)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes in /proc")
def test_ingest_killed_midway_then_rerun_stores_every_article_exactly_once(tmp_path: Path) -> None:
    n = 300
    feed, db = synthetic_feed(tmp_path / "feed.jsonl", n), tmp_path / "news.db"
    # The first half of the feed comes through a pipe that stays open, so the run cannot finish
    # before the kill, however fast the stages are.
    command = [NEWSGRAPH, "--db", str(db), "ingest", "-", "--batch-size", "10", "--workers", "2"]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=USER_ENV
    )
    assert process.stdin is not None
    try:
        process.stdin.write(b"".join(feed.read_bytes().splitlines(keepends=True)[: n // 2]))
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while stored(db)[0] < 30 and time.monotonic() < deadline:
            assert process.poll() is None, "ingest ended before it could be killed"
            time.sleep(0.01)
        workers = child_pids(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        process.kill()
        process.stdin.close()
    killed_at = stored(db)[0]
    assert 30 <= killed_at <= n // 2
    assert killed_at % 10 == 0  # whole batches only
    assert len(workers) >= 2
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "worker processes outlived their killed parent"

    rerun = run_newsgraph("--db", db, "ingest", feed, "--batch-size", "10")
    assert rerun.returncode == 0, rerun.stderr
    assert f"added {n - killed_at}, duplicates {killed_at}" in rerun.stdout
    assert stored(db) == (n, n)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [doc_id for (doc_id,) in conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    assert ids == [f"art-{i:04d}" for i in range(n)]


def test_extract_with_two_workers_writes_what_one_worker_writes(tmp_path: Path) -> None:
    feed = synthetic_feed(tmp_path / "feed.jsonl", 40)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run_newsgraph("extract", feed, "-o", one, "--batch-size", "8").returncode == 0
    result = run_newsgraph("extract", feed, "-o", two, "--batch-size", "8", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert two.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    assert len(read_records(two.read_text(encoding="utf-8").splitlines())) == 40


def test_ingest_with_two_workers_stores_what_one_worker_stores(tmp_path: Path) -> None:
    """Two workers fed while the corpus pass and the writer work store exactly the rows of one."""
    feed = synthetic_feed(tmp_path / "feed.jsonl", 24)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert run_newsgraph("--db", one, "ingest", feed, "--batch-size", "5").returncode == 0
    result = run_newsgraph("--db", two, "ingest", feed, "--batch-size", "5", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert store_rows(two) == store_rows(one)
    assert len(store_rows(one)["documents"]) == 24
