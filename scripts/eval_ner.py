"""Run the "mentions" component over an eval benchmark's inputs and score it (ner, or link recognition).

    .venv/bin/python scripts/eval_ner.py ner --out /tmp/ner.jsonl            # all dev documents
    .venv/bin/python scripts/eval_ner.py link --every 10 --bare               # every 10th, bare model

Each document gets the language given with it (or, with --detect, the "language" stage's), then
the "clean" and "sentences" stages when they are registered, then the recogniser that the settings
name for its language. `--bare` skips the repairs and the within-document clusters. Predictions
are written as interchange-like records (doc_id, text, mentions with start, end, type, entity);
the entity of a mention is its local cluster's name lower-cased (the bare model: its own text),
which is what recognition needs. The scores printed are the eval kit's own scorer's, restricted
to the documents run; for the official numbers, score the whole split with
`python ../shared/eval/run.py BENCH --split dev --pred FILE`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evalkit import arguments

from newsgraph.config import Settings, load_settings
from newsgraph.entities.backends import FALLBACK, recognizer_for
from newsgraph.entities.local import cluster_mentions
from newsgraph.entities.recognize import find_mentions
from newsgraph.model import Document, Mention
from newsgraph.pipeline.components import factories

PREPARING = ("clean", "sentences")


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("bench", choices=("ner", "link"))
    ap.add_argument("--every", type=int, default=1, help="only every Nth document (a sample across corpora)")
    ap.add_argument("--lang", help="only these languages (comma-separated)")
    ap.add_argument("--bare", action="store_true", help="no repairs, no clusters")
    ap.add_argument("--detect", action="store_true", help="detect the language")
    ap.add_argument("--config", help="settings TOML (models per language)")
    args = ap.parse_args()

    settings = load_settings(args.config)
    inputs = _read_jsonl(args.eval / "data" / args.bench / args.split / "inputs.jsonl")[:: args.every]
    if args.lang:
        inputs = [r for r in inputs if r.get("lang") in args.lang.split(",")]
    started = time.perf_counter()
    records = list(predict(inputs, settings, bare=args.bare, detect=args.detect))
    elapsed = time.perf_counter() - started
    if args.out:
        with args.out.open("w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    chars = sum(len(r["text"]) for r in inputs)
    rate = chars / max(elapsed, 1e-9)
    print(f"{len(records)} documents, {chars} characters in {elapsed:.1f} s ({rate:.0f} chars/s)")
    _score(args.eval, args.bench, args.split, records)
    return 0


def predict(
    inputs: list[dict[str, Any]], settings: Settings, bare: bool, detect: bool
) -> Iterator[dict[str, Any]]:
    available = factories()
    stages = [name for name in (("language",) if detect else ()) + PREPARING if name in available]
    components = [available[name](settings) for name in stages]
    for rec in inputs:
        doc = Document(
            doc_id=rec["id"],
            text=rec["text"],
            lang=None if detect else rec.get("lang"),
            lang_hint=rec.get("lang"),
        )
        for component in components:
            doc = component(doc)
        recognizer = recognizer_for(settings.models.get(doc.lang or "", FALLBACK), doc.lang)
        mentions = find_mentions(doc, recognizer, repair=not bare)
        if bare:
            yield _record(doc, mentions, {m.start: m.text.casefold() for m in mentions})
        else:
            clustered, entities = cluster_mentions(doc.text, mentions, doc.lang)
            names = {m.start: entities[m.entity].name.casefold() for m in clustered if m.entity}
            yield _record(doc, clustered, names)


def _record(doc: Document, mentions: list[Mention], entity_of: dict[int, str]) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "lang": doc.lang,
        "mentions": [
            {"start": m.start, "end": m.end, "type": m.type, "text": m.text, "entity": entity_of.get(m.start)}
            for m in mentions
        ],
    }


def _score(eval_dir: Path, bench: str, split: str, records: list[dict[str, Any]]) -> None:
    sys.path.insert(0, str(eval_dir))
    from benchmarks import common, link, ner  # type: ignore[attr-defined]  # the eval kit's scorers

    scorer = {"ner": ner, "link": link}[bench]
    _, gold = scorer.load(eval_dir / "data", split)
    gold = common.restrict(gold, [r["doc_id"] for r in records])
    result = scorer.score(gold, {r["doc_id"]: r for r in records})
    for table in result["tables"]:
        print(table, end="\n\n")
    print(" ".join(f"{k}={v:.4f}" for k, v in result["summary"].items()))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


if __name__ == "__main__":
    sys.exit(main())
