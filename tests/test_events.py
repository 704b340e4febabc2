"""The "events" component: PLOVER types, participants, voice, negation, context, modes and dates.

Documents get hand-made mentions (with entity ids) and time expressions, so these tests exercise the
event extractor over the real parse (spaCy for fr/en, natasha for ru, the light analysis for de/es/
uk/pl) without depending on the recogniser's or the time tagger's exact output.
"""

from __future__ import annotations

import re

import pytest

from newsgraph.config import Settings
from newsgraph.events.component import make_events
from newsgraph.events.extract import extract_events
from newsgraph.events.lexicon import build_lexicon, lexicon, parse_phrase
from newsgraph.language.sentences import split_sentences
from newsgraph.language.syntax import analyse
from newsgraph.model import DateValue, Document, Event, Mention, TimeExpression
from newsgraph.pipeline.components import factories

SETTINGS = Settings()

NAMES = {
    # people
    "Antony Blinken": "blinken",
    "Blinken": "blinken",
    "Блинкена": "blinken",
    "Isaac Herzog": "herzog",
    "Herzog": "herzog",
    "Benjamin Netanyahu": "netanyahu",
    "Netanyahu": "netanyahu",
    "Olaf Scholz": "scholz",
    "Scholz": "scholz",
    "Emmanuel Macron": "macron",
    "Macron": "macron",
    "Poutine": "putin",
    "Путин": "putin",
    "Biden": "biden",
    "Xi Jinping": "xi",
    "Lavrov": "lavrov",
    "Лавров": "lavrov",
    "Wang Yi": "wang",
    "Ван И": "wang",
    "Eli Cohen": "cohen",
    "Erdogan": "erdogan",
    "Gallant": "gallant",
    "Зеленским": "zelensky",
    "Зеленський": "zelensky",
    "Дудою": "duda",
    "Tusk": "tusk",
    "Zełenskim": "zelensky",
    "Sánchez": "sanchez",
    # countries, places, organisations
    "Israel": "israel",
    "Israël": "israel",
    "Tel Aviv": "tel-aviv",
    "Berlin": "berlin",
    "Pékin": "beijing",
    "Китай": "china",
    "Japan": "japan",
    "China": "china",
    "Iran": "iran",
    "Russia": "russia",
    "Ukraine": "ukraine",
    "Germany": "germany",
    "France": "france",
    "Hamas": "hamas",
    "Poland": "poland",
    "Serbia": "serbia",
    "the European Union": "eu",
    "Turkey": "turkey",
    "Sweden": "sweden",
    "Sudan": "sudan",
    "Canada": "canada",
    "India": "india",
    "Pakistan": "pakistan",
    "Hungary": "hungary",
    "le Japon": "japan",
    "la Chine": "china",
    "l'Iran": "iran",
    "la Russie": "russia",
    "l'Ukraine": "ukraine",
    "l'Allemagne": "germany",
    "la France": "france",
    "le Hamas": "hamas",
    "la Pologne": "poland",
    "la Serbie": "serbia",
    "l'Union européenne": "eu",
    "la Turquie": "turkey",
    "la Suède": "sweden",
    "le Canada": "canada",
    "l'Inde": "india",
    "la Hongrie": "hungary",
    "Япония": "japan",
    "Японии": "japan",
    "Китаем": "china",
    "Иран": "iran",
    "Израиль": "israel",
    "Россия": "russia",
    "Украины": "ukraine",
    "Германия": "germany",
    "Германией": "germany",
    "Францию": "france",
    "ХАМАС": "hamas",
    "Польша": "poland",
    "Сербия": "serbia",
    "Евросоюз": "eu",
    "Турцию": "turkey",
    "Швеция": "sweden",
    "Судану": "sudan",
    "Канада": "canada",
    "Ирана": "iran",
    "Индия": "india",
    "Пакистана": "pakistan",
    "Венгрии": "hungary",
    "Пекине": "beijing",
    "Нетаньяху": "netanyahu",
    "Тель-Авиве": "tel-aviv",
}
PLACES = {
    "israel",
    "tel-aviv",
    "berlin",
    "beijing",
    "china",
    "japan",
    "iran",
    "russia",
    "ukraine",
    "germany",
    "france",
    "poland",
    "serbia",
    "turkey",
    "sweden",
    "sudan",
    "canada",
    "india",
    "pakistan",
    "hungary",
}
ORGS = {"hamas", "eu"}


def document(
    text: str,
    lang: str,
    times: dict[str, str] | None = None,
    published: str | None = None,
    title_end: int | None = None,
) -> Document:
    """A document with the mentions of `NAMES` (ids "E:<name>") and the given time expressions."""
    doc = Document(
        "t",
        text,
        lang=lang,
        title_span=(0, title_end) if title_end else None,
        published=DateValue(published, "day", None, "metadata") if published else None,
    )
    doc.sentences = split_sentences(text, [(0, len(text))], lang)
    taken: list[tuple[int, int]] = []
    for name in sorted(NAMES, key=len, reverse=True):
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            if any(found.start() < end and start < found.end() for start, end in taken):
                continue
            taken.append(found.span())
            entity = NAMES[name]
            kind = "LOC" if entity in PLACES else "ORG" if entity in ORGS else "PER"
            doc.mentions.append(Mention(found.start(), found.end(), found.group(), kind, f"E:{entity}"))
    doc.mentions.sort(key=lambda m: m.start)
    for phrase, value in (times or {}).items():
        at = text.index(phrase)
        doc.times.append(TimeExpression(at, at + len(phrase), phrase, value, "day"))
    return doc


def extracted(text: str, lang: str, **kwargs: object) -> Document:
    """A document (see `document`) with its events."""
    doc = document(text, lang, **kwargs)  # type: ignore[arg-type]
    doc.events = extract_events(doc, analyse(doc, SETTINGS))
    return doc


def events_of(text: str, lang: str, **kwargs: object) -> list[Event]:
    return extracted(text, lang, **kwargs).events


def one(events: list[Event], type_: str, **wanted: object) -> Event:
    """The only event of `type_` whose attributes have the wanted values."""
    found = [e for e in events if e.type == type_ and all(getattr(e, k) == v for k, v in wanted.items())]
    assert len(found) == 1, [(e.type, e.source, e.target, e.mode, e.context) for e in events]
    return found[0]


def participants(event: Event) -> set[str]:
    return set(event.source) | set(event.target)


# ---------------------------------------------------------------------------------- categories
CATEGORIES = [
    ("en", "AGREE", "Japan and China agreed to resume fishing talks.", "japan"),
    ("en", "CONSULT", "Japan held talks with China in Tokyo.", "china"),
    ("en", "SUPPORT", "Germany praised France for its budget reform.", "france"),
    ("en", "COOPERATE", "Poland cooperated with Germany on border controls.", "germany"),
    ("en", "AID", "Canada sent humanitarian aid to Sudan.", "sudan"),
    ("en", "CONCEDE", "Serbia lifted the restrictions.", "serbia"),
    ("en", "RETREAT", "Russia withdrew its troops.", "russia"),
    ("en", "REQUEST", "The European Union urged Turkey to release the journalists.", "turkey"),
    ("en", "ACCUSE", "Israel accused Iran of arming Hamas.", "iran"),
    ("en", "REJECT", "Sweden rejected the request from Turkey.", "turkey"),
    ("en", "THREATEN", "China threatened Japan with new tariffs.", "japan"),
    ("en", "PROTEST", "Thousands of students protested against Hungary's new law.", "hungary"),
    ("en", "SANCTION", "Canada imposed sanctions on Iran.", "iran"),
    ("en", "MOBILIZE", "Russia deployed troops near Ukraine.", "russia"),
    ("en", "COERCE", "India arrested ten fishermen.", "india"),
    ("en", "ASSAULT", "Hamas attacked Israel with rockets.", "israel"),
    ("fr", "AGREE", "Le Japon et la Chine ont signé un accord sur la pêche.", "china"),
    ("fr", "CONSULT", "Le Japon a négocié avec la Chine à Tokyo.", "china"),
    ("fr", "SUPPORT", "L'Allemagne a salué la France pour sa réforme.", "france"),
    ("fr", "COOPERATE", "La Pologne coopère avec l'Allemagne sur les frontières.", "germany"),
    ("fr", "AID", "Le Canada a livré une aide humanitaire.", "canada"),
    ("fr", "CONCEDE", "La Serbie a levé les restrictions.", "serbia"),
    ("fr", "RETREAT", "La Russie a retiré ses troupes de l'Ukraine.", "ukraine"),
    ("fr", "REQUEST", "L'Union européenne a exhorté la Turquie à libérer les journalistes.", "turkey"),
    ("fr", "ACCUSE", "Israël a accusé l'Iran d'armer le Hamas.", "iran"),
    ("fr", "REJECT", "La Suède a rejeté la demande de la Turquie.", "sweden"),
    ("fr", "THREATEN", "La Chine a menacé le Japon de nouvelles taxes.", "japan"),
    ("fr", "PROTEST", "Des milliers d'étudiants ont manifesté contre la Hongrie.", "hungary"),
    ("fr", "SANCTION", "Le Canada a imposé des sanctions.", "canada"),
    ("fr", "MOBILIZE", "La Russie a déployé des troupes près de l'Ukraine.", "ukraine"),
    ("fr", "COERCE", "L'Inde a arrêté dix pêcheurs du Pakistan.", "pakistan"),
    ("fr", "ASSAULT", "Le Hamas a attaqué Israël avec des roquettes.", "hamas"),
    ("ru", "AGREE", "Япония и Китай подписали соглашение о рыболовстве.", "japan"),
    ("ru", "CONSULT", "Япония провела переговоры с Китаем в Токио.", "china"),
    ("ru", "SUPPORT", "Германия поддержала Францию в споре о бюджете.", "france"),
    ("ru", "COOPERATE", "Польша сотрудничает с Германией в охране границ.", "germany"),
    ("ru", "AID", "Канада оказала гуманитарную помощь Судану.", "sudan"),
    ("ru", "CONCEDE", "Сербия смягчила ограничения.", "serbia"),
    ("ru", "RETREAT", "Россия вывела войска из Украины.", "russia"),
    ("ru", "REQUEST", "Евросоюз призвал Турцию освободить журналистов.", "turkey"),
    ("ru", "ACCUSE", "Израиль обвинил Иран в поддержке ХАМАС.", "iran"),
    ("ru", "REJECT", "Швеция отклонила требование.", "sweden"),
    ("ru", "THREATEN", "Китай пригрозил Японии новыми пошлинами.", "japan"),
    ("ru", "PROTEST", "Тысячи студентов протестовали против закона Венгрии.", "hungary"),
    ("ru", "SANCTION", "Канада ввела санкции против Ирана.", "canada"),
    ("ru", "MOBILIZE", "Россия развернула войска у границ Украины.", "russia"),
    ("ru", "COERCE", "Индия задержала десять рыбаков из Пакистана.", "india"),
    ("ru", "ASSAULT", "ХАМАС атаковал Израиль ракетами.", "israel"),
]


@pytest.mark.parametrize(("lang", "type_", "text", "actor"), CATEGORIES)
def test_each_plover_category_with_a_participant(lang: str, type_: str, text: str, actor: str) -> None:
    events = [e for e in events_of(text, lang) if e.type == type_]
    assert events, f"no {type_} in {text!r}"
    assert any(f"E:{actor}" in participants(e) for e in events)


# ---------------------------------------------------------------------------------- roles
def test_phone_call_takes_its_mode_roles_and_the_governing_date_fr() -> None:
    text = (
        "Le secrétaire d'État américain Antony Blinken s'est entretenu par téléphone lundi avec le "
        "président israélien Isaac Herzog."
    )
    event = one(events_of(text, "fr", times={"lundi": "2023-10-30"}, published="2023-11-01"), "CONSULT")
    assert (event.source, event.target, event.mode) == (["E:blinken"], ["E:herzog"], "phone")
    monday = text.index("lundi")
    assert event.date == DateValue("2023-10-30", "day", (monday, monday + len("lundi")), "text")
    assert event.trigger == (text.index("entretenu"), text.index("entretenu") + len("entretenu"))


def test_visitor_is_the_source_and_a_meeting_during_a_visit_is_a_visit_en() -> None:
    events = events_of("Blinken arrived in Israel on Friday and met Netanyahu in Tel Aviv.", "en")
    arrival = one(events, "CONSULT", target=[])
    assert arrival.source == ["E:blinken"] and arrival.location == "E:israel" and arrival.mode == "visit"
    meeting = one(events, "CONSULT", target=["E:netanyahu"])
    assert meeting.source == ["E:blinken"] and meeting.mode == "visit" and meeting.location == "E:tel-aviv"


def test_the_guest_of_a_host_is_the_source() -> None:
    received = one(events_of("Chancellor Olaf Scholz received Emmanuel Macron in Berlin.", "en"), "CONSULT")
    assert (received.source, received.target, received.mode) == (["E:macron"], ["E:scholz"], "visit")
    passive = one(
        events_of("Le ministre israélien Eli Cohen a été reçu par Emmanuel Macron.", "fr"), "CONSULT"
    )
    assert (passive.source, passive.target) == (["E:cohen"], ["E:macron"])


def test_passive_voice_swaps_the_roles() -> None:
    event = one(events_of("Netanyahu was criticised by Biden.", "en"), "ACCUSE")
    assert (event.source, event.target) == (["E:biden"], ["E:netanyahu"])


def test_coordinated_participants_of_a_reciprocal_verb_share_the_roles() -> None:
    event = one(events_of("Netanyahu and Herzog discussed the war.", "en"), "CONSULT")
    assert (event.source, event.target) == (["E:netanyahu"], ["E:herzog"])
    assert not events_of("Netanyahu discussed the plan.", "en")  # no partner, no consultation


def test_pronoun_takes_the_previous_subject_as_antecedent() -> None:
    text = "Herzog thanked Blinken. He also met Gallant."
    event = one(events_of(text, "en"), "CONSULT")
    assert event.source == ["E:herzog"] and event.target == ["E:gallant"]
    assert event.source_spans == [(text.index("He "), text.index("He ") + 2)]  # the pronoun itself


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Blinken a appelé Netanyahu à protéger les civils."),
        ("en", "Blinken called on Netanyahu to protect civilians."),
    ],
)
def test_requests(lang: str, text: str) -> None:
    event = one(events_of(text, lang), "REQUEST")
    assert (event.source, event.target) == (["E:blinken"], ["E:netanyahu"])


def test_support_for_a_recipient_fr() -> None:
    event = one(events_of("Blinken a réitéré son soutien à Israël.", "fr"), "SUPPORT")
    assert (event.source, event.target) == (["E:blinken"], ["E:israel"])


# ---------------------------------------------------------------------------------- nominal and headline
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The meeting between Blinken and Wang Yi lasted three hours."),
        ("ru", "Встреча Блинкена и Ван И прошла в Пекине."),
    ],
)
def test_nominal_meetings(lang: str, text: str) -> None:
    event = one(events_of(text, lang), "CONSULT")
    assert (event.source, event.target) == (["E:blinken"], ["E:wang"])
    assert event.confidence < 0.9  # a noun is weaker evidence than a verb


def test_headline_event_finds_the_role_phrase_named_in_the_body() -> None:
    title = "Appel téléphonique : Blinken s'entretient avec le président israélien"
    body = (
        "Mercredi, le secrétaire d'État Blinken a longuement parlé avec le président israélien Isaac Herzog."
    )
    text = f"{title}\n\n{body}"
    events = events_of(text, "fr", title_end=len(title))
    headline = [e for e in events if e.sentence and e.sentence[1] <= len(title)]
    assert [(e.type, e.mode, e.source, e.target) for e in headline] == [
        ("CONSULT", "phone", ["E:blinken"], ["E:herzog"])
    ]
    assert text[headline[0].target_spans[0][0] : headline[0].target_spans[0][1]] == "le président israélien"


# ---------------------------------------------------------------------------------- negation and context
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Macron n'a pas rencontré Poutine."),
        ("en", "Biden did not meet Xi Jinping."),
        ("ru", "Путин не встретился с Зеленским."),
    ],
)
def test_negated_meetings(lang: str, text: str) -> None:
    assert one(events_of(text, lang), "CONSULT").negated


def test_an_announced_meeting_is_future_and_a_commitment() -> None:
    events = events_of("Blinken will meet Erdogan next week.", "en")
    assert one(events, "CONSULT").context == ["future"]
    commitment = one(events, "AGREE")
    assert (commitment.source, commitment.target, commitment.context) == (["E:blinken"], ["E:erdogan"], [])


@pytest.mark.parametrize(
    ("lang", "text", "context"),
    [
        ("fr", "Macron pourrait rencontrer Poutine.", ["hypothetical"]),
        ("ru", "Путин планирует посетить Китай.", ["future"]),
        ("en", "If Erdogan meets Macron, they could sign a deal.", ["hypothetical"]),
        ("fr", "Selon l'agence, Lavrov a rencontré Wang Yi à Pékin.", ["reported"]),
    ],
)
def test_contexts(lang: str, text: str, context: list[str]) -> None:
    found = one(events_of(text, lang), "CONSULT").context
    assert [c for c in found if not c.startswith("one-side:")] == context


# ---------------------------------------------------------------------------------- dates
def test_a_time_expression_dates_its_own_event_only() -> None:
    text = "Blinken visited Israel on Monday, a month after the attack by Hamas on 7 October."
    events = events_of(text, "en", times={"Monday": "2023-11-06", "7 October": "2023-10-07"})
    assert one(events, "CONSULT").date.value == "2023-11-06"  # type: ignore[union-attr]
    attack = one(events, "ASSAULT")
    assert attack.source == ["E:hamas"] and attack.date.value == "2023-10-07"  # type: ignore[union-attr]


def test_without_a_time_expression_the_publication_day_is_inferred() -> None:
    event = one(events_of("Blinken met Macron.", "en", published="2023-11-07T10:00"), "CONSULT")
    assert event.date == DateValue("2023-11-07", "day", None, "inferred")
    assert one(events_of("Blinken met Macron.", "en"), "CONSULT").date is None


# ---------------------------------------------------------------------------------- other languages
@pytest.mark.parametrize(
    ("lang", "text", "source", "target"),
    [
        ("de", "Scholz traf Macron am Montag in Paris.", "scholz", "macron"),
        ("es", "Sánchez se reunió con Macron en Madrid.", "sanchez", "macron"),
        ("uk", "Зеленський зустрівся з Дудою у Варшаві.", "zelensky", "duda"),
        ("pl", "Tusk spotkał się z Zełenskim w Warszawie.", "tusk", "zelensky"),
    ],
)
def test_languages_without_a_parser_attach_by_window(lang: str, text: str, source: str, target: str) -> None:
    event = one(events_of(text, lang), "CONSULT")
    assert (event.source, event.target) == ([f"E:{source}"], [f"E:{target}"])
    assert event.confidence < 0.8  # window attachment is weaker than the parse


# ---------------------------------------------------------------------------------- lexicon and component
def test_phrases_and_stop_phrases() -> None:
    assert parse_phrase("Appeler … à").parts == (("appeler",), ("à",))
    assert parse_phrase("call for").parts == (("call", "for"),)
    lex = build_lexicon({"verbs": {"CONSULT": ["meet"]}, "stop": ["meet … demand"]})
    assert {e.type for e in lex.entries["meet"]} == {"CONSULT", ""}
    assert not [
        e
        for e in events_of("Путин принял участие в саммите.", "ru")
        if e.trigger and e.trigger[1] - e.trigger[0] == len("принял")
    ]  # "принять участие" is no reception


def test_every_language_has_a_lexicon_for_every_category() -> None:
    for lang in ("fr", "en", "ru"):
        lex = lexicon(lang)
        types = {e.type for entries in lex.entries.values() for e in entries} - {""}
        assert len(types) == 16, (lang, types)
    for lang in ("de", "es", "uk", "pl"):
        assert "CONSULT" in {e.type for entries in lexicon(lang).entries.values() for e in entries}


def test_component_is_registered_and_ids_are_stable() -> None:
    assert "events" in factories()
    component = make_events(SETTINGS)
    assert component(Document("empty", "")).events == []
    doc = document("Blinken met Macron in Berlin.", "en")
    first = [e.id for e in component(doc).events]
    again = document("Blinken met Macron in Berlin.", "en")
    assert first and first == [e.id for e in component(again).events]
    assert all(e.id.startswith("V:") for e in doc.events)
