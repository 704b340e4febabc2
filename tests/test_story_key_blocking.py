"""Stories are found and merged by name key, not only by entity id, and a store-backed grouping keys
the ids of its stored stories by their stored names, as an in-memory run keys them by the articles'.

The resolver may give one person two ids (one per script): "Алексей Навальный" becomes
"E:aleksey-naval-nyy", "Alexei Navalny" "E:alexei-navalny". Their names share a key; the Cyrillic
id's slug does not (it splits the name at the soft sign).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from fixtures_stores import dated_report
from newsgraph.entities.kb import entity_id
from newsgraph.model import Document, Entity, Mention
from newsgraph.store import Store
from newsgraph.store.stories import StoryStore
from newsgraph.stories.embed import DIMENSIONS
from newsgraph.stories.features import ArticleFeatures, article_features, entity_key, name_key
from newsgraph.stories.group import StoryIndex, StoryParams, assign_articles, assign_stories
from test_story_store import grouped_both_ways, partition, store_batch

# Reports written for these tests (February 2024), each naming the opposition politician as a
# resolver that failed to link the two scripts would: one id per script.
RU_1 = (
    "Федеральная служба исполнения наказаний сообщила в пятницу о смерти Алексея Навального в "
    "колонии в посёлке Харп. По данным ведомства, Навальному стало плохо после прогулки."
)
RU_2 = (
    "Соратники Алексея Навального потребовали выдать тело политика его матери. В колонии в Харпе, "
    "где умер Навальный, к журналистам никто не вышел."
)
EN_1 = (
    "Russia's prison service said on Friday that Alexei Navalny had died in a penal colony above "
    "the Arctic Circle. His team demanded that the authorities return Alexei Navalny's body."
)
RU_OTHER = (
    "В Казани открылся международный турнир по шахматам. В первом туре гроссмейстеры сыграли "
    "вничью все партии, следующий тур пройдёт в воскресенье."
)
RU_NAME, EN_NAME = "Алексей Навальный", "Alexei Navalny"
RU_ID, EN_ID = entity_id(RU_NAME), entity_id(EN_NAME)
SURFACES = {  # surface form -> (id, canonical name, type)
    "Алексея Навального": (RU_ID, RU_NAME, "PER"),
    "Навальному": (RU_ID, RU_NAME, "PER"),
    "Навальный": (RU_ID, RU_NAME, "PER"),
    "Alexei Navalny": (EN_ID, EN_NAME, "PER"),
    "Харп": ("E:kharp", "Харп", "LOC"),
    "Казани": ("E:kazan", "Казань", "LOC"),
}


def _document(doc_id: str, lang: str, text: str) -> Document:
    """A dated report whose mentions carry the ids of `SURFACES`, with their canonical names."""
    mentions = [
        Mention(m.start(), m.end(), surface, kind, entity=eid)
        for surface, (eid, _, kind) in SURFACES.items()
        for m in re.finditer(re.escape(surface), text)
    ]
    ids = {m.entity for m in mentions}
    named = {eid: Entity(eid, name, kind) for eid, name, kind in SURFACES.values() if eid in ids}
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    return dated_report(doc_id, lang, "2024-02-16", text, text.index("."), sentences, mentions, named)


def _batches() -> list[list[Document]]:
    """The Russian reports (and an unrelated story) first, the English report a batch later."""
    return [
        [_document("ru-1", "ru", RU_1), _document("ru-2", "ru", RU_2), _document("ru-chess", "ru", RU_OTHER)],
        [_document("en-1", "en", EN_1)],
    ]


def test_the_two_ids_share_a_name_key_but_not_a_slug_key() -> None:
    assert entity_key(RU_ID, RU_NAME) == entity_key(EN_ID, EN_NAME) == name_key(EN_NAME)
    assert entity_key(RU_ID) != entity_key(EN_ID)


def test_a_store_backed_grouping_gives_the_stories_of_the_in_memory_one(tmp_path: Path) -> None:
    in_memory, stored, _ = grouped_both_ways(_batches, tmp_path / "s.db")
    assert partition(stored) == partition(in_memory)
    assert {"ru-1", "ru-2", "en-1"} in partition(stored)


def test_a_stored_story_is_keyed_by_its_entities_stored_names(tmp_path: Path) -> None:
    """The English report is scored against the stored Russian story as in memory: the Cyrillic id
    takes the key of its stored name, so the report's name counts as typical of the story."""
    first, (report,) = _batches()
    index = StoryIndex()
    assign_stories(first, index)
    (article,) = article_features([report])
    index.observe([article])
    story = index.stories[index.members["ru-1"]]
    (expected,) = index.scores(article, [story])
    with Store(tmp_path / "k.db") as store:
        store_batch(store, first)
        memory = StoryStore(store)
        working = memory.index()
        memory.prepare(working, [report], {})
        working.observe([article])
        assert working._key(RU_ID) == name_key(EN_NAME)
        (loaded,) = [s for s in working.stories.values() if RU_ID in s.entities and "E:kharp" in s.entities]
        (score,) = working.scores(article, [loaded])
    assert abs(score - expected) < 1e-5


def _lead(axis: int) -> np.ndarray:
    lead = np.zeros(DIMENSIONS, dtype=np.float32)
    lead[axis] = 1.0
    return lead


def _keyed(doc_id: str, entity: str, name: str, axis: int) -> ArticleFeatures:
    """An undated article naming one person by `entity`, its lead along `axis`."""
    keys = {entity: entity_key(entity, name)}
    return ArticleFeatures(doc_id, _lead(axis), True, {entity: 1.0}, None, keys=keys)


def _others(n: int) -> list[ArticleFeatures]:
    """Articles of other stories (each its own name and lead), updated after the person's story."""
    return [_keyed(f"o{i}", f"E:other-{i}", f"Other Person{i}", 10 + i) for i in range(n)]


def test_blocking_finds_a_story_that_knows_the_person_under_another_id() -> None:
    """Only the most recent story is scored by recency: the story naming the person by the Cyrillic
    id is found through the English id's name key."""
    for name_keys, found in ((True, True), (False, False)):
        index = StoryIndex(StoryParams(recent_stories=1, similar_stories=0, name_keys=name_keys))
        ru = _keyed("ru", RU_ID, RU_NAME, 0)
        articles = [ru, *_others(5)]
        index.observe(articles)
        for article in articles:
            index.assign(article)
        en = _keyed("en", EN_ID, EN_NAME, 1)
        index.observe([en])
        candidates = {s.id for s in index.candidates(en)}
        assert (index.members["ru"] in candidates) is found


def test_a_new_story_merges_into_one_that_names_the_person_by_another_id() -> None:
    """Three Russian reports form a story; three English ones, whose leads share nothing with
    them, start their own in the next batch and merge into it by the name's key."""
    for name_keys, stories in ((True, 1), (False, 2)):
        index = StoryIndex(StoryParams(name_keys=name_keys))
        ru = [_keyed(f"ru{i}", RU_ID, RU_NAME, 0) for i in range(3)]
        en = [_keyed(f"en{i}", EN_ID, EN_NAME, 1) for i in range(3)]
        first = assign_articles(ru, index)
        second = assign_articles(en, index)
        assert len(set(first)) == 1 and len({*first, *second}) == stories
