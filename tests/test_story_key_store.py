"""Schema v12: stories are posted under the name keys of their entities (`story_keys`), and a
store-backed grouping loads the stories a new article could join by those keys as well as by its
entity ids, so that a stored story that knows a person under another id (another script) is found
however old it is, as the in-memory index finds it.

The resolver may give one person two ids, one per script: "Jens Stoltenberg" becomes
"E:jens-stoltenberg", "Йенс Столтенберг" "E:yens-stoltenberg". Their names share a name key.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fixtures_stores import dated_report
from newsgraph.entities.kb import entity_id
from newsgraph.model import Document, Entity, Mention
from newsgraph.store import Store
from newsgraph.store import schema as store_schema
from newsgraph.store import stories as store_stories
from newsgraph.store.entities import merge_entities
from newsgraph.store.readonly import open_readonly
from newsgraph.store.schema import MIGRATIONS, migrate, statements
from newsgraph.store.stories import StoryStore
from newsgraph.stories.features import name_key
from newsgraph.stories.group import Story, StoryParams
from test_store_v11 import answers, v10_actors, v12_decisions
from test_story_store import grouped_both_ways, partition, store_batch, stored_members

# Reports written for these tests (a NATO summit in Vilnius, July 2023): two in Latin script, a later
# Russian one naming the secretary-general in Cyrillic, and reports of other stories in between.
SUMMIT_EN = (
    "NATO leaders opened their summit in Vilnius on Tuesday. Secretary-General Jens Stoltenberg said "
    "the alliance would give Ukraine a clear path to membership, without a date. Jens Stoltenberg "
    "also announced new air defence plans for the eastern members."
)
SUMMIT_DE = (
    "In Vilnius hat am Dienstag der NATO-Gipfel begonnen. Generalsekretär Jens Stoltenberg sagte, "
    "die Ukraine erhalte einen klaren Weg zur Mitgliedschaft, aber kein Datum. Stoltenberg kündigte "
    "zudem neue Pläne für die Luftverteidigung im Osten an."
)
SUMMIT_RU = (
    "Генеральный секретарь НАТО Йенс Столтенберг заявил на саммите альянса в Вильнюсе, что Украина "
    "получит ясный путь к членству, но без конкретной даты. Столтенберг также объявил о новых планах "
    "противовоздушной обороны на восточном фланге."
)
HARVEST_FR = (
    "Les viticulteurs de Bourgogne ont commencé les vendanges avec trois semaines d'avance. La "
    "chaleur de juin a fait mûrir le raisin plus tôt que prévu, et les coopératives cherchent des "
    "saisonniers pour terminer la récolte avant les orages."
)
CHESS_ES = (
    "El torneo internacional de ajedrez de Linares comenzó con cuatro tablas. La gran maestra Ana "
    "Matnadze eligió una apertura tranquila y ofreció tablas tras treinta jugadas."
)
FLOOD_PL = (
    "Po ulewnych deszczach rzeka Odra wystąpiła z brzegów w okolicach Opola. Strażacy ewakuowali "
    "mieszkańców trzech wsi, a wojewoda zapowiedział pomoc dla poszkodowanych rolników."
)
CONCERT_RU = (
    "Пианист Денис Мацуев открыл фестиваль классической музыки в Иркутске. Концерт прошёл на "
    "открытой площадке у Ангары, билеты были распроданы за неделю."
)
LATIN, CYRILLIC = "Jens Stoltenberg", "Йенс Столтенберг"
SURFACES = {  # surface form -> (id, canonical name, type), as a resolver that split the scripts gives
    "Jens Stoltenberg": (entity_id(LATIN), LATIN, "PER"),
    "Stoltenberg": (entity_id(LATIN), LATIN, "PER"),
    "Йенс Столтенберг": (entity_id(CYRILLIC), CYRILLIC, "PER"),
    "Столтенберг": (entity_id(CYRILLIC), CYRILLIC, "PER"),
    "Vilnius": ("E:vilnius", "Vilnius", "LOC"),
    "Вильнюсе": ("E:vil-nyus", "Вильнюс", "LOC"),
    "Bourgogne": ("E:bourgogne", "Bourgogne", "LOC"),
    "Linares": ("E:linares", "Linares", "LOC"),
    "Ana Matnadze": ("E:ana-matnadze", "Ana Matnadze", "PER"),
    "Opola": ("E:opole", "Opole", "LOC"),
    "Денис Мацуев": ("E:denis-matsuyev", "Денис Мацуев", "PER"),
    "Иркутске": ("E:irkutsk", "Иркутск", "LOC"),
}
# one story at a time is "recent": the Latin story is out of the window when the Russian report comes
PARAMS = StoryParams(recent_stories=1, similar_stories=0)


def report(doc_id: str, lang: str, text: str, day: str) -> Document:
    """A dated report whose mentions carry the ids of `SURFACES`, with their canonical names."""
    found = [
        Mention(m.start(), m.end(), surface, kind, entity=eid)
        for surface, (eid, _, kind) in SURFACES.items()
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text)
    ]
    # the longest name at a place ("Jens Stoltenberg", not its "Stoltenberg")
    inside = [m for m in found for o in found if o is not m and o.start <= m.start and m.end <= o.end]
    mentions = [m for m in found if m not in inside]
    ids = {m.entity for m in mentions}
    named = {eid: Entity(eid, name, kind) for eid, name, kind in SURFACES.values() if eid in ids}
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    return dated_report(doc_id, lang, day, text, text.index("."), sentences, mentions, named)


def batches() -> list[list[Document]]:
    """The Latin reports, then one batch per other story (each the most recent in turn), then the
    Russian report and a Russian report of another story."""
    return [
        [
            report("summit-en", "en", SUMMIT_EN, "2023-07-11"),
            report("summit-de", "de", SUMMIT_DE, "2023-07-11"),
        ],
        [report("harvest-fr", "fr", HARVEST_FR, "2023-07-11")],
        [report("chess-es", "es", CHESS_ES, "2023-07-12")],
        [report("flood-pl", "pl", FLOOD_PL, "2023-07-12")],
        [
            report("summit-ru", "ru", SUMMIT_RU, "2023-07-12"),
            report("concert-ru", "ru", CONCERT_RU, "2023-07-12"),
        ],
    ]


def test_the_two_ids_differ_and_their_names_share_a_key() -> None:
    assert entity_id(LATIN) != entity_id(CYRILLIC)
    assert name_key(LATIN) == name_key(CYRILLIC) is not None


def test_a_story_out_of_the_recent_window_is_loaded_by_name_key_and_joined(tmp_path: Path) -> None:
    in_memory, members, working = grouped_both_ways(batches, tmp_path / "s.db", PARAMS)
    assert {"summit-en", "summit-de", "summit-ru"} in partition(in_memory)
    assert partition(members) == partition(in_memory)
    assert members["summit-ru"] in working.stories  # loaded: it shares no id and is not recent


def test_without_the_key_postings_the_story_is_not_loaded(tmp_path: Path) -> None:
    """The mechanism: the story is reached through `story_keys` (neither by id nor by recency)."""
    *earlier, (summit_ru, _) = batches()
    loaded = []
    for drop in (False, True):
        with Store(tmp_path / f"{drop}.db") as store:
            for docs in earlier:
                store_batch(store, docs, PARAMS)
            summit = stored_members(store)["summit-en"]
            if drop:
                store.conn.execute("DELETE FROM story_keys")
            memory = StoryStore(store)
            working = memory.index(PARAMS)
            memory.prepare(working, [summit_ru], {})
            loaded.append(summit in working.stories)
    assert loaded == [True, False]


def test_a_story_is_posted_under_its_name_keys_only(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for docs in batches()[:2]:
            store_batch(store, docs, PARAMS)
        summit = stored_members(store)["summit-en"]
        posted = store.conn.execute("SELECT key, story_id FROM story_keys ORDER BY 1, 2").fetchall()
    # Vilnius, Bourgogne: names too short for a key, keyed by their ids (posted in `story_entities`)
    assert posted == [(name_key(LATIN), summit)]


def test_only_new_keys_are_written_and_lost_ones_removed(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store_batch(store, batches()[0], PARAMS)
        summit = stored_members(store)["summit-en"]
        conn = store.conn
        key = name_key(LATIN)
        assert key is not None
        for keys, changes, rows in (
            ({key}, 0, [key]),  # nothing new: nothing written
            ({key, "K:MTSF DNS"}, 1, [key, "K:MTSF DNS"]),
            ({"K:MTSF DNS"}, 1, ["K:MTSF DNS"]),
        ):
            conn.execute("BEGIN")
            before = conn.total_changes
            store_stories._post_keys(conn, {summit: keys})
            conn.execute("COMMIT")
            assert conn.total_changes - before == changes
            assert [k for (k,) in conn.execute("SELECT key FROM story_keys ORDER BY 1")] == rows


def filled(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """The postings the stored stories and entity names give (what the migration writes)."""
    return sorted(
        (key, story_id)
        for key, story_id in conn.execute(
            "SELECT DISTINCT ng_story_key(e.entity_id, x.name), e.story_id FROM story_entities AS e"
            " LEFT JOIN entities AS x ON x.id = e.entity_id"
        )
        if key is not None
    )


def test_a_correction_posts_the_stories_under_their_new_entities_keys(tmp_path: Path) -> None:
    """Merging the Cyrillic id into the Latin one moves the Russian story's postings to it; the keys
    of every story stay those its stored entities' names give."""
    with Store(tmp_path / "s.db") as store:
        for docs in batches():
            store_batch(store, docs, StoryParams())
        merge_entities(store, [entity_id(CYRILLIC)], entity_id(LATIN))
        ids = {e for (e,) in store.conn.execute("SELECT DISTINCT entity_id FROM story_entities")}
        posted = sorted(store.conn.execute("SELECT key, story_id FROM story_keys"))
        assert entity_id(CYRILLIC) not in ids and entity_id(LATIN) in ids
        assert posted == filled(store.conn) and posted


def write_v11(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A v11 store of `batches()`, written by the store's code at v11: no key postings written, none
    read."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:11])
    conn.close()
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "MIGRATIONS", MIGRATIONS[:11])
        patch.setattr(store_schema.migrate, "__defaults__", (MIGRATIONS[:11],))
        patch.setattr(store_stories, "_post_keys", lambda conn, keys: None)
        patch.setattr(StoryStore, "_key_story_ids", lambda self, key, n, stories: set())  # v11 loaded by id
        patch.setattr(Store, "_insert_decisions", v12_decisions)  # v11's text ids (v14: numbers)
        patch.setattr(Store, "_insert_actors", v10_actors)
        with Store(path) as store:
            for docs in batches():
                store_batch(store, docs, StoryParams())


def later() -> list[Document]:
    """A later Russian report of the summit: which stored stories the next batch loads."""
    text = SUMMIT_RU.replace("заявил", "сказал")
    return [report("summit-ru-2", "ru", text, "2023-07-13")]


def loaded(store: Store) -> list[str]:
    memory = StoryStore(store)
    working = memory.index(PARAMS)
    memory.prepare(working, later(), {})
    return sorted(working.stories)


def every_answer(store: Store) -> dict[str, Any]:
    return {"answers": answers(store), "keys": sorted(store.conn.execute("SELECT * FROM story_keys"))}


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(a fresh v12 store, the same batches written at v11 and not yet converted)."""
    with Store(tmp_path / "fresh.db") as fresh:
        for docs in batches():
            store_batch(fresh, docs, StoryParams())
    write_v11(tmp_path / "v11.db", monkeypatch)
    return tmp_path / "fresh.db", tmp_path / "v11.db"


def test_a_v11_store_is_converted_in_place_and_every_reader_gives_the_same(stores: tuple[Path, Path]) -> None:
    fresh, old = stores
    with Store(fresh) as store:
        expected = every_answer(store)
        expected_loaded = loaded(store)
    assert expected["keys"]
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 11
    assert not conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'story_keys'").fetchall()
    conn.close()
    with Store(old) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert every_answer(store) == expected
        assert loaded(store) == expected_loaded
    with open_readonly(old) as readonly:
        assert answers(readonly) == expected["answers"]


def dump(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return [
        *conn.execute("SELECT name, sql FROM sqlite_schema ORDER BY name"),
        *conn.execute("SELECT * FROM story_entities ORDER BY 1, 2"),
        *conn.execute("SELECT id, last_seq FROM stories ORDER BY 1"),
    ]


def test_a_failed_conversion_leaves_the_v11_store_and_a_second_changes_nothing(
    stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, old = stores
    conn = sqlite3.connect(old, isolation_level=None)
    before = dump(conn)
    seen: list[str] = []

    def failing(entity: str, name: str | None) -> str | None:  # fails after some rows were written
        seen.append(entity)
        if len(seen) > 3:
            raise RuntimeError("disk gone")
        return store_schema.entity_key(entity, name)

    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "story_key", failing)
        with pytest.raises(sqlite3.OperationalError, match="user-defined function raised exception"):
            migrate(conn)
    assert len(seen) > 3
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 11 and dump(conn) == before
    assert migrate(conn, MIGRATIONS[:12]) == 12
    converted = [*dump(conn), *conn.execute("SELECT * FROM story_keys ORDER BY 1, 2")]
    conn.execute("BEGIN IMMEDIATE")  # the whole conversion again, on the converted store
    for statement in statements(MIGRATIONS[11]):
        conn.execute(statement)
    conn.execute("COMMIT")
    assert [*dump(conn), *conn.execute("SELECT * FROM story_keys ORDER BY 1, 2")] == converted
    conn.close()


def test_a_keys_most_recent_stories_are_the_same_read_either_way(tmp_path: Path) -> None:
    """Through the key's postings (few stories have it) or walking the stories from the most recent
    (most have it), the `n` most recently updated stories posted under the key."""
    key = name_key(LATIN)
    assert key is not None
    with Store(tmp_path / "s.db") as store:
        rows = store_stories.CorpusRows(stories=[], keys={})
        for seq in range(1, 13):
            story = Story(f"S:{seq:02d}", entities=Counter({f"E:x{seq}": 1}), size=1, last_seq=seq)
            rows.stories.append(story)
            rows.keys[story.id] = {key} if seq % 3 else {"K:PRS NSM"}
        with store.transaction() as conn:
            store_stories.save_corpus_rows(conn, rows, {})
        memory = StoryStore(store)
        read = [memory._key_story_ids(key, 3, stories) for stories in (10**6, 12, 0)]
    assert read == [{"S:11", "S:10", "S:08"}] * 3
