"""Fuzz benchmark: hostile inputs mixed with good articles, in batches, through `newsgraph extract`.

Each batch is a folder: a JSON Lines feed where good articles (from `synthetic.py`) and hostile
lines alternate at random, plus hostile files beside it. One `newsgraph extract` runs per batch, as a
subprocess, with the settings of `--stages` (`cheap`: language, clean, sentences, times, claims;
`full`: every default stage) and the budgets given. Then, per batch:

- the run died (exit status, or no output file);
- good articles lost: missing, their text changed, or carrying an error;
- every hostile input: how many records it gave, how many with errors. An input of kind "error" must
  give at least one error record (`one_error` counts those that gave exactly one record, an error);
  one of kind "kept" (a legacy encoding, a byte-order mark) must give records without loss;
- the workers' peak memory and the slowest document, as the supervisor logs them, and the largest
  worker process sampled from /proc every 0.2 s.

    python benchmarks/fuzz.py --batches 24 --per-batch 90 --full-batches 2 --json out/fuzz.json

The last line printed is a one-line summary for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest import memory_kb, process_tree
from synthetic import generate

from newsgraph.config import DEFAULT_STAGES

CHEAP_STAGES = ("language", "clean", "sentences", "times", "claims")
MB = 1 << 20
LOG_LINE = re.compile(r"workers: largest (\d+) MB, slowest document ([\d.]+) s, (\d+) replaced", re.S)


@dataclass
class Hostile:
    """One hostile input: a line of the feed (`line`) or a file of its own (`name`, `data`)."""

    kind: str  # the generator's name
    expect: str  # "error": at least one error record; "kept": records without loss; "any": one record
    line: bytes | None = None
    name: str | None = None
    data: bytes | None = None


Generator = Callable[[random.Random], Hostile]


def _record(**fields: object) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode("utf-8")


def _words(rng: random.Random, n: int) -> str:
    """`n` made-up lowercase words: text with no sentence punctuation at all."""
    syllables = ("ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "pa", "de", "gor", "lin")
    return " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(n))


ARTICLE = (
    "The regional council voted on Thursday to extend the night bus service to the northern suburbs. "
    "The mayor said the first lines would open in March."
)
RU_ARTICLE = "Городской совет в четверг решил продлить работу ночных автобусов до северных районов."


# ---------------------------------------------------------------------------- compressed files
def corrupt_gz(rng: random.Random) -> Hostile:
    packed = bytearray(gzip.compress(_record(text=ARTICLE + " " + _words(rng, 200)) + b"\n"))
    how = rng.choice(("flip", "truncate", "magic"))
    if how == "flip":  # bytes after the 10-byte header (mtime and OS bytes there change nothing)
        for _ in range(rng.randint(1, 5)):
            packed[rng.randrange(10, len(packed))] ^= rng.randint(1, 255)
    elif how == "truncate":
        packed = packed[: rng.randrange(10, len(packed) - 1)]
    else:
        packed[0] ^= 0xFF
    return Hostile("corrupt_gz", "error", name="corrupt.jsonl.gz", data=bytes(packed))


_BOMBS: dict[bytes, bytes] = {}


def _bomb(byte: bytes, megabytes: int) -> bytes:
    """`megabytes` MB of `byte`, gzip-compressed (a thousand times smaller), made once per kind."""
    key = byte + bytes([megabytes])
    if key not in _BOMBS:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
        chunk = byte * MB
        _BOMBS[key] = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return _BOMBS[key]


def gz_bomb(rng: random.Random) -> Hostile:
    byte = rng.choice((b"\n", b"\x00", b" "))
    return Hostile("gz_bomb", "error", name="bomb.jsonl.gz", data=_bomb(byte, rng.choice((64, 128, 255))))


# ---------------------------------------------------------------------------- JSON lines
def deep_json(rng: random.Random) -> Hostile:
    depth = rng.choice((100, 1_000, 10_000, 100_000))
    opener = rng.choice((b"[", b'{"text": '))
    return Hostile("deep_json", "error", line=opener * depth)


def huge_token(rng: random.Random) -> Hostile:
    token = rng.choice("xé—字") * rng.randint(10_000, 1_500_000)
    return Hostile("huge_token", "error", line=_record(text=f"{ARTICLE} {token} {ARTICLE}"))


def huge_field(rng: random.Random) -> Hostile:
    field_name = rng.choice(("id", "title", "url", "outlet"))
    value = "T" * rng.randint(300, 2_000_000)
    expect = "error" if field_name == "id" else "kept"  # a huge id is replaced (noted); others echoed
    return Hostile("huge_field", expect, line=_record(text=ARTICLE, **{field_name: value}))


def megatext(rng: random.Random) -> Hostile:
    return Hostile("megatext", "error", line=_record(text=_words(rng, rng.randint(5_000, 90_000))))


def newline_nul_text(rng: random.Random) -> Hostile:
    filler = rng.choice(("\n", "\u0000", "\r\n", "\u0007"))
    return Hostile("newline_nul_text", "error", line=_record(text=filler * rng.randint(1_000, 1_000_000)))


def wrong_types(rng: random.Random) -> Hostile:
    field_name = rng.choice(("id", "title", "url", "lang", "published", "outlet"))
    value = rng.choice(([1, 2], {"a": "b"}, 3.25, True, 20231101))
    if field_name == "id" and isinstance(value, int) and not isinstance(value, bool):
        value = [value]  # an integer id is accepted as such
    return Hostile("wrong_types", "error", line=_record(text=ARTICLE, **{field_name: value}))


def broken_json(rng: random.Random) -> Hostile:
    whole = _record(id=f"b{rng.random()}", text=ARTICLE)
    cut = whole[: rng.randrange(1, len(whole) - 1)]
    return Hostile("broken_json", "error", line=rng.choice((cut, b"[1, 2, 3]", b"42", b'"text"', b"null")))


def bad_utf8_line(rng: random.Random) -> Hostile:
    raw = _record(text=RU_ARTICLE + " " + ARTICLE)
    spoiled = bytearray(raw)
    for _ in range(rng.randint(1, 2)):
        spoiled.insert(rng.randrange(12, len(spoiled) - 3), rng.choice((0xFF, 0xC3, 0x80)))
    return Hostile("bad_utf8_line", "error", line=bytes(spoiled))


def line_over_max_bytes(rng: random.Random) -> Hostile:
    return Hostile(
        "line_over_max_bytes", "error", line=_record(text="word " * (4_200_000 + rng.randint(0, 9)))
    )


# ---------------------------------------------------------------------------- files
def binary_file(rng: random.Random) -> Hostile:
    data = rng.choice(
        (
            bytes(rng.randrange(256) for _ in range(rng.randint(100, 20_000))),
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(3000)),
            bytes(range(1, 32)) * 200,
        )
    )
    return Hostile("binary", "error", name=rng.choice(("image.txt", "doc.html", "feed.jsonl")), data=data)


LEGACY = (("cp1251", RU_ARTICLE), ("koi8_r", RU_ARTICLE), ("cp1252", "Le conseil a voté jeudi à Genève."))


def encodings(rng: random.Random) -> Hostile:
    if rng.random() < 0.5:
        codec, text = rng.choice(LEGACY)
        return Hostile("encodings", "kept", name="legacy.txt", data=((text + "\n") * 6).encode(codec))
    raw = bytearray((RU_ARTICLE + "\n" + ARTICLE + "\n").encode("utf-8") * 4)
    raw.insert(rng.randrange(len(raw)), 0xFF)
    return Hostile("encodings", "error", name="stray.txt", data=bytes(raw))


def boms(rng: random.Random) -> Hostile:
    choice = rng.randrange(3)
    if choice == 0:
        return Hostile("bom", "kept", name="bom8.txt", data=codecs.BOM_UTF8 + ARTICLE.encode())
    if choice == 1:
        return Hostile("bom", "kept", name="bom16.txt", data=ARTICLE.encode("utf-16"))
    return Hostile("bom", "error", name="badbom.txt", data=codecs.BOM_UTF16_LE + b"\x00\xd8" * 50 + b"A")


def hostile_html(rng: random.Random) -> Hostile:
    kind = rng.randrange(4)
    if kind == 0:
        page = "<html><body><script>alert(1)</script><style>p{}</style></body></html>"
        return Hostile("hostile_html", "error", name="script.html", data=page.encode())
    if kind == 1:
        depth = rng.choice((300, 3_000, 30_000))
        page = "<html><body>" + "<div>" * depth + f"<p>{ARTICLE}</p>" + "</div>" * depth + "</body></html>"
        return Hostile("hostile_html", "any", name="nested.html", data=page.encode())
    if kind == 2:
        page = f'<html><body><article><p onmouseover="alert(1)">{ARTICLE}<img src=x onerror=alert(2)></p>'
        return Hostile("hostile_html", "any", name="xss.html", data=page.encode())
    page = "<html><body><p>" + "<b>" * 50_000 + ARTICLE
    return Hostile("hostile_html", "any", name="unclosed.html", data=page.encode())


GENERATORS: dict[str, Generator] = {
    "corrupt_gz": corrupt_gz,
    "gz_bomb": gz_bomb,
    "deep_json": deep_json,
    "huge_token": huge_token,
    "huge_field": huge_field,
    "megatext": megatext,
    "newline_nul_text": newline_nul_text,
    "wrong_types": wrong_types,
    "broken_json": broken_json,
    "bad_utf8_line": bad_utf8_line,
    "binary": binary_file,
    "encodings": encodings,
    "bom": boms,
    "hostile_html": hostile_html,
}
RARE = {"gz_bomb": 0.3, "line_over_max_bytes": 0.0}  # costly kinds: a smaller share of each batch


# ---------------------------------------------------------------------------- one batch
@dataclass
class BatchReport:
    batch: int
    stages: str
    hostile: int
    good: int
    returncode: int
    died: bool
    wall_s: float
    good_lost: int
    error_inputs_without_error: list[str] = field(default_factory=list)
    kept_inputs_lost: list[str] = field(default_factory=list)
    error_inputs: int = 0  # inputs that must give an error record
    one_error: int = 0  # ... of which gave exactly one record, an error record
    records: int = 0
    worker_peak_mb: float | None = None
    slowest_doc_s: float | None = None
    replaced: int | None = None
    sampled_worker_peak_mb: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)


def build_batch(
    folder: Path, rng: random.Random, per_batch: int, good: list[dict[str, str]]
) -> list[tuple[str, Hostile]]:
    """Write one batch; the source prefix each hostile input's records will carry, with the input."""
    kinds = list(GENERATORS)
    hostile: list[Hostile] = []
    while len(hostile) < per_batch:
        kind = rng.choice(kinds)
        if rng.random() < RARE.get(kind, 1.0):
            hostile.append(GENERATORS[kind](rng))
    if rng.random() < 0.5:
        hostile.append(line_over_max_bytes(rng))
    lines: list[bytes | Hostile] = [json.dumps(r, ensure_ascii=False).encode() for r in good]
    for item in hostile:
        if item.line is not None:
            lines.insert(rng.randrange(len(lines) + 1), item)
    feed = folder / "feed.jsonl"
    sources: list[tuple[str, Hostile]] = []
    with feed.open("wb") as stream:
        for lineno, item in enumerate(lines, 1):
            if isinstance(item, Hostile):
                assert item.line is not None
                stream.write(item.line.replace(b"\n", b" ") + b"\n")
                sources.append((f"{feed}#L{lineno}", item))
            else:
                stream.write(item + b"\n")
    for n, item in enumerate(h for h in hostile if h.line is None):
        assert item.name is not None and item.data is not None
        path = folder / f"{n:03d}-{item.name}"
        path.write_bytes(item.data)
        sources.append((str(path), item))
    return sources


def run_batch(
    index: int,
    folder: Path,
    sources: list[tuple[str, Hostile]],
    good: list[dict[str, str]],
    stages: str,
    config: Path,
) -> BatchReport:
    output = folder.with_suffix(".out.jsonl")
    command = [
        "newsgraph",
        "-v",
        "--config",
        str(config),
        "extract",
        str(folder),
        "--output",
        str(output),
        "--workers",
        "1",
    ]
    started = time.monotonic()
    log = folder.with_suffix(".log")
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=stderr, env={**_env(), "COLUMNS": "400"}
        )
        worker_peak = _WorkerSampler(process)
        returncode = process.wait()
        wall = time.monotonic() - started
        worker_peak.stop()
    records = [json.loads(line) for line in output.open(encoding="utf-8")] if output.exists() else []
    report = BatchReport(
        index,
        stages,
        len(sources),
        len(good),
        returncode,
        returncode != 0 or not output.exists(),
        wall,
        0,
        records=len(records),
        sampled_worker_peak_mb=worker_peak.peak_kb / 1024,
    )
    by_id = {r["doc_id"]: r for r in records}
    report.good_lost = sum(
        1 for g in good if (r := by_id.get(g["id"])) is None or r["text"] != g["text"] or r["errors"]
    )
    by_source: dict[str, list[dict[str, object]]] = {}
    for record in records:
        by_source.setdefault(str(record["source"]), []).append(record)
    kinds: Counter[str] = Counter()
    for prefix, item in sources:
        kinds[item.kind] += 1
        mine = [r for s, rs in by_source.items() if s == prefix or s.startswith(prefix + "#") for r in rs]
        errors = [r for r in mine if r["errors"]]
        if item.expect == "error":
            report.error_inputs += 1
            if not errors:
                report.error_inputs_without_error.append(f"{item.kind} {prefix}")
            report.one_error += len(mine) == 1 and len(errors) == 1
        elif item.expect == "kept" and (not mine or any(not r["text"] for r in mine)):
            report.kept_inputs_lost.append(f"{item.kind} {prefix}")
        elif item.expect == "any" and len(mine) != 1:
            report.kept_inputs_lost.append(f"{item.kind} {prefix}: {len(mine)} records")
    report.by_kind = dict(kinds)
    found = LOG_LINE.search(re.sub(r"\s+", " ", log.read_text(encoding="utf-8", errors="replace")))
    if found:
        report.worker_peak_mb, report.slowest_doc_s, report.replaced = (
            float(found[1]),
            float(found[2]),
            int(found[3]),
        )
    return report


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("NEWSGRAPH_CONFIG", "NEWSGRAPH_WORKERS")}


class _WorkerSampler:
    """The largest RSS of any process below `process` (its workers), sampled every 0.2 s."""

    def __init__(self, process: subprocess.Popen[bytes]):
        self.root, self.peak_kb = process.pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            workers = [pid for pid in process_tree(self.root) if pid != self.root]
            self.peak_kb = max([self.peak_kb, *(memory_kb(pid)[0] for pid in workers)])
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batches", type=int, default=24)
    parser.add_argument("--per-batch", type=int, default=90, help="hostile inputs per batch")
    parser.add_argument("--good", type=int, default=20, help="good articles per batch")
    parser.add_argument("--full-batches", type=int, default=2, help="batches run with every default stage")
    parser.add_argument("--doc-budget-s", type=float, default=120.0)
    parser.add_argument("--worker-memory-mb", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    good_pool = list(generate(args.good * args.batches, seed=args.seed))
    reports: list[BatchReport] = []
    with tempfile.TemporaryDirectory(prefix="newsgraph-fuzz-") as tmp:
        for index in range(args.batches):
            full = index < args.full_batches
            stages = DEFAULT_STAGES if full else CHEAP_STAGES
            config = Path(tmp, f"settings-{index}.toml")
            config.write_text(
                f"stages = {json.dumps(list(stages))}\ndoc_budget_s = {args.doc_budget_s}\n"
                f"worker_memory_mb = {args.worker_memory_mb}\n",
                encoding="utf-8",
            )
            folder = Path(tmp, f"batch-{index:02d}")
            folder.mkdir()
            good = [
                {**g, "id": f"good-{index}-{n}"}
                for n, g in enumerate(good_pool[index * args.good : (index + 1) * args.good])
            ]
            sources = build_batch(folder, rng, args.per_batch, good)
            report = run_batch(index, folder, sources, good, "full" if full else "cheap", config)
            reports.append(report)
            print(json.dumps(asdict(report), ensure_ascii=False), flush=True)
            for path in folder.iterdir():  # bombs and megabyte lines: keep the disk clear
                path.unlink()
    hostile = sum(r.hostile for r in reports)
    summary = (
        f"fuzz: batches={len(reports)} ({args.full_batches} full, {len(reports) - args.full_batches} cheap) "
        f"hostile={hostile} good={sum(r.good for r in reports)} died={sum(r.died for r in reports)} "
        f"good_lost={sum(r.good_lost for r in reports)} "
        f"error_inputs_without_error={sum(len(r.error_inputs_without_error) for r in reports)} "
        f"kept_inputs_lost={sum(len(r.kept_inputs_lost) for r in reports)} "
        f"one_record_each={sum(r.one_error for r in reports)}/{sum(r.error_inputs for r in reports)} "
        f"worker_peak_mb={max((r.worker_peak_mb or 0) for r in reports):.0f} "
        f"(sampled {max(r.sampled_worker_peak_mb for r in reports):.0f}; budget {args.worker_memory_mb}) "
        f"slowest_doc_s={max((r.slowest_doc_s or 0) for r in reports):.1f} (budget {args.doc_budget_s:g}) "
        f"replaced={sum(r.replaced or 0 for r in reports)} wall_s={sum(r.wall_s for r in reports):.0f}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"batches": [asdict(r) for r in reports], "summary": summary}, indent=1)
        )
    print(summary)
    sys.exit(0)


if __name__ == "__main__":
    main()
