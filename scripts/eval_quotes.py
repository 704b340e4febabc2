"""Run the pipeline up to "quotes" over the quotes benchmark (and the seed articles) and score it.

    .venv/bin/python scripts/eval_quotes.py                 # dev split: PolNeAR (English)
    .venv/bin/python scripts/eval_quotes.py --seeds         # also the seed articles' quotes
    .venv/bin/python scripts/eval_quotes.py --out /tmp/quotes.jsonl

Each input record goes through the stages "language", "clean", "sentences", "mentions", "quotes",
then the corpus-wide entity resolver (as `newsgraph extract` does); the records are written in the
interchange format and scored by `python ../shared/eval/run.py quotes --split SPLIT --pred FILE`.
The same documents are scored a second time with every quoted stretch kept (`min_score=0`: scare
quotes and titles in quotation marks too), so the effect of that decision shows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evalkit import annotate_all, arguments, score, seeds_input, write_records

from newsgraph.config import load_settings
from newsgraph.ingest.readers import read_paths
from newsgraph.language.syntax import analyse
from newsgraph.model import Document, Quote
from newsgraph.pipeline.resolve import CorpusPass, resolve_stream
from newsgraph.quotes.component import extract_quotes

STAGES = ("language", "clean", "sentences", "mentions", "quotes")


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("--limit", type=int, help="only the first N inputs")
    ap.add_argument("--seeds", action="store_true", help="also score the seed articles (run.py seeds)")
    args = ap.parse_args()

    settings = load_settings(stages=STAGES)
    inputs = args.eval / "data" / "quotes" / args.split / "inputs.jsonl"
    out = args.out or Path(tempfile.mkstemp(suffix=".jsonl", prefix="quotes-")[1])
    started = time.perf_counter()
    docs = annotate_all(read_paths([inputs], settings), settings, args.limit)
    every_quote = {doc.doc_id: extract_quotes(doc, analyse(doc, settings), min_score=0.0) for doc in docs}
    local_ids = {doc.doc_id: [m.entity for m in doc.mentions] for doc in docs}
    docs = list(resolve_stream(docs, CorpusPass()))
    print(f"annotated {len(docs)} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    write_records(docs, out)
    print("-- quotations as the pipeline keeps them (scare quotes and titles left out):")
    status = score(args.eval, "quotes", args.split, out)
    for doc in docs:
        doc.quotes = with_global_speakers(every_quote[doc.doc_id], local_ids[doc.doc_id], doc)
    every = out.with_name(out.stem + "-every-quote.jsonl")
    write_records(docs, every)
    print("-- every quoted stretch kept (min_score=0):")
    status = max(status, score(args.eval, "quotes", args.split, every))
    if args.seeds:
        status = max(status, score_seeds(args.eval, settings))
    return status


def with_global_speakers(quotes: list[Quote], local_ids: list[str | None], doc: Document) -> list[Quote]:
    """`quotes` (extracted before resolution) with their speakers' global ids, read off the mentions."""
    mapping = {local: m.entity for local, m in zip(local_ids, doc.mentions, strict=True) if local}
    for quote in quotes:
        quote.speaker = mapping.get(quote.speaker, quote.speaker) if quote.speaker else None
    return quotes


def score_seeds(eval_dir: Path, settings: Any) -> int:
    """The seed articles under the ids the seeds scorer expects ("seeds:<id>")."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = seeds_input(Path(tmp))
        pred = Path(tmp) / "pred.jsonl"
        docs = annotate_all(read_paths([inputs], settings), settings)
        write_records(resolve_stream(docs, CorpusPass()), pred)
        return score(eval_dir, "seeds", "dev", pred)


if __name__ == "__main__":
    raise SystemExit(main())
