"""API and page latency: every web page and every `/api` list of `newsgraph serve`, timed on a store
of N synthetic articles (10,000 by default); the goal is under 300 ms each.

The store: `synthetic.py`'s articles (same seed, 1-4 KB each, seven languages) with annotations
made here from the template's names, so that every list has rows: mentions of the people and cities
the text names (with their entities), one contact event between the first two people (clustered by
pair and month, so some events have several reports), a quote, a numeric claim, and a story by pair
and month. Annotating 10,000 articles with the real pipeline takes hours on a laptop; the queries
only see rows, so rows of the same shape measure them. `--db` times an existing store instead (one
`benchmarks/ingest.py` or `newsgraph ingest` built).

Requests go through the ASGI app in process (FastAPI's TestClient: routing, validation, the queries,
JSON/CSV/HTML rendering; no socket). Each URL is asked once to warm up (the first request of
`/stories` reads every document's story once per state of the store: reported as `cold`), then
`--repeat` times; the median and the slowest are reported.

    python benchmarks/api_latency.py --n 10000 --json out/api-latency.json

The last line printed is a one-line summary for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from synthetic import generate, load_locales

from newsgraph.api.app import create_app
from newsgraph.events.cluster import ClusterMember, EventCluster
from newsgraph.model import Claim, DateValue, Document, Entity, Event, Mention, Quote
from newsgraph.store import Store
from newsgraph.store.stories import StoryStore, corpus_rows
from newsgraph.stories.duplicates import find_duplicates
from newsgraph.stories.group import assign_stories

GOAL_MS = 300.0
BATCH = 500
_SENTENCE = re.compile(r"[^\n.!?]+[.!?]?")
_NUMBER = re.compile(r"\d[\d\s.,\u202f]*\d|\d")
_QUOTE = re.compile(r"[«“„\"]([^«»“”„\"]{10,300})[»”“\"]")


def slug(name: str) -> str:
    return "E:" + re.sub(r"\W+", "-", name.casefold()).strip("-")


def _names(lang_people: dict[str, list[tuple[str, str]]], lang: str, text: str) -> list[tuple[int, str, str]]:
    """(offset, name, type) of every known name in `text`, in text order."""
    found = []
    for name, type_ in lang_people[lang]:
        for match in re.finditer(re.escape(name), text):
            found.append((match.start(), name, type_))
    return sorted(found)


def annotate(record: dict[str, str], names: dict[str, list[tuple[str, str]]]) -> tuple[Document, str | None]:
    """The record as a stored document with mentions, an event, a quote and a claim; and the key of
    its event's cluster (pair and month), if it has one."""
    text, lang = record["text"], record["lang"]
    title_end = text.index("\n") if "\n" in text else len(text)
    published = DateValue(record["published"][:16], "minute", None, "metadata")
    doc = Document(
        doc_id=record["id"],
        text=text,
        lang=lang,
        title=text[:title_end],
        title_span=(0, title_end),
        outlet=record["outlet"],
        url=record["url"],
        published=published,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    doc.sentences = [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]
    for start, name, type_ in _names(names, lang, text):
        entity = slug(name)
        doc.mentions.append(Mention(start, start + len(name), name, type_, entity, source="synthetic"))
        doc.entities.setdefault(entity, Entity(entity, name, type_, [name]))
    people = [m for m in doc.mentions if m.type == "PER"]
    first = people[0] if people else None
    second = next((m for m in people if first and m.entity != first.entity), None)
    key = None
    if first and second:
        sentence = next(((s, e) for s, e in doc.sentences if s <= first.start < e), (first.start, first.end))
        day = DateValue(published.value[:10] if published.value else None, "day", None, "text")
        key = f"{first.entity}|{second.entity}|{record['published'][:7]}"
        doc.events.append(
            Event(
                id=f"V:{doc.doc_id}",
                type="CONSULT",
                mode="meet",
                source=[first.entity or ""],
                target=[second.entity or ""],
                source_spans=[(first.start, first.end)],
                target_spans=[(second.start, second.end)],
                date=day,
                sentence=sentence,
                confidence=0.8,
                cluster="C:" + hashlib.sha1(key.encode()).hexdigest()[:16],
            )
        )
        doc.story = "S:" + hashlib.sha1(key.encode()).hexdigest()[:16]
    if (said := _QUOTE.search(text)) and first:
        doc.quotes.append(
            Quote(said.start(1), said.end(1), said.group(1), True, first.entity, (first.start, first.end))
        )
    if number := _NUMBER.search(text, title_end):
        digits = re.sub(r"\D", "", number.group())[:9]
        doc.claims.append(Claim(number.start(), number.end(), number.group(), int(digits), "exact", "other"))
    return doc, key


def clusters_of(
    docs: Sequence[Document], keys: Sequence[str | None], known: dict[str, EventCluster]
) -> list[EventCluster]:
    """The clusters these documents' events join (created or grown), as the corpus pass keeps them."""
    changed = {}
    for doc, key in zip(docs, keys, strict=True):
        if key is None:
            continue
        event = doc.events[0]
        cluster = known.get(event.cluster or "")
        if cluster is None:
            actors = tuple(sorted({*event.source, *event.target}))
            cluster = known[event.cluster or ""] = EventCluster(event.cluster or "", "CONSULT", actors)
        sentence = doc.text[event.sentence[0] : event.sentence[1]] if event.sentence else ""
        cluster.add(
            ClusterMember(
                doc.doc_id,
                event.id,
                doc.lang,
                event.date,
                sentence,
                event.source,
                event.target,
                "meet",
                None,
                0.8,
            ),
            None,
        )
        changed[cluster.id] = cluster
    return list(changed.values())


def build(db: Path, n: int, seed: int) -> float:
    """A store of `n` annotated synthetic articles at `db`; returns the seconds it took."""
    started = time.perf_counter()
    names = {
        loc.code: [(p.name, "PER") for p in loc.people] + [(city, "LOC") for city, _ in loc.cities]
        for loc in load_locales()
    }
    known: dict[str, EventCluster] = {}
    with Store(db) as store:
        batch: list[Document] = []
        keys: list[str | None] = []
        for record in generate(n, seed):
            doc, key = annotate(record, names)
            batch.append(doc)
            keys.append(key)
            if len(batch) == BATCH:
                store_batch(store, batch, clusters_of(batch, keys, known))
                batch, keys = [], []
        if batch:
            store_batch(store, batch, clusters_of(batch, keys, known))
    return time.perf_counter() - started


def store_batch(store: Store, batch: list[Document], clusters: list[EventCluster]) -> None:
    """One batch stored as the corpus pass stores it: near-duplicates found and stories assigned
    against what the store holds (`stories.duplicates`, `stories.group`), then one transaction."""
    memory = StoryStore(store)
    found = find_duplicates(batch, memory)
    index = memory.index()
    memory.prepare(index, batch, found.matched)
    assign_stories(batch, index, found.matched)
    store.add_documents(batch, clusters=clusters, corpus=corpus_rows(index, found))


def urls(client: TestClient) -> Iterator[tuple[str, str]]:
    """(kind, URL) of every page and API list, with the ids and names of the store itself."""
    entity = client.get("/api/entities?type=PER&limit=2").json()["items"]
    actor, partner = entity[0]["id"], entity[1]["id"]
    name = entity[0]["name"]
    doc_id = client.get("/api/documents?limit=1").json()["items"][0]["doc_id"]
    cluster = client.get(f"/api/timeline?actor={quote(actor)}&limit=1").json()["items"][0]["cluster"]
    story = client.get("/api/stories?limit=1").json()["items"][0]["id"]
    word = name.split()[-1]
    lists = [
        "documents",
        f"documents?q={quote(word)}",
        "documents?lang=fr&since=2023-01&until=2023-06",
        "entities",
        "entities?type=LOC&lang=de",
        "quotes",
        f"quotes?speaker={quote(name)}",
        "claims",
        "claims?kind=other&lang=ru",
        "timeline",
        f"timeline?actor={quote(name)}",
        f"timeline?actor={quote(actor)}&with={quote(partner)}",
        "stories",
        f"stories?entity={quote(actor)}",
        "stories?since=2024-01&lang=pl",
        "documents?offset=9000",
    ]
    one = [
        f"documents/{quote(doc_id, safe='')}",
        f"entities/{quote(actor, safe='')}",
        f"clusters/{quote(cluster, safe='')}",
        f"stories/{quote(story, safe='')}",
    ]
    yield "page", "/"
    for path in lists + one:
        yield "page", f"/{path}"
    yield "api", "/api/stats"
    for path in lists + one:
        yield "api", f"/api/{path}"
    for path in lists[:1] + lists[3:4] + lists[5:6] + lists[7:8] + lists[9:10] + lists[12:13]:
        yield "csv", f"/api/{path}{'&' if '?' in path else '?'}format=csv"


def measure(client: TestClient, url: str, repeat: int) -> dict[str, Any]:
    started = time.perf_counter()
    first = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}: {first.text[:300]}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "url": url,
        "cold_ms": round(cold, 1),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "bytes": len(first.content),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="synthetic articles in the store")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", type=Path, help="time this existing store instead of building one")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per URL after a warm-up")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    args = parser.parse_args(argv)
    built_s = None
    with tempfile.TemporaryDirectory(prefix="newsgraph-api-") as tmp:
        db = args.db or Path(tmp) / "api.db"
        if args.db is None:
            built_s = build(db, args.n, args.seed)
            print(
                f"built a store of {args.n} articles in {built_s:.0f} s ({db.stat().st_size / 2**20:.0f} MiB)"
            )
        client = TestClient(create_app(db))
        documents = client.get("/api/stats").json()["documents"]
        results = [{"kind": kind, **measure(client, url, args.repeat)} for kind, url in urls(client)]
    width = max(len(r["url"]) for r in results)
    print(f"{'url':<{width}}  {'cold':>8}  {'median':>8}  {'max':>8}")
    for r in results:
        flag = "" if r["max_ms"] < GOAL_MS else "  > goal"
        times = f"{r['cold_ms']:>6.1f}ms  {r['median_ms']:>6.1f}ms  {r['max_ms']:>6.1f}ms"
        print(f"{r['url']:<{width}}  {times}{flag}")
    slowest = max(results, key=lambda r: r["max_ms"])
    over = [r["url"] for r in results if r["max_ms"] >= GOAL_MS]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "documents": documents,
            "built_s": built_s,
            "repeat": args.repeat,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "results": results,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        f"api latency: {len(results)} URLs on {documents} documents; slowest {slowest['url']} "
        f"median {slowest['median_ms']} ms, max {slowest['max_ms']} ms; "
        f"{len(over)} over {GOAL_MS:.0f} ms{': ' + ', '.join(over) if over else ''}"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
