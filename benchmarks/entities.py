"""Throughput of entity recognition and of corpus-wide linking, per language.

Reads real news from the evaluation kit beside the project (`../shared/eval/data/{ner,link}/dev`,
never copied into the repository), takes up to `--per-lang` documents per language, and measures
in this process (models loaded before timing):
- recognition: the `language`, `clean`, `sentences` and `mentions` stages, documents/s;
- linking: the resolver over all those documents together (default knowledge base), documents/s.

    python benchmarks/entities.py [--per-lang 100] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from newsgraph.config import Settings
from newsgraph.ingest.metadata import parse_published
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate, pipeline_for
from newsgraph.pipeline.resolve import CorpusPass

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "data"
STAGES = ("language", "clean", "sentences", "mentions")


def sample(per_lang: int) -> dict[str, list[Document]]:
    by_lang: dict[str, list[Document]] = defaultdict(list)
    for bench in ("ner", "link"):
        with (EVAL / bench / "dev" / "inputs.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                rec = json.loads(line)
                lang = rec.get("lang")
                if not lang or len(by_lang[lang]) >= per_lang:
                    continue
                published = parse_published(rec["published"]) if rec.get("published") else None
                by_lang[lang].append(
                    Document(doc_id=rec["id"], text=rec["text"], lang_hint=lang, published=published)
                )
    return by_lang


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-lang", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = Settings().with_overrides(stages=STAGES)
    pipeline_for(settings)  # load what can be loaded before timing (models load on first document)
    results: dict[str, Any] = {}
    annotated: list[Document] = []
    for lang, docs in sorted(sample(args.per_lang).items()):
        annotate(docs[:1], settings)  # warm the language's model
        started = time.perf_counter()
        done = annotate(docs, settings)
        seconds = time.perf_counter() - started
        mentions = sum(len(d.mentions) for d in done)
        results[lang] = {
            "documents": len(done),
            "recognition_docs_per_s": round(len(done) / seconds, 1),
            "mentions_per_doc": round(mentions / len(done), 1),
        }
        annotated += done
    corpus = CorpusPass()
    started = time.perf_counter()
    corpus(annotated)
    seconds = time.perf_counter() - started
    results["linking"] = {
        "documents": len(annotated),
        "docs_per_s": round(len(annotated) / seconds, 1),
        "entities": len(corpus.resolver.index),
    }
    for lang, row in results.items():
        print(f"{lang:8} {row}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
