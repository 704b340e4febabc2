"""Scale benchmark: a store grown to N synthetic articles (100,000 by default), measured as it grows.

The bulk goes in with cheap stages: `synthetic.py`'s articles annotated by `api_latency.annotate`
(the template's names as mentions with their entities, one contact event dated to the day of
publication, a quote, a numeric claim, a story), in batches of `--batch` documents. Before storing
each batch, what the corpus pass does against the store is done too: the stored entities under the
batch's name keys are looked up, and the batch's events are clustered (`cluster_events`) against
the stored clusters, read as the corpus pass reads them (`--lookup bounded`, the default:
`StoredClusterIndex`, by date) or as it read them before (`--lookup whole`: every stored cluster of
each block), so that the per-article cost includes what grows with the store. Annotating with the
real pipeline runs at a few documents a second per core; `--full-sample K` then ingests K more
articles through `newsgraph ingest` (every default stage and the corpus pass) into the grown store
and reports their rate and the bytes they added per article.

Measured over the run, per batch: seconds per article (cheap annotation, and storing: lookups,
clustering and `Store.add_documents`), throughput, the process's memory (RSS), and the store's size. At each
checkpoint size (1,000, 10,000, 100,000 by default): the timeline of the actor with the most events
(`store.timeline.timeline`, first page of 20), full-text searches (`Store.search`: a surname, a
topic word, a two-word phrase, in names and text modes), median of `--repeat` runs each, and the
store's bytes per article. The run is plotted to `--png` (pure-Python PNG writer, `png.py`).

    python benchmarks/scale.py --n 100000 --json out/scale.json --png docs/scale.png
    python benchmarks/scale.py --n 20000 --lookup whole   # the lookup before, for comparison

The last line printed is a one-line summary for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from api_latency import annotate
from ingest import db_bytes, newsgraph_command
from png import plot_panels
from synthetic import generate, load_locales, write_jsonl

from newsgraph.entities.names import name_keys
from newsgraph.events.cluster import ClusterIndex, EventCluster, StoredClusterIndex, block_key, cluster_events
from newsgraph.model import Document
from newsgraph.store import Store
from newsgraph.store.timeline import timeline

MB = 1024 * 1024
TIMELINE_GOAL_MS, SEARCH_GOAL_MS = 50.0, 200.0
CHECKPOINTS = (1_000, 10_000, 100_000)


@dataclass
class BatchPoint:
    """One stored batch."""

    stored: int  # articles in the store after it
    annotate_ms: float  # per article, cheap stages
    store_ms: float  # per article: the corpus-pass lookups and `add_documents`
    docs_per_s: float  # annotate + store
    rss_mb: float
    db_mb: float


@dataclass
class Checkpoint:
    """Query latencies and size at one store size."""

    stored: int
    bytes_per_article: float
    timeline_actor: str
    timeline_events: int
    timeline_ms: float
    search_ms: dict[str, float]  # "query (mode)" -> median ms
    search_max_ms: float


@dataclass
class Report:
    n: int
    batch: int
    seed: int
    wall_s: float
    lookup: str = "bounded"
    points: list[BatchPoint] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    full_sample: dict[str, Any] = field(default_factory=dict)
    host: str = ""
    summary: str = ""


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def median_ms(call: Callable[[], object], repeat: int) -> float:
    call()  # warm: the pages it reads come into the cache once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def corpus_lookups(store: Store, docs: Sequence[Document], lookup: str) -> list[EventCluster]:
    """What the corpus pass does against the store for a batch: the entities under the name keys of
    its mentions looked up, and its events clustered against the stored clusters, read by date
    (`bounded`) or whole blocks (`whole`, the lookup before); returns the clusters to write."""
    keys = sorted({key for doc in docs for m in doc.mentions for key in name_keys(m.text, doc.lang)})
    store.entities_by_keys(keys)
    index: ClusterIndex
    if lookup == "whole":
        blocks = {key for doc in docs for event in doc.events if (key := block_key(event)) is not None}
        index = ClusterIndex(store.clusters_in_blocks(blocks))
    else:
        index = StoredClusterIndex(store)
        index.load(docs)
    cluster_events(docs, index)
    return index.changed()


def busiest_actor(store: Store) -> tuple[str, int]:
    row = store.conn.execute(
        "SELECT x.id, count(*) FROM event_cluster_actors AS a JOIN entity_numbers AS x ON x.n = a.entity"
        " GROUP BY x.id ORDER BY 2 DESC, 1 LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else ("", 0)


def search_queries(store: Store) -> list[str]:
    """A surname of the busiest actor, the most frequent topic word of the templates, and a phrase."""
    actor, _ = busiest_actor(store)
    name = store.conn.execute("SELECT name FROM entities WHERE id = ?", (actor,)).fetchone()
    surname = name[0].split()[-1] if name else "minister"
    topic = load_locales()[0].topics[0]
    return [surname, topic.split()[-1], f'"{topic}"']


def checkpoint(store: Store, db: Path, repeat: int) -> Checkpoint:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    actor, events = busiest_actor(store)
    timeline_ms = median_ms(lambda: timeline(store, [actor], limit=20), repeat)
    searches = {
        f"{query} ({mode})": median_ms(lambda q=query, m=mode: store.search(q, mode=m), repeat)  # type: ignore[misc]
        for query in search_queries(store)
        for mode in ("names", "text")
    }
    return Checkpoint(
        stored=stored,
        bytes_per_article=round(db_bytes(db) / stored),
        timeline_actor=actor,
        timeline_events=events,
        timeline_ms=timeline_ms,
        search_ms=searches,
        search_max_ms=max(searches.values()),
    )


def grow(
    db: Path,
    n: int,
    batch: int,
    seed: int,
    checkpoints: Sequence[int],
    repeat: int,
    report: Report,
    lookup: str = "bounded",
) -> None:
    """Store `n` cheaply annotated articles at `db` in batches, measuring each batch and each checkpoint."""
    names = {
        loc.code: [(p.name, "PER") for p in loc.people] + [(city, "LOC") for city, _ in loc.cities]
        for loc in load_locales()
    }
    todo = sorted(c for c in checkpoints if c <= n)
    records = generate(n, seed)
    with Store(db) as store:
        stored = 0
        while stored < n:
            started = time.perf_counter()
            annotated = [annotate(next(records), names) for _ in range(min(batch, n - stored))]
            docs = [d for d, _ in annotated]
            annotated_at = time.perf_counter()
            store.add_documents(docs, clusters=corpus_lookups(store, docs, lookup))
            done = time.perf_counter()
            stored += len(docs)
            report.points.append(
                BatchPoint(
                    stored=stored,
                    annotate_ms=round((annotated_at - started) * 1000 / len(docs), 3),
                    store_ms=round((done - annotated_at) * 1000 / len(docs), 3),
                    docs_per_s=round(len(docs) / (done - started), 1),
                    rss_mb=round(rss_mb(), 1),
                    db_mb=round(db_bytes(db) / MB, 1),
                )
            )
            while todo and stored >= todo[0]:
                todo.pop(0)
                point = checkpoint(store, db, repeat)
                report.checkpoints.append(point)
                print(
                    f"{stored:>7,} articles: {point.bytes_per_article / 1024:.1f} KB/article, timeline"
                    f" {point.timeline_ms} ms ({point.timeline_events} events), search max"
                    f" {point.search_max_ms} ms, store {report.points[-1].store_ms} ms/article,"
                    f" RSS {report.points[-1].rss_mb:.0f} MB",
                    flush=True,
                )


def full_sample(db: Path, k: int, seed: int, workdir: Path) -> dict[str, Any]:
    """`newsgraph ingest` of `k` more articles (every default stage) into the grown store."""
    data = workdir / f"sample-{k}.jsonl"
    with open(data, "w", encoding="utf-8") as out:
        records = list(generate(k, seed + 1))
        for r in records:
            r["id"] = "full-" + r["id"]
        write_jsonl(records, out)
    before_bytes, before = db_bytes(db), _documents(db)
    started = time.perf_counter()
    run = subprocess.run(
        [newsgraph_command(), "--db", str(db), "ingest", str(data), "--workers", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    added = _documents(db) - before
    return {
        "articles": k,
        "added": added,
        "returncode": run.returncode,
        "wall_s": round(wall, 1),
        "docs_per_s": round(k / wall, 2),
        "bytes_per_article": round((db_bytes(db) - before_bytes) / added) if added else None,
        "output_tail": (run.stdout + run.stderr)[-1500:],
    }


def _documents(db: Path) -> int:
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        n: int = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    return n


def plot(report: Report, path: Path) -> None:
    points = report.points
    plot_panels(
        path,
        [
            (
                "MS PER ARTICLE",
                [
                    ("STORE", [(p.stored, p.store_ms) for p in points]),
                    ("CHEAP ANNOTATION", [(p.stored, p.annotate_ms) for p in points]),
                ],
            ),
            ("THROUGHPUT (ARTICLES/S)", [("ANNOTATE + STORE", [(p.stored, p.docs_per_s) for p in points])]),
            ("MEMORY (MB)", [("PROCESS RSS", [(p.stored, p.rss_mb) for p in points])]),
            ("STORE SIZE (MB)", [("DB + WAL", [(p.stored, p.db_mb) for p in points])]),
        ],
        "ARTICLES STORED",
    )


def summary_line(report: Report) -> str:
    def cost(lo: int, hi: int) -> str:
        chosen = [p.store_ms for p in report.points if lo < p.stored <= hi]
        return f"{statistics.median(chosen):.2f}" if chosen else "-"

    sizes = [c.stored for c in report.checkpoints]
    spans = list(zip([0, *sizes], sizes, strict=False))
    per_size = "; ".join(
        f"{c.stored:,}: timeline {c.timeline_ms} ms, search ≤ {c.search_max_ms} ms,"
        f" {c.bytes_per_article / 1024:.1f} KB/article"
        for c in report.checkpoints
    )
    curve = ", ".join(f"{lo:,}–{hi:,} {cost(lo, hi)}" for lo, hi in spans)
    peak = max((p.rss_mb for p in report.points), default=0.0)
    return (
        f"- scale: {report.n:,} synthetic articles in {report.wall_s:.0f} s (batches of {report.batch},"
        f" {report.lookup} cluster lookup); "
        f"{per_size}; store ms/article (median per span) {curve}; peak RSS {peak:.0f} MB [{report.host}]"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to store (default 100000)")
    parser.add_argument("--batch", type=int, default=1000, help="articles per stored batch (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--checkpoints", type=int, nargs="*", default=list(CHECKPOINTS), help="sizes to time queries at"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query (median)")
    parser.add_argument(
        "--lookup",
        choices=("bounded", "whole"),
        default="bounded",
        help="stored clusters read per batch: by date (the corpus pass's) or whole blocks (before)",
    )
    parser.add_argument("--full-sample", type=int, default=0, help="then ingest this many with every stage")
    parser.add_argument("--db", type=Path, help="keep the store here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--png", type=Path, help="plot cost, throughput, memory and size over the run here")
    args = parser.parse_args(argv)
    report = Report(n=args.n, batch=args.batch, seed=args.seed, wall_s=0.0, lookup=args.lookup)
    report.host = f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    with tempfile.TemporaryDirectory(prefix="newsgraph-scale-") as tmp:
        db = args.db or Path(tmp) / "scale.db"
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)
        started = time.perf_counter()
        grow(db, args.n, args.batch, args.seed, args.checkpoints, args.repeat, report, args.lookup)
        report.wall_s = round(time.perf_counter() - started, 1)
        if args.full_sample:
            report.full_sample = full_sample(db, args.full_sample, args.seed, Path(tmp))
    report.summary = summary_line(report)
    if args.png:
        args.png.parent.mkdir(parents=True, exist_ok=True)
        plot(report, args.png)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    if report.full_sample:
        sample = report.full_sample
        print(
            f"full stages: {sample['added']} of {sample['articles']} articles added in {sample['wall_s']} s"
            f" ({sample['docs_per_s']} docs/s, models loading included), "
            f"{(sample['bytes_per_article'] or 0) / 1024:.1f} KB/article (exit {sample['returncode']})"
        )
    print(report.summary)
    slow = [
        c for c in report.checkpoints if c.timeline_ms > TIMELINE_GOAL_MS or c.search_max_ms > SEARCH_GOAL_MS
    ]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
