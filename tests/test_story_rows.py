"""Shortcuts of the story index give what the plain computation gives: the centroid rows behind
`StoryIndex.similar` the cosines of the stacked pool, the profiles kept while merging fresh ones.

The cosines are equal to float32 rounding, not bit for bit: BLAS sums a row's products in an order
that can depend on where the row lies in the matrix."""

from __future__ import annotations

from itertools import islice

import numpy as np

from newsgraph.stories.features import ArticleFeatures
from newsgraph.stories.group import CentroidRows, StoryIndex, StoryParams


def _unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(512).astype(np.float32)
    return v / np.linalg.norm(v)


def _stacked(centroids: list[np.ndarray], vector: np.ndarray) -> np.ndarray:
    """What `similar` computed before the rows: stack the pool, divide by its norms."""
    matrix = np.stack(centroids)
    norms = np.linalg.norm(matrix, axis=1)
    return np.divide(matrix @ vector, norms, out=np.zeros(len(centroids), dtype=np.float32), where=norms > 0)


def test_rows_follow_puts_drops_and_growth() -> None:
    rng = np.random.default_rng(7)
    rows = CentroidRows()
    live: dict[str, np.ndarray] = {}
    for i in range(300):  # past several doublings of the capacity
        live[f"s{i}"] = _unit(rng) * rng.uniform(0.2, 1.0)
        rows.put(f"s{i}", live[f"s{i}"])
    for i in range(0, 300, 3):  # merged away: rows freed, then reused
        rows.drop(f"s{i}")
        del live[f"s{i}"]
    for i in range(300, 340):
        live[f"s{i}"] = _unit(rng)
        rows.put(f"s{i}", live[f"s{i}"])
    live["s1"] = np.zeros(512, dtype=np.float32)  # an empty story's centroid scores 0
    rows.put("s1", live["s1"])
    assert rows.used == 300  # the 40 new stories took freed rows
    vector = _unit(rng)
    for ids in (list(live), list(live)[:7], list(reversed(live))[:150]):
        expected = _stacked([live[i] for i in ids], vector)
        np.testing.assert_allclose(rows.cosines(ids, vector), expected, rtol=0, atol=1e-6)


def test_similar_ranks_the_recent_pool_as_the_stacked_pool_does() -> None:
    rng = np.random.default_rng(3)
    index = StoryIndex(StoryParams(similar_stories=5, similar_pool=40))
    topics = [_unit(rng) for _ in range(60)]
    for i in range(240):
        v = topics[i % 60] + 0.7 * _unit(rng)
        article = ArticleFeatures(f"d{i}", (v / np.linalg.norm(v)).astype(np.float32), True, {}, i // 4)
        index.assign(article)
    index.merge_new_stories(set(index.stories))  # no entity evidence: nothing merges, rows unchanged
    undated = ArticleFeatures("x", topics[11], True, {}, None)
    pool = list(islice(reversed(index._recent), 40))
    cosines = _stacked([index.stories[i].centroid for i in pool], undated.vector)
    expected = {pool[int(k)] for k in np.argsort(-cosines)[:5]}
    assert len(index.stories) > 40
    assert set(index.similar(undated)) == expected


class _Checked(StoryIndex):
    """Checks every profile merging reads against one computed afresh (as merging did before
    profiles were kept), and counts them."""

    checked = 0

    def _story_profile(self, story):  # type: ignore[no-untyped-def]
        got = super()._story_profile(story)
        kept, self._profiles = self._profiles, None
        assert got == super()._story_profile(story), story.id
        self._profiles = kept
        self.checked += kept is not None
        return got


def _merging_batch(index: StoryIndex) -> dict[str, str]:
    """Two languages' reports of three stories, each language starting stories of its own (their
    leads far apart), which the entity profiles then merge; returns doc -> story after merging."""
    rng = np.random.default_rng(11)
    bases = {(story, lang): _unit(rng) for story in range(3) for lang in ("de", "it")}
    casts = [["E:a", "E:b", "E:c"], ["E:d", "E:e", "E:f"], ["E:g", "E:h", "E:a"]]
    articles = []
    for i in range(36):
        story, lang = i % 3, "de" if i % 2 else "it"
        lead = bases[story, lang] + 0.2 * _unit(rng)
        lead = (lead / np.linalg.norm(lead)).astype(np.float32)
        names = {e: 1.0 for e in casts[story]} | {f"E:x{i}": 1.0}
        articles.append(ArticleFeatures(f"{lang}-{i}", lead, True, names, 700_000 + i // 6, lang))
    index.observe(articles)
    for article in articles:
        index.assign(article)
    moved = index.merge_new_stories(set(index.stories))
    assert moved  # the batch did merge
    return dict(index.members)


def test_profiles_kept_while_merging_are_the_fresh_ones() -> None:
    checked = _Checked()
    assert len(set(_merging_batch(checked).values())) == 3  # six starts, three stories
    assert checked.checked > 10
    assert checked._profiles is None  # kept only while merging
