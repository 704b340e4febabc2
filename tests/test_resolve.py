"""The corpus-wide resolver: local clusters of several documents get global ids."""

from __future__ import annotations

from pathlib import Path

from newsgraph.entities.index import EntityIndex
from newsgraph.entities.resolve import Resolver
from newsgraph.model import Document, Entity, Event, Mention, Quote
from newsgraph.store import Store


def document(doc_id: str, lang: str, *names: tuple[str, str, list[str]]) -> Document:
    """A document whose text lists the names, each one local cluster (name, type, surface forms)."""
    text, mentions, entities = "", [], {}
    for k, (name, kind, forms) in enumerate(names):
        local = f"L:{k}"
        for form in forms:
            mentions.append(Mention(len(text), len(text) + len(form), form, kind, entity=local))
            text += form + ". "
        entities[local] = Entity(
            local, name, kind, aliases=forms, evidence={"normals": [name], "count": len(forms)}
        )
    return Document(doc_id=doc_id, text=text, lang=lang, mentions=mentions, entities=entities)


def ids_of(doc: Document) -> dict[str, str]:
    return {m.text: m.entity or "" for m in doc.mentions}


def test_spellings_scripts_and_inflections_of_one_person_share_an_id() -> None:
    docs = [
        document(
            "fr",
            "fr",
            ("Yoav Gallant", "PER", ["Yoav Gallant", "Gallant"]),
            ("Antony Blinken", "PER", ["Antony Blinken"]),
        ),
        document("en", "en", ("Galante", "PER", ["Galante"]), ("Blinken", "PER", ["Blinken"])),
        document("ru", "ru", ("Блинкен", "PER", ["Блинкена"]), ("Галант", "PER", ["Галант"])),
    ]
    Resolver(EntityIndex()).resolve(docs)
    gallant = {ids_of(docs[0])["Gallant"], ids_of(docs[1])["Galante"], ids_of(docs[2])["Галант"]}
    blinken = {ids_of(docs[0])["Antony Blinken"], ids_of(docs[1])["Blinken"], ids_of(docs[2])["Блинкена"]}
    assert len(gallant) == 1 and len(blinken) == 1
    assert gallant != blinken


def test_different_names_get_different_ids_and_every_reference_is_rewritten() -> None:
    doc = document("a", "en", ("Isaac Herzog", "PER", ["Isaac Herzog"]), ("Hertz", "ORG", ["Hertz"]))
    doc.events = [Event(id="V:1", type="CONSULT", source=["L:0"], target=["L:1"])]
    doc.quotes = [Quote(0, 5, "Isaac", direct=True, speaker="L:0")]
    Resolver(EntityIndex()).resolve([doc])
    herzog, hertz = ids_of(doc)["Isaac Herzog"], ids_of(doc)["Hertz"]
    assert herzog != hertz and not herzog.startswith("L:")
    assert doc.events[0].source == [herzog] and doc.events[0].target == [hertz]
    assert doc.quotes[0].speaker == herzog
    assert set(doc.entities) == {herzog, hertz}
    assert doc.entities[herzog].evidence["resolution"]["method"] == "new"


def test_a_short_form_shared_by_two_people_stays_apart_without_context() -> None:
    docs = [
        document("1", "en", ("Hunter Biden", "PER", ["Hunter Biden"])),
        document("2", "en", ("Joe Biden", "PER", ["Joe Biden"])),
        document("3", "en", ("Biden", "PER", ["Biden"])),
    ]
    decisions = Resolver(EntityIndex()).resolve(docs)
    by_doc = {d.doc_id: d for d in decisions}
    assert by_doc["1"].entity_id != by_doc["2"].entity_id
    assert by_doc["3"].method == "new" and by_doc["3"].runner_up is not None


def test_user_overrides_win(tmp_path: Path) -> None:
    doc = document("x", "fr", ("Galante", "PER", ["Galante"]))
    Resolver(EntityIndex(), overrides={"galante": "E:yoav-gallant"}).resolve([doc])
    assert ids_of(doc)["Galante"] == "E:yoav-gallant"


def test_ids_stay_stable_across_runs_through_the_store(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = document("1", "fr", ("Gabi Ashkenazi", "PER", ["Gabi Ashkenazi"]))
    with Store(db) as store:
        index = EntityIndex(store.entities_by_keys, store.known_entity)
        resolver = Resolver(index)
        decisions = resolver.resolve([first])
        store.add_documents([first], index.dirty(), decisions)
    later = document("2", "ru", ("Ашкенази", "PER", ["Ашкенази"]))
    with Store(db) as store:
        resolver = Resolver(EntityIndex(store.entities_by_keys, store.known_entity))
        (decision,) = resolver.resolve([later])
        assert decision.method == "corpus"
        assert decision.entity_id == ids_of(first)["Gabi Ashkenazi"]


def test_a_reference_with_a_span_takes_the_id_of_the_name_written_there() -> None:
    # the local clusterer put "Israel" and "Israel Katz" together; the event's target is the person
    text = "Israel Katz met Blinken. Israel said so. Israel agreed."
    doc = Document(doc_id="k", text=text, lang="en")
    for form, kind, start in (("Israel Katz", "PER", 0), ("Israel", "LOC", 25), ("Israel", "LOC", 41)):
        doc.mentions.append(Mention(start, start + len(form), form, kind, entity="L:0"))
    doc.mentions.append(Mention(16, 23, "Blinken", "PER", entity="L:1"))
    doc.entities = {
        "L:0": Entity("L:0", "Israel Katz", "PER", ["Israel Katz", "Israel"], evidence={"count": 3}),
        "L:1": Entity("L:1", "Blinken", "PER", ["Blinken"], evidence={"count": 1}),
    }
    doc.events = [
        Event(
            id="V:1",
            type="CONSULT",
            source=["L:1"],
            target=["L:0"],
            source_spans=[(16, 23)],
            target_spans=[(0, 11)],
        )
    ]
    Resolver(EntityIndex()).resolve([doc])
    katz = doc.mentions[0].entity
    assert katz != doc.mentions[1].entity  # two names, two entities
    assert doc.events[0].target == [katz]
