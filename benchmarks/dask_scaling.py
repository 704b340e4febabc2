"""Speed-up from 1 to 2 workers of the two annotation runners: the local supervised processes
(`run_local`) and a Dask cluster of single-threaded worker processes (`run_dask`).

Each repeat annotates WARMUP synthetic articles (`synthetic.py`, fixed seed), then, timed, N more
with the same workers, so model loading (once per worker) is left out and what is measured is the
throughput of annotation. The corpus pass and the store are not part of it: they run in the one writer process
whichever runner annotates. Each configuration is run `--repeats` times; the median is reported.
The local runner starts its worker processes afresh each run; one Dask cluster per worker count
serves all its repeats (its workers keep their models, as a long-lived cluster does).

    python benchmarks/dask_scaling.py --n 100 --repeats 3 --json out/bench-dask.json

The last line printed is a one-line summary for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from synthetic import generate

from newsgraph.config import load_settings
from newsgraph.ingest.readers import record_document
from newsgraph.model import Document
from newsgraph.pipeline.dask import run_dask
from newsgraph.pipeline.local import Supervisor

Runner = Callable[[Iterable[Document]], Iterator[Document]]


def documents(records: Sequence[dict[str, str]]) -> list[Document]:
    """Fresh documents for one run (annotation fills them in place)."""
    settings = load_settings(None)
    return [record_document(dict(record), "synthetic.jsonl", settings) for record in records]


def timed_rate(run: Runner, records: Sequence[dict[str, str]], warmup: int) -> float:
    """Documents per second over `records[warmup:]`, annotated after `records[:warmup]` were.

    The warm-up run ends only when every one of its documents is out, and each worker got one of
    the first, so every worker has loaded its models before the clock starts.
    """
    for _ in run(documents(records[:warmup])):
        pass
    started = time.perf_counter()
    out = sum(1 for _ in run(documents(records[warmup:])))
    assert out == len(records) - warmup, f"{out} of {len(records) - warmup} documents came back"
    return out / (time.perf_counter() - started)


def local_rates(records: Sequence[dict[str, str]], workers: int, warmup: int, repeats: int) -> list[float]:
    """The supervised worker processes of `run_local`, started afresh (models loaded) each repeat."""
    settings = load_settings(None).with_overrides(workers=workers, batch_size=4)
    rates = []
    for _ in range(repeats):
        supervisor = Supervisor(settings)
        try:
            rates.append(timed_rate(supervisor.run, records, warmup))
        finally:
            supervisor.close()
    return rates


def peak_rss_mb() -> float:
    """Run on a worker: the most memory its process has held (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def plugins(dask_worker: Any) -> list[str]:
    """Run on a worker: the names of its plugins (newsgraph's loads the pipeline)."""
    return sorted(dask_worker.plugins)


PEAKS: list[float] = []  # the Dask workers' peak memory, MB, over every run


def dask_rates(records: Sequence[dict[str, str]], workers: int, warmup: int, repeats: int) -> list[float]:
    import distributed

    settings = load_settings(None).with_overrides(workers=workers, batch_size=4)
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        address = cluster.scheduler_address
        rates = [
            timed_rate(lambda docs: run_dask(docs, settings, address), records, warmup)
            for _ in range(repeats)
        ]
        assert all("newsgraph-pipeline" in names for names in client.run(plugins).values())
        PEAKS.extend(client.run(peak_rss_mb).values())
        return rates


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="articles timed per run (default 100)")
    parser.add_argument("--warmup", type=int, default=8, help="articles before the clock starts (default 8)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per configuration (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runners", nargs="*", default=["local", "dask"], help="local, dask (default both)")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    records = list(generate(args.warmup + args.n, seed=args.seed))
    figures: dict[str, Any] = {"n": args.n, "warmup": args.warmup, "cpus": os.cpu_count()}
    runners = {"local": local_rates, "dask": dask_rates}
    for name, rates in ((name, runners[name]) for name in args.runners):
        for workers in (1, 2):
            measured = rates(records, workers, args.warmup, args.repeats)
            figures[f"{name}_{workers}"] = {"docs_per_s": measured, "median": statistics.median(measured)}
            print(f"{name} x{workers}: {', '.join(f'{r:.2f}' for r in measured)} docs/s", flush=True)
    summary = []
    for name in args.runners:
        one, two = figures[f"{name}_1"]["median"], figures[f"{name}_2"]["median"]
        figures[f"{name}_speedup"] = two / one
        summary.append(f"{name} 1w {one:.2f} -> 2w {two:.2f} ({two / one:.2f}x)")
    if PEAKS:
        figures["dask_worker_peak_mb"] = max(PEAKS)
        summary.append(f"dask worker peak {max(PEAKS):,.0f} MB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2)
    print(f"{args.n} synthetic docs, medians of {args.repeats}, docs/s after warm-up: {'; '.join(summary)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
