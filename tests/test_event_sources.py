"""Who a reader names as an event's source or target when the text names an office or a statement.

- A role phrase names the person the article titles with the same office (`events.offices`): "Chef
  du ministère de la Défense d'Ukraine" is the defence minister the body names, not the ministry
  inside the phrase; so is a title the recogniser read as an organisation ("Le ministre des
  Affaires étrangères a déclaré"). An institution named as such keeps its statement.
- A request reported through a statement is the speaker's ("X said in a statement that Y must"),
  and an appeal's infinitive is done by whom it is addressed to ("urged the United States to").

Documents get hand-made mentions (the recogniser's errors included: a ministry read as a name
inside a role phrase, a title read as an organisation), so these tests exercise the event
extractor over the real parse (spaCy for fr/en, natasha for ru, the light analysis for es).
"""

from __future__ import annotations

import re

import pytest

from newsgraph.config import Settings
from newsgraph.events.extract import extract_events
from newsgraph.events.offices import Office, OfficeHolders
from newsgraph.language.sentences import split_sentences
from newsgraph.language.syntax import analyse
from newsgraph.model import DateValue, Document, Event, Mention

SETTINGS = Settings()

# form -> (type, entity id); longer forms are taken first, and a form inside a taken one is not
NAMES = {
    "Rustem Umerov": ("PER", "E:umerov"),
    "Umerov": ("PER", "E:umerov"),
    "Рустем Умеров": ("PER", "E:umerov"),
    "Умеров": ("PER", "E:umerov"),
    "Eli Cohen": ("PER", "E:cohen"),
    "Эли Коэн": ("PER", "E:cohen"),
    "Donald Trump": ("PER", "E:trump"),
    "Oleksii Reznikov": ("PER", "E:reznikov"),
    "Antony Blinken": ("PER", "E:blinken"),
    "États-Unis": ("LOC", "E:usa"),
    "United States": ("LOC", "E:usa"),
    "Washington": ("LOC", "E:usa"),
    "США": ("LOC", "E:usa"),
    "Estados Unidos": ("LOC", "E:usa"),
    "Ukraine": ("LOC", "E:ukraine"),
    "Украина": ("LOC", "E:ukraine"),
    "Украину": ("LOC", "E:ukraine"),
    "Ukrainian": ("MISC", "E:ukraine"),
    "Iran": ("LOC", "E:iran"),
    "l'Iran": ("LOC", "E:iran"),
    "Ирана": ("LOC", "E:iran"),
    # institutions, as a recogniser gives them (the last three are titles it read as organisations)
    "ministère de la Défense d'Ukraine": ("ORG", "E:mod-ukraine"),
    "ministère ukrainien de la Défense": ("ORG", "E:mod-ukraine"),
    "Ukrainian Defence Ministry": ("ORG", "E:mod-ukraine"),
    "Defence Ministry": ("ORG", "E:mod-ukraine"),
    "Минобороны Украины": ("ORG", "E:mod-ukraine"),
    "Ministerio de Defensa de Ucrania": ("ORG", "E:mod-ukraine"),
    "ministre des Affaires étrangères": ("ORG", "E:fm-office"),
}


def document(text: str, lang: str) -> Document:
    """A document with the mentions of `NAMES` and a publication day."""
    doc = Document("t", text, lang=lang, published=DateValue("2024-10-23", "day", None, "metadata"))
    doc.sentences = split_sentences(text, [(0, len(text))], lang)
    taken: list[tuple[int, int]] = []
    for name in sorted(NAMES, key=len, reverse=True):
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(found.start() < end and start < found.end() for start, end in taken):
                continue
            taken.append(found.span())
            kind, entity = NAMES[name]
            doc.mentions.append(Mention(found.start(), found.end(), found.group(), kind, entity))
    doc.mentions.sort(key=lambda m: m.start)
    return doc


def events_of(text: str, lang: str) -> list[Event]:
    doc = document(text, lang)
    return extract_events(doc, analyse(doc, SETTINGS))


def dyads(events: list[Event], type_: str) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(sources, targets) of the events of one type."""
    return {(tuple(e.source), tuple(e.target)) for e in events if e.type == type_}


# ------------------------------------------------------------------------ a role phrase names its holder
HEADLINE_HOLDERS = [
    (
        "fr",
        "Chef du ministère de la Défense d'Ukraine exige l'aide des États-Unis\n\n"
        "Le ministre ukrainien de la Défense Rustem Umerov a reçu Antony Blinken à Kiev mardi.",
    ),
    (
        "en",
        "Head of Ukraine's Defence Ministry demands support from the United States\n\n"
        "Ukrainian Defence Minister Rustem Umerov received Antony Blinken in Kyiv on Tuesday.",
    ),
    (
        "ru",
        "Глава Минобороны Украины потребовал поддержки от США\n\n"
        "Министр обороны Украины Рустем Умеров во вторник принял в Киеве Энтони Блинкена.",
    ),
    (
        "es",
        "El jefe del Ministerio de Defensa de Ucrania exige el apoyo de Estados Unidos\n\n"
        "El ministro de Defensa ucraniano, Rustem Umerov, recibió el martes a Antony Blinken en Kyiv.",
    ),
]


@pytest.mark.parametrize(("lang", "text"), HEADLINE_HOLDERS)
def test_a_headline_role_phrase_is_the_minister_the_body_names(lang: str, text: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == {(("E:umerov",), ("E:usa",))}


def test_a_title_read_as_an_organisation_is_its_holder_fr() -> None:
    text = (
        "Le ministre des Affaires étrangères Eli Cohen a rencontré Antony Blinken lundi. "
        "Le ministre des Affaires étrangères a affirmé que l'Iran doit cesser ses attaques."
    )
    assert dyads(events_of(text, "fr"), "REQUEST") == {(("E:cohen",), ("E:iran",))}


def test_an_institution_named_as_such_stays_the_actor_fr() -> None:
    text = (
        "Le ministre ukrainien de la Défense Rustem Umerov est arrivé à Washington. "
        "Le ministère ukrainien de la Défense a exigé le soutien des États-Unis."
    )
    assert dyads(events_of(text, "fr"), "REQUEST") == {(("E:mod-ukraine",), ("E:usa",))}


def test_a_phrase_of_another_country_names_no_holder_en() -> None:
    text = (
        "Ukrainian Defence Minister Rustem Umerov arrived in Washington on Monday. "
        "The Iranian defence minister demanded that the United States withdraw."
    )
    requests = [e for e in events_of(text, "en") if e.type == "REQUEST"]
    assert requests and all("E:umerov" not in e.source for e in requests)


def test_two_holders_of_one_office_name_none_en() -> None:
    text = (
        "Ukrainian Defence Minister Rustem Umerov met his predecessor, "
        "Ukrainian Defence Minister Oleksii Reznikov. "
        "Head of Ukraine's Defence Ministry demands support from the United States."
    )
    requests = [e for e in events_of(text, "en") if e.type == "REQUEST"]
    assert requests and all(not {"E:umerov", "E:reznikov"} & set(e.source) for e in requests)


# ------------------------------------------------------------------------ offices and titles read alone
def test_titles_are_read_before_a_name_past_a_country_word_and_after_a_comma() -> None:
    text = (
        "Le ministre ukrainien de la Défense Rustem Umerov a parlé. "
        "Eli Cohen, ministre des Affaires étrangères, a répondu."
    )
    doc = document(text, "fr")
    titled = set(OfficeHolders(doc, analyse(doc, SETTINGS)).titled())
    assert titled == {
        (Office("defence_minister", "E:ukraine"), "E:umerov"),
        (Office("foreign_minister", None), "E:cohen"),
    }


def test_offices_agree_on_office_country_and_title() -> None:
    chancellor = Office("head_of_government", None, "chancellor")
    prime_minister = Office("head_of_government", None, "prime_minister")
    assert not chancellor.agrees(prime_minister)
    assert Office("defence_minister", "E:ukraine").agrees(Office("defence_minister", "E:ukraine"))
    assert not Office("defence_minister", "E:ukraine").agrees(Office("defence_minister", None))
    assert not Office("defence_minister", "E:ukraine").agrees(Office("defence_minister", "E:iran"))


# ------------------------------------------------------------------------ statements and appeals
STATEMENTS = [
    (
        "fr",
        "Dans un communiqué du ministère de la Défense d'Ukraine, Rustem Umerov a déclaré que les États-Unis "
        "doivent soutenir l'Ukraine.",
        "E:umerov",
    ),
    (
        "fr",
        "Rustem Umerov a déclaré dans un communiqué que les États-Unis doivent soutenir l'Ukraine.",
        "E:umerov",
    ),
    (
        "fr",
        "Le ministère ukrainien de la Défense a déclaré dans un communiqué que les États-Unis doivent "
        "soutenir l'Ukraine.",
        "E:mod-ukraine",
    ),
    ("en", "Rustem Umerov said in a statement that the United States must support Ukraine.", "E:umerov"),
    (
        "en",
        "The Ukrainian Defence Ministry said in a statement that the United States must support Ukraine.",
        "E:mod-ukraine",
    ),
    (
        "ru",
        "Как говорится в заявлении Минобороны Украины, Рустем Умеров заявил, что США должны "
        "поддержать Украину.",
        "E:umerov",
    ),
    ("ru", "Минобороны Украины заявило в обращении, что США должны поддержать Украину.", "E:mod-ukraine"),
]


@pytest.mark.parametrize(("lang", "text", "speaker"), STATEMENTS)
def test_a_request_in_a_statement_is_its_speakers(lang: str, text: str, speaker: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == {((speaker,), ("E:usa",))}


APPEALS = [
    ("fr", "Selon un communiqué du ministère, Rustem Umerov a appelé les États-Unis à soutenir l'Ukraine."),
    (
        "en",
        "In a statement from the Defence Ministry, Rustem Umerov urged the United States to support Ukraine.",
    ),
    ("ru", "Как сообщило Минобороны Украины, Рустем Умеров призвал США поддержать Украину."),
]


@pytest.mark.parametrize(("lang", "text"), APPEALS)
def test_an_appeal_through_a_ministry_is_the_persons_and_its_addressee_acts(lang: str, text: str) -> None:
    events = events_of(text, lang)
    assert dyads(events, "REQUEST") == {(("E:umerov",), ("E:usa",))}
    assert dyads(events, "SUPPORT") == {(("E:usa",), ("E:ukraine",))}


def test_an_infinitive_after_an_unnamed_object_keeps_the_subject_en() -> None:
    events = events_of("Ukraine used drones to attack targets in Iran.", "en")
    assert {e.source[0] for e in events if e.type == "ASSAULT" and e.source} == {"E:ukraine"}


# ----------------------------------------------------------- speech that takes up the sentence before
TAKEN_UP = [
    ("fr", "Les États-Unis devraient soutenir l'Ukraine. Selon CNN, c'est ce qu'a dit Rustem Umerov lundi."),
    ("fr", "Les États-Unis doivent soutenir l'Ukraine. C'est ce qu'a affirmé Rustem Umerov mardi."),
    ("en", "The United States must support Ukraine. That is what Rustem Umerov said on Tuesday."),
    ("ru", "США должны поддержать Украину. Об этом заявил министр обороны Украины Рустем Умеров."),
    ("ru", "США должны поддержать Украину. Об этом во вторник сообщил Рустем Умеров."),
]


@pytest.mark.parametrize(("lang", "text"), TAKEN_UP)
def test_a_request_taken_up_by_the_next_sentences_speech_verb_is_its_speakers(lang: str, text: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == {(("E:umerov",), ("E:usa",))}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The United States must support Ukraine. Rustem Umerov arrived on Tuesday."),
        ("fr", "Les États-Unis doivent soutenir l'Ukraine. Rustem Umerov a déclaré qu'il arrivait mardi."),
    ],
)
def test_a_next_sentence_that_does_not_take_it_up_gives_no_speaker(lang: str, text: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == set()
