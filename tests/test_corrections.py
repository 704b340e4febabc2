"""Corrections that propagate: after `merge`, `split` and `kb import`, the mentions, event actors,
speakers, claim sources and event clusters of the store agree with the correction at once, so the
timeline (`events.timeline` over the stored clusters), quotes and clusters are right; an unknown
entity or name is an error that suggests close names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures_stores import Article, Name, build_store, entity_of, span_of, store_stories
from newsgraph.cli import main as cli
from newsgraph.entities.index import EntityIndex, KnownEntity
from newsgraph.entities.kb import USER_KB_ENV, KnowledgeBase
from newsgraph.entities.roles import SOURCE as ROLE_SOURCE
from newsgraph.entities.unresolve import forget, localize
from newsgraph.events.timeline import TimelineRow, timeline
from newsgraph.model import Claim, Document, Event, Mention, Quote
from newsgraph.store import Store
from newsgraph.store.corrections import reresolve
from newsgraph.store.entities import UnknownEntityError, merge_entities, resolve_entity, split_entity
from newsgraph.store.facts import claims, quotes
from newsgraph.store.rows import ENTITY_ID
from newsgraph.store.stories import list_stories

ENV = {"COLUMNS": "200", "NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None}
DAY = "2024-03-05"

# Three reports of one meeting: in English and French the minister is named, in Russian only by a
# nickname, which no spelling rule links to his name.
ARTICLES = [
    Article(
        "en-1",
        "en",
        DAY,
        "Defence Minister Yoav Gallant met Antony Blinken in Tel Aviv on Tuesday. "
        '"We will keep talking," Gallant said.',
        [
            Name("Yoav Gallant", "L:0"),
            Name("Antony Blinken", "L:1"),
            Name("Tel Aviv", "L:2", "LOC"),
            Name("Gallant", "L:0"),
        ],
        meetings=[("Yoav Gallant", "Antony Blinken")],
        quotes=[('"We will keep talking,"', "Gallant")],
    ),
    Article(
        "fr-1",
        "fr",
        DAY,
        "Antony Blinken s'est entretenu mardi à Tel-Aviv avec Yoav Gallant, le ministre de la Défense.",
        [Name("Antony Blinken", "L:0"), Name("Tel-Aviv", "L:1", "LOC"), Name("Yoav Gallant", "L:2")],
        meetings=[("Antony Blinken", "Yoav Gallant")],
    ),
    Article(
        "ru-1",
        "ru",
        DAY,
        "Во вторник Блинкен встретился в Тель-Авиве с Бульдозером. «Переговоры продолжатся», — сказал "
        "Бульдозер. По словам Бульдозера, за неделю погибли более 30 человек.",
        [
            Name("Блинкен", "L:0"),
            Name("Тель-Авиве", "L:1", "LOC", "Тель-Авив"),
            Name("Бульдозером", "L:2", normal="Бульдозер"),
            Name("Бульдозер", "L:2"),
            Name("Бульдозера", "L:2", normal="Бульдозер"),
        ],
        meetings=[("Блинкен", "Бульдозером")],
        quotes=[("«Переговоры продолжатся»", "Бульдозер")],
        claims=[("более 30", 30, "Бульдозера")],
    ),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_store(tmp_path / "news.db", ARTICLES)


def rows(store: Store, entity: str, with_actor: str | None = None) -> list[TimelineRow]:
    """The entity's timeline as `newsgraph timeline` reads it: from the stored event clusters."""
    return timeline(store.clusters_with([entity]), entity, with_actor)


def names(store: Store, ids: tuple[str, ...]) -> list[str]:
    return [store.conn.execute("SELECT name FROM entities WHERE id = ?", (i,)).fetchone()[0] for i in ids]


def assert_clusters_agree(store: Store) -> None:
    """Every event points to a stored cluster holding it, and each cluster's participant rows are
    exactly the participants of its reports."""
    for doc in store.iter_documents():
        for event in doc.events:
            cluster = store.cluster(event.cluster or "")
            assert cluster is not None, (doc.doc_id, event.id)
            assert (doc.doc_id, event.id) in {(m.doc_id, m.event_id) for m in cluster.members}
            assert {*event.source, *event.target} <= set(cluster.participants)
    for (cluster_id,) in store.conn.execute("SELECT id FROM event_clusters").fetchall():
        cluster = store.cluster(cluster_id)
        assert cluster is not None and cluster.members
        actors = store.conn.execute(
            f"SELECT {ENTITY_ID.format('entity')} FROM event_cluster_actors WHERE cluster_id = ?",
            (cluster_id,),
        )
        assert {a for (a,) in actors} == set(cluster.participants)


def test_the_fixture_keeps_the_nickname_apart(db: Path) -> None:
    with Store(db) as store:
        gallant, nickname = entity_of(store, "en-1", "Yoav Gallant"), entity_of(store, "ru-1", "Бульдозером")
        assert gallant == entity_of(store, "fr-1", "Yoav Gallant") != nickname
        (row,) = rows(store, gallant)
        assert (row.reports, row.languages) == (2, ("en", "fr"))
        assert_clusters_agree(store)


def test_merge_then_split_propagate_to_timeline_quotes_claims_and_clusters(db: Path) -> None:
    with Store(db) as store:
        gallant, nickname = entity_of(store, "en-1", "Yoav Gallant"), entity_of(store, "ru-1", "Бульдозером")
        blinken = entity_of(store, "en-1", "Antony Blinken")

        done = merge_entities(store, [nickname], gallant)
        assert done.entity == gallant and done.documents == 1 and nickname in done.removed_entities
        # the Russian report joins the meeting: one row, three reports, under the kept name
        (row,) = rows(store, gallant, blinken)
        assert (row.reports, row.languages) == (3, ("en", "fr", "ru"))
        assert set(names(store, (*row.source, *row.target))) == {"Yoav Gallant", "Antony Blinken"}
        assert store.clusters_with([nickname]) == []
        said = [q.text for q in quotes(store, [gallant])]
        assert said == ['"We will keep talking,"', "«Переговоры продолжатся»"]
        (claim,) = claims(store, kind="killed")
        assert store.get("ru-1").claims[0].attributed_entity == gallant  # type: ignore[union-attr]
        assert claim.attributed_to == "Бульдозера"
        assert store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (nickname,)).fetchone() is None
        assert_clusters_agree(store)

        split = split_entity(store, gallant, ["Бульдозер"])
        moved = split.entity
        assert moved != gallant
        assert {m.entity for m in store.get("ru-1").mentions if m.text.startswith("Бульдозер")} == {moved}  # type: ignore[union-attr]
        assert resolve_entity(store, "Бульдозер") == moved  # the name left the entity it was split off
        (row,) = rows(store, moved)  # the timeline of the split-off name is not empty
        assert (row.reports, row.languages) == (1, ("ru",)) and blinken in row.source + row.target
        (row,) = rows(store, gallant)
        assert (row.reports, row.languages) == (2, ("en", "fr"))
        assert [q.text for q in quotes(store, [moved])] == ["«Переговоры продолжатся»"]
        assert [q.text for q in quotes(store, [gallant])] == ['"We will keep talking,"']
        assert store.get("ru-1").claims[0].attributed_entity == moved  # type: ignore[union-attr]
        assert_clusters_agree(store)


def test_corrections_are_remembered_by_later_ingests(db: Path) -> None:
    with Store(db) as store:
        gallant, nickname = entity_of(store, "en-1", "Yoav Gallant"), entity_of(store, "ru-1", "Бульдозером")
        merge_entities(store, [nickname], gallant)
    later = Article(
        "uk-1",
        "uk",
        "2024-03-06",
        "Бульдозер знову заговорив про переговори.",
        [Name("Бульдозер", "L:0")],
    )
    build_store(db, [later])
    with Store(db) as store:
        assert entity_of(store, "uk-1", "Бульдозер") == gallant


def test_a_correction_is_one_transaction(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while the clusters are written leaves mentions, overrides and clusters as they were."""
    with Store(db) as store:
        gallant, nickname = entity_of(store, "en-1", "Yoav Gallant"), entity_of(store, "ru-1", "Бульдозером")
        before = {d.doc_id: d.to_record() for d in store.iter_documents()}
        clusters = store.conn.execute("SELECT id, data FROM event_clusters ORDER BY id").fetchall()

        def broken(*args: object, **kwargs: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(Store, "replace_decisions", broken)
        with pytest.raises(OSError):
            merge_entities(store, [nickname], gallant)
        assert {d.doc_id: d.to_record() for d in store.iter_documents()} == before
        assert store.conn.execute("SELECT id, data FROM event_clusters ORDER BY id").fetchall() == clusters
        assert store.overrides() == {}


def test_reresolving_an_unchanged_store_changes_nothing(db: Path) -> None:
    with Store(db) as store:
        before = {d.doc_id: d.to_record() for d in store.iter_documents()}
        memory = store.conn.execute("SELECT id, data FROM entities ORDER BY id").fetchall()
        seen: list[int] = []
        done = reresolve(store, progress=seen.append)
        assert (done.documents, done.mentions_changed, sum(seen)) == (3, 0, 3)
        assert {d.doc_id: d.to_record() for d in store.iter_documents()} == before
        assert store.conn.execute("SELECT id, data FROM entities ORDER BY id").fetchall() == memory
        assert_clusters_agree(store)


# ---------------------------------------------------------------------------------------- unknown names
def test_a_close_spelling_names_the_entity_and_a_far_one_is_suggested(db: Path) -> None:
    with Store(db) as store:
        gallant = entity_of(store, "en-1", "Yoav Gallant")
        assert resolve_entity(store, "Йоав Галлант") == gallant  # another script
        for near in ("Avi Gallant", "Gallardo"):  # another man's name; a spelling sharing no sound key
            with pytest.raises(UnknownEntityError) as error:
                resolve_entity(store, near)
            assert "Yoav Gallant" in error.value.suggestions and "did you mean" in str(error.value)
        with pytest.raises(UnknownEntityError) as error:
            merge_entities(store, ["E:no-such-person"], gallant)
        assert "newsgraph entities" in str(error.value)
        with pytest.raises(UnknownEntityError) as error:
            split_entity(store, gallant, ["Galante"])  # never written so in this store
        assert "Gallant" in error.value.suggestions
        assert store.overrides() == {}  # nothing is remembered from a refused correction


def run(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli.app, ["--db", str(db), *args], env=ENV, terminal_width=200)
    assert result.exit_code == code, result.output
    return result.output


def test_a_merge_moves_the_story_postings_to_the_kept_entity(db: Path) -> None:
    """`stories --entity` finds the stories of a merged name under the kept entity at once: the
    story's entity postings and the entities' document counts follow the re-resolved mentions."""

    def postings(store: Store) -> dict[str, int]:
        rows = store.conn.execute("SELECT entity_id, n FROM story_entities WHERE story_id = 'S:talks'")
        return dict(rows.fetchall())

    with Store(db) as store:
        docs = [store.get(doc_id) for doc_id in ("en-1", "fr-1", "ru-1")]
        for doc in docs:
            assert doc is not None
            doc.story = "S:talks"
        store_stories(store, [d for d in docs if d is not None], {})
        gallant, nickname = entity_of(store, "en-1", "Yoav Gallant"), entity_of(store, "ru-1", "Бульдозером")
        before = postings(store)
        assert before[nickname] == 1 and list_stories(store, entity_ids=[nickname])["total"] == 1
        with store.conn:  # the document counts the corpus pass keeps (one story: the same counts)
            store.conn.executemany("INSERT INTO entity_documents VALUES (?, ?)", sorted(before.items()))

        merge_entities(store, [nickname], gallant)

        after = postings(store)
        assert nickname not in after and after[gallant] == before[gallant] + 1
        assert {k: v for k, v in after.items() if k != gallant} == {
            k: v for k, v in before.items() if k not in (gallant, nickname)
        }
        assert list_stories(store, entity_ids=[nickname])["total"] == 0
        assert list_stories(store, entity_ids=[gallant])["total"] == 1
        counts = dict(store.conn.execute("SELECT entity_id, documents FROM entity_documents").fetchall())
        assert counts.get(nickname, 0) == 0 and counts[gallant] == after[gallant]


def test_cli_merge_split_reresolve_and_their_errors(db: Path) -> None:
    output = run(db, "merge", "Бульдозер", "Yoav Gallant")
    assert "1 documents re-resolved" in output
    output = run(db, "timeline", "Yoav Gallant", "--format", "csv")
    assert output.count("\n") == 2 and "Yoav Gallant" in output and ",3,en fr ru," in output
    output = run(db, "split", "Yoav Gallant", "--form", "Бульдозер")
    assert "split Бульдозер off" in output
    assert "Бульдозер" in run(db, "timeline", "Бульдозер", "--format", "csv")
    output = run(db, "split", "Nobody Anyone", "--form", "X", code=2)
    assert "no entity named 'Nobody Anyone'" in output
    output = run(db, "split", "Yoav Gallant", "--form", "Galantez", code=2)
    assert "never written as 'Galantez'" in output and "did you mean" in output
    output = run(db, "merge", "Yoav Gallant", "Yoav Gallant", code=2)
    assert "nothing to merge" in output
    assert "3 documents re-resolved, 0 mentions changed" in run(db, "reresolve")


# ---------------------------------------------------------------------------------------- kb import
@pytest.fixture
def user_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user knowledge base of this test's own; the default KB is read afresh before and after."""
    path = tmp_path / "user_kb.sqlite"
    monkeypatch.setenv(USER_KB_ENV, str(path))
    KnowledgeBase.reload_default()
    yield path
    monkeypatch.delenv(USER_KB_ENV)
    KnowledgeBase.reload_default()


def test_kb_import_reresolves_the_documents_it_concerns(db: Path, user_kb: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        gallant = entity_of(store, "en-1", "Yoav Gallant")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        f"entity_id,name,lang,type\n{gallant},Yoav Gallant,en,PER\n{gallant},Бульдозер,ru,PER\n",
        encoding="utf-8",
    )
    output = run(db, "kb", "import", str(aliases))
    assert "documents re-resolved" in output
    with Store(db) as store:
        assert entity_of(store, "ru-1", "Бульдозером") == gallant  # the nickname is now his name
        (row,) = rows(store, gallant)
        assert (row.reports, row.languages) == (3, ("en", "fr", "ru"))
        assert_clusters_agree(store)


def test_an_entity_only_the_reresolved_documents_name_keeps_its_id(tmp_path: Path) -> None:
    """A name the resolver cannot match to itself across readings (a leading article is a word of
    the stored name, not of the English reading) founds its entity again, under the same id."""
    article = Article(
        "en-9",
        "en",
        "2025-05-16",
        "The Turkish Foreign Ministry said the talks in Istanbul would resume on Monday.",
        [Name("The Turkish Foreign Ministry", "L:0", "ORG"), Name("Istanbul", "L:1", "LOC")],
    )
    db = build_store(tmp_path / "one.db", [article])
    with Store(db) as store:
        before = entity_of(store, "en-9", "The Turkish Foreign Ministry")
        done = reresolve(store, ["en-9"])
        assert (done.mentions_changed, done.removed_entities) == (0, [])
        assert entity_of(store, "en-9", "The Turkish Foreign Ministry") == before
        assert store.known_entity(before).documents == 1  # type: ignore[union-attr]


def test_localize_gives_back_local_clusters_and_keeps_what_the_worker_resolved() -> None:
    """Global ids become one local cluster each; a role phrase keeps its knowledge-base id; a
    negotiator joined to a side leaves the event (the pass joins it again under its new id)."""
    text = "Der Chefunterhändler Medinski traf Umerow. Der Kremlchef sagte nichts."
    doc = Document(doc_id="de-1", text=text, lang="de")
    medinski, umerow = span_of(text, "Medinski"), span_of(text, "Umerow")
    chief = span_of(text, "Kremlchef")
    doc.mentions = [
        Mention(*medinski, "Medinski", "PER", entity="E:vladimir-medinsky"),
        Mention(*umerow, "Umerow", "PER", entity="E:rustem-umerov"),
        Mention(*chief, "Kremlchef", "PER", entity="E:vladimir-putin", source=ROLE_SOURCE),
    ]
    doc.events = [
        Event(
            "V:1",
            "CONSULT",
            source=["E:russia", "E:vladimir-medinsky"],
            target=["E:rustem-umerov"],
            source_spans=[(0, 3), medinski],
            target_spans=[umerow],
            context=["delegate:E:vladimir-medinsky"],
        )
    ]
    doc.quotes = [Quote(0, 10, "x", False, "E:vladimir-putin", chief)]
    doc.claims = [Claim(0, 3, "Der", 1, attributed_entity="E:rustem-umerov", attribution_span=umerow)]
    local = localize(doc)
    assert local == {"E:vladimir-medinsky": "L:r0", "E:rustem-umerov": "L:r1"}
    assert [m.entity for m in doc.mentions] == ["L:r0", "L:r1", "E:vladimir-putin"]
    event = doc.events[0]
    assert (event.source, event.source_spans, event.context) == (["E:russia"], [(0, 3)], [])
    assert event.target == ["L:r1"]
    assert doc.quotes[0].speaker == "E:vladimir-putin" and doc.claims[0].attributed_entity == "L:r1"
    assert set(doc.entities) == {"L:r0", "L:r1"}


def test_forget_takes_back_what_resolving_the_document_counted() -> None:
    text = "Blinken und Herzog; Blinken."
    doc = Document(doc_id="de-2", text=text, lang="de")
    doc.mentions = [
        Mention(0, 7, "Blinken", "PER", entity="E:antony-blinken"),
        Mention(12, 18, "Herzog", "PER", entity="E:isaac-herzog"),
        Mention(20, 27, "Blinken", "PER", entity="E:antony-blinken"),
    ]
    index = EntityIndex()
    blinken = KnownEntity("E:antony-blinken", "Antony Blinken", "PER", documents=3)
    blinken.forms.update({"Blinken": 5, "Antony Blinken": 2})
    blinken.langs.update({"de": 2, "en": 5})
    blinken.neighbours.update({"E:isaac-herzog": 1})
    herzog = KnownEntity("E:isaac-herzog", "Isaac Herzog", "PER", documents=1)
    herzog.forms.update({"Herzog": 1})
    herzog.neighbours.update({"E:antony-blinken": 1})
    index.put(blinken)
    index.put(herzog)
    assert forget(index, doc) == ["E:antony-blinken", "E:isaac-herzog"]
    assert blinken.forms == {"Blinken": 3, "Antony Blinken": 2} and blinken.langs == {"en": 5}
    assert blinken.documents == 2 and not blinken.neighbours
    assert not herzog.forms and herzog.documents == 0 and not herzog.neighbours
