"""What `newsgraph ingest` and `newsgraph extract` do, apart from the command line around them.

Both are streams: read -> annotate (in-process, process pool or Dask) -> store or write. Nothing
holds more than a few batches in memory, and each stored batch is one transaction, so a killed
ingest leaves whole batches behind and a re-run skips them.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.ingest import readers
from newsgraph.model import Document
from newsgraph.pipeline.local import run_local
from newsgraph.pipeline.resolve import CorpusPass, resolve_stream
from newsgraph.store import Store
from newsgraph.store.export import export_documents

Runner = Callable[[Iterable[Document], Settings], Iterator[Document]]
Progress = Callable[[int], None]
"""Called with the number of input documents just finished (stored, skipped or written)."""

LOCAL_CLUSTER = "local"


def runner_for(dask_address: str | None) -> Runner:
    """`run_local`, or `run_dask` on the cluster at the address (`local`: a cluster on this machine)."""
    if dask_address is None:
        return run_local
    from newsgraph.pipeline.dask import import_distributed, run_dask

    import_distributed()  # fail now, with how to install it, rather than at the first batch
    return partial(run_dask, address=None if dask_address == LOCAL_CLUSTER else dask_address)


# ---------------------------------------------------------------------------- ingest


@dataclass
class IngestSummary:
    added: int = 0
    duplicates: int = 0  # already in the store, or the same text twice in this run
    unreadable: int = 0  # no text: recorded in the store's errors table only
    with_errors: int = 0  # stored, but some stage failed on them (see `newsgraph stats`)
    renamed: int = 0  # stored under a new id: their own id was taken by another text

    @property
    def errors(self) -> int:
        return self.unreadable + self.with_errors

    def report(self, db: str) -> str:
        """What the run did, in words (rich markup), with where to look when something failed."""
        lines = [f"added [bold]{self.added}[/], duplicates {self.duplicates}, errors {self.errors} in {db}"]
        counts = (
            (self.unreadable, "could not be read"),
            (self.with_errors, "were stored with a step failed"),
            (self.renamed, "were stored under a new id (theirs was taken)"),
        )
        problems = [f"{n} {what}" for n, what in counts if n]
        if problems:
            lines.append(f"{', '.join(problems)}: see [bold]newsgraph stats[/]")
        return "\n".join(lines)


def ingest_documents(
    docs: Iterable[Document],
    store: Store,
    settings: Settings,
    run: Runner = run_local,
    progress: Progress = lambda n: None,
) -> IngestSummary:
    """Annotate the documents the store does not have yet, resolve their entities and cluster their
    events against the store, and store them with what that taught, a batch per transaction."""
    summary = IngestSummary()
    fresh = _skip_known(docs, store, settings.batch_size, summary, progress)
    corpus = CorpusPass(store)
    for batch in chunked(run(fresh, settings), settings.batch_size):
        learnt = corpus(batch)
        result = store.add_documents(batch, learnt.entities, learnt.decisions, learnt.clusters, learnt.state)
        corpus.stored()
        summary.added += result.added
        summary.duplicates += result.duplicates
        summary.unreadable += result.errors
        summary.renamed += len(result.renamed)
        summary.with_errors += sum(1 for doc in batch if doc.errors and doc.text)
        progress(len(batch))
    return summary


def _skip_known(
    docs: Iterable[Document], store: Store, batch_size: int, summary: IngestSummary, progress: Progress
) -> Iterator[Document]:
    """The documents whose content hash the store does not know (known ones are never annotated)."""
    for batch in chunked(docs, batch_size):
        known = store.known_hashes(doc.content_hash for doc in batch if doc.content_hash)
        skipped = sum(1 for doc in batch if doc.content_hash in known)
        summary.duplicates += skipped
        progress(skipped)
        yield from (doc for doc in batch if doc.content_hash not in known)


# ---------------------------------------------------------------------------- extract


@dataclass
class ExtractSummary:
    written: int = 0
    with_errors: int = 0


def extract_records(
    docs: Iterable[Document],
    output: Path | str,
    settings: Settings,
    run: Runner = run_local,
    progress: Progress = lambda n: None,
) -> ExtractSummary:
    """Write the interchange record of every input document (error documents included), in input order.

    `output` is written atomically (complete or not at all); `-` is standard output.
    """
    summary = ExtractSummary()

    def counted(annotated: Iterable[Document]) -> Iterator[Document]:
        for doc in annotated:
            summary.with_errors += bool(doc.errors)
            progress(1)
            yield doc

    resolved = resolve_stream(run(docs, settings), CorpusPass())
    summary.written = export_documents(counted(resolved), "jsonl", output)
    return summary


# ---------------------------------------------------------------------------- inputs


def count_documents(paths: Iterable[str]) -> int | None:
    """How many documents the readers will yield (one per file, one per JSON Lines line); None for stdin.

    A cheap pass over file names and newlines, so that progress can show a total and an ETA.
    """
    total = 0
    for name in paths:
        if name == readers.STDIN:
            return None
        path = Path(name)
        files = readers.files_below(path) if path.is_dir() else [path]
        total += sum(_count_lines(file) if readers.input_kind(file) == "jsonl" else 1 for file in files)
    return total


def _count_lines(path: Path) -> int:
    try:
        with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    except (OSError, EOFError):
        return 1  # the reader reports an unreadable file as one error document
