"""The Dask runner against a real `distributed` cluster of worker processes: the same records and
the same store as the local path, models loaded once per worker, bounded read-ahead, and a
document that fails or kills its worker costing that document alone.

The first tests use the model-free stages of test_pipeline (a spawned worker imports that module
again to find them); the last ones run the full pipeline through the command line, on the seeds
and on a synthetic multilingual corpus. One cluster serves the whole module, so each worker loads
the full models once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import count, islice
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fixtures_stores import store_rows
from newsgraph.cli import main as cli
from newsgraph.config import Settings
from newsgraph.model import Document
from newsgraph.pipeline.components import Component, register
from newsgraph.pipeline.local import WORKER_DIED, run_local
from test_examples import synthetic_module
from test_pipeline import KILLS, corpus, document, records, settings

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

from newsgraph.pipeline.dask import IN_FLIGHT_PER_WORKER, run_dask  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds.jsonl"

BUILDS: list[str] = []  # in a worker: one entry per pipeline built there


@register("test.counts-builds")
def make_counting(settings: Settings) -> Component:
    BUILDS.append("built")

    def same(doc: Document) -> Document:
        return doc

    return same


def builds_here() -> int:
    """Run on each worker: how many pipelines with the counting stage it has built."""
    return len(BUILDS)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes; a task whose worker dies is tried once more elsewhere."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


# ---------------------------------------------------------------------------- model-free stages


def test_the_records_are_those_of_the_local_path_in_input_order(cluster: Any) -> None:
    config = settings("test.lines", "test.fails", batch_size=2)
    local = records(run_local(corpus(15, failing=6), config))
    on_dask = records(run_dask(corpus(15, failing=6), config, cluster.scheduler.address))
    assert on_dask == local
    assert [r["doc_id"] for r in on_dask] == [f"d{n}" for n in range(15)]
    assert on_dask[6]["errors"] == ["test.fails: ValueError: cannot handle this text"]
    assert all(not r["errors"] for n, r in enumerate(on_dask) if n != 6)


def test_the_pipeline_is_built_once_per_worker_not_per_batch(cluster: Any) -> None:
    config = settings("test.counts-builds", "test.lines", batch_size=1)
    out = list(run_dask([document(n) for n in range(12)], config, cluster.scheduler.address))
    assert len(out) == 12
    assert set(cluster.run(builds_here).values()) == {1}


def test_the_input_is_read_only_a_bounded_window_ahead(cluster: Any) -> None:
    read = 0

    def endless() -> Iterator[Document]:
        nonlocal read
        for n in count():
            read += 1
            yield document(n)

    config = settings("test.lines", batch_size=2)
    first = list(islice(run_dask(endless(), config, cluster.scheduler.address), 3))
    assert [d.doc_id for d in first] == ["d0", "d1", "d2"]
    workers = len(cluster.scheduler_info()["workers"])
    assert read <= (IN_FLIGHT_PER_WORKER * workers + 1) * config.batch_size


def test_a_document_that_kills_its_workers_gets_an_error_and_the_rest_go_on(cluster: Any) -> None:
    docs = [document(n) for n in range(6)]
    docs[3] = document(3, f"{KILLS}\nline")
    config = settings("test.kills", "test.lines", batch_size=2)
    out = list(run_dask(docs, config, cluster.scheduler.address))
    assert [d.doc_id for d in out] == [f"d{n}" for n in range(6)]
    assert out[3].errors == [WORKER_DIED]
    assert all(not d.errors and d.sentences for n, d in enumerate(out) if n != 3)  # d2 shared its batch
    cluster.wait_for_workers(2)  # the nannies replaced the dead workers


def test_a_pipeline_that_cannot_be_built_raises_from_the_cluster(cluster: Any) -> None:
    with pytest.raises(ValueError, match="unknown pipeline stages"):
        list(run_dask([document(1)], settings("no-such-stage"), cluster.scheduler.address))


# ---------------------------------------------------------------------------- the full pipeline


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """30 generated articles in seven languages, and the seed articles when this checkout has them.

    One run over both: each command run loads the knowledge base and the story encoder afresh.
    """
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.jsonl"
    synthetic = synthetic_module()
    with path.open("w", encoding="utf-8") as out:
        synthetic.write_jsonl(synthetic.generate(30, seed=14), out)
    return [SEEDS, path] if SEEDS.exists() else [path]


def newsgraph(*args: str | Path, dask_address: str | None = None) -> None:
    """The command, in this process; `--workers 0` (the local path annotating here) unless on Dask."""
    where = ["--dask", dask_address] if dask_address else ["--workers", "0"]
    env = {"NEWSGRAPH_CONFIG": None, "NEWSGRAPH_DB": None, "NEWSGRAPH_WORKERS": None}
    result = CliRunner().invoke(cli.app, [str(a) for a in args] + where, env=env)
    assert result.exit_code == 0, result.output + repr(result.exception)


@pytest.mark.slow
def test_extract_on_dask_writes_the_records_of_the_local_path(
    cluster: Any, articles: list[Path], tmp_path: Path
) -> None:
    newsgraph("extract", *articles, "--output", tmp_path / "local.jsonl")
    newsgraph(
        "extract", *articles, "--output", tmp_path / "dask.jsonl", dask_address=cluster.scheduler.address
    )
    local, on_dask = (tmp_path / "local.jsonl").read_bytes(), (tmp_path / "dask.jsonl").read_bytes()
    assert on_dask == local
    written = [json.loads(line) for line in local.splitlines()]
    inputs = [
        line for path in articles for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(written) == len(inputs)
    assert any(record["mentions"] for record in written)


@pytest.mark.slow
def test_ingest_on_dask_stores_what_the_local_path_stores(
    cluster: Any, articles: list[Path], tmp_path: Path
) -> None:
    newsgraph("--db", tmp_path / "local.db", "ingest", *articles)
    newsgraph("--db", tmp_path / "dask.db", "ingest", *articles, dask_address=cluster.scheduler.address)
    local, on_dask = store_rows(tmp_path / "local.db"), store_rows(tmp_path / "dask.db")
    assert on_dask == local
    assert local["documents"]
