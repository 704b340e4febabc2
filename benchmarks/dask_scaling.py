"""Speed-up from 1 to 2 workers of the two annotation runners: the local supervised processes
(`run_local`) and a Dask cluster of single-threaded worker processes (`run_dask`).

Workers load a language's models when the first document in it reaches them, so before the clock
starts every worker annotates one article of each language (`Supervisor.warm`; on Dask,
`client.run`). Then N synthetic articles (`synthetic.py`, fixed seed) are timed through the same
workers: what is measured is the throughput of annotation, not
model loading (before, a warm-up of 8 articles shared between two workers left each to load the
models of the languages it had not met on the clock: fr 24 s, pl 16 s, de 8 s on this machine, and
two local workers read as three times slower than one). `local+pass` also runs the corpus pass of
`extract` (ids, clusters, stories) on the local runner's output in this process, as `extract` and
`ingest` do: the workers keep annotating while it runs. Each configuration is run `--repeats`
times (the local runner with fresh workers each time) and the median reported.

Wall time and CPU time are both reported: on a shared machine wall time depends on what else
runs, while the CPU seconds per article of a sound run with two workers are about those of one
(workers' user+system time on the clock, read from /proc, plus this process's).

    python benchmarks/dask_scaling.py --n 100 --repeats 3 --runners local local+pass --json out/dask.json

The last line printed is a one-line summary for docs/BENCHMARKS.md; run it on a quiet machine (no
other load) with at least two cores for the 1 -> 2 workers figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from synthetic import generate

from newsgraph.config import Settings, load_settings
from newsgraph.ingest.readers import record_document
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate
from newsgraph.pipeline.dask import run_dask
from newsgraph.pipeline.local import Supervisor
from newsgraph.pipeline.resolve import CorpusPass, resolve_stream

Runner = Callable[[Iterable[Document]], Iterator[Document]]


def documents(records: Sequence[dict[str, str]]) -> list[Document]:
    """Fresh documents for one run (annotation fills them in place)."""
    settings = load_settings(None)
    return [record_document(dict(record), "synthetic.jsonl", settings) for record in records]


@dataclass
class Timed:
    """One timed run: articles per second of wall time, and CPU seconds per article."""

    docs_per_s: float
    cpu_per_doc: float | None = None  # workers + this process; None where it cannot be read (Dask)
    worker_cpu_s: list[float] = field(default_factory=list)
    parent_cpu_s: float = 0.0
    busy: float | None = None  # share of the run's wall time the workers spent on documents (local)


def one_per_language(records: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The first record of each language: what a worker must meet to have loaded every model."""
    seen: dict[str, dict[str, str]] = {}
    for record in records:
        seen.setdefault(record["lang"], record)
    return list(seen.values())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (/proc/PID/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(run: Runner, docs: list[Document], pids: Callable[[], list[int]] = list) -> Timed:
    """Run `docs` through `run` on the clock, with the CPU time of the processes `pids` and this one."""
    workers, parent = [cpu_seconds(pid) for pid in pids()], own_cpu()
    started = time.perf_counter()
    out = sum(1 for _ in run(docs))
    wall = time.perf_counter() - started
    assert out == len(docs), f"{out} of {len(docs)} documents came back"
    if not workers:
        return Timed(out / wall)
    spent = [cpu_seconds(pid) - before for pid, before in zip(pids(), workers, strict=True)]
    own = own_cpu() - parent
    return Timed(out / wall, (sum(spent) + own) / out, [round(s, 2) for s in spent], round(own, 2))


Records = Sequence[dict[str, str]]


def local_runs(records: Records, warm: Records, workers: int, repeats: int, corpus: bool) -> list[Timed]:
    """The supervised worker processes of `run_local`, started afresh and warmed each repeat; with
    `corpus`, the corpus pass of `extract` runs on their output in this process."""
    settings = load_settings(None).with_overrides(workers=workers, batch_size=4)
    runs = []
    for _ in range(repeats):
        supervisor = Supervisor(settings)
        try:
            supervisor.warm(documents(warm))
            run = annotated_by(supervisor, corpus)
            if corpus:  # the corpus pass's own models (the story encoder), off the clock
                for _ in run(documents(warm)):
                    pass
            if supervisor.replaced:
                raise RuntimeError("a worker was replaced while warming up")
            busy = supervisor.busy_s
            done = timed(run, documents(records), partial(worker_pids, supervisor))
            done.busy = round((supervisor.busy_s - busy) * done.docs_per_s / len(records) / workers, 3)
            runs.append(done)
            if supervisor.replaced:
                raise RuntimeError("a worker was replaced on the clock: the run measured a restart")
        finally:
            supervisor.close()
    return runs


def worker_pids(supervisor: Supervisor) -> list[int]:
    return [worker.process.pid or 0 for worker in supervisor.workers]


def annotated_by(supervisor: Supervisor, corpus: bool) -> Runner:
    """The supervisor's runs; with `corpus`, followed by the corpus pass of `extract` in this process."""
    if not corpus:
        return supervisor.run
    passes = CorpusPass()

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        return resolve_stream(supervisor.run(docs), passes)

    return run


def warm_worker(records: list[dict[str, str]], settings: Settings) -> int:
    """Run on a Dask worker: annotate these articles (results dropped), loading their languages' models."""
    return len(annotate(documents(records), settings))


def peak_rss_mb() -> float:
    """Run on a worker: the most memory its process has held (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def plugins(dask_worker: Any) -> list[str]:
    """Run on a worker: the names of its plugins (newsgraph's loads the pipeline)."""
    return sorted(dask_worker.plugins)


PEAKS: list[float] = []  # the Dask workers' peak memory, MB, over every run


def dask_runs(records: Records, warm: Records, workers: int, repeats: int) -> list[Timed]:
    """A Dask `LocalCluster` of single-threaded worker processes, kept for every repeat; each worker
    annotates one article of each language first (`warm_worker`, run on every worker)."""
    import distributed

    settings = load_settings(None).with_overrides(workers=workers, batch_size=4)
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        address = cluster.scheduler_address

        def run(docs: Iterable[Document]) -> Iterator[Document]:
            return run_dask(docs, settings, address)

        client.run(warm_worker, list(warm), settings)  # every worker, every language
        runs = [timed(run, documents(records)) for _ in range(repeats)]
        assert all("newsgraph-pipeline" in names for names in client.run(plugins).values())
        PEAKS.extend(client.run(peak_rss_mb).values())
        return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="articles timed per run (default 100)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per configuration (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--runners", nargs="*", default=["local", "dask"], help="local, local+pass, dask (default local dask)"
    )
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    records = list(generate(args.n, seed=args.seed))
    warm = one_per_language(list(generate(200, seed=args.seed + 1)))
    figures: dict[str, Any] = {"n": args.n, "warm": [r["lang"] for r in warm], "cpus": os.cpu_count()}
    runners: dict[str, Callable[[Records, Records, int, int], list[Timed]]] = {
        "local": partial(local_runs, corpus=False),
        "local+pass": partial(local_runs, corpus=True),
        "dask": dask_runs,
    }
    for name in args.runners:
        for workers in (1, 2):
            runs = runners[name](records, warm, workers, args.repeats)
            rates = [r.docs_per_s for r in runs]
            cpu = [r.cpu_per_doc for r in runs if r.cpu_per_doc is not None]
            figures[f"{name}_{workers}"] = {
                "runs": [asdict(r) for r in runs],
                "median": statistics.median(rates),
                "cpu_per_doc": statistics.median(cpu) if cpu else None,
            }
            cpu_text = f"; CPU s/article {', '.join(f'{c:.3f}' for c in cpu)}" if cpu else ""
            busy = [r.busy for r in runs if r.busy is not None]
            if busy:
                cpu_text += f"; workers busy {', '.join(f'{b:.0%}' for b in busy)} of the wall time"
            print(f"{name} x{workers}: {', '.join(f'{r:.2f}' for r in rates)} docs/s{cpu_text}", flush=True)
    summary = []
    for name in args.runners:
        one, two = figures[f"{name}_1"], figures[f"{name}_2"]
        figures[f"{name}_speedup"] = two["median"] / one["median"]
        cpu_text = (
            f", CPU s/article {one['cpu_per_doc']:.3f} -> {two['cpu_per_doc']:.3f}"
            if one["cpu_per_doc"] is not None and two["cpu_per_doc"] is not None
            else ""
        )
        summary.append(
            f"{name} 1w {one['median']:.2f} -> 2w {two['median']:.2f} docs/s"
            f" ({figures[f'{name}_speedup']:.2f}x{cpu_text})"
        )
    if PEAKS:
        figures["dask_worker_peak_mb"] = max(PEAKS)
        summary.append(f"dask worker peak {max(PEAKS):,.0f} MB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2)
    load = os.getloadavg()[0]
    print(
        f"{args.n} synthetic docs, medians of {args.repeats}, warm workers, {os.cpu_count()} CPUs,"
        f" load {load:.1f}: {'; '.join(summary)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
