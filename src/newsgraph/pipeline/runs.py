"""What `newsgraph ingest` and `newsgraph extract` do, apart from the command line around them.

Both are streams: read -> annotate (in-process, process pool or Dask) -> store or write. Nothing
holds more than a few batches in memory, and each stored batch is one transaction, so a killed
ingest leaves whole batches behind and a re-run skips them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.ingest import readers
from newsgraph.model import Document
from newsgraph.pipeline.local import run_local
from newsgraph.pipeline.resolve import CorpusPass, Learnt, resolve_stream
from newsgraph.store import Store
from newsgraph.store.db import AddResult
from newsgraph.store.rows import to_json

log = logging.getLogger(__name__)

Runner = Callable[[Iterable[Document], Settings], Iterator[Document]]
Progress = Callable[[int], None]
"""Called with the number of input documents just finished (stored, skipped or written)."""

LOCAL_CLUSTER = "local"
TEMPORARY_PREFIX = "."  # extract writes `.NAME.PID.tmp` beside the output, renamed to NAME when done


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
    unstored: int = 0  # annotated, but the store refused them: an error record each

    @property
    def errors(self) -> int:
        return self.unreadable + self.with_errors + self.unstored

    def report(self, db: str) -> str:
        """What the run did, in words (rich markup), with where to look when something failed."""
        lines = [f"added [bold]{self.added}[/], duplicates {self.duplicates}, errors {self.errors} in {db}"]
        counts = (
            (self.unreadable, "could not be read"),
            (self.with_errors, "were stored with a step failed"),
            (self.renamed, "were stored under a new id (theirs was taken)"),
            (self.unstored, "could not be stored"),
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
    source = Interrupted(docs)
    fresh = _skip_known(source, store, settings.batch_size, summary, progress)
    corpus = CorpusPass(store)
    for batch in chunked(run(fresh, settings), settings.batch_size):
        learnt = corpus.isolated(batch)
        result = _store_batch(store, batch, learnt)
        corpus.stored()
        summary.added += result.added
        summary.duplicates += result.duplicates
        summary.unreadable += result.errors
        summary.renamed += len(result.renamed)
        summary.unstored += len(result.unstored)
        refused = set(result.unstored)
        summary.with_errors += sum(
            1 for doc in batch if doc.errors and doc.text and doc.doc_id not in refused
        )
        progress(len(batch))
    source.reraise()  # after storing what came before the failure: a re-run goes on from there
    return summary


def _store_batch(store: Store, batch: list[Document], learnt: Learnt) -> AddResult:
    """The batch in one transaction; when the store refuses it, one document at a time, so that only
    the document at fault is left out (with an error record) and the run goes on."""
    try:
        return store.add_documents(
            batch,
            learnt.entities,
            learnt.decisions,
            learnt.clusters,
            learnt.state,
            learnt.lines,
            learnt.corpus,
        )
    except Exception as exc:
        log.warning("storing a batch failed (%s); storing its documents one at a time", exc)
    return store.add_documents_each(
        batch, learnt.entities, learnt.decisions, learnt.clusters, learnt.state, learnt.lines
    )


class Interrupted(Iterator[Document]):
    """The documents of `docs` until it raises; the error is kept for `reraise`.

    The readers turn bad input into error documents, so this catches what they cannot: a disk or
    a pipe that fails, Ctrl-C. What was read before is still annotated and stored or written.
    """

    def __init__(self, docs: Iterable[Document]):
        self.docs = iter(docs)
        self.error: BaseException | None = None

    def __iter__(self) -> Interrupted:
        return self

    def __next__(self) -> Document:
        if self.error is not None:
            raise StopIteration
        try:
            return next(self.docs)
        except StopIteration:
            raise
        except (Exception, KeyboardInterrupt) as exc:
            self.error = exc
            raise StopIteration from None

    def reraise(self) -> None:
        if self.error is not None:
            raise self.error


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

    Records are written as they are done, into a hidden file beside `output` that is renamed over
    it at the end, also when the run fails midway: then it holds every record done before the
    failure and one error record that says what stopped the run (and the error is raised again).
    `-` is standard output, one flushed line per record.
    """
    summary = ExtractSummary()
    source = Interrupted(docs)

    def counted(annotated: Iterable[Document]) -> Iterator[Document]:
        for doc in annotated:
            summary.with_errors += bool(doc.errors)
            progress(1)
            yield doc

    corpus = CorpusPass()
    try:
        resolved = resolve_stream(run(source, settings), corpus)
        summary.written = write_records(counted(resolved), output, source, corpus.redirects)
    finally:
        source.reraise()
    return summary


def write_records(
    docs: Iterable[Document],
    output: Path | str,
    source: Interrupted,
    redirects: Callable[[], Mapping[str, str]] = dict,
) -> int:
    """Stream the records to `output` (atomically, see `extract_records`); the number written.

    `redirects()`, asked once every record is written, maps the story ids of records written
    earlier to the story that absorbed theirs later (`StoryIndex.merge_established`): before the
    rename, the hidden file is rewritten with those ids followed (`follow_redirects`), so that
    every record of one story carries one id. Standard output cannot be taken back: there the
    records keep the ids they were written with, and a warning says how many stories moved."""
    if str(output) == readers.STDIN:
        written = _write_lines(docs, sys.stdout, source)
        if moved := redirects():
            log.warning(
                "story ids written to standard output that a later batch merged into another story: "
                "%d; their records keep those ids (write to a file to have them rewritten)",
                len(moved),
            )
        return written
    path = Path(output)
    remove_stale_temporaries(path)
    tmp = path.parent / f"{TEMPORARY_PREFIX}{path.name}.{os.getpid()}.tmp"
    try:
        with tmp.open("w", encoding="utf-8", newline="") as stream:
            written = _write_lines(docs, stream, source)
            stream.flush()
            os.fsync(stream.fileno())  # the data reaches the disk before the name points at it
        if moved := redirects():
            follow_redirects(tmp, moved)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


STORY_FIELD = re.compile(r'"story":"(S:[^"\\]*)"')  # where a record's story id may be (checked by parsing)


def follow_redirects(path: Path, redirects: Mapping[str, str]) -> int:
    """Rewrite the records of `path` whose `story` was absorbed by another story (`redirects`:
    absorbed id -> surviving id, transitively resolved) to carry the survivor's id; returns the
    records changed.

    Streaming, line by line, into a sibling hidden file that replaces `path` once complete and on
    disk, so memory stays bounded by one record and a failure leaves `path` as it was. A line is
    parsed only when an id it may carry is redirected; the others are copied byte for byte.
    """
    rewritten = path.with_name(path.name.removesuffix(".tmp") + ".stories.tmp")
    changed = 0
    try:
        with (
            path.open(encoding="utf-8", newline="") as lines,
            rewritten.open("w", encoding="utf-8", newline="") as out,
        ):
            for line in lines:
                if any(m in redirects for m in STORY_FIELD.findall(line)):
                    record = json.loads(line)
                    survivor = redirects.get(record.get("story") or "")
                    if survivor is not None:
                        record["story"] = survivor
                        line = to_json(record) + "\n"
                        changed += 1
                out.write(line)
            out.flush()
            os.fsync(out.fileno())
        os.replace(rewritten, path)
    finally:
        rewritten.unlink(missing_ok=True)
    return changed


def _write_lines(docs: Iterable[Document], stream: TextIO, source: Interrupted) -> int:
    """One line per record, flushed as it is done; a record for the failure that stopped the input."""
    written = 0
    for doc in docs:
        stream.write(to_json(doc.to_record()) + "\n")
        stream.flush()
        written += 1
    if source.error is not None:
        stopped = readers.error_document(
            "<input>",
            f"the run stopped here: {type(source.error).__name__}: {source.error}; the records above "
            "are complete, run the command again (on the inputs not written) to go on",
            doc_id=f"err-stopped-{os.getpid()}",
        )
        stream.write(to_json(stopped.to_record()) + "\n")
        written += 1
    return written


def remove_stale_temporaries(output: Path) -> None:
    """Remove the hidden files that extracts to `output` killed before they finished left behind.

    Each is named after the process that wrote it; one whose process is gone is never renamed.
    """
    for tmp in output.parent.glob(f"{TEMPORARY_PREFIX}{output.name}.*.tmp"):
        # `.NAME.PID.tmp`, or `.NAME.PID.stories.tmp` while its story ids are rewritten
        pid = tmp.name.removeprefix(f"{TEMPORARY_PREFIX}{output.name}.").removesuffix(".tmp").split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


# ---------------------------------------------------------------------------- inputs


def count_documents(paths: Iterable[str], settings: Settings | None = None) -> int | None:
    """How many documents the readers will yield (one per file, one per non-blank JSON Lines line);
    None for stdin, or when counting fails (the progress bar then shows no total).

    A cheap pass over file names and newlines, so that progress can show a total and an ETA. It
    stops where the reader stops (a decompression bound, a corrupt .gz) and never fails the run.
    """
    settings = settings or Settings()
    total = 0
    for name in paths:
        if name == readers.STDIN:
            return None
        path = Path(name)
        try:
            files = readers.files_below(path) if path.is_dir() else [path]
        except OSError:
            return None
        total += sum(
            _count_lines(file, settings) if readers.input_kind(file) == "jsonl" else 1 for file in files
        )
    return total


def _count_lines(path: Path, settings: Settings) -> int:
    """The non-blank lines of a JSON Lines file (at least 1: an unreadable file is one error record)."""
    count = 0
    try:
        stream = readers.open_jsonl(path, settings)
        try:
            for _ in readers.bounded_lines(stream, settings.max_bytes):
                count += 1
        finally:
            stream.close()
    except Exception:  # whatever stops the count stops the reader, which reports it as one record
        count += 1
    return max(count, 1)
