"""Run the same pure `annotate` on a Dask cluster (`pip install "newsgraph[dask]"`).

A worker plugin builds the pipeline when each worker starts, so models load once per worker;
batches are submitted a window at a time (memory stays flat however large the corpus) and
results come back in input order, like `run_local`.
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
from newsgraph.pipeline.local import WORKER_DIED, component_modules, load_worker, submit_bounded

log = logging.getLogger(__name__)


def import_distributed() -> Any:
    """The `distributed` package, or an error that says how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError('running on Dask needs the "dask" extra: pip install "newsgraph[dask]"') from exc
    return distributed


def run_dask(docs: Iterable[Document], settings: Settings, address: str | None = None) -> Iterator[Document]:
    """Annotated documents, in input order, computed on the cluster at `address`.

    Without an address a local cluster of `settings.workers` single-threaded worker processes is
    started for the run (and stopped after it).
    """
    distributed = import_distributed()
    with ExitStack() as cleanup:
        if address:
            client = cleanup.enter_context(distributed.Client(address))
        else:
            cluster = cleanup.enter_context(
                distributed.LocalCluster(
                    n_workers=max(1, settings.workers), threads_per_worker=1, processes=True
                )
            )
            client = cleanup.enter_context(distributed.Client(cluster))
        client.register_plugin(pipeline_plugin(settings))
        window = 2 * max(1, len(client.scheduler_info()["workers"]))

        def submit(batch: list[Document]) -> Any:
            return client.submit(annotate, batch, settings, pure=False)

        for batch, future in submit_bounded(chunked(docs, settings.batch_size), submit, window):
            try:
                yield from future.result()
            except distributed.KilledWorker:
                # The scheduler already retried the batch on other workers: it kills every one.
                log.warning("batch of %d documents killed its workers; marking them", len(batch))
                for doc in batch:
                    doc.errors.append(WORKER_DIED)
                    yield doc


def pipeline_plugin(settings: Settings) -> Any:
    """A worker plugin that loads the pipeline on every worker as it joins the cluster."""
    worker_plugin: Any = import_distributed().WorkerPlugin
    modules = component_modules(settings)

    class PipelinePlugin(worker_plugin):
        name = "newsgraph-pipeline"

        def setup(self, worker: Any) -> None:
            load_worker(settings, modules)

    return PipelinePlugin()
