"""Choose the timeline's confidence threshold (setting `timeline_min_confidence`) on the news dev split.

    python ../shared/eval/run.py news --split dev --workdir /tmp/news \\
        --cmd 'newsgraph extract {input} --output {output} --workers 1'
    python scripts/timeline_threshold.py /tmp/news/news-all.out.jsonl

Scores the same output again with the events below each threshold left out (what the CLI and web
timeline would show) and prints CONSULT and timeline P/R/F1 per threshold, then the highest threshold
whose timeline F1 is the best: the one to write in `newsgraph.config.TIMELINE_MIN_CONFIDENCE` when
`confidence` is recalibrated. Uses the kit's scorer (`benchmarks/news.py`), standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from evalkit import EVAL

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
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
    best = max(summary["timeline_f1"] for _, summary in results)
    chosen = max(t for t, summary in results if summary["timeline_f1"] == best)
    print(f"highest threshold with the best timeline F1 ({best:.4f}): {chosen}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
