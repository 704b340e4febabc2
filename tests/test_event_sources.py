"""Who a reader names as an event's source or target when the text names an office or a statement.

- A role phrase names the person the article titles with the same office (`events.offices`): "Chef
  du ministère de la Défense d'Israël" is the defence minister the body names, not the ministry
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
    "Yoav Gallant": ("PER", "E:gallant"),
    "Gallant": ("PER", "E:gallant"),
    "Йоав Галант": ("PER", "E:gallant"),
    "Галант": ("PER", "E:gallant"),
    "Eli Cohen": ("PER", "E:cohen"),
    "Эли Коэн": ("PER", "E:cohen"),
    "Donald Trump": ("PER", "E:trump"),
    "Benny Gantz": ("PER", "E:gantz"),
    "Antony Blinken": ("PER", "E:blinken"),
    "États-Unis": ("LOC", "E:usa"),
    "United States": ("LOC", "E:usa"),
    "Washington": ("LOC", "E:usa"),
    "США": ("LOC", "E:usa"),
    "Estados Unidos": ("LOC", "E:usa"),
    "Israël": ("LOC", "E:israel"),
    "Israel": ("LOC", "E:israel"),
    "Израиль": ("LOC", "E:israel"),
    "Israeli": ("MISC", "E:israel"),
    "Iran": ("LOC", "E:iran"),
    "l'Iran": ("LOC", "E:iran"),
    "Ирана": ("LOC", "E:iran"),
    # institutions, as a recogniser gives them (the last three are titles it read as organisations)
    "ministère de la Défense d'Israël": ("ORG", "E:mod-israel"),
    "ministère israélien de la Défense": ("ORG", "E:mod-israel"),
    "Israeli Defence Ministry": ("ORG", "E:mod-israel"),
    "Defence Ministry": ("ORG", "E:mod-israel"),
    "Минобороны Израиля": ("ORG", "E:mod-israel"),
    "Ministerio de Defensa de Israel": ("ORG", "E:mod-israel"),
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
        "Chef du ministère de la Défense d'Israël exige le soutien des États-Unis\n\n"
        "Le ministre israélien de la Défense Yoav Gallant a reçu Antony Blinken à Tel-Aviv mardi.",
    ),
    (
        "en",
        "Head of Israel's Defence Ministry demands support from the United States\n\n"
        "Israeli Defence Minister Yoav Gallant received Antony Blinken in Tel Aviv on Tuesday.",
    ),
    (
        "ru",
        "Глава Минобороны Израиля потребовал поддержки от США\n\n"
        "Министр обороны Израиля Йоав Галант во вторник принял в Тель-Авиве Энтони Блинкена.",
    ),
    (
        "es",
        "El jefe del Ministerio de Defensa de Israel exige el apoyo de Estados Unidos\n\n"
        "El ministro de Defensa israelí, Yoav Gallant, recibió el martes a Antony Blinken en Tel Aviv.",
    ),
]


@pytest.mark.parametrize(("lang", "text"), HEADLINE_HOLDERS)
def test_a_headline_role_phrase_is_the_minister_the_body_names(lang: str, text: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == {(("E:gallant",), ("E:usa",))}


def test_a_title_read_as_an_organisation_is_its_holder_fr() -> None:
    text = (
        "Le ministre des Affaires étrangères Eli Cohen a rencontré Antony Blinken lundi. "
        "Le ministre des Affaires étrangères a déclaré que l'Iran doit cesser ses attaques."
    )
    assert dyads(events_of(text, "fr"), "REQUEST") == {(("E:cohen",), ("E:iran",))}


def test_an_institution_named_as_such_stays_the_actor_fr() -> None:
    text = (
        "Le ministre israélien de la Défense Yoav Gallant est arrivé à Washington. "
        "Le ministère israélien de la Défense a exigé le soutien des États-Unis."
    )
    assert dyads(events_of(text, "fr"), "REQUEST") == {(("E:mod-israel",), ("E:usa",))}


def test_a_phrase_of_another_country_names_no_holder_en() -> None:
    text = (
        "Israeli Defence Minister Yoav Gallant arrived in Washington on Monday. "
        "The Iranian defence minister demanded that the United States withdraw."
    )
    requests = [e for e in events_of(text, "en") if e.type == "REQUEST"]
    assert requests and all("E:gallant" not in e.source for e in requests)


def test_two_holders_of_one_office_name_none_en() -> None:
    text = (
        "Israeli Defence Minister Yoav Gallant met his predecessor, Israeli Defence Minister Benny Gantz. "
        "Head of Israel's Defence Ministry demands support from the United States."
    )
    requests = [e for e in events_of(text, "en") if e.type == "REQUEST"]
    assert requests and all(not {"E:gallant", "E:gantz"} & set(e.source) for e in requests)


# ------------------------------------------------------------------------ offices and titles read alone
def test_titles_are_read_before_a_name_past_a_country_word_and_after_a_comma() -> None:
    text = (
        "Le ministre israélien de la Défense Yoav Gallant a parlé. "
        "Eli Cohen, ministre des Affaires étrangères, a répondu."
    )
    doc = document(text, "fr")
    titled = set(OfficeHolders(doc, analyse(doc, SETTINGS)).titled())
    assert titled == {
        (Office("defence_minister", "E:israel"), "E:gallant"),
        (Office("foreign_minister", None), "E:cohen"),
    }


def test_offices_agree_on_office_country_and_title() -> None:
    chancellor = Office("head_of_government", None, "chancellor")
    prime_minister = Office("head_of_government", None, "prime_minister")
    assert not chancellor.agrees(prime_minister)
    assert Office("defence_minister", "E:israel").agrees(Office("defence_minister", "E:israel"))
    assert not Office("defence_minister", "E:israel").agrees(Office("defence_minister", None))
    assert not Office("defence_minister", "E:israel").agrees(Office("defence_minister", "E:iran"))


# ------------------------------------------------------------------------ statements and appeals
STATEMENTS = [
    (
        "fr",
        "Dans un communiqué du ministère de la Défense d'Israël, Yoav Gallant a déclaré que les États-Unis "
        "doivent soutenir Israël.",
        "E:gallant",
    ),
    (
        "fr",
        "Yoav Gallant a déclaré dans un communiqué que les États-Unis doivent soutenir Israël.",
        "E:gallant",
    ),
    (
        "fr",
        "Le ministère israélien de la Défense a déclaré dans un communiqué que les États-Unis doivent "
        "soutenir Israël.",
        "E:mod-israel",
    ),
    ("en", "Yoav Gallant said in a statement that the United States must support Israel.", "E:gallant"),
    (
        "en",
        "The Israeli Defence Ministry said in a statement that the United States must support Israel.",
        "E:mod-israel",
    ),
    (
        "ru",
        "Как говорится в заявлении Минобороны Израиля, Йоав Галант заявил, что США должны "
        "поддержать Израиль.",
        "E:gallant",
    ),
    ("ru", "Минобороны Израиля заявило в обращении, что США должны поддержать Израиль.", "E:mod-israel"),
]


@pytest.mark.parametrize(("lang", "text", "speaker"), STATEMENTS)
def test_a_request_in_a_statement_is_its_speakers(lang: str, text: str, speaker: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == {((speaker,), ("E:usa",))}


APPEALS = [
    ("fr", "Selon un communiqué du ministère, Yoav Gallant a appelé les États-Unis à soutenir Israël."),
    (
        "en",
        "In a statement from the Defence Ministry, Yoav Gallant urged the United States to support Israel.",
    ),
    ("ru", "Как сообщило Минобороны Израиля, Йоав Галант призвал США поддержать Израиль."),
]


@pytest.mark.parametrize(("lang", "text"), APPEALS)
def test_an_appeal_through_a_ministry_is_the_persons_and_its_addressee_acts(lang: str, text: str) -> None:
    events = events_of(text, lang)
    assert dyads(events, "REQUEST") == {(("E:gallant",), ("E:usa",))}
    assert dyads(events, "SUPPORT") == {(("E:usa",), ("E:israel",))}


def test_an_infinitive_after_an_unnamed_object_keeps_the_subject_en() -> None:
    events = events_of("Israel used drones to attack targets in Iran.", "en")
    assert {e.source[0] for e in events if e.type == "ASSAULT" and e.source} == {"E:israel"}


# ----------------------------------------------------------- speech that takes up the sentence before
TAKEN_UP = [
    ("fr", "Les États-Unis devraient soutenir Israël. Selon CNN, c'est ce qu'a déclaré Yoav Gallant lundi."),
    ("fr", "Les États-Unis doivent soutenir Israël. C'est ce qu'a affirmé Yoav Gallant mardi."),
    ("en", "The United States must support Israel. That is what Yoav Gallant said on Tuesday."),
    ("ru", "США должны поддержать Израиль. Об этом заявил министр обороны Израиля Йоав Галант."),
    ("ru", "США должны поддержать Израиль. Об этом во вторник сообщил Йоав Галант."),
]


@pytest.mark.parametrize(("lang", "text"), TAKEN_UP)
def test_a_request_taken_up_by_the_next_sentences_speech_verb_is_its_speakers(lang: str, text: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == {(("E:gallant",), ("E:usa",))}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The United States must support Israel. Yoav Gallant arrived on Tuesday."),
        ("fr", "Les États-Unis doivent soutenir Israël. Yoav Gallant a déclaré qu'il arrivait mardi."),
    ],
)
def test_a_next_sentence_that_does_not_take_it_up_gives_no_speaker(lang: str, text: str) -> None:
    assert dyads(events_of(text, lang), "REQUEST") == set()
