"""`annotate`: the pure per-batch function every runner calls (in-process, process pool, Dask).

The `Pipeline` (models included) is built once per process and reused for every batch with the
same settings, so a worker pays the model load once, not once per batch.
"""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import asdict

from newsgraph.config import Settings
from newsgraph.model import Document
from newsgraph.pipeline.components import Pipeline

log = logging.getLogger(__name__)

# Settings that say how documents are run and stored, not how they are annotated: changing
# them must not rebuild (reload the models of) the pipeline.
_RUN_ONLY_SETTINGS = (
    "db",
    "workers",
    "batch_size",
    "doc_budget_s",
    "worker_memory_mb",
    "max_bytes",
    "max_decompressed_bytes",
    "max_compression_ratio",
    "max_json_depth",
    "max_id_chars",
)

# One pipeline per process: a process serves one configuration, and models are too large to keep
# several configurations loaded at once.
_cached: tuple[str, Pipeline] | None = None
_frozen = False  # whether this process has put its long-lived objects out of the collector's reach


def pipeline_key(settings: Settings) -> str:
    """A canonical text of the settings that shape the pipeline (Settings holds a dict: not hashable)."""
    shaping = {k: v for k, v in asdict(settings).items() if k not in _RUN_ONLY_SETTINGS}
    return json.dumps(shaping, sort_keys=True, default=list)


def pipeline_for(settings: Settings) -> Pipeline:
    """The process's pipeline for these settings, built (models loaded) on first use."""
    global _cached
    key = pipeline_key(settings)
    if _cached is None or _cached[0] != key:
        _cached = (key, Pipeline(settings))
    return _cached[1]


def annotate(batch: list[Document], settings: Settings) -> list[Document]:
    """Run the configured stages over each document of the batch, in order.

    A document the reader already failed on (errors, no text) passes through untouched; a
    document whose processing raises comes back with the error recorded. Only a pipeline that
    cannot be built at all (unknown stage, missing model) raises: that is a configuration error.
    """
    pipeline = pipeline_for(settings)
    annotated = [_annotate_one(pipeline, doc) for doc in batch]
    freeze_long_lived()
    return annotated


def freeze_long_lived() -> None:
    """After a process's first batch, once: collect, then freeze what is left (`gc.freeze`). What
    survives the first batch is what lives as long as the process (models, lexicons, the knowledge
    base, caches), some 200,000 objects, which every full collection walked again for nothing (a
    third of a second each time, measured on Russian articles). Objects made later are collected
    as before."""
    global _frozen
    if not _frozen:
        _frozen = True
        # imported here: the module loads spaCy and natasha, which a process that never annotates
        # (the CLI's queries, the API) must not pay for; by now the batch has loaded them anyway
        from newsgraph.language.models import keep_out_of_collections

        keep_out_of_collections()


def _annotate_one(pipeline: Pipeline, doc: Document) -> Document:
    if doc.errors and not doc.text:
        return doc
    try:
        doc = pipeline(doc)
    except Exception as exc:  # the Pipeline guards each stage; this guards the Pipeline itself
        log.debug("annotating %s failed\n%s", doc.doc_id, traceback.format_exc())
        doc.errors.append(f"annotate: {type(exc).__name__}: {exc}")
    doc.cache.clear()  # parses are per-process scratch: never pickled back to the parent
    return doc
