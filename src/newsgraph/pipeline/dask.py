"""Run the same pure `annotate` on a Dask cluster (`pip install "newsgraph[dask]"`).

What runs where: the workers of the cluster only annotate (the per-document stages, models
included); the process that called `run_dask` reads the input, and is the one writer that resolves
entities, clusters events and stores (or writes records) batch by batch, in input order, exactly
as with `run_local`. So the records and the store do not depend on how many workers there are or
which finished first.

- A worker plugin builds the pipeline when each worker joins (and when a replacement joins), so
  models load once per worker process, not once per batch.
- At most `IN_FLIGHT_PER_WORKER` batches per worker are out (submitted, or done but waiting for
  an older batch), so memory stays flat however large the corpus (back-pressure on the reader).
- Batches are taken as they complete and put back in input order before they are yielded.
- A document whose stage raises comes back with an error (inside `annotate`). A worker that dies
  (out of memory, a crash in a model) has its batch retried on another worker by the scheduler
  (`distributed.scheduler.allowed-failures` times); a batch that still kills its workers is run
  again one document per task, so that only the document at fault gets an error record.

Unlike the local supervisor, a Dask worker runs tasks in a thread, where the per-stage alarm
(`doc_timeout_s`) cannot fire and `doc_budget_s` is not watched: the cluster's own limits apply
(the nanny restarts a worker past its `--memory-limit`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate
from newsgraph.pipeline.local import WORKER_DIED, component_modules, load_worker

log = logging.getLogger(__name__)

# Batches out per worker: one being annotated, one queued beside it so a worker never waits for
# the next batch to travel, and one done but waiting for an older batch to finish.
IN_FLIGHT_PER_WORKER = 3
PLUGIN_NAME = "newsgraph-pipeline"


def import_distributed() -> Any:
    """The `distributed` package, or an error that says how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError('running on Dask needs the "dask" extra: pip install "newsgraph[dask]"') from exc
    return distributed


def run_dask(docs: Iterable[Document], settings: Settings, address: str | None = None) -> Iterator[Document]:
    """Annotated documents, in input order, computed on the cluster at `address`.

    Without an address a local cluster of `settings.workers` single-threaded worker processes
    (each restarted past `worker_memory_mb`) is started for the run and stopped after it.
    """
    distributed = import_distributed()
    with ExitStack() as cleanup:
        client = connect(distributed, settings, address, cleanup)
        client.register_plugin(pipeline_plugin(settings), name=PLUGIN_NAME)
        workers = max(1, len(client.scheduler_info()["workers"]))
        yield from Dispatcher(distributed, client, settings, IN_FLIGHT_PER_WORKER * workers).run(docs)


def connect(distributed: Any, settings: Settings, address: str | None, cleanup: ExitStack) -> Any:
    """A client of the cluster at `address`, or of a local cluster started for this run."""
    if address:
        return cleanup.enter_context(distributed.Client(address))
    memory = f"{settings.worker_memory_mb}MiB" if settings.worker_memory_mb > 0 else "auto"
    cluster = cleanup.enter_context(
        distributed.LocalCluster(
            n_workers=max(1, settings.workers),
            threads_per_worker=1,
            processes=True,
            memory_limit=memory,
            dashboard_address=None,
        )
    )
    return cleanup.enter_context(distributed.Client(cluster))


class Dispatcher:
    """Batches submitted with a bounded number out, taken as they complete, yielded in input order."""

    def __init__(self, distributed: Any, client: Any, settings: Settings, window: int):
        self.distributed = distributed
        self.client = client
        self.settings = settings
        self.window = max(1, window)

    def submit(self, batch: list[Document]) -> Any:
        """One task annotating `batch` (never cached: `annotate` is pure, the documents are new)."""
        return self.client.submit(annotate, batch, self.settings, pure=False)

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        batches = enumerate(chunked(docs, self.settings.batch_size))
        pending: dict[Any, tuple[int, list[Document]]] = {}  # future -> (batch index, batch)
        finished: dict[int, list[Document]] = {}  # done, waiting for an older batch
        completed = self.distributed.as_completed()
        submitted = emitted = 0
        exhausted = False
        try:
            while True:
                while not exhausted and submitted - emitted < self.window:
                    item = next(batches, None)
                    if item is None:
                        exhausted = True
                    else:
                        future = self.submit(item[1])
                        pending[future] = item
                        completed.add(future)
                        submitted += 1
                while emitted in finished:
                    yield from finished.pop(emitted)
                    emitted += 1
                if not pending:
                    if exhausted:
                        return
                    continue
                future = next(completed)
                index, batch = pending.pop(future)
                finished[index] = self.collect(future, batch)
        finally:
            for future in pending:
                future.cancel()

    def collect(self, future: Any, batch: list[Document]) -> list[Document]:
        """The annotated batch; one that killed every worker it was tried on, a document at a time."""
        try:
            result: list[Document] = future.result()
            return result
        except self.distributed.KilledWorker:
            if len(batch) == 1:
                log.warning("document %s killed the workers it was tried on; marking it", batch[0].doc_id)
                batch[0].errors.append(WORKER_DIED)
                return batch
            log.warning(
                "a batch of %d documents killed its workers; running it a document at a time", len(batch)
            )
        finally:
            future.release()
        # one after the other: an innocent document queued on the worker its neighbour kills would be
        # counted as a suspect each time, and marked as a killer itself once the retries ran out
        return [annotated for doc in batch for annotated in self.collect(self.submit([doc]), [doc])]


def pipeline_plugin(settings: Settings) -> Any:
    """A worker plugin that loads the pipeline on every worker as it joins the cluster."""
    worker_plugin: Any = import_distributed().WorkerPlugin
    modules = component_modules(settings)

    class PipelinePlugin(worker_plugin):
        name = PLUGIN_NAME

        def setup(self, worker: Any) -> None:
            load_worker(settings, modules)

    return PipelinePlugin()
