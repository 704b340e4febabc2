"""Run `annotate` over a stream of documents on this machine: in supervised worker processes.

Streaming all the way: at most two batches per worker are read ahead of the output, so memory
does not grow with the size of the corpus. Results come out in input order.

The workers are fed from a thread of the calling process, so they keep annotating the documents
read ahead while the caller works on those already out (the corpus pass and the writer of `ingest`
and `extract`): fed from the caller's own loop, every worker stood idle whenever the caller did
not ask for the next document, and the more workers, the larger the share of the run they idled.

Isolation: each worker gets one document at a time. A worker that dies on a document (a crash in
a model, the kernel's out-of-memory killer), or spends more than `doc_budget_s` or
`worker_memory_mb` on it, is killed from here and replaced; that document gets an error record
and the run goes on. The per-stage `doc_timeout_s` (SIGALRM, inside the worker) cannot stop a
model stuck in C code; the parent's clock can.

Workers are started with "spawn" (no inherited threads or half-initialised models; the same on
every OS), so everything sent to them is a picklable top-level function, and the modules that
registered the configured components are imported in each worker before its pipeline is built.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import TypeVar

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.limits import breach
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
POLL_S = 0.2  # how often the supervisor checks its workers' time and memory
CLOSE_S = 5.0  # how long an idle worker may take to exit when the run is over
STARTED, DONE, FAILED = "started", "done", "failed"  # worker -> supervisor messages
MB = 1 << 20
PAGE = os.sysconf("SC_PAGE_SIZE")

_SPAWN = multiprocessing.get_context("spawn")


def run_local(docs: Iterable[Document], settings: Settings) -> Iterator[Document]:
    """Annotated documents, in input order.

    `settings.workers` supervised worker processes annotate one document at a time; one that
    dies, or spends more than `doc_budget_s` or `worker_memory_mb` on a document, is replaced
    and that document alone gets an error. `workers = 0` annotates in this process, unguarded.
    """
    if settings.workers <= 0:
        for batch in chunked(docs, settings.batch_size):
            yield from annotate(batch, settings)
        return
    supervisor = Supervisor(settings)
    try:
        yield from supervisor.run(docs)
    finally:
        supervisor.close()


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


def _worker_main(conn: Connection, settings: Settings, modules: list[str], parent: int) -> None:
    """A supervised worker: load the pipeline, then annotate each document the parent sends.

    The parent's clock for a document starts at the "started" message, so loading the models
    (before the first document) does not count against the document's budget.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    limit_memory(settings.worker_memory_mb)
    load_worker(settings, modules)
    while (doc := conn.recv()) is not None:
        conn.send((STARTED, None))
        started = time.monotonic()
        try:
            [annotated] = annotate([doc], settings)
        except Exception as exc:  # only a pipeline that cannot be built: a configuration error
            conn.send((FAILED, exc))
        else:
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
            conn.send((DONE, (annotated, time.monotonic() - started, peak_mb)))


def limit_memory(megabytes: int) -> None:
    """Cap this process's data segment (heap and anonymous mappings) at `megabytes` (0: no cap).

    The kernel then refuses an allocation past the budget (a MemoryError in Python, a crash in C)
    instead of letting one document grow the worker until the machine runs out of memory.
    """
    if megabytes > 0:
        cap = megabytes * MB
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(
            resource.RLIMIT_DATA, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard)
        )


def resident_mb(pid: int) -> float:
    """The resident memory of process `pid` in MB (0 when it cannot be read: the process is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as stream:
            return int(stream.read().split()[1]) * PAGE / MB
    except (OSError, IndexError, ValueError):
        return 0.0


class _Worker:
    """One worker process and the document it is annotating (`index`, sent at `since`)."""

    def __init__(self, settings: Settings, modules: list[str]):
        self.conn, child = _SPAWN.Pipe()
        self.process = _SPAWN.Process(
            target=_worker_main, args=(child, settings, modules, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.index: int | None = None
        self.doc: Document | None = None
        self.since: float | None = None  # when the worker started on the document

    def send(self, index: int, doc: Document) -> None:
        self.index, self.doc, self.since = index, doc, None
        self.conn.send(doc)

    def done(self) -> tuple[int, Document]:
        assert self.index is not None and self.doc is not None
        finished = (self.index, self.doc)
        self.index = self.doc = self.since = None
        return finished

    def stop(self) -> None:
        """Kill the process (it may be stuck in C code: only a signal stops it) and reap it."""
        self.process.kill()
        self.process.join()
        self.conn.close()


class Supervisor:
    """Worker processes fed one document at a time, watched for death, time and memory.

    At most `window` documents are read ahead of the one the output waits for, so memory does
    not grow with the corpus; results come out in input order. The input is read, and the output
    taken, in the caller's thread; a feeder thread sends the documents read ahead to idle workers
    and receives what they send back, so that workers are never left waiting for the caller.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.modules = component_modules(settings)
        self.workers = [_Worker(settings, self.modules) for _ in range(settings.workers)]
        self.window = max(1, settings.batch_size) * 2 * settings.workers
        # for the record (logged when the run ends): the most memory a worker used, the longest
        # time a document took, and how many documents cost their worker
        self.peak_mb = 0.0
        self.slowest_s = 0.0
        self.replaced = 0
        self.busy_s = 0.0  # the workers' time on documents, all together: against the wall time of a
        # run it says how much of it the workers spent annotating rather than waiting to be fed
        # shared with the feeder thread, under `_lock`: documents read and not yet sent, documents
        # annotated and not yet taken, and what stopped the feeder
        self._lock = threading.Condition()
        self._waiting: deque[tuple[int, Document]] = deque()
        self._results: dict[int, Document] = {}
        self._error: BaseException | None = None
        self._stopping = False
        self._wake_r, self._wake_w = os.pipe()  # wakes the feeder from its wait on the workers
        os.set_blocking(self._wake_w, False)  # a full pipe already holds a wake-up: never wait on it
        self._feeder: threading.Thread | None = None

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """The annotated documents, in input order (one run at a time per supervisor)."""
        source = iter(docs)
        read = emitted = 0
        exhausted = False
        self._start_feeder()
        while True:
            while not exhausted and read - emitted < self.window:
                doc = next(source, None)  # in the caller's thread: a reader may use its store
                if doc is None:
                    exhausted = True
                else:
                    with self._lock:
                        self._waiting.append((read, doc))
                    self._wake()
                    read += 1
            if exhausted and emitted == read:
                return
            yield self._next_result(emitted)
            emitted += 1

    def warm(self, docs: Iterable[Document]) -> None:
        """Have every worker annotate each of `docs` (the results are dropped), so that each has
        loaded the models of their languages: a worker loads a language's models when the first
        document in it reaches that worker, so a measurement that starts before every worker has
        met every language times model loading, more of it the more workers there are."""
        if self._feeder is not None:
            raise RuntimeError("warm the workers before the first run: the feeder thread owns them then")
        batch = list(docs)
        todo = [deque(batch) for _ in self.workers]  # by position: a replaced worker goes on
        scratch: dict[int, Document] = {}
        while True:
            for position, worker in enumerate(self.workers):
                if worker.index is None and todo[position]:
                    worker.send(-1, todo[position].popleft())
            if not any(todo) and all(w.index is None for w in self.workers):
                return
            self._watch(scratch)

    def _next_result(self, index: int) -> Document:
        """Document `index` once the feeder has it (or the error that stopped the feeder)."""
        with self._lock:
            while index not in self._results:
                if self._error is not None:
                    raise self._error
                self._lock.wait()
            return self._results.pop(index)

    def _start_feeder(self) -> None:
        if self._feeder is None:
            self._feeder = threading.Thread(target=self._feed, name="newsgraph-feeder", daemon=True)
            self._feeder.start()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _feed(self) -> None:
        """The feeder thread: send documents to idle workers, take their results, enforce budgets,
        until `close`; an error (a pipeline that cannot be built) is handed to the caller."""
        try:
            while True:
                sends = []
                with self._lock:
                    if self._stopping:
                        return
                    for worker in self.workers:
                        if worker.index is None and self._waiting:
                            sends.append((worker, self._waiting.popleft()))
                for worker, (index, doc) in sends:  # outside the lock: a large document may block
                    worker.send(index, doc)
                results: dict[int, Document] = {}
                self._watch(results)
                if results:
                    with self._lock:
                        self._results.update(results)
                        self._lock.notify_all()
        except BaseException as exc:
            with self._lock:
                self._error = exc
                self._lock.notify_all()

    def _watch(self, results: dict[int, Document]) -> None:
        """Wait for a message, a death or a new document (at most `POLL_S`), then enforce the
        budgets."""
        busy = [w for w in self.workers if w.index is not None]
        ready = wait(
            [w.conn for w in busy] + [w.process.sentinel for w in busy] + [self._wake_r], timeout=POLL_S
        )
        if self._wake_r in ready:
            os.read(self._wake_r, 4096)
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                self._receive(worker, results)
        for worker in busy:
            if worker.index is not None and worker.since is not None:
                self._enforce(worker, results)

    def _receive(self, worker: _Worker, results: dict[int, Document]) -> None:
        try:
            while worker.index is not None and worker.conn.poll():
                kind, payload = worker.conn.recv()
                if kind == STARTED:
                    worker.since = time.monotonic()
                elif kind == FAILED:
                    raise payload
                else:
                    index, _ = worker.done()
                    results[index], seconds, peak_mb = payload
                    self.slowest_s = max(self.slowest_s, seconds)
                    self.busy_s += seconds
                    self.peak_mb = max(self.peak_mb, peak_mb)
        except (EOFError, OSError):
            pass  # the pipe closed: the worker died, handled below
        if worker.index is not None and not worker.process.is_alive():
            log.warning("a worker process died on a document; replacing it")
            self._replace(worker, results, WORKER_DIED)

    def _enforce(self, worker: _Worker, results: dict[int, Document]) -> None:
        """Stop a worker over its time or memory budget on the current document."""
        assert worker.since is not None
        budget, cap = self.settings.doc_budget_s, self.settings.worker_memory_mb
        used = resident_mb(worker.process.pid or 0)
        self.peak_mb = max(self.peak_mb, used)
        elapsed = time.monotonic() - worker.since
        if budget > 0 and elapsed > budget:
            problem = f"annotate: the worker was still on this document after {elapsed:.0f} s and was stopped"
            self._replace(worker, results, breach(problem, "doc_budget_s", budget))
        elif cap > 0 and used > cap:
            problem = f"annotate: the worker grew to {used:,.0f} MB on this document and was stopped"
            self._replace(worker, results, breach(problem, "worker_memory_mb", cap))

    def _replace(self, worker: _Worker, results: dict[int, Document], error: str) -> None:
        """Record `error` on the worker's document, kill the worker and start a fresh one."""
        if worker.since is not None:
            self.slowest_s = max(self.slowest_s, time.monotonic() - worker.since)
        self.replaced += 1
        index, doc = worker.done()
        doc.errors.append(error)
        results[index] = doc
        worker.stop()
        self.workers[self.workers.index(worker)] = _Worker(self.settings, self.modules)

    def close(self) -> None:
        with self._lock:
            self._stopping = True
        self._wake()
        if self._feeder is not None:  # it ends within a poll, unless a send waits on a stuck worker
            self._feeder.join(timeout=CLOSE_S)
        log.info(
            "workers: largest %.0f MB, slowest document %.1f s, %d replaced (budgets: %s MB, %s s)",
            self.peak_mb,
            self.slowest_s,
            self.replaced,
            self.settings.worker_memory_mb,
            self.settings.doc_budget_s,
        )
        for worker in self.workers:
            if worker.index is None and worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
                worker.process.join(timeout=CLOSE_S)
            worker.stop()
        if self._feeder is not None:  # the workers are gone: a send that waited on one has failed
            self._feeder.join()
        os.close(self._wake_r)
        os.close(self._wake_w)
