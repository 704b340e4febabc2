"""Within-document clusters: which mentions of a document name one entity, and the evidence kept."""

from __future__ import annotations

import re

from newsgraph.entities.backends.lexicon import lexicon
from newsgraph.entities.local import cluster_mentions, titles_near
from newsgraph.model import Mention


def mentions_of(text: str, names: list[tuple[str, str, str | None]]) -> list[Mention]:
    """A mention for every occurrence of each (surface, type, normal) in the text, longer names first."""
    out: list[Mention] = []
    for surface, kind, normal in sorted(names, key=lambda n: -len(n[0])):
        for m in re.finditer(re.escape(surface) + r"(?!\w)", text):
            if all(m.end() <= o.start or o.end <= m.start() for o in out):
                out.append(Mention(m.start(), m.end(), surface, kind, normal=normal or surface))
    return out


def entity_of(mentions: list[Mention], surface: str) -> str | None:
    return next(m.entity for m in mentions if m.text == surface)


def test_a_surname_joins_the_full_name() -> None:
    text = (
        "US Secretary of State Antony Blinken landed in Tel Aviv on Friday. Blinken met the "
        "Israeli president, and Blinken later flew to Amman."
    )
    found, entities = cluster_mentions(
        text,
        mentions_of(
            text,
            [
                ("Antony Blinken", "PER", None),
                ("Blinken", "PER", None),
                ("Tel Aviv", "LOC", None),
                ("Amman", "LOC", None),
            ],
        ),
        "en",
    )
    blinken = entity_of(found, "Antony Blinken")
    assert blinken is not None and blinken.startswith("L:")
    assert entity_of(found, "Blinken") == blinken
    assert entity_of(found, "Amman") != blinken
    entity = entities[blinken]
    assert entity.name == "Antony Blinken" and entity.type == "PER"
    assert entity.aliases == ["Antony Blinken", "Blinken"]
    assert entity.evidence["count"] == 3
    assert entity.evidence["titles"] == ["secretary of state"]
    assert entity.evidence["script"] == "LATIN"
    assert len(entities) == 3


def test_inflected_russian_forms_cluster_through_their_normal_forms() -> None:
    text = "Госсекретарь США Энтони Блинкен прибыл в Израиль. Позже Блинкена принял премьер."
    found, entities = cluster_mentions(
        text,
        mentions_of(
            text,
            [
                ("Энтони Блинкен", "PER", "Энтони Блинкен"),
                ("Блинкена", "PER", "Блинкен"),
                ("США", "LOC", "США"),
                ("Израиль", "LOC", "Израиль"),
            ],
        ),
        "ru",
    )
    blinken = entity_of(found, "Энтони Блинкен")
    assert entity_of(found, "Блинкена") == blinken
    evidence = entities[str(blinken)].evidence
    assert evidence["normals"] == ["Энтони Блинкен", "Блинкен"]
    assert evidence["titles"] == ["госсекретар"]
    assert evidence["script"] == "CYRILLIC" and evidence["translit"] == "entoni blinken"


def test_case_forms_without_a_lemma_share_a_stem_key() -> None:
    text = "Premier Theresa May przyjechała. Rozmowa z Theresą May trwała godzinę."
    found, entities = cluster_mentions(
        text, mentions_of(text, [("Theresa May", "PER", None), ("Theresą May", "PER", None)]), "pl"
    )
    assert entity_of(found, "Theresa May") == entity_of(found, "Theresą May")
    assert len(entities) == 1


def test_acronyms_join_their_expansion() -> None:
    text = (
        "Organizacja Narodów Zjednoczonych (ONZ) wezwała do rozejmu. Rzecznik ONZ mówił o pomocy. "
        "The European Union and the EU Commission agreed, said Le Monde."
    )
    found, _ = cluster_mentions(
        text,
        mentions_of(
            text,
            [
                ("Organizacja Narodów Zjednoczonych", "ORG", None),
                ("ONZ", "ORG", None),
                ("European Union", "ORG", None),
                ("EU", "ORG", None),
                ("Le Monde", "ORG", None),
            ],
        ),
        "pl",
    )
    assert entity_of(found, "ONZ") == entity_of(found, "Organizacja Narodów Zjednoczonych")
    assert entity_of(found, "EU") == entity_of(found, "European Union")
    assert entity_of(found, "Le Monde") not in (entity_of(found, "EU"), entity_of(found, "ONZ"))


def test_a_first_name_joins_only_an_unambiguous_full_name() -> None:
    text = (
        "Asia Bibi left Pakistan. Asia thanked her lawyers. "
        "Boris Johnson and Jo Johnson disagreed; Johnson spoke."
    )
    found, _ = cluster_mentions(
        text,
        mentions_of(
            text,
            [
                ("Asia Bibi", "PER", None),
                ("Asia", "PER", None),
                ("Pakistan", "LOC", None),
                ("Boris Johnson", "PER", None),
                ("Jo Johnson", "PER", None),
                ("Johnson", "PER", None),
            ],
        ),
        "en",
    )
    assert entity_of(found, "Asia") == entity_of(found, "Asia Bibi")
    # a surname shared by two people joins one of them, never merges the two
    assert entity_of(found, "Boris Johnson") != entity_of(found, "Jo Johnson")
    assert entity_of(found, "Johnson") in (entity_of(found, "Boris Johnson"), entity_of(found, "Jo Johnson"))


def test_places_and_organisations_are_not_short_forms_of_people() -> None:
    text = "Jordan Peterson visited Jordan."
    given = [*mentions_of(text, [("Jordan Peterson", "PER", None)]), Mention(24, 30, "Jordan", "LOC")]
    found, _ = cluster_mentions(text, given, "en")
    assert found[0].entity != found[1].entity


def test_titles_are_read_next_to_the_name_only() -> None:
    fr = lexicon("fr")
    text = "Le secrétaire d'État Antony Blinken a rencontré le président israélien Isaac Herzog à Tel-Aviv."
    at = text.index

    def titles(surface: str) -> list[str]:
        return titles_near(text, Mention(at(surface), at(surface) + len(surface), surface, "PER"), fr)

    assert titles("Antony Blinken") == ["secrétaire d'état"]
    assert titles("Isaac Herzog") == ["président"]
    assert titles("Tel-Aviv") == []
    after = "Isaac Herzog, le président israélien, a répondu."
    assert titles_near(after, Mention(0, 12, "Isaac Herzog", "PER"), fr) == ["président"]
