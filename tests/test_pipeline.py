"""The per-batch `annotate` and the runners: isolation of failures, order, streaming, worker crashes.

The stages used here are registered by this module (a spawned worker imports it again to find
them), so these tests exercise the runners without loading any language model.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from itertools import count, islice
from pathlib import Path

import pytest

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.ingest.layout import lines
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate, pipeline_for
from newsgraph.pipeline.components import Component, register
from newsgraph.pipeline.local import WORKER_DIED, Supervisor, resident_mb, run_local, submit_bounded

FAILS = "BOOM"  # a document containing this makes the failing stage raise
KILLS = "POISON"  # ... this makes the killing stage end its worker process


@register("test.lines")
def make_lines(settings: Settings) -> Component:
    def split(doc: Document) -> Document:
        doc.sentences = lines(doc.text)
        doc.lang = "und"
        return doc

    return split


@register("test.fails")
def make_failing(settings: Settings) -> Component:
    def fail(doc: Document) -> Document:
        if FAILS in doc.text:
            raise ValueError("cannot handle this text")
        return doc

    return fail


@register("test.kills")
def make_killing(settings: Settings) -> Component:
    def kill(doc: Document) -> Document:
        if KILLS in doc.text:
            os._exit(3)  # what an out-of-memory kill or a segfault in a model looks like to the pool
        return doc

    return kill


HANGS = "LOOP"  # ... this makes the looping stage never return
STUCK = "STUCK"  # ... this makes the stuck stage run in C code, where no alarm reaches it
GREEDY = "GREEDY"  # ... this makes the greedy stage allocate far more memory than any document needs


@register("test.stuck")
def make_stuck(settings: Settings) -> Component:
    def stuck(doc: Document) -> Document:
        if STUCK in doc.text:  # hours in one C loop: a signal handler would only run after it
            doc.title = str(sum(range(10**13)))
        return doc

    return stuck


@register("test.greedy")
def make_greedy(settings: Settings) -> Component:
    def greedy(doc: Document) -> Document:
        if GREEDY in doc.text:
            hoard = [bytearray(50 << 20) for _ in range(100)]  # 5 GB, 50 MB at a time
            doc.title = str(len(hoard))
        return doc

    return greedy


@register("test.loops")
def make_looping(settings: Settings) -> Component:
    def loop(doc: Document) -> Document:
        while HANGS in doc.text:  # a pathological input: the stage would never return
            pass
        return doc

    return loop


@register("test.forgets-return")
def make_forgetful(settings: Settings) -> Component:
    def forget(doc: Document) -> Document:
        return None  # type: ignore[return-value]  # the bug under test

    return forget


def settings(*stages: str, workers: int = 0, batch_size: int = 3) -> Settings:
    return Settings(stages=stages, workers=workers, batch_size=batch_size)


def document(n: int, text: str | None = None) -> Document:
    return Document(doc_id=f"d{n}", text=text or f"Headline {n}\n\nFirst line of story {n}.\nSecond line.")


def corpus(size: int, failing: int) -> list[Document]:
    """`size` documents, the one at index `failing` making the failing stage raise."""
    return [document(n, f"{FAILS}\nline" if n == failing else None) for n in range(size)]


def records(docs: Iterator[Document]) -> list[dict[str, object]]:
    return [doc.to_record() for doc in docs]


# ---------------------------------------------------------------------------- annotate


def test_annotate_runs_the_stages_over_each_document_in_order() -> None:
    out = annotate([document(1), document(2)], settings("test.lines"))
    assert [d.doc_id for d in out] == ["d1", "d2"]
    assert [out[0].span_text(s) for s in out[0].sentences] == [
        "Headline 1",
        "First line of story 1.",
        "Second line.",
    ]


def test_a_document_the_reader_failed_on_passes_through_untouched() -> None:
    unreadable = Document(doc_id="bad", text="", source="x.bin", errors=["binary file; give text"])
    [out] = annotate([unreadable], settings("test.lines"))
    assert out.errors == ["binary file; give text"]
    assert out.lang is None


def test_a_stage_raising_marks_that_document_only() -> None:
    out = annotate(
        [document(1), document(2, f"a {FAILS} here\nline"), document(3)], settings("test.fails", "test.lines")
    )
    assert [d.errors for d in out] == [[], ["test.fails: ValueError: cannot handle this text"], []]
    assert all(d.sentences for d in out)  # later stages still ran on the failing document


def test_a_failure_outside_any_stage_is_recorded_on_the_document() -> None:
    [out] = annotate([document(1)], settings("test.forgets-return", "test.lines"))
    assert out.doc_id == "d1"
    assert out.errors and out.errors[-1].startswith("annotate: AttributeError")


def test_the_pipeline_is_built_once_per_process_and_settings() -> None:
    base = settings("test.lines")
    assert pipeline_for(base) is pipeline_for(base.with_overrides(workers=4, batch_size=100, db="other.db"))
    assert pipeline_for(settings("test.lines", "test.fails")) is not pipeline_for(base)


def test_an_unknown_stage_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="unknown pipeline stages"):
        annotate([document(1)], settings("no-such-stage"))


# ---------------------------------------------------------------------------- batching


def test_chunked_reads_lazily_in_batches() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert next(chunked(count(), 2)) == [0, 1]  # an endless stream is fine


def test_submit_bounded_keeps_at_most_window_batches_in_flight() -> None:
    in_flight: set[int] = set()
    most = 0

    def submit(batch: int) -> int:
        nonlocal most
        in_flight.add(batch)
        most = max(most, len(in_flight))
        return batch

    done = []
    for batch, future in submit_bounded(range(20), submit, window=4):
        assert batch == future
        in_flight.discard(future)
        done.append(batch)
    assert done == list(range(20))
    assert most == 4


def test_run_local_streams() -> None:
    endless = (document(n) for n in count())
    first = list(islice(run_local(endless, settings("test.lines")), 5))
    assert [d.doc_id for d in first] == ["d0", "d1", "d2", "d3", "d4"]


# ---------------------------------------------------------------------------- process pool


def test_two_workers_give_the_same_output_as_one() -> None:
    one = records(run_local(corpus(21, failing=20), settings("test.lines", "test.fails")))
    two = records(run_local(corpus(21, failing=20), settings("test.lines", "test.fails", workers=2)))
    assert two == one
    assert [r["doc_id"] for r in two] == [f"d{n}" for n in range(21)]
    assert two[-1]["errors"] == ["test.fails: ValueError: cannot handle this text"]


@register("test.marks")
def make_marking(settings: Settings) -> Component:
    """Leaves a file named after each document it annotates and the worker process that did, in the
    folder the text's first line names."""

    def mark(doc: Document) -> Document:
        folder = Path(doc.text.splitlines()[0])
        (folder / f"{doc.doc_id}.{os.getpid()}").touch()
        return doc

    return mark


def test_workers_go_on_annotating_while_the_caller_holds_a_document(tmp_path: Path) -> None:
    """The documents read ahead are annotated while the caller works on the first (the corpus pass,
    the writer) and asks for nothing: workers fed only from the caller's loop stood idle then."""
    config = settings("test.marks", workers=2, batch_size=3)  # reads 12 documents ahead
    docs = [Document(f"d{n}", f"{tmp_path}\nline {n}") for n in range(20)]
    out = run_local(docs, config)
    try:
        assert next(out).doc_id == "d0"
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sorted(p.stem for p in tmp_path.iterdir()) == sorted(f"d{n}" for n in range(12))
        assert [d.doc_id for d in out] == [f"d{n}" for n in range(1, 20)]
    finally:
        out.close()


def test_warming_has_every_worker_annotate_every_document(tmp_path: Path) -> None:
    """`Supervisor.warm` sends each document to each worker, so that each loads the models of every
    language before a measurement starts."""
    supervisor = Supervisor(settings("test.marks", workers=2))
    try:
        supervisor.warm([Document(f"w{n}", f"{tmp_path}\nline {n}") for n in range(3)])
        pids = sorted(str(w.process.pid) for w in supervisor.workers)
        assert sorted(p.name for p in tmp_path.iterdir()) == [f"w{n}.{pid}" for n in range(3) for pid in pids]
        assert supervisor.replaced == 0
        assert [d.doc_id for d in supervisor.run([Document("d1", f"{tmp_path}\nline")])] == ["d1"]
    finally:
        supervisor.close()


def test_a_worker_dying_loses_only_the_document_that_killed_it() -> None:
    docs = [document(n) for n in range(10)]
    docs[4] = document(4, f"{KILLS}\nline")
    out = list(run_local(docs, settings("test.kills", "test.lines", workers=2, batch_size=2)))
    assert [d.doc_id for d in out] == [f"d{n}" for n in range(10)]
    assert out[4].errors == [WORKER_DIED]
    assert not out[4].sentences
    others = out[:4] + out[5:]
    assert all(not d.errors and d.sentences for d in others)  # d5 shared d4's batch: re-run alone, fine


def test_a_pipeline_that_cannot_be_built_raises_from_the_pool_too() -> None:
    with pytest.raises(ValueError, match="unknown pipeline stages"):
        list(run_local([document(1)], settings("no-such-stage", workers=2)))


# ---------------------------------------------------------------------------- dask


@pytest.mark.skipif(importlib.util.find_spec("distributed") is not None, reason="the dask extra is installed")
def test_dask_without_the_extra_says_how_to_install_it() -> None:
    from newsgraph.pipeline.dask import run_dask

    with pytest.raises(ImportError, match=r"pip install \"newsgraph\[dask\]\""):
        list(run_dask([document(1)], settings("test.lines")))


def test_dask_gives_the_same_output_as_local() -> None:
    pytest.importorskip("distributed")
    from newsgraph.pipeline.dask import run_dask

    local = records(run_local(corpus(8, failing=7), settings("test.lines", "test.fails")))
    dask = records(run_dask(corpus(8, failing=7), settings("test.lines", "test.fails", workers=2)))
    assert dask == local


def test_a_stage_that_never_returns_costs_one_document_not_the_run() -> None:
    docs = [document(1), document(2, f"{HANGS}\nline"), document(3)]
    stages = settings("test.lines", "test.loops", "test.fails")
    for config in (
        stages.with_overrides(doc_timeout_s=0.3),
        stages.with_overrides(doc_timeout_s=0.3, workers=2),
    ):
        out = list(run_local([Document(d.doc_id, d.text) for d in docs], config))
        assert [d.doc_id for d in out] == ["d1", "d2", "d3"]
        assert [len(d.errors) for d in out] == [0, 1, 0]
        assert out[1].errors[0].startswith("test.loops: gave up after 0.3 s")
        assert out[1].sentences and out[2].sentences  # the stage before ran; the other documents are whole


def test_a_worker_stuck_beyond_the_alarm_is_stopped_by_the_document_budget() -> None:
    docs = [document(1), document(2, f"{STUCK}\nline"), document(3)]
    config = settings("test.lines", "test.stuck", workers=1).with_overrides(
        doc_timeout_s=0.2, doc_budget_s=1.0
    )
    started = time.monotonic()
    out = list(run_local(docs, config))
    assert time.monotonic() - started < 15
    assert [d.doc_id for d in out] == ["d1", "d2", "d3"]
    [error] = out[1].errors
    assert "still on this document" in error and "doc_budget_s=1" in error
    assert not out[0].errors and not out[2].errors and out[2].sentences  # the replacement worker went on


def test_a_document_that_wants_more_memory_than_the_worker_budget_costs_only_itself() -> None:
    docs = [document(1), document(2, f"{GREEDY}\nline"), document(3)]
    config = settings("test.greedy", "test.lines", workers=1).with_overrides(worker_memory_mb=400)
    out = list(run_local(docs, config))
    assert [d.doc_id for d in out] == ["d1", "d2", "d3"]
    [error] = out[1].errors
    assert "MemoryError" in error or "worker_memory_mb=400" in error
    assert out[1].title is None
    assert not out[0].errors and not out[2].errors and out[2].sentences


def test_resident_memory_of_a_live_and_of_a_gone_process() -> None:
    assert resident_mb(os.getpid()) > 10
    assert resident_mb(2**22 + 12345) == 0.0
