"""Stories and copies in the store: rows per story, loaded per batch; the query contract."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures_stores import dated_report
from newsgraph.model import Document, Entity, Mention
from newsgraph.pipeline.resolve import CorpusPass
from newsgraph.store import Store
from newsgraph.store.readonly import open_readonly
from newsgraph.store.stories import (
    StoryStore,
    corpus_rows,
    distinct_texts,
    list_stories,
    story,
)
from newsgraph.stories.duplicates import find_duplicates
from newsgraph.stories.group import StoryIndex, StoryParams, assign_stories

# Articles written for these tests: one story (a dam failure) in three languages, a re-post of the
# English report, and a story on other actors. Names carry the global ids the resolver would give.
DAM_EN = (
    "A dam on the Vistula gave way after a week of heavy rain, flooding villages south of Krakow. "
    "Prime Minister Anna Nowak flew over the flooded area on Sunday and promised emergency funds. "
    "Rescue teams evacuated more than two thousand residents overnight, and the army sent boats "
    "and helicopters to the villages cut off by the water."
)
DAM_FR = (
    "Un barrage sur la Vistule a cédé après une semaine de pluies diluviennes, inondant des villages "
    "au sud de Cracovie. La Première ministre Anna Nowak a survolé dimanche la zone sinistrée et promis "
    "des fonds d'urgence. Les secours ont évacué plus de deux mille habitants pendant la nuit."
)
DAM_DE = (
    "An der Weichsel ist nach tagelangem Starkregen ein Damm gebrochen, südlich von Krakau stehen "
    "Dörfer unter Wasser. Ministerpräsidentin Anna Nowak überflog am Sonntag das Gebiet und sagte "
    "Soforthilfe zu. Rettungskräfte brachten in der Nacht mehr als zweitausend Menschen in Sicherheit."
)
CHESS_EN = (
    "The world chess championship opened in Singapore with a quiet draw between the two challengers. "
    "Grandmaster Lee Min-ho chose a cautious opening and offered a draw after forty moves. The match "
    "is played over fourteen classical games, with rapid tie-breaks if the score is level."
)
NAMES = {
    "Vistula": "E:vistula",
    "Vistule": "E:vistula",
    "Weichsel": "E:vistula",
    "Krakow": "E:krakow",
    "Cracovie": "E:krakow",
    "Krakau": "E:krakow",
    "Anna Nowak": "E:anna-nowak",
    "Singapore": "E:singapore",
    "Lee Min-ho": "E:lee-min-ho",
}


def make(doc_id: str, lang: str, title: str, body: str, day: str, outlet: str, tail: str = "") -> Document:
    text = f"{title}\n\n{body}" + (f"\n{tail}" if tail else "")
    start = len(title) + 2
    mentions = [
        Mention(m.start(), m.end(), name, "LOC", entity=entity)
        for name, entity in NAMES.items()
        for m in re.finditer(re.escape(name), text)
    ]
    sentences = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^.]+\.", body)]
    entities = {m.entity or "": Entity(m.entity or "", m.text, "LOC") for m in mentions}
    return dated_report(
        doc_id, lang, day, text, len(title), sentences, mentions, entities, outlet=outlet, origin="text"
    )


def batch_one() -> list[Document]:
    return [
        make("dam-en", "en", "Dam bursts on the Vistula", DAM_EN, "2024-09-15", "daily.example"),
        make("dam-fr", "fr", "Un barrage cède sur la Vistule", DAM_FR, "2024-09-15", "journal.example"),
        make("chess-en", "en", "Quiet draw opens the title match", CHESS_EN, "2024-11-25", "sport.example"),
    ]


def batch_two() -> list[Document]:
    return [
        make("dam-de", "de", "Dammbruch an der Weichsel", DAM_DE, "2024-09-16", "zeitung.example"),
        make(
            "dam-en-copy",
            "en",
            "Floods south of Krakow",
            DAM_EN,
            "2024-09-16",
            "reposts.example",
            tail="Our reporter adds that schools in the region stay closed.",
        ),
    ]


def store_batch(store: Store, docs: list[Document], params: StoryParams | None = None) -> StoryIndex:
    """The corpus pass's duplicate and story steps against the store, then the batch stored with
    them; the batch's working index (what the store loaded for it) is returned."""
    memory = StoryStore(store)
    found = find_duplicates(docs, memory)
    index = memory.index(params)
    memory.prepare(index, docs, found.matched)
    assign_stories(docs, index, found.matched)
    store.add_documents(docs, corpus=corpus_rows(index, found))
    return index


def stored_members(store: Store) -> dict[str, str]:
    """Document id -> the story the store counts it in."""
    return dict(store.conn.execute("SELECT doc_id, story_id FROM story_members").fetchall())


def partition(members: dict[str, str]) -> set[frozenset[str]]:
    """The documents grouped by story, whatever the stories' ids."""
    by_story: dict[str, set[str]] = {}
    for doc_id, story_id in members.items():
        by_story.setdefault(story_id, set()).add(doc_id)
    return {frozenset(docs) for docs in by_story.values()}


def grouped_both_ways(
    batches: Callable[[], list[list[Document]]], db: Path, params: StoryParams | None = None
) -> tuple[dict[str, str], dict[str, str], StoryIndex]:
    """The same batches (made afresh for each run) grouped in memory and against a store: the
    in-memory stories, the stored ones, and the working index of the last stored batch."""
    index = StoryIndex(params)
    in_memory: dict[str, str] = {}
    for docs in batches():
        assign_stories(docs, index)
        in_memory.update({d.doc_id: d.story or "" for d in docs})
        index.clean()
    # as `extract` rewrites its records at the end: ids of absorbed stories follow the survivor
    in_memory = {doc_id: index.resolve(story_id) for doc_id, story_id in in_memory.items()}
    with Store(db) as store:
        for docs in batches():
            working = store_batch(store, docs, params)
        return in_memory, stored_members(store), working


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "s.db") as s:
        store_batch(s, batch_one())
        store_batch(s, batch_two())
        yield s


def test_a_story_in_three_languages_with_a_copy_is_one_story(store: Store) -> None:
    listed = list_stories(store)
    assert listed["total"] == 2 and listed["limit"] == 20 and listed["offset"] == 0
    chess, dam = listed["items"]  # newest first: the chess story's last day is later
    assert dam["size"] == 3 and dam["documents"] == 4
    assert dam["languages"] == {"en": 2, "fr": 1, "de": 1}
    assert dam["first"] == "2024-09-15" and dam["last"] == "2024-09-16"
    assert set(dam["outlets"]) == {"daily.example", "journal.example", "zeitung.example", "reposts.example"}
    assert {e["id"] for e in dam["entities"]} == {"E:vistula", "E:krakow", "E:anna-nowak"}
    assert chess["size"] == 1 and chess["title"] == "Quiet draw opens the title match"


def test_story_lists_articles_in_date_order_with_the_copy_pointing_to_its_original(store: Store) -> None:
    dam_id = list_stories(store, entity_ids=["E:anna-nowak"])["items"][0]["id"]
    full = story(store, dam_id)
    assert full is not None and full["framing"] is None and full["events"] == []
    articles = {a["id"]: a for a in full["articles"]}
    assert [a["published"] for a in full["articles"]] == sorted(a["published"] for a in full["articles"])
    assert articles["dam-en-copy"]["duplicate_of"] == "dam-en" and articles["dam-en"]["duplicate_of"] is None
    assert distinct_texts(store, articles) == 3
    assert story(store, "S:none") is None


def test_filters_by_language_date_and_entity(store: Store) -> None:
    assert [s["size"] for s in list_stories(store, lang="de")["items"]] == [3]
    assert list_stories(store, since="2024-11-01")["total"] == 1
    assert list_stories(store, until="2024-10-01")["total"] == 1
    assert list_stories(store, entity_ids=["E:singapore"])["items"][0]["label"] == "Lee Min-ho · Singapore"
    assert list_stories(store, limit=1, offset=1)["items"][0]["size"] == 3
    german = list_stories(store, lang="de")["items"][0]
    assert german["title"] == "Dammbruch an der Weichsel"


def test_the_corpus_pass_stores_copies_and_stories(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as s:
        corpus = CorpusPass(s)
        for docs in (batch_one(), batch_two()):
            learnt = corpus(docs)
            s.add_documents(docs, learnt.entities, learnt.decisions, learnt.clusters, corpus=learnt.corpus)
            corpus.stored()
        rows = dict(s.conn.execute("SELECT doc_id, canonical FROM document_texts").fetchall())
        assert rows["dam-en-copy"] == "dam-en" and rows["dam-fr"] == "dam-fr"
        members = stored_members(s)
        assert members["dam-en-copy"] == members["dam-en"]
        assert s.get("dam-en-copy").duplicate_of == "dam-en"  # type: ignore[union-attr]


def test_an_old_store_with_the_index_in_one_document_is_upgraded(tmp_path: Path) -> None:
    index = StoryIndex()
    assign_stories(batch_one(), index)
    with Store(tmp_path / "old.db") as s:
        s.add_documents([], state={"stories": index.to_data()})
        upgraded = StoryStore(s).index()
        assert upgraded.documents == 3
        assert list_stories(s)["total"] == len(index.stories)


# Two stories on the same actors a year apart: a port strike, and a year later the wage deal.
STRIKE_EN = (
    "Dock workers at the port of Gdansk stopped work on Tuesday over night-shift pay. The dockers' "
    "union said the strike would last until the port operator improved its offer, and ships "
    "waited at anchor in the bay."
)
STRIKE_PL = (
    "Dokerzy w porcie w Gdańsku przerwali we wtorek pracę z powodu wynagrodzeń za nocne zmiany. "
    "Związek dokerów zapowiedział, że strajk potrwa, dopóki operator portu nie poprawi oferty."
)
DEAL_EN = (
    "The port operator in Gdansk and the dockers' union signed a three-year wage agreement on "
    "Friday, raising pay for night shifts and adding two training days a year."
)
DEAL_PL = (
    "Operator portu w Gdańsku i związek dokerów podpisali w piątek trzyletnie porozumienie płacowe, "
    "które podnosi wynagrodzenia za nocne zmiany."
)


def test_two_stories_on_the_same_actors_a_year_apart_stay_apart(tmp_path: Path) -> None:
    with Store(tmp_path / "y.db") as s:
        store_batch(
            s,
            [
                make("strike-en", "en", "Gdansk dockers strike", STRIKE_EN, "2023-05-09", "a.example"),
                make("strike-pl", "pl", "Strajk dokerów w Gdańsku", STRIKE_PL, "2023-05-09", "b.example"),
            ],
        )
        store_batch(
            s,
            [
                make("deal-en", "en", "Gdansk port signs wage deal", DEAL_EN, "2024-05-17", "a.example"),
                make("deal-pl", "pl", "Porozumienie płacowe w porcie", DEAL_PL, "2024-05-17", "b.example"),
            ],
        )
        members = stored_members(s)
    assert members["strike-en"] == members["strike-pl"]
    assert members["deal-en"] == members["deal-pl"]
    assert members["strike-en"] != members["deal-en"]


def test_an_old_store_shows_its_stories_once_opened_for_writing(tmp_path: Path) -> None:
    """Upgrading is opening the store for writing (any command does it): the read-only queries of
    the CLI, API and pages then list the stories kept as one JSON document before schema v7."""
    index = StoryIndex()
    assign_stories(batch_one(), index)
    with Store(tmp_path / "old.db") as s:
        s.add_documents([], state={"stories": index.to_data()})
    with Store(tmp_path / "old.db"):
        pass
    with open_readonly(tmp_path / "old.db") as readonly:
        assert list_stories(readonly)["total"] == len(index.stories)
