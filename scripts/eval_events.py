"""Run the pipeline up to "events" over the events benchmark (and the seed articles) and score it.

    .venv/bin/python scripts/eval_events.py                     # dev split: PLOVER + factRuEval meetings
    .venv/bin/python scripts/eval_events.py --seeds             # also the seed articles' events
    .venv/bin/python scripts/eval_events.py --errors 20 --out /tmp/events.jsonl

Each input record (id, text, published, lang) is read by the JSON Lines reader and goes through the
stages "language", "clean", "sentences", "mentions", "times", "syntax", "events", then the
corpus-wide entity resolver (as `newsgraph extract` does); the records are written in the
interchange format and scored by `python ../shared/eval/run.py events --split SPLIT --pred FILE`
(and `run.py seeds` with `--seeds`, which also prints the event clusters the seed articles share).
`--errors N` prints up to N PLOVER sentences whose gold type was not predicted, with the types that
were.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evalkit import annotate_all, arguments, score, seeds_input, write_records

from newsgraph.config import load_settings
from newsgraph.entities import recognize  # noqa: F401  registers "mentions"
from newsgraph.events import component  # noqa: F401  registers "events"
from newsgraph.events.cluster import EventCluster, cluster_events
from newsgraph.ingest.readers import read_paths
from newsgraph.language import syntax  # noqa: F401  registers "syntax"
from newsgraph.model import Document
from newsgraph.pipeline.resolve import CorpusPass, resolve_stream
from newsgraph.times import component as times_component  # noqa: F401  registers "times"

STAGES = ("language", "clean", "sentences", "mentions", "times", "syntax", "events")


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("--limit", type=int, help="only the first N inputs")
    ap.add_argument("--seeds", action="store_true", help="also score the seed articles (run.py seeds)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N PLOVER sentences of a missed type")
    args = ap.parse_args()

    settings = load_settings(stages=STAGES)
    inputs = args.eval / "data" / "events" / args.split / "inputs.jsonl"
    out = args.out or Path(tempfile.mkstemp(suffix=".jsonl", prefix="events-")[1])
    started = time.perf_counter()
    docs = list(
        resolve_stream(annotate_all(read_paths([inputs], settings), settings, args.limit), CorpusPass())
    )
    print(f"annotated {len(docs)} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    write_records(docs, out)
    status = score(args.eval, "events", args.split, out)
    if args.errors:
        print_misses(docs, args.eval / "data" / "events" / args.split / "gold.jsonl", args.errors)
    if args.seeds:
        status = max(status, score_seeds(args.eval, settings))
    return status


def score_seeds(eval_dir: Path, settings: Any) -> int:
    """The seed articles under the ids the seeds scorer expects ("seeds:<id>")."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = seeds_input(Path(tmp))
        pred = Path(tmp) / "pred.jsonl"
        docs = list(resolve_stream(annotate_all(read_paths([inputs], settings), settings), CorpusPass()))
        print_clusters(cluster_events(docs))
        write_records(docs, pred)
        return score(eval_dir, "seeds", "dev", pred)


def print_clusters(clusters: list[EventCluster]) -> None:
    """How the seed articles' events group across documents, and the clusters several report."""
    shared = [c for c in clusters if c.reports > 1]
    print(
        f"event clusters: {len(clusters)}, reported by several documents: {len(shared)}, "
        f"in several languages: {sum(len(c.languages) > 1 for c in shared)}",
        file=sys.stderr,
    )
    for cluster in sorted(shared, key=lambda c: -c.reports):
        date = cluster.date.value if cluster.date else None
        print(
            f"  {cluster.type} {cluster.mode} {' / '.join(cluster.actors)} {date} "
            f"reports={cluster.reports} languages={cluster.languages}",
            file=sys.stderr,
        )


def print_misses(docs: list[Document], gold_path: Path, limit: int) -> None:
    gold = {rec["id"]: rec for rec in map(json.loads, gold_path.read_text(encoding="utf-8").splitlines())}
    shown = 0
    for doc in docs:
        g = gold.get(doc.doc_id)
        if not g or g.get("corpus") != "plover":
            continue
        types = sorted({e.type for e in doc.events})
        if g["type"] not in types:
            print(f"{g['type']:9} predicted {types}: {doc.text[:160]!r}")
            shown += 1
            if shown >= limit:
                break


if __name__ == "__main__":
    raise SystemExit(main())
