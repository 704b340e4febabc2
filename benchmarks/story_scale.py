"""Cost per added article of near-duplicates and stories as the store grows (synthetic articles).

    python benchmarks/story_scale.py --n 50000 --batch 500 --db /tmp/story_scale.db

Articles are generated, not annotated (the per-document stages cost the same whatever the store
holds): each belongs to one of many stories that run for a few days each over five years, names
a few of its story's entities and a few of a small set of common ones (countries every story
mentions), and has a body of random words from a large vocabulary; one in twenty is a re-post of an
earlier article of its story with a new headline and an extra paragraph. The lead embedding is the
cheap stage: a fixed random direction per story plus noise, normalised, instead of the encoder
(whose cost per article is constant). With `--names` every entity has a made-up two-word name, as
the resolver gives it, so that stories are also posted and looked up under name keys
(`story_keys`), the common entities' keys in most stories; without it the ids are their own keys.
What is timed, per batch, is what the corpus pass and the store do for copies and stories:
signatures and LSH look-ups against the store, loading the stories the batch could join,
assigning, and storing the batch with those rows (`Store.add_documents`). Prints the mean
milliseconds per added article at each checkpoint of stored articles: wall time, and the process's
CPU time, which other processes on a shared machine disturb much less (a loaded machine doubles
the wall time of a batch, not its CPU time).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np

import newsgraph.stories.features as features
from newsgraph.model import DateValue, Document, Entity, Mention
from newsgraph.store import Store
from newsgraph.store.stories import StoryStore, corpus_rows
from newsgraph.stories.duplicates import find_duplicates
from newsgraph.stories.embed import DIMENSIONS
from newsgraph.stories.group import assign_stories

CHECKPOINTS = (1_000, 5_000, 10_000, 20_000, 50_000)
FIRST_DAY = date(2020, 1, 1)
DAYS = 5 * 365
COMMON = [f"E:common-{i}" for i in range(30)]  # named by every story now and then
VOCABULARY = 20_000
REPOST_SHARE = 0.05
CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"


def made_up_name(entity: str) -> str:
    """A two-word name of three syllables each, the same for an id in every run (its key is that of
    a person's name: the words' consonant skeletons)."""
    rng = random.Random(entity)
    words = ("".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(3)) for _ in range(2))
    return " ".join(word.capitalize() for word in words)


class Corpus:
    """A stream of synthetic articles in publication order, with story directions for the vectors."""

    def __init__(self, n: int, seed: int = 7, names: bool = False):
        self.rng = random.Random(seed)
        self.names = names
        self.n_stories = max(1, n // 12)  # 12 articles per story on average
        gen = np.random.default_rng(seed)
        self.directions = gen.standard_normal((self.n_stories, DIMENSIONS)).astype(np.float32)
        self.starts = sorted(self.rng.randrange(DAYS) for _ in range(self.n_stories))
        self.story_of: dict[str, int] = {}
        self.texts: dict[int, list[str]] = {}
        self.noise = gen

    def articles(self, n: int) -> Iterator[Document]:
        for k in range(n):
            story = min(self.n_stories - 1, int(k / n * self.n_stories + self.rng.random() * 3))
            day = FIRST_DAY + timedelta(days=self.starts[story] + self.rng.randrange(4))
            doc_id = f"a{k}"
            self.story_of[doc_id] = story
            earlier = self.texts.get(story)
            if earlier and self.rng.random() < REPOST_SHARE:
                body = [*self.rng.choice(earlier), "", *self.words(30)]
            else:
                body = self.words(120)
                self.texts.setdefault(story, []).append(body)
            yield self.document(doc_id, story, day, body)

    def words(self, n: int) -> list[str]:
        return [f"w{self.rng.randrange(VOCABULARY)}" for _ in range(n)]

    def document(self, doc_id: str, story: int, day: date, body: list[str]) -> Document:
        names = [f"E:s{story}-{i}" for i in self.rng.sample(range(6), 3)] + self.rng.sample(COMMON, 2)
        title = f"Story {story} headline {doc_id}"
        text = " ".join([title, *names, *body])
        mentions, at = [], len(title) + 1
        for name in names:
            mentions.append(Mention(at, at + len(name), name, "PER", entity=name))
            at += len(name) + 1
        return Document(
            doc_id=doc_id,
            text=text,
            lang="en",
            title=title,
            title_span=(0, len(title)),
            published=DateValue(day.isoformat(), "day"),
            body=[(0, len(text))],
            sentences=[(0, len(text))],
            mentions=mentions,
            entities={e: Entity(e, made_up_name(e), "PER") for e in names} if self.names else {},
        )

    def vectors(self, docs: Sequence[Document]) -> np.ndarray:
        """The cheap stage: the story's direction plus noise, normalised."""
        rows = np.stack([self.directions[self.story_of[d.doc_id]] for d in docs])
        rows = rows + 0.8 * self.noise.standard_normal(rows.shape).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--db", type=Path, default=Path("/tmp/story_scale.db"))
    ap.add_argument("--names", action="store_true", help="entities with names (and so name keys)")
    args = ap.parse_args()
    args.db.unlink(missing_ok=True)
    corpus = Corpus(args.n, names=args.names)
    features.embed_documents = corpus.vectors  # type: ignore[assignment]
    stream = corpus.articles(args.n)
    stored, timings = 0, []
    with Store(args.db) as store:
        memory = StoryStore(store)
        while stored < args.n:
            batch = [doc for _, doc in zip(range(args.batch), stream, strict=False)]
            started, cpu = time.perf_counter(), time.process_time()
            found = find_duplicates(batch, memory)
            index = memory.index()
            memory.prepare(index, batch, found.matched)
            assign_stories(batch, index, found.matched)
            store.add_documents(batch, corpus=corpus_rows(index, found))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            stored += len(batch)
            timings.append((stored, 1000 * elapsed / len(batch), 1000 * cpu / len(batch), len(found.matched)))
            for mark in CHECKPOINTS:
                if stored - len(batch) < mark <= stored:
                    window = [(t, c) for s, t, c, _ in timings if mark - 5 * args.batch < s <= mark]
                    wall = sum(t for t, _ in window) / len(window)
                    print(
                        f"stored {stored:>6}: {wall:6.2f} ms per added article, CPU"
                        f" {sum(c for _, c in window) / len(window):6.2f} ms (mean of the last"
                        f" {len(window)} batches); stories {store._count('stories')},"
                        f" copies found {sum(c for *_, c in timings)}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
