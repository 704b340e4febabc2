"""Run `annotate` over a stream of documents on this machine: in-process or in a process pool.

Streaming all the way: documents are read in batches of `settings.batch_size` and at most two
batches per worker are in flight, so memory does not grow with the size of the corpus. Results
come out in input order.

Workers are started with "spawn" (no inherited threads or half-initialised models; the same on
every OS), so everything sent to them is a picklable top-level function, and the modules that
registered the configured components are imported in each worker before its pipeline is built.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate, pipeline_for
from newsgraph.pipeline.components import factories

log = logging.getLogger(__name__)

T = TypeVar("T")
F = TypeVar("F")

WORKER_DIED = (
    "annotate: the worker process died while annotating this document (out of memory, or a "
    "crash inside a model); it was not annotated"
)

PARENT_CHECK_S = 1.0  # how often a worker checks that the process that started it is still there

_SPAWN = multiprocessing.get_context("spawn")


def run_local(docs: Iterable[Document], settings: Settings) -> Iterator[Document]:
    """Annotated documents, in input order; `settings.workers > 1` spreads batches over processes."""
    batches = chunked(docs, settings.batch_size)
    if settings.workers <= 1:
        for batch in batches:
            yield from annotate(batch, settings)
        return
    pool = _Workers(settings, settings.workers)
    rescue: _Workers | None = None
    try:
        for batch, future in submit_bounded(batches, pool.submit, window=2 * settings.workers):
            try:
                yield from future.result()
            except BrokenProcessPool:
                # Every batch in flight fails with the pool, innocent ones included: re-run this one
                # a document at a time in a one-worker pool, so only the document that kills a
                # worker is lost, and it is marked, not dropped.
                log.warning("a worker process died; re-running its batch one document at a time")
                rescue = rescue or _Workers(settings, 1)
                yield from (rescue.annotate_alone(doc) for doc in batch)
    finally:
        pool.close()
        if rescue:
            rescue.close()


def submit_bounded(batches: Iterable[T], submit: Callable[[T], F], window: int) -> Iterator[tuple[T, F]]:
    """Submit batches keeping at most `window` in flight; yield `(batch, future)` oldest first.

    The caller waits on each future as it gets it, which is what frees a slot for the next batch.
    """
    in_flight: deque[tuple[T, F]] = deque()
    for batch in batches:
        in_flight.append((batch, submit(batch)))
        if len(in_flight) >= window:
            yield in_flight.popleft()
    while in_flight:
        yield in_flight.popleft()


def component_modules(settings: Settings) -> list[str]:
    """The modules that registered the configured stages (a spawned worker must import them again)."""
    available = factories()
    return sorted({available[name].__module__ for name in settings.stages if name in available})


def _init_pool_worker(settings: Settings, modules: list[str], parent: int) -> None:
    # Ctrl-C is the parent's to handle: it stops submitting and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # `parent` comes from the parent: a worker may start after it was killed (and see init's pid)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    load_worker(settings, modules)


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (killed): nothing will ever read its results."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def load_worker(settings: Settings, modules: list[str]) -> None:
    """Set a fresh worker process up: import the component modules, build the pipeline."""
    try:
        for module in modules:
            importlib.import_module(module)
        pipeline_for(settings)
    except Exception:
        # A failing initializer only breaks the pool, which would read as a worker crash; the
        # first batch builds the pipeline again and raises this error to the caller instead.
        log.debug("building the pipeline in a worker failed\n%s", traceback.format_exc())


class _Workers:
    """A pool of spawned workers, each with its pipeline loaded; replaced when a worker dies."""

    def __init__(self, settings: Settings, size: int):
        self.settings = settings
        self.size = size
        self.modules = component_modules(settings)
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=_SPAWN,
            initializer=_init_pool_worker,
            initargs=(self.settings, self.modules, os.getpid()),
        )

    def submit(self, batch: list[Document]) -> Future[list[Document]]:
        try:
            return self.pool.submit(annotate, batch, self.settings)
        except BrokenProcessPool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = self._start()
            return self.pool.submit(annotate, batch, self.settings)

    def annotate_alone(self, doc: Document) -> Document:
        """The document annotated on its own, or marked with `WORKER_DIED` if it kills the worker."""
        try:
            return self.submit([doc]).result()[0]
        except BrokenProcessPool:
            doc.errors.append(WORKER_DIED)
            return doc

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
