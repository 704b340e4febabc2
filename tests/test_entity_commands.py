"""`entities`, `entity [explain]`, `merge`, `split`, `quotes`, `claims` over a store built here."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import main as cli
from newsgraph.entities.index import EntityIndex
from newsgraph.entities.resolve import Resolver
from newsgraph.model import Claim, Document, Entity, Mention, Quote
from newsgraph.store import Store

ENV = {"COLUMNS": "220", "NEWSGRAPH_DB": None, "NEWSGRAPH_CONFIG": None}


def article(doc_id: str, lang: str, published: str, text: str, names: dict[str, tuple[str, str]]) -> Document:
    """A document whose local clusters are the given surface forms: form -> (local id, type)."""
    doc = Document(doc_id=doc_id, text=text, lang=lang, content_hash=doc_id)
    from newsgraph.model import DateValue

    doc.published = DateValue(published, "day", None, "metadata")
    for form, (local, kind) in names.items():
        start = text.index(form)
        doc.mentions.append(Mention(start, start + len(form), form, kind, entity=local))
        ent = doc.entities.setdefault(
            local, Entity(local, form, kind, evidence={"normals": [form], "count": 0})
        )
        ent.aliases.append(form)
        ent.evidence["count"] += 1
        if len(form) > len(ent.name):
            ent.name = form
    return doc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    fr = article(
        "fr-1",
        "fr",
        "2023-11-01",
        "Antony Blinken a parlé avec Yoav Gallant. « Il faut protéger les civils », a dit Blinken. "
        "Selon le ministère, plus de 8 000 personnes ont été tuées.",
        {"Antony Blinken": ("L:0", "PER"), "Yoav Gallant": ("L:1", "PER"), "Blinken": ("L:0", "PER")},
    )
    quote_start = fr.text.index("«")
    fr.quotes = [
        Quote(
            quote_start,
            fr.text.index("»") + 1,
            "« Il faut protéger les civils »",
            True,
            speaker="L:0",
            speaker_span=(fr.text.rindex("Blinken"), fr.text.rindex("Blinken") + 7),
        )
    ]
    fr.sentences = [(0, 42), (43, fr.text.index("Selon") - 1), (fr.text.index("Selon"), len(fr.text))]
    number = fr.text.index("plus de")
    fr.claims = [
        Claim(
            number,
            number + 15,
            "plus de 8 000",
            8000,
            "more_than",
            "killed",
            subject="personnes",
            attributed_to="le ministère",
        )
    ]
    ru = article(
        "ru-1",
        "ru",
        "2023-11-03",
        "Блинкен встретился с Галантом и Бульдозером.",
        {"Блинкен": ("L:0", "PER"), "Галантом": ("L:1", "PER"), "Бульдозером": ("L:2", "PER")},
    )
    with Store(path) as store:
        resolver = Resolver(EntityIndex(store.entities_by_keys, store.known_entity))
        docs = [fr, ru]
        decisions = resolver.resolve(docs)
        store.add_documents(docs, resolver.index.dirty(), decisions)
    return path


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli.app, ["--db", str(db), *args], env=ENV, terminal_width=220)
    assert result.exit_code == 0, result.output
    return result.output


def test_entities_lists_the_most_mentioned_first(db: Path) -> None:
    lines = [line for line in run(db, "entities", "--type", "PER").splitlines() if "E:" in line]
    assert "Antony Blinken" in lines[0] and " 3 " in lines[0]


def test_entity_finds_a_person_by_a_name_in_another_script_and_explains(db: Path) -> None:
    output = run(db, "entity", "explain", "Blinken")
    assert "Блинкен" in output and "Antony Blinken" in output and "ru" in output and "fr" in output
    assert "Why these mentions" in output and "corpus" in output


def test_merge_and_split_rewrite_the_store_and_are_remembered(db: Path) -> None:
    with Store(db) as store:
        ids = {m.text: m.entity for d in store.iter_documents() for m in d.mentions}
    gallant, nickname = ids["Yoav Gallant"], ids["Бульдозером"]
    assert gallant != nickname  # a nickname: no spelling links it
    run(db, "merge", str(nickname), str(gallant))
    with Store(db) as store:
        ids = {m.text: m.entity for d in store.iter_documents() for m in d.mentions}
        assert ids["Бульдозером"] == ids["Yoav Gallant"]
        assert "бульдозером" in store.overrides()
    run(db, "split", str(gallant), "--form", "Бульдозером")
    with Store(db) as store:
        ids = {m.text: m.entity for d in store.iter_documents() for m in d.mentions}
        assert ids["Бульдозером"] != ids["Yoav Gallant"]
        moved = ids["Бульдозером"]
        later = article("ru-2", "ru", "2023-11-04", "Снова Бульдозером.", {"Бульдозером": ("L:0", "PER")})
        Resolver(
            EntityIndex(store.entities_by_keys, store.known_entity), overrides=store.overrides()
        ).resolve([later])
        assert later.mentions[0].entity == moved


def test_quotes_by_speaker_and_claims_by_kind(db: Path) -> None:
    output = run(db, "quotes", "--speaker", "Блинкен")
    assert "Il faut protéger les civils" in output and "Antony Blinken" in output
    output = run(db, "claims", "--kind", "killed", "--each")
    assert "> 8,000" in output and "le ministère" in output and "personnes ont été tuées" in output
