"""Ingest benchmark: N synthetic articles through `newsgraph ingest`, then the same file again.

Generates N articles with `synthetic.py` (same seed, same file), runs
`newsgraph --db TMP.db ingest FILE --workers W` as a subprocess and reports wall time, documents
per second, peak memory and the size of the store; then runs the same command again, which must
add ~nothing (articles already stored are skipped), and reports its time.

Peak memory is measured two ways: the largest single process (`ru_maxrss` of the command and the
workers it waited for, from `os.wait4`), and the whole process tree, sampled from /proc every
0.2 s (sum of RSS, which counts pages shared by forked workers once per process, and sum of PSS,
which splits them).

    python benchmarks/ingest.py --n 10000 --workers 2 --json out/bench-ingest.json

The last line printed is a one-line summary for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Self

from synthetic import generate, write_jsonl

from newsgraph.config import load_settings
from newsgraph.store import Store

SAMPLE_EVERY_S = 0.2
OUTPUT_TAIL_CHARS = 2000
MB = 1024 * 1024


@dataclass
class RunReport:
    """One `newsgraph ingest` run."""

    returncode: int
    wall_s: float
    docs_per_s: float  # input documents (stored or skipped) per second of wall time
    added: int  # documents the store gained
    errors: int  # rows the store's errors table gained
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float
    peak_process_rss_mb: float
    output_tail: str


@dataclass
class BenchReport:
    n: int
    workers: int
    stages: list[str]  # the pipeline the command ran (settings from NEWSGRAPH_CONFIG, else the defaults)
    input_mb: float
    languages: int
    generate_s: float
    first: RunReport
    again: RunReport
    db_mb: float
    store_stats: dict[str, object]
    host: str
    summary: str


# ---------------------------------------------------------------------------- process tree memory


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # the command name (field 2) may hold spaces and parentheses: the fields after it are safe
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    """`root` and every process below it."""
    children = _children_by_parent()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; (0, 0) once it has ended."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = {
        line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")
    }
    return values.get("Rss", 0), values.get("Pss", 0)


class Sampler:
    """Calls `sample()` every `every_s` seconds in a background thread while `running()`; the
    subclass keeps what it samples (the peaks)."""

    def __init__(self, every_s: float = SAMPLE_EVERY_S):
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)

    @contextmanager
    def running(self) -> Iterator[Self]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


class TreeMemorySampler(Sampler):
    """Samples the summed RSS and PSS of a process tree; keeps the peaks."""

    def __init__(self, root: int, every_s: float = SAMPLE_EVERY_S):
        super().__init__(every_s)
        self.root = root
        self.peak_rss_kb = self.peak_pss_kb = 0

    def sample(self) -> None:
        usage = [memory_kb(pid) for pid in process_tree(self.root)]
        self.peak_rss_kb = max(self.peak_rss_kb, sum(rss for rss, _ in usage))
        self.peak_pss_kb = max(self.peak_pss_kb, sum(pss for _, pss in usage))


# ---------------------------------------------------------------------------- runs


def newsgraph_command() -> str:
    """The `newsgraph` script beside this interpreter (a virtualenv's bin/), else the one on PATH."""
    beside = Path(sys.executable).with_name("newsgraph")
    found = str(beside) if beside.exists() else shutil.which("newsgraph")
    if not found:
        raise SystemExit(
            "no `newsgraph` command: install the package (pip install -e .) or activate its virtualenv"
        )
    return found


def store_stats(db: Path) -> dict[str, object]:
    if not db.exists():
        return {"documents": 0, "errors": 0}
    with Store(db) as store:
        return store.stats()


def _count(stats: dict[str, object], key: str) -> int:
    value = stats.get(key, 0)
    return value if isinstance(value, int) else 0


def run_ingest(command: Sequence[str], db: Path, n: int, log: Path) -> RunReport:
    """Run one ingest command to its end, measuring time and memory, and what the store gained."""
    before = store_stats(db)
    with open(log, "w", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        with TreeMemorySampler(proc.pid).running() as sampler:
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    after = store_stats(db)
    return RunReport(
        returncode=proc.returncode,
        wall_s=round(wall, 2),
        docs_per_s=round(n / wall, 1),
        added=_count(after, "documents") - _count(before, "documents"),
        errors=_count(after, "errors") - _count(before, "errors"),
        peak_tree_rss_mb=round(sampler.peak_rss_kb / 1024, 1),
        peak_tree_pss_mb=round(sampler.peak_pss_kb / 1024, 1),
        peak_process_rss_mb=round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
        output_tail=log.read_text(encoding="utf-8", errors="replace")[-OUTPUT_TAIL_CHARS:],
    )


def db_bytes(db: Path) -> int:
    """The store on disk, write-ahead log and shared-memory files included."""
    return sum(path.stat().st_size for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if path.exists())


def host_description() -> str:
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def summary_line(report: BenchReport) -> str:
    first, again = report.first, report.again
    return (
        f"- ingest {report.n:,} synthetic docs ({report.input_mb:.1f} MB, {report.languages} languages), "
        f"stages {'+'.join(report.stages)}, workers={report.workers}: "
        f"{first.wall_s:.1f} s, {first.docs_per_s:.1f} docs/s, "
        f"added {first.added:,}, peak memory {first.peak_tree_rss_mb:,.0f} MB RSS tree "
        f"({first.peak_tree_pss_mb:,.0f} MB PSS, largest process {first.peak_process_rss_mb:,.0f} MB), "
        f"DB {report.db_mb:.1f} MB; re-run: {again.added} added in {again.wall_s:.1f} s "
        f"({again.docs_per_s:,.0f} docs/s) [{report.host}]"
    )


def _noting_languages(records: Iterable[dict[str, str]], seen: set[str]) -> Iterator[dict[str, str]]:
    for record in records:
        seen.add(record["lang"])
        yield record


def benchmark(n: int, workers: int, seed: int, workdir: Path) -> BenchReport:
    data, db = workdir / f"synthetic-{n}.jsonl", workdir / "bench.db"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    languages: set[str] = set()
    with open(data, "w", encoding="utf-8") as out:
        write_jsonl(_noting_languages(generate(n, seed), languages), out)
    generate_s = time.perf_counter() - started
    command = [newsgraph_command(), "--db", str(db), "ingest", str(data), "--workers", str(workers)]
    first = run_ingest(command, db, n, workdir / "first.log")
    again = run_ingest(command, db, n, workdir / "again.log")
    report = BenchReport(
        n=n,
        workers=workers,
        stages=list(load_settings().stages),
        input_mb=round(data.stat().st_size / MB, 1),
        languages=len(languages),
        generate_s=round(generate_s, 1),
        first=first,
        again=again,
        db_mb=round(db_bytes(db) / MB, 1),
        store_stats=store_stats(db),
        host=host_description(),
        summary="",
    )
    report.summary = summary_line(report)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="synthetic articles to ingest (default 10000)")
    parser.add_argument("--workers", type=int, default=2, help="newsgraph ingest --workers (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic articles (default 0)")
    parser.add_argument("--json", type=Path, help="write the full report here as JSON")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the input, the store and the logs here (default: a temporary folder)",
    )
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        report = benchmark(args.n, args.workers, args.seed, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="newsgraph-bench-") as tmp:
            report = benchmark(args.n, args.workers, args.seed, Path(tmp))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    for name, run in (("first run", report.first), ("second run", report.again)):
        if run.returncode:
            print(f"{name} failed (exit {run.returncode}):\n{run.output_tail}", file=sys.stderr)
    print(report.summary)
    return max(report.first.returncode, report.again.returncode)


if __name__ == "__main__":
    sys.exit(main())
