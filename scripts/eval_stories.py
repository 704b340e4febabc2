"""Group the stories benchmark's articles into stories and score them (SemEval-2022 pairs, BSNLP topics).

    .venv/bin/python scripts/eval_stories.py                               # dev, scored by run.py
    .venv/bin/python scripts/eval_stories.py --cache /tmp/stories.jsonl    # reuse annotated documents
    .venv/bin/python scripts/eval_stories.py --cache /tmp/stories.jsonl \\
        --grid threshold=0.4,0.5,0.6 entity_weight=0.3,0.5                  # tune: scores per setting
    .venv/bin/python scripts/eval_stories.py --cache /tmp/stories.jsonl --cv \
        --grid threshold=0.4,0.5,0.6                                          # choose across topics

Each batch of the benchmark (the SemEval articles, the BSNLP documents) is one run, as `newsgraph
extract` would do it: the JSON Lines reader, the stages "language", "clean", "sentences" and
"mentions" (when the recogniser imports), a fresh entity resolver, then a fresh `StoryIndex` fed
as the command's corpus pass feeds it: in chunks of `RESOLVE_BATCH` (512) documents in input order,
copies looked up in what earlier chunks printed, only the stories a chunk started may merge into
any story, and two established stories that both grew in a chunk merge under the stricter
`established_*` knobs (the ids written in earlier chunks then follow the survivor, as the command
rewrites them at the end).
`--cache` keeps the resolved documents (interchange records) so that later runs only group;
`--records DIR` reads them instead from a `run.py stories --workdir DIR` run of the command (its
`*.out.jsonl`), so that the grouping sees exactly the documents the command grouped.
Without `--grid` the records (`doc_id`, `text`, `story`) are written and scored by
`python ../shared/eval/run.py stories --split SPLIT --pred FILE`; with it, every combination of the
given `StoryParams` values is scored in-process by the same scorer, one summary line each.

`--cv` chooses among the `--grid` settings by leave-one-topic-out cross-validation over the BSNLP
topics, so that no parameter is chosen on the topic it is judged on: for each held-out topic, the
setting with the best score on the other topics alone (their documents grouped without the held-out
topic's; score = mean of their per-topic B-cubed F1 and the SemEval pair AUC) is applied to the
whole BSNLP batch, and the held-out topic's own B-cubed (its documents' precision and recall in that
grouping) is reported. The setting with the best score over all topics is printed last.

`--news FILE` is a check outside the tuning: FILE is what `newsgraph extract` wrote for the news
benchmark's inputs (`data/news/<split>/inputs.jsonl`), whose documents report four stories, told
apart by their ids (data/news/SOURCES.md: `news:aNN_…` story A, `bNN` B, `cNN` C, the seed
articles `news:seed_…` D); the B-cubed of the `story` field against those four labels is printed.
"""

from __future__ import annotations

import importlib
import itertools
import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from evalkit import arguments, score

from newsgraph.batching import chunked
from newsgraph.config import load_settings
from newsgraph.ingest.readers import read_paths
from newsgraph.model import Document
from newsgraph.pipeline.annotate import annotate
from newsgraph.pipeline.resolve import RESOLVE_BATCH, CorpusPass, resolve_stream
from newsgraph.stories import embed
from newsgraph.stories.duplicates import InMemoryDuplicates, find_duplicates
from newsgraph.stories.features import ArticleFeatures, article_features
from newsgraph.stories.group import StoryIndex, StoryParams, assign_with_copies

BASE_STAGES = ("language", "clean", "sentences")
INPUT_FIELDS = ("id", "text", "published", "lang", "title", "url", "outlet")
BATCH = 32


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("--cache", type=Path, help="resolved documents (JSON Lines): read, else written")
    ap.add_argument("--records", type=Path, help="a run.py stories workdir: group its *.out.jsonl records")
    ap.add_argument("--limit", type=int, help="only the first N inputs (as run.py --limit)")
    ap.add_argument("--news", type=Path, help="extract output of the news inputs: B-cubed of story")
    ap.add_argument("--cv", action="store_true", help="leave-one-topic-out choice among the --grid settings")
    ap.add_argument(
        "--grid",
        nargs="*",
        default=[],
        metavar="PARAM=V1,V2",
        help="StoryParams values to try (every combination is scored)",
    )
    ap.add_argument(
        "--lead-words",
        type=int,
        help=f"words of the lead embedded per article for this run (default {embed.LEAD_WORDS}); the"
        " vectors are recomputed, unless --cache names a file whose vectors were made at that length",
    )
    args = ap.parse_args()
    if args.lead_words:
        embed.LEAD_WORDS = args.lead_words
    if args.news:
        return news_check(args.news)

    bench = benchmark_module(args.eval)
    data_dir = args.eval / "data" if args.split == "dev" else Path("/tmp/holdout")
    inputs, gold = bench.load(str(data_dir), args.split)
    if args.limit:
        inputs = inputs[: args.limit]
        gold = bench.restrict(gold, [i["id"] for i in inputs])
    batches = command_records(inputs, args.records) if args.records else resolved_batches(inputs, args.cache)
    started = time.perf_counter()
    articles = {name: features(docs, args.cache) for name, docs in batches.items()}
    n_docs = sum(len(docs) for docs in batches.values())
    print(f"features of {n_docs} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for name, docs in batches.items():
        MATCHED[name] = chunk_copies(docs)
        print(f"{name}: {sum(map(len, MATCHED[name]))} copies of another text", file=sys.stderr)

    if args.cv:
        return cross_validate(bench, gold, articles, batches["bsnlp"], grid(args.grid))
    if args.grid:
        for params in grid(args.grid):
            stories = group(articles, params)
            views = {doc_id: {"story": story, "_view": True} for doc_id, story in stories.items()}
            summary = bench.score(gold, views)["summary"]
            print(
                " ".join(f"{k}={v}" for k, v in changed(params).items()) or "defaults",
                " ".join(f"{k}={v:.3f}" for k, v in summary.items()),
                flush=True,
            )
        return 0
    stories = group(articles, StoryParams())
    out = args.out or Path(tempfile.mkstemp(suffix=".jsonl", prefix="stories-")[1])
    with out.open("w", encoding="utf-8") as f:
        for docs in batches.values():
            for doc in docs:
                f.write(
                    json.dumps(
                        {"doc_id": doc.doc_id, "text": doc.text, "story": stories[doc.doc_id]},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return score(args.eval, "stories", args.split, out, *(["--limit", str(args.limit)] if args.limit else []))


def benchmark_module(eval_dir: Path) -> ModuleType:
    """The eval kit's stories benchmark (its loader builds the BSNLP batch under opaque ids)."""
    sys.path.insert(0, str(eval_dir))
    return importlib.import_module("benchmarks.stories")


def resolved_batches(inputs: Sequence[dict[str, Any]], cache: Path | None) -> dict[str, list[Document]]:
    """Annotated and resolved documents by batch, from `cache` when it exists (then written there)."""
    if cache and cache.exists():
        wanted = {rec["id"] for rec in inputs}
        batches: dict[str, list[Document]] = {}
        for line in cache.open(encoding="utf-8"):
            rec = json.loads(line)
            if rec["doc_id"] in wanted:
                batches.setdefault(rec["batch"], []).append(Document.from_record(rec))
        return batches
    settings = load_settings(stages=stages())
    batches = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, records in by_batch(inputs).items():
            path = Path(tmp) / f"{name}.jsonl"
            path.write_text(
                "".join(
                    json.dumps({k: r[k] for k in INPUT_FIELDS if r.get(k) is not None}, ensure_ascii=False)
                    + "\n"
                    for r in records
                ),
                encoding="utf-8",
            )
            started = time.perf_counter()
            annotated = [
                doc
                for chunk in chunked(read_paths([path], settings), BATCH)
                for doc in annotate(chunk, settings)
            ]
            batches[name] = list(resolve_stream(annotated, CorpusPass()))
            print(
                f"{name}: annotated and resolved {len(annotated)} documents in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
    if cache:
        with cache.open("w", encoding="utf-8") as f:
            for name, docs in batches.items():
                for doc in docs:
                    f.write(json.dumps({**doc.to_record(), "batch": name}, ensure_ascii=False) + "\n")
    return batches


def command_records(inputs: Sequence[dict[str, Any]], workdir: Path) -> dict[str, list[Document]]:
    """The documents `newsgraph extract` wrote for each benchmark batch (`<batch>.out.jsonl` in a
    `run.py --workdir`), in input order: the same entity ids, dates and texts the command grouped."""
    wanted = {rec["id"] for rec in inputs}
    batches: dict[str, list[Document]] = {}
    for path in sorted(workdir.glob("*.out.jsonl")):
        name = path.name.removesuffix(".out.jsonl").removeprefix("stories-")
        with path.open(encoding="utf-8") as f:
            docs = [Document.from_record(json.loads(line)) for line in f if line.strip()]
        batches[name] = [doc for doc in docs if doc.doc_id in wanted]
    return batches


def chunk_copies(docs: Sequence[Document]) -> list[dict[str, str]]:
    """Per chunk of `RESOLVE_BATCH` documents in input order, copy doc_id -> the document it copies,
    found as the corpus pass finds them (each chunk against the earlier chunks' texts)."""
    memory = InMemoryDuplicates()
    out = []
    for chunk in chunked(docs, RESOLVE_BATCH):
        found = find_duplicates(chunk, memory)
        memory.remember(found)
        out.append(dict(found.matched))
    return out


MATCHED: dict[str, list[dict[str, str]]] = {}  # batch -> per chunk: copy doc_id -> the document it copies


def features(docs: Sequence[Document], cache: Path | None) -> list[ArticleFeatures]:
    """Story features of `docs`; the lead embeddings are kept beside `cache` (the slow part)."""
    vectors_path = cache.with_suffix(".vectors.npz") if cache else None
    stored: dict[str, np.ndarray] = {}
    if vectors_path and vectors_path.exists():
        with np.load(vectors_path) as saved:
            stored = dict(zip(saved["ids"].tolist(), saved["vectors"], strict=True))
    missing = [doc for doc in docs if doc.doc_id not in stored]
    for article in article_features(missing):
        stored[article.doc_id] = article.vector
    if vectors_path and missing:
        ids = sorted(stored)
        np.savez(vectors_path, ids=np.array(ids), vectors=np.stack([stored[i] for i in ids]))
    return [replace(a, vector=stored[a.doc_id]) for a in article_features(docs, embed=False)]


def stages() -> tuple[str, ...]:
    """The base stages, plus "mentions" when the recogniser imports (entity ids feed the grouping)."""
    try:
        importlib.import_module("newsgraph.entities.recognize")
    except ImportError as exc:
        print(f"grouping without entities: {exc}", file=sys.stderr)
        return BASE_STAGES
    return (*BASE_STAGES, "mentions")


def by_batch(inputs: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in inputs:
        out.setdefault(rec.get("batch") or "all", []).append(rec)
    return out


def group(articles: dict[str, list[ArticleFeatures]], params: StoryParams) -> dict[str, str]:
    """Story id by doc_id, one fresh index per batch fed in the corpus pass's chunks (a chunk's
    stories are final once it is grouped: a later chunk can only add to them or absorb its own);
    prints the time per document."""
    stories: dict[str, str] = {}
    started = time.perf_counter()
    for name, batch in articles.items():
        index = StoryIndex(params)
        chunks = MATCHED.get(name) or []
        assigned: dict[str, str] = {}
        for k, chunk in enumerate(chunked(batch, RESOLVE_BATCH)):
            matched = chunks[k] if k < len(chunks) else {}
            originals = [a for a in chunk if a.doc_id not in matched]
            copies = [a for a in chunk if a.doc_id in matched]
            assigned.update(assign_with_copies(originals, copies, matched, index))
            index.clean()
        # as `newsgraph extract` rewrites its records at the end: an absorbed story's id follows
        # the story that absorbed it in a later chunk
        stories.update({doc_id: index.resolve(story_id) for doc_id, story_id in assigned.items()})
    n = max(1, len(stories))
    print(
        f"grouped {len(stories)} documents into {len(set(stories.values()))} stories, "
        f"{1000 * (time.perf_counter() - started) / n:.2f} ms per document",
        file=sys.stderr,
    )
    return stories


def topic_bcubed(topics: dict[str, str], stories: dict[str, str], topic: str | None) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the documents of one topic (precision counts the other
    topics' documents grouped with them), or over all documents when `topic` is None."""
    by_story: dict[str, set[str]] = {}
    for doc_id in topics:
        by_story.setdefault(stories.get(doc_id) or doc_id, set()).add(doc_id)
    members: dict[str, set[str]] = {}
    for doc_id, t in topics.items():
        members.setdefault(t, set()).add(doc_id)
    docs = [d for d, t in topics.items() if topic is None or t == topic]
    p = r = 0.0
    for doc_id in docs:
        mine = members[topics[doc_id]]
        cluster = by_story[stories.get(doc_id) or doc_id]
        both = len(cluster & mine)
        p, r = p + both / len(cluster), r + both / len(mine)
    p, r = p / len(docs), r / len(docs)
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def cross_validate(
    bench: ModuleType,
    gold: dict[str, Any],
    articles: dict[str, list[ArticleFeatures]],
    documents: Sequence[Document],
    settings: Sequence[StoryParams],
) -> int:
    """Leave-one-topic-out choice among `settings` (see the module docstring); prints one line per
    setting, one per fold and the setting chosen on all topics."""
    topics: dict[str, str] = gold["topics"]
    names = sorted(set(topics.values()))
    bsnlp = articles["bsnlp"]
    rows = []
    for params in settings:
        stories = group(articles, params)
        summary = bench.score(gold, {d: {"story": s, "_view": True} for d, s in stories.items()})["summary"]
        held = {t: topic_bcubed(topics, stories, t) for t in names}
        train = {}  # fold -> per-topic F1 of the other topics, grouped without the held-out topic
        for t in names:
            kept = [a for a in bsnlp if topics.get(a.doc_id) != t]
            if f"without-{t}" not in MATCHED:  # the copies as a run without the topic finds them
                MATCHED[f"without-{t}"] = chunk_copies([d for d in documents if topics.get(d.doc_id) != t])
            fold = group({f"without-{t}": kept}, params)
            train[t] = {
                u: topic_bcubed({d: x for d, x in topics.items() if x != t}, fold, u)["f1"]
                for u in names
                if u != t
            }
        rows.append((params, summary, held, train))
        print(
            " ".join(f"{k}={v}" for k, v in changed(params).items()) or "defaults",
            f"auc={summary.get('pair_auc', 0):.3f} b3={summary.get('bcubed_f1', 0):.3f}",
            " ".join(f"{t}={held[t]['f1']:.3f}" for t in names),
            flush=True,
        )
    for t in names:

        def fold_score(row: Any, t: str = t) -> float:
            return (sum(row[3][t].values()) / len(row[3][t]) + row[1].get("pair_auc", 0.0)) / 2

        best = max(rows, key=fold_score)
        b3 = best[2][t]
        print(
            f"fold {t}: chose {changed(best[0]) or 'defaults'} (training score {fold_score(best):.3f});"
            f" held-out B-cubed P={b3['p']:.3f} R={b3['r']:.3f} F1={b3['f1']:.3f}",
            flush=True,
        )

    def overall(row: Any) -> float:
        return (sum(row[2][t]["f1"] for t in names) / len(names) + row[1].get("pair_auc", 0.0)) / 2

    best = max(rows, key=overall)
    print(
        f"all topics: chose {changed(best[0]) or 'defaults'} (score {overall(best):.3f}):",
        " ".join(f"{k}={v:.3f}" for k, v in best[1].items()),
        flush=True,
    )
    return 0


NEWS_STORY = re.compile(r"^news:(?:([a-z])\d+_|(seed)_)")  # the story letter in a news doc id


def news_story(doc_id: str) -> str | None:
    """The story a news benchmark document reports, from its id (seed articles are story D)."""
    match = NEWS_STORY.match(doc_id)
    if not match:
        return None
    return "D" if match.group(2) else match.group(1).upper()


def news_check(path: Path) -> int:
    """Print the B-cubed of the `story` field of `path` (extract output) against the news stories."""
    with path.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    labels = {r["doc_id"]: news_story(r["doc_id"]) for r in records}
    if not labels or None in labels.values():
        raise SystemExit(f"{path}: not the news benchmark's documents (ids news:aNN_…, news:seed_…)")
    stories = {r["doc_id"]: r.get("story") or r["doc_id"] for r in records}
    by_label: dict[str, dict[str, int]] = {}
    for doc_id, label in labels.items():
        by_label.setdefault(str(label), {}).setdefault(stories[doc_id], 0)
        by_label[str(label)][stories[doc_id]] += 1
    for label, counts in sorted(by_label.items()):
        print(f"story {label}: {sorted(counts.values(), reverse=True)} documents per predicted story")
    b3 = topic_bcubed({d: str(t) for d, t in labels.items()}, stories, None)
    print(
        f"news stories: bcubed_f1={b3['f1']:.4f} bcubed_p={b3['p']:.4f} bcubed_r={b3['r']:.4f}"
        f" stories={len(set(stories.values()))} docs={len(records)}"
    )
    return 0


def grid(specs: Sequence[str]) -> list[StoryParams]:
    """Every combination of `name=v1,v2` values over the defaults."""
    types = {f.name: type(getattr(StoryParams(), f.name)) for f in fields(StoryParams)}
    axes = []
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in types:
            raise SystemExit(f"unknown parameter {name!r}; known: {sorted(types)}")
        axes.append([(name, _value(types[name], v)) for v in values.split(",")])
    return [replace(StoryParams(), **dict(combo)) for combo in itertools.product(*axes)]


def _value(kind: type, text: str) -> Any:
    """A grid value of the parameter's type ("false" and "0" are False for a flag, not truthy text)."""
    return text.strip().lower() in ("1", "true", "yes") if kind is bool else kind(text)


def changed(params: StoryParams) -> dict[str, Any]:
    defaults = StoryParams()
    return {
        f.name: getattr(params, f.name)
        for f in fields(StoryParams)
        if getattr(params, f.name) != getattr(defaults, f.name)
    }


if __name__ == "__main__":
    sys.exit(main())
