"""Speed and memory per language: end-to-end `extract` against the bare NER model on the same texts.

For each language (fr, en, ru by default) a corpus is made from the project's own example articles
of that language (`examples/corpus`) and synthetic articles from our templates (`synthetic.py`);
no evaluation text is used. Then, in one process pinned to one core (one language per process, so
that no other language's model is loaded):

- the models are loaded and both runs are warmed up once (loading is excluded from every figure);
- `--rounds` times, back to back and interleaved (the order alternates each round), the corpus is
  run through (a) the bare NER model as its users would run it (spaCy: the installed pipeline,
  `nlp.pipe` over the texts, and its entity recogniser alone for reference; Russian: natasha's
  segmenter and NER tagger) and (b) `extract` in this process (`workers = 0`: every stage, the
  corpus-wide pass and the writing of the records);
- the figures are medians over the rounds: seconds per document, documents per second, and the
  ratio end-to-end / bare (the median of the per-round ratios, so a burst of load from other
  processes on a shared machine hits both sides of one ratio alike).

Then `newsgraph extract --workers N` runs as a subprocess (the real supervised workers):

- per language with one worker: the peak RSS of the worker process (the documents of one language,
  so the worker loads that language's model only);
- on a mixed corpus (every language), with 1 and with 2 workers, on N and on 3N distinct articles:
  the marginal seconds per document is (t(3N) - t(N)) / 2N, which leaves out starting the workers
  and loading the models; the speed-up is the ratio of the two marginals.

    python benchmarks/speed.py --langs fr en ru --docs 30 --rounds 5 --json out/speed.json

The last lines printed are the summary for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ingest import Sampler, memory_kb, newsgraph_command, process_tree
from synthetic import generate, write_jsonl

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"
SAMPLE_EVERY_S = 0.2
MB = 1024


@dataclass
class LanguageReport:
    """One language, in one process on one core: medians over the rounds."""

    lang: str
    docs: int
    kilobytes_per_doc: float
    bare_model: str
    bare_s_per_doc: float
    bare_docs_per_s: float
    ner_alone_s_per_doc: float | None  # spaCy: the entity recogniser alone (reference)
    extract_s_per_doc: float
    extract_docs_per_s: float
    ratio: float  # median over rounds of extract / bare
    ratio_rounds: list[float]
    peak_rss_mb: float  # this process: the models, both runs and the corpus pass


@dataclass
class WorkersReport:
    """`newsgraph extract` with 1 and 2 workers on a mixed corpus: marginal seconds per document."""

    docs_small: int
    docs_large: int
    wall_s: dict[str, float]  # "w1-N", "w1-3N", "w2-N", "w2-3N"
    marginal_s_per_doc: dict[str, float]  # "w1", "w2"
    speedup: float
    peak_worker_rss_mb: dict[str, float]  # "w1", "w2": the largest worker process
    load_average: list[float]


# ---------------------------------------------------------------------------- corpora


def example_records(lang: str) -> list[dict[str, str]]:
    """The example articles of `lang` we wrote for the project, as input records (text as read)."""
    from newsgraph.config import Settings
    from newsgraph.ingest.readers import read_paths

    files = sorted(p for p in EXAMPLES.iterdir() if p.name.startswith(f"{lang}_"))
    records = [
        {"id": d.doc_id, "text": d.text, "lang": lang} for d in read_paths(files, Settings()) if d.text
    ]
    with open(EXAMPLES / "feed.jsonl", encoding="utf-8") as feed:
        records += [r for r in map(json.loads, feed) if r.get("lang") == lang]
    return records


def corpus(lang: str, docs: int, seed: int) -> list[dict[str, str]]:
    """`docs` input records of `lang`: the examples first, then synthetic articles."""
    records = example_records(lang)[:docs]
    records += list(generate(docs - len(records), seed=seed, langs=[lang]))
    return records


def write_corpus(records: Sequence[dict[str, str]], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        write_jsonl(records, out)
    return path


# ---------------------------------------------------------------------------- bare models


def bare_runner(lang: str) -> tuple[str, Callable[[list[str]], None], Callable[[list[str]], None] | None]:
    """(model name, run the bare model over texts, run the entity recogniser alone or None), with the
    process's one copy of the model (the one `extract` uses too, so memory is not counted twice)."""
    from newsgraph.config import Settings
    from newsgraph.language.models import load_spacy, natasha_tools

    spec = Settings().models[lang]
    if spec.startswith("spacy:"):
        nlp = load_spacy(spec.removeprefix("spacy:"))
        others = [name for name in nlp.pipe_names if name != "ner"]

        def pipeline(texts: list[str]) -> None:
            for _ in nlp.pipe(texts):
                pass

        def ner_alone(texts: list[str]) -> None:
            for _ in nlp.pipe(texts, disable=others):
                pass

        return spec, pipeline, ner_alone
    from natasha import Doc

    tools = natasha_tools()

    def natasha_ner(texts: list[str]) -> None:
        for text in texts:
            doc = Doc(text)
            doc.segment(tools.segmenter)
            doc.tag_ner(tools.ner_tagger)

    return "natasha NER (segmenter + NewsNERTagger)", natasha_ner, None


# ---------------------------------------------------------------------------- one language


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def pin_to_one_core() -> None:
    """Run this process on one core, as the ratio is defined (BLAS threads are 1 in newsgraph)."""
    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {allowed[-1]})


def measure_language(lang: str, docs: int, rounds: int, seed: int, workdir: Path) -> LanguageReport:
    """Bare model and in-process `extract` over the same corpus, interleaved, medians over rounds."""
    import resource

    from newsgraph.config import Settings
    from newsgraph.ingest.readers import read_paths
    from newsgraph.pipeline.runs import extract_records

    pin_to_one_core()
    records = corpus(lang, docs, seed)
    path = write_corpus(records, workdir / f"{lang}.jsonl")
    texts = [r["text"] for r in records]
    settings = Settings(workers=0)
    model, bare, ner_alone = bare_runner(lang)

    def extract() -> None:
        extract_records(read_paths([path], settings), workdir / f"{lang}.out.jsonl", settings)

    extract()  # warm: models, language identification, knowledge base, story encoder
    bare(texts)
    if ner_alone:
        ner_alone(texts)
    bare_s, extract_s, ner_s, ratios = [], [], [], []
    for k in range(rounds):
        if k % 2:
            e, b = timed(extract), timed(lambda: bare(texts))
        else:
            b, e = timed(lambda: bare(texts)), timed(extract)
        bare_s.append(b / len(texts))
        extract_s.append(e / len(texts))
        ratios.append(e / b)
        if ner_alone:
            ner_s.append(timed(lambda: ner_alone(texts)) / len(texts))
    b, e = statistics.median(bare_s), statistics.median(extract_s)
    return LanguageReport(
        lang=lang,
        docs=len(texts),
        kilobytes_per_doc=round(sum(len(t.encode()) for t in texts) / len(texts) / 1024, 2),
        bare_model=model,
        bare_s_per_doc=round(b, 4),
        bare_docs_per_s=round(1 / b, 1),
        ner_alone_s_per_doc=round(statistics.median(ner_s), 4) if ner_s else None,
        extract_s_per_doc=round(e, 4),
        extract_docs_per_s=round(1 / e, 1),
        ratio=round(statistics.median(ratios), 2),
        ratio_rounds=[round(r, 2) for r in ratios],
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MB, 1),
    )


# ---------------------------------------------------------------------------- workers


class WorkerMemory(Sampler):
    """The peak RSS of each process below `root` (the workers), sampled from /proc."""

    def __init__(self, root: int):
        super().__init__(SAMPLE_EVERY_S)
        self.root = root
        self.peak_kb: dict[int, int] = {}

    def sample(self) -> None:
        for pid in process_tree(self.root):
            if pid != self.root:
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), memory_kb(pid)[0])

    @property
    def largest_mb(self) -> float:
        return round(max(self.peak_kb.values(), default=0) / MB, 1)


def run_extract(path: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, peak RSS of the largest worker in MB) of `newsgraph extract --workers N`."""
    command = [
        newsgraph_command(),
        "extract",
        str(path),
        "--output",
        f"{path}.out",
        "--workers",
        str(workers),
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with WorkerMemory(proc.pid).running() as memory:
        proc.wait()
    wall = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed with status {proc.returncode}")
    return wall, memory.largest_mb


def measure_workers(langs: Sequence[str], per_lang: int, seed: int, workdir: Path) -> WorkersReport:
    """1 and 2 workers on N and 3N distinct mixed articles; marginal s/doc = (t(3N) - t(N)) / 2N."""
    large = list(generate(3 * per_lang * len(langs), seed=seed + 1, langs=list(langs)))
    small = large[: len(large) // 3]
    paths = {
        "N": write_corpus(small, workdir / "mixed-N.jsonl"),
        "3N": write_corpus(large, workdir / "mixed-3N.jsonl"),
    }
    wall, peak = {}, {}
    for workers in (1, 2):
        for size, path in paths.items():
            wall[f"w{workers}-{size}"], rss = run_extract(path, workers)
            peak[f"w{workers}"] = max(peak.get(f"w{workers}", 0.0), rss)
    extra = len(large) - len(small)
    marginal = {f"w{w}": (wall[f"w{w}-3N"] - wall[f"w{w}-N"]) / extra for w in (1, 2)}
    return WorkersReport(
        docs_small=len(small),
        docs_large=len(large),
        wall_s={k: round(v, 2) for k, v in wall.items()},
        marginal_s_per_doc={k: round(v, 4) for k, v in marginal.items()},
        speedup=round(marginal["w1"] / marginal["w2"], 2),
        peak_worker_rss_mb=peak,
        load_average=[round(x, 2) for x in os.getloadavg()],
    )


def worker_memory_per_language(lang: str, docs: int, seed: int, workdir: Path) -> float:
    """Peak RSS of the one worker of `extract --workers 1` over a corpus of `lang` alone."""
    path = write_corpus(corpus(lang, docs, seed), workdir / f"worker-{lang}.jsonl")
    return run_extract(path, 1)[1]


# ---------------------------------------------------------------------------- main


def language_in_subprocess(lang: str, args: argparse.Namespace, workdir: Path) -> LanguageReport:
    """`measure_language` in a fresh process: its memory is this language's alone."""
    out = workdir / f"report-{lang}.json"
    command = [
        sys.executable,
        __file__,
        "--one",
        lang,
        "--docs",
        str(args.docs),
        "--rounds",
        str(args.rounds),
    ]
    command += ["--seed", str(args.seed), "--workdir", str(workdir), "--json", str(out)]
    subprocess.run(command, check=True)
    return LanguageReport(**json.loads(out.read_text(encoding="utf-8")))


def summary(
    languages: Sequence[LanguageReport], worker_rss: dict[str, float], workers: WorkersReport | None
) -> str:
    lines = []
    for r in languages:
        ner = f", NER alone {1 / r.ner_alone_s_per_doc:.1f} docs/s" if r.ner_alone_s_per_doc else ""
        lines.append(
            f"- {r.lang}: bare {r.bare_docs_per_s} docs/s ({r.bare_model}{ner}), "
            f"extract {r.extract_docs_per_s} docs/s, ratio {r.ratio} (rounds {r.ratio_rounds}); "
            f"{r.docs} docs of {r.kilobytes_per_doc} KB; "
            f"worker peak RSS {worker_rss.get(r.lang, 0):.0f} MB"
        )
    if workers:
        lines.append(
            f"- workers: marginal {workers.marginal_s_per_doc['w1']:.3f} s/doc with 1, "
            f"{workers.marginal_s_per_doc['w2']:.3f} with 2: speed-up {workers.speedup}x "
            f"({workers.docs_small}/{workers.docs_large} mixed docs; largest worker "
            f"{workers.peak_worker_rss_mb['w2']:.0f} MB; load average {workers.load_average})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--langs", nargs="*", default=["fr", "en", "ru"])
    parser.add_argument("--docs", type=int, default=30, help="distinct articles per language (default 30)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per language (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-workers", action="store_true", help="skip the subprocess worker runs")
    parser.add_argument("--json", type=Path, help="write the full report here as JSON")
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one language in this process
    args = parser.parse_args(argv)
    if args.one:
        report = measure_language(args.one, args.docs, args.rounds, args.seed, args.workdir)
        args.json.write_text(json.dumps(asdict(report)), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory(prefix="newsgraph-speed-") as tmp:
        workdir = Path(tmp)
        languages = [language_in_subprocess(lang, args, workdir) for lang in args.langs]
        worker_rss, workers = {}, None
        if not args.no_workers:
            worker_rss = {
                lang: worker_memory_per_language(lang, args.docs, args.seed, workdir) for lang in args.langs
            }
            workers = measure_workers(args.langs, args.docs, args.seed, workdir)
    report: dict[str, Any] = {
        "languages": [asdict(r) for r in languages],
        "worker_peak_rss_mb": worker_rss,
        "workers": asdict(workers) if workers else None,
    }
    text = summary(languages, worker_rss, workers)
    report["summary"] = text
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
