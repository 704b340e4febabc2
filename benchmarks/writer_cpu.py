"""The one writer's CPU per article, by part: the corpus pass and the writing of `extract` and `ingest`.

With local workers, the workers annotate while one process (the writer) runs the corpus-wide pass
and writes. On a machine with as many cores as workers, 1 -> 2 workers is bounded by 2a / (a + w),
a being a worker's CPU per article and w the writer's: this measures both, in this process, with
`time.process_time` (CPU, which the other processes of a shared machine disturb far less than wall
time):

- the corpus is annotated once (`annotate`, as a worker does): a = its CPU per article;
- then, `--rounds` times, fresh copies of the annotated documents (unpickled) go through the
  writer of `extract` (`resolve_stream` with an in-memory `CorpusPass`, then one JSON line per
  record) and, for `--ingest`, of `ingest` (a `CorpusPass` against a new store, each batch stored
  with `add_documents`). Each part is timed exclusively (a part inside another is not counted twice):
  repeated lines, the resolver, delegates, the cluster lookup and clustering, near-duplicates,
  the story encoder, the rest of story features and assignment, the story store's loading and
  rows, store rows and the record's JSON.

Corpora: `speed.py`'s per language (the project's example articles, then synthetic ones) and the
synthetic ingest corpus (`synthetic.py`, every language).

    python benchmarks/writer_cpu.py --langs fr en ru --docs 30 --synthetic 120 --rounds 3

The last lines are the summary: ms of writer CPU per article, per corpus and part (median over
rounds), and a.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from speed import corpus
from synthetic import generate

from newsgraph.batching import chunked
from newsgraph.config import Settings
from newsgraph.ingest.readers import record_document
from newsgraph.model import Document
from newsgraph.pipeline import resolve as corpus_module
from newsgraph.pipeline.annotate import annotate
from newsgraph.pipeline.resolve import CorpusPass, resolve_stream
from newsgraph.pipeline.runs import _store_batch
from newsgraph.store import Store
from newsgraph.store import stories as story_rows
from newsgraph.store.rows import to_json
from newsgraph.stories import features as story_features


class PartTimer:
    """Exclusive CPU time per part: a part's time leaves out the parts it calls (a stack of starts)."""

    def __init__(self) -> None:
        self.total: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # [start, time spent in inner parts]

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        entry = [time.process_time(), 0.0]
        self._stack.append(entry)
        try:
            yield
        finally:
            self._stack.pop()
            spent = time.process_time() - entry[0]
            self.total[name] += spent - entry[1]
            if self._stack:
                self._stack[-1][1] += spent

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.part(name):
                return func(*args, **kwargs)

        return timed


# What the writer calls, by part: (module or class, attribute, part name). Patched for the run only.
PARTS: tuple[tuple[Any, str, str], ...] = (
    (corpus_module, "mark_repeated_lines", "repeated lines"),
    (corpus_module.Resolver, "resolve", "resolver"),
    (corpus_module, "add_delegates", "delegates"),
    (corpus_module.StoredClusterIndex, "load", "cluster lookup (store)"),
    (corpus_module, "cluster_events", "event clusters"),
    (corpus_module, "find_duplicates", "near-duplicates"),
    (corpus_module.StoryStore, "prepare", "stories: store loading"),
    (corpus_module.StoryStore, "index", "stories: store loading"),
    (corpus_module, "assign_stories", "stories: features + assignment"),
    (story_features, "embed_documents", "stories: encoder"),
    (corpus_module, "corpus_rows", "stories: rows"),
    (story_rows, "save_corpus_rows", "store: story rows"),
    (Store, "add_documents", "store: documents, rows, entities, clusters"),
)


@contextmanager
def instrumented(timer: PartTimer) -> Iterator[None]:
    """`PARTS` replaced by timed wrappers for the block's duration."""
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in PARTS]
    # the store module imported save_corpus_rows by name: patch it there too
    from newsgraph.store import db as store_db

    saved.append((store_db, "save_corpus_rows", store_db.save_corpus_rows))
    try:
        for owner, name, label in PARTS:
            setattr(owner, name, timer.wrap(label, getattr(owner, name)))
        store_db.save_corpus_rows = timer.wrap("store: story rows", saved[-1][2])  # type: ignore[attr-defined]
        yield
    finally:
        for owner, name, func in saved:
            setattr(owner, name, func)


def annotated(records: Sequence[dict[str, str]], settings: Settings) -> tuple[bytes, float]:
    """The records annotated as a worker does (pickled, so each round starts from fresh copies) and
    a, the CPU seconds per article of annotating them (after a warm-up that loads the models)."""
    docs = [record_document(dict(r), "corpus.jsonl", settings) for r in records]
    seen: set[str] = set()
    warm = [d for d in docs if not (d.lang in seen or seen.add(d.lang or ""))]  # type: ignore[func-returns-value]
    annotate(pickle.loads(pickle.dumps(warm)), settings)
    started = time.process_time()
    for batch in chunked(docs, 16):
        annotate(batch, settings)
    return pickle.dumps(docs), (time.process_time() - started) / len(docs)


def extract_writer(docs: list[Document], timer: PartTimer, out: Path) -> float:
    """`extract`'s writer (corpus pass in memory, one JSON line per record); its CPU seconds."""
    started = time.process_time()
    with open(out, "w", encoding="utf-8") as stream, instrumented(timer):
        for doc in resolve_stream(iter(docs), CorpusPass()):
            with timer.part("record JSON"):
                stream.write(to_json(doc.to_record()) + "\n")
    return time.process_time() - started


def ingest_writer(docs: list[Document], timer: PartTimer, db: Path, batch_size: int) -> float:
    """`ingest`'s writer (corpus pass against a new store, each batch stored); its CPU seconds."""
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    started = time.process_time()
    with Store(db) as store, instrumented(timer):
        corpus_pass = CorpusPass(store)
        for batch in chunked(iter(docs), batch_size):
            learnt = corpus_pass.isolated(batch)
            _store_batch(store, batch, learnt)
            corpus_pass.stored()
    return time.process_time() - started


def measure(
    name: str, records: Sequence[dict[str, str]], rounds: int, ingest: bool, workdir: Path
) -> dict[str, Any]:
    """a, and per writer (extract, ingest) w and its parts in ms per article, medians over rounds."""
    settings = Settings(workers=0)
    frozen, a = annotated(records, settings)
    n = len(records)
    writers: dict[str, Callable[[list[Document], PartTimer], float]] = {
        "extract": lambda docs, timer: extract_writer(docs, timer, workdir / f"{name}.jsonl")
    }
    if ingest:
        writers["ingest"] = lambda docs, timer: ingest_writer(
            docs, timer, workdir / f"{name}.db", settings.batch_size
        )
    out: dict[str, Any] = {"corpus": name, "docs": n, "a_ms": round(a * 1000, 2)}
    for writer, run in writers.items():
        run(pickle.loads(frozen), PartTimer())  # warm: the story encoder, the knowledge base
        totals, parts = [], defaultdict(list)
        for _ in range(rounds):
            timer = PartTimer()
            totals.append(run(pickle.loads(frozen), timer) / n)
            for part, seconds in timer.total.items():
                parts[part].append(seconds / n)
        w = statistics.median(totals)
        named = {p: statistics.median(v) for p, v in parts.items()}
        named["other (batching, bookkeeping)"] = w - sum(named.values())
        out[writer] = {
            "w_ms": round(w * 1000, 2),
            "w_ms_rounds": [round(t * 1000, 2) for t in totals],
            "parts_ms": {p: round(v * 1000, 3) for p, v in sorted(named.items(), key=lambda x: -x[1])},
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--langs", nargs="*", default=["fr", "en", "ru"], help="speed.py corpora")
    parser.add_argument("--docs", type=int, default=30, help="articles per language corpus (default 30)")
    parser.add_argument("--synthetic", type=int, default=120, help="articles of the ingest corpus (0: none)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the report here as JSON")
    args = parser.parse_args(argv)
    corpora: list[tuple[str, list[dict[str, str]], bool]] = [
        (lang, corpus(lang, args.docs, args.seed), False) for lang in args.langs
    ]
    if args.synthetic:
        corpora.append(("synthetic", list(generate(args.synthetic, args.seed)), True))
    reports = []
    with tempfile.TemporaryDirectory(prefix="newsgraph-writer-") as tmp:
        for name, records, ingest in corpora:
            reports.append(measure(name, records, args.rounds, ingest, Path(tmp)))
            print(json.dumps(reports[-1], ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    for r in reports:
        for writer in ("extract", "ingest"):
            if writer in r:
                parts = ", ".join(f"{p} {v:.2f}" for p, v in r[writer]["parts_ms"].items() if v >= 0.05)
                print(
                    f"- {r['corpus']} {writer}: a {r['a_ms']:.1f} ms, w {r[writer]['w_ms']:.2f} ms ({parts})"
                )
    print(f"load average {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
