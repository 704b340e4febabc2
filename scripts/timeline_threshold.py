"""Choose the timeline's confidence threshold (setting `timeline_min_confidence`) on the news dev split.

    python ../shared/eval/run.py news --split dev --workdir /tmp/news \\
        --cmd 'newsgraph extract {input} --output {output} --workers 1'
    python scripts/timeline_threshold.py /tmp/news/news-all.out.jsonl

Scores the same output again with the events below each threshold left out (what the CLI and web
timeline would show) and prints CONSULT and timeline P/R/F1 per threshold, then the run of consecutive
thresholds that share the best timeline F1 and the one in its middle: the value to write in
`newsgraph.config.TIMELINE_MIN_CONFIDENCE` when `confidence` is recalibrated. The middle, not the
highest, because `confidence` takes a few calibrated levels: a threshold on a level's edge flips
every event of that level when the calibration moves a little. Uses the kit's scorer
(`benchmarks/news.py`), standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from evalkit import EVAL

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(20))  # 0.00 ... 0.95
SHOWN = (
    "consult_p",
    "consult_r",
    "consult_f1",
    "timeline_p",
    "timeline_r",
    "timeline_f1",
    "timeline_wrong_date",
)


def sweep(records: list[dict[str, Any]], eval_dir: Path, split: str) -> list[tuple[float, dict[str, float]]]:
    """(threshold, summary) for each threshold: the scorer's summary of the records so filtered."""
    sys.path.insert(0, str(eval_dir))
    from benchmarks import news  # the kit's own scorer

    _, gold = news.load(eval_dir / "data", split)
    out = []
    for threshold in THRESHOLDS:
        kept = {
            r["doc_id"]: {
                **r,
                "events": [e for e in r.get("events", []) if e.get("confidence", 1.0) >= threshold],
            }
            for r in records
        }
        out.append((threshold, news.score(gold, kept)["summary"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pred", type=Path, help="the news output of `newsgraph extract` (JSON Lines)")
    parser.add_argument("--eval", type=Path, default=EVAL, help="the eval kit folder (run.py, data/)")
    parser.add_argument("--split", default="dev")
    args = parser.parse_args(argv)
    with args.pred.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    results = sweep(records, args.eval, args.split)
    print("threshold  " + "  ".join(f"{k:>19}" for k in SHOWN))
    for threshold, summary in results:
        print(f"{threshold:9.2f}  " + "  ".join(f"{summary[k]:19.4f}" for k in SHOWN))
    low, high, chosen = best_plateau(results)
    print(f"best timeline F1 from {low} to {high}; middle: {chosen}")
    return 0


def best_plateau(results: list[tuple[float, dict[str, float]]]) -> tuple[float, float, float]:
    """(first, last, middle) threshold of the longest run of consecutive thresholds with the best
    timeline F1: the middle keeps the best F1 with the widest margin on both sides."""
    best = max(summary["timeline_f1"] for _, summary in results)
    runs: list[list[float]] = []
    previous_best = False
    for threshold, summary in results:
        is_best = summary["timeline_f1"] == best
        if is_best and previous_best:
            runs[-1].append(threshold)
        elif is_best:
            runs.append([threshold])
        previous_best = is_best
    run = max(runs, key=len)
    return run[0], run[-1], run[len(run) // 2]


if __name__ == "__main__":
    raise SystemExit(main())
