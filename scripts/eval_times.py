"""Run the "times" component over the times benchmark's inputs and score it with the eval kit.

    .venv/bin/python scripts/eval_times.py                       # dev split, scores printed
    .venv/bin/python scripts/eval_times.py --out /tmp/times.jsonl --errors 30

Each input becomes a Document (its `published` read by `parse_published`, its language given as a
hint) and goes through the "language", "clean", "sentences" and "times" stages. Predictions are
written as interchange-like records (doc_id, text, times) and scored by
`python ../shared/eval/run.py times --split SPLIT --pred FILE`. `--errors N` also prints up to N
gold time expressions that were missed or got a wrong value, with the predicted ones beside them.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evalkit import arguments, score

from newsgraph import times  # noqa: F401  registers the "times" component
from newsgraph.config import load_settings
from newsgraph.ingest.metadata import parse_published
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate

STAGES = ("language", "clean", "sentences", "times")
_CALENDAR = re.compile(r"\d{4}(?:-\d\d(?:-\d\d(?:T\d\d(?::\d\d)?)?)?)?")  # the values the scorer compares


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("--errors", type=int, default=0, help="print up to N missed or wrongly valued gold items")
    ap.add_argument("--lang", help="only print errors of this language")
    args = ap.parse_args()

    folder = args.eval / "data" / "times" / args.split
    inputs = _read_jsonl(folder / "inputs.jsonl")
    settings = load_settings(stages=STAGES)
    started = time.perf_counter()
    docs = annotate([_document(rec) for rec in inputs], settings)
    print(f"{len(docs)} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    out = args.out or Path(tempfile.mkdtemp()) / "times.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for doc in docs:
            record = {"doc_id": doc.doc_id, "text": doc.text, "times": [t.to_record() for t in doc.times]}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.errors:
        _print_errors(docs, _read_jsonl(folder / "gold.jsonl"), args.errors, args.lang)
    return score(args.eval, "times", args.split, out)


def _document(rec: dict[str, Any]) -> Document:
    published = parse_published(rec["published"]) if rec.get("published") else None
    return Document(doc_id=rec["id"], text=rec["text"], lang_hint=rec.get("lang"), published=published)


def _print_errors(docs: list[Document], gold: list[dict[str, Any]], limit: int, lang: str | None) -> None:
    by_id = {doc.doc_id: doc for doc in docs}
    shown = 0
    for rec in gold:
        doc = by_id[rec["id"]]
        if lang and rec["lang"] != lang:
            continue
        for item in rec["timexes"]:
            overlapping = [t for t in doc.times if t.start < item["end"] and item["start"] < t.end]
            comparable = item["type"] in ("DATE", "TIME") and _CALENDAR.fullmatch(item["value"])
            if overlapping and not (
                comparable and not any((t.value or "").startswith(item["value"]) for t in overlapping)
            ):
                continue
            shown += 1
            context = doc.text[max(0, item["start"] - 40) : item["end"] + 30].replace("\n", " ")
            predicted = [(t.text, t.value) for t in overlapping]
            print(
                f"{rec['dct']} {item['type']:8} {item['value']:12} {item['text']!r:30} -> {predicted}"
                f"  | {context}"
            )
            if shown >= limit:
                return


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


if __name__ == "__main__":
    raise SystemExit(main())
