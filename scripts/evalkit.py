"""What the evaluation scripts share: where the kit is, annotating a stream, writing records, scoring."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from newsgraph.batching import chunked
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds.jsonl"
BATCH = 16


def annotate_all(docs: Iterable[Document], settings: Any, limit: int | None = None) -> list[Document]:
    """Every document annotated in-process, in batches (the first `limit` only, when given)."""
    return [doc for batch in chunked(islice(docs, limit), BATCH) for doc in annotate(batch, settings)]


def write_records(docs: Iterable[Document], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc.to_record(), ensure_ascii=False) + "\n")


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """A parser with what every evaluation script takes: --split, --eval, --out."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--eval", type=Path, default=EVAL, help="the eval kit folder (run.py, data/)")
    parser.add_argument("--out", type=Path, help="write the predictions here (JSON Lines)")
    return parser


def score(eval_dir: Path, bench: str, split: str, pred: Path, *extra: str) -> int:
    """`run.py BENCH --split SPLIT --pred PRED [extra...]`: the kit scores the predictions."""
    command = [sys.executable, str(eval_dir / "run.py"), bench, "--split", split, "--pred", str(pred), *extra]
    return subprocess.run(command, check=False).returncode


def seeds_input(folder: Path) -> Path:
    """The seed articles under the ids the seeds scorer expects ("seeds:<id>"), as a file in `folder`."""
    inputs = folder / "seeds.jsonl"
    with SEEDS.open(encoding="utf-8") as f, inputs.open("w", encoding="utf-8") as g:
        for line in f:
            rec = json.loads(line)
            g.write(json.dumps({**rec, "id": f"seeds:{rec['id']}"}, ensure_ascii=False) + "\n")
    return inputs
