"""Both sides of a contact in the languages read without a parser, and in the parsed ones.

Fixtures are short sentences written for these tests (facts about real contacts are fine), with
hand-made mentions, so they exercise the event extractor (the token window of
`newsgraph.events.window` for de/es/it/pl/uk/be/tr, the parse for en/fr/ru) without depending on the
recogniser. Each construction comes in several languages: coordinated subjects, partners ("with"),
nominal events ("talks between A and B"), delegations, venues, titles glued to names, planned vs past.
"""

from __future__ import annotations

import re

import pytest

from newsgraph.config import Settings
from newsgraph.events.extract import extract_events
from newsgraph.language.sentences import split_sentences
from newsgraph.language.syntax import analyse
from newsgraph.model import Document, Event, Mention

SETTINGS = Settings()

# name as written -> (entity, type)
NAMES: dict[str, tuple[str, str]] = {}
for _entity, _kind, _forms in [
    ("scholz", "PER", ["Olaf Scholz", "Scholz", "Шольц"]),
    ("macron", "PER", ["Emmanuel Macron", "Macron", "Макрон", "Macronem", "Macronowi", "Макроном"]),
    ("tusk", "PER", ["Donald Tusk", "Tusk", "Tuskiem", "Туском"]),
    ("fidan", "PER", ["Hakan Fidan", "Fidan", "Фідан", "Fidan’la"]),
    ("lavrov", "PER", ["Lavrov", "Lawrow", "Лавров", "Лаўроў", "Лавровим"]),
    ("wang", "PER", ["Wang Yi", "Ван И"]),
    ("blinken", "PER", ["Blinken", "Блинкен", "Blinkenem"]),
    ("tajani", "PER", ["Tajani", "Antonio Tajani"]),
    ("araghchi", "PER", ["Araghchi", "Araqchi"]),
    ("witkoff", "PER", ["Witkoff"]),
    ("kuleba", "PER", ["Kuleba", "Кулеба"]),
    ("sanchez", "PER", ["Sánchez"]),
    ("albanese", "PER", ["Albanese"]),
    ("medinsky", "PER", ["Medinsky", "Мединским", "Medinski", "Miedinskiego", "Medinskiy"]),
    ("umerov", "PER", ["Umerov", "Умеровым", "Umerow", "Umierowem", "Umerov’la"]),
    ("iran", "LOC", ["Iran", "Irán", "l'Iran"]),
    ("usa", "LOC", ["Stati Uniti", "Estados Unidos", "Vereinigten Staaten"]),
    (
        "russia",
        "LOC",
        [
            "Russland",
            "Rusya",
            "Rosja",
            "Rosji",
            "Rosją",
            "Росією",
            "la Russie",
            "Расеі",
            "Росії",
            "Russia",
            "России",
        ],
    ),
    (
        "ukraine",
        "LOC",
        [
            "Ukraine",
            "Ukrayna",
            "Ukrainy",
            "Украіны",
            "України",
            "Ucraina",
            "Украины",
            "Ukrainą",
            "Україною",
            "l'Ukraine",
        ],
    ),
    ("istanbul", "LOC", ["Istanbul", "İstanbul’da", "Stambule", "Стамбуле", "Стамбулі"]),
    ("rome", "LOC", ["Roma", "Rom"]),
    ("paris", "LOC", ["Paris", "Paryżu", "Paryż", "París"]),
    ("warsaw", "LOC", ["Warschau", "Warszawie"]),
    ("muscat", "LOC", ["Mascate", "Muscat"]),
    ("geneva", "LOC", ["Genf", "Ginevra", "Женеве", "Geneva", "Genève"]),
    ("afp", "ORG", ["AFP"]),
]:
    for _form in _forms:
        NAMES[_form] = (_entity, _kind)


def document(text: str, lang: str, extra: list[tuple[str, str, str]] = ()) -> Document:  # type: ignore[assignment]
    """A document with the mentions of `NAMES` and of `extra` ((text, entity, type): names a recogniser
    glued to a title or joined with a hyphen)."""
    doc = Document("w", text, lang=lang)
    doc.sentences = split_sentences(text, [(0, len(text))], lang)
    taken: list[tuple[int, int]] = []
    table = {**NAMES, **{form: (entity, kind) for form, entity, kind in extra}}
    for name in sorted(table, key=len, reverse=True):
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(found.start() < end and start < found.end() for start, end in taken):
                continue
            taken.append(found.span())
            entity, kind = table[name]
            doc.mentions.append(Mention(found.start(), found.end(), found.group(), kind, f"E:{entity}"))
    doc.mentions.sort(key=lambda m: m.start)
    return doc


def consults(text: str, lang: str, extra: list[tuple[str, str, str]] = ()) -> list[Event]:  # type: ignore[assignment]
    doc = document(text, lang, extra)
    return [e for e in extract_events(doc, analyse(doc, SETTINGS)) if e.type == "CONSULT"]


def pairs(events: list[Event]) -> set[frozenset[str]]:
    """The unordered participant pairs of the events that name two sides."""
    out = set()
    for event in events:
        sides = {e.removeprefix("E:") for e in (*event.source, *event.target)}
        if len(sides) == 2:
            out.add(frozenset(sides))
    return out


def past(events: list[Event]) -> list[Event]:
    """Events reported as having taken place (what a timeline shows as past contacts)."""
    return [
        e for e in events if not e.negated and not {"future", "hypothetical", "intended"} & set(e.context)
    ]


# ---------------------------------------------------------------------------------- coordinated subjects
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Scholz and Macron met in Paris on Monday."),
        ("fr", "Scholz et Macron se sont rencontrés lundi à Paris."),
        ("ru", "Шольц и Макрон встретились в понедельник."),
        ("de", "Scholz und Macron haben sich am Montag in Paris getroffen."),
        ("es", "Scholz y Macron se reunieron el lunes en París."),
        ("it", "Scholz e Macron si sono incontrati lunedì a Roma."),
        ("pl", "Scholz i Macron spotkali się w poniedziałek w Paryżu."),
        ("uk", "Шольц і Макрон зустрілися у понеділок."),
    ],
)
def test_coordinated_subjects_meet_each_other(lang: str, text: str) -> None:
    assert pairs(past(consults(text, lang))) == {frozenset({"scholz", "macron"})}


def test_three_coordinated_names_give_three_pairs_tr() -> None:
    text = "Hakan Fidan, Tusk ve Lavrov üç taraflı bir toplantı yaptı."
    assert pairs(consults(text, "tr")) == {
        frozenset({"fidan", "tusk"}),
        frozenset({"fidan", "lavrov"}),
        frozenset({"tusk", "lavrov"}),
    }


# ---------------------------------------------------------------------------------- partners
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Lawrow traf sich am Dienstag mit dem türkischen Außenminister Hakan Fidan."),
        ("es", "Lavrov se reunió el martes con el ministro turco Hakan Fidan."),
        ("it", "Lavrov ha avuto un colloquio con il ministro turco Hakan Fidan."),
        ("pl", "Lavrov spotkał się we wtorek z tureckim ministrem Hakan Fidan."),
        ("uk", "Лавров зустрівся у вівторок з главою МЗС Туреччини Фідан."),
        ("be", "Лаўроў сустрэўся ў аўторак з кіраўніком МЗС Турцыі Фідан."),
        ("tr", "Lavrov, Türk mevkidaşı Hakan Fidan ile İstanbul’da bir araya geldi."),
        ("tr", "Lavrov dün Fidan’la görüştü."),
    ],
)
def test_a_partner_after_with_is_the_counterpart(lang: str, text: str) -> None:
    events = past(consults(text, lang))
    assert pairs(events) == {frozenset({"lavrov", "fidan"})}


# ---------------------------------------------------------------------------------- nominal events
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The talks between Russia and Ukraine ended after two hours."),
        ("fr", "Les négociations entre la Russie et l'Ukraine ont duré deux heures."),
        ("ru", "Переговоры между делегациями России и Украины завершились."),
        ("de", "Die Gespräche zwischen Russland und der Ukraine endeten nach zwei Stunden."),
        ("it", "Sono finiti i colloqui tra Russia e Ucraina."),
        ("pl", "Rozmowy między Rosją a Ukrainą zakończyły się."),
        ("uk", "Переговори між Росією та Україною завершилися."),
        ("be", "У Стамбуле пачалася сустрэча дэлегацый Украіны і Расеі."),
        ("tr", "Rusya ile Ukrayna arasında görüşmeler başladı."),
    ],
)
def test_a_nominal_event_names_both_sides(lang: str, text: str) -> None:
    assert pairs(consults(text, lang)) == {frozenset({"russia", "ukraine"})}


def test_a_hyphenated_pair_of_names_is_both_sides_it() -> None:
    text = (
        "Iran e Stati Uniti trattano da mesi. Ginevra ospita la terza tornata di colloqui Iran-Stati Uniti."
    )
    events = consults(text, "it", extra=[("Iran-Stati Uniti", "iran-usa", "MISC")])
    assert frozenset({"iran", "usa"}) in pairs(events)


def test_a_compound_noun_is_a_trigger_de() -> None:
    text = "Merz reiste nach Warschau, zu einem Antrittsbesuch bei Ministerpräsident Donald Tusk."
    event = next(e for e in consults(text, "de", extra=[("Merz", "merz", "PER")]) if len(pairs([e])) == 1)
    assert (event.source, event.target, event.mode) == (["E:merz"], ["E:tusk"], "visit")
    assert event.location == "E:warsaw"


# ---------------------------------------------------------------------------------- delegations and titles
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The Russian delegation led by Medinsky held talks with Umerov."),
        ("fr", "La délégation russe conduite par Medinsky a rencontré Umerov."),
        ("ru", "Российская делегация во главе с Мединским провела переговоры с Умеровым."),
        ("de", "Die russische Delegation unter Leitung von Medinski traf sich mit Umerow."),
        ("pl", "Rosyjska delegacja pod przewodnictwem Miedinskiego spotkała się z Umierowem."),
        ("tr", "Medinskiy başkanlığındaki Rus heyeti Umerov’la görüştü."),
    ],
)
def test_a_delegation_is_its_named_leader(lang: str, text: str) -> None:
    assert pairs(past(consults(text, lang))) == {frozenset({"medinsky", "umerov"})}


@pytest.mark.parametrize(
    ("lang", "text", "extra"),
    [
        (
            "pl",
            "Tusk rozmawiał z kanclerzem Niemiec Friedrichem Merzem. Merz przyjechał rano.",
            [("Niemiec Friedrichem Merzem", "niemiec-merz", "PER"), ("Merz", "merz", "PER")],
        ),
        (
            "tr",
            "Lavrov, Dışişleri Bakanı Hakan Fidan ile görüştü. Fidan açıklama yaptı.",
            [("Dışişleri Bakanı Hakan Fidan", "bakani-fidan", "MISC")],
        ),
    ],
)
def test_a_title_glued_to_a_name_gives_the_person(
    lang: str, text: str, extra: list[tuple[str, str, str]]
) -> None:
    events = consults(text, lang, extra)
    assert any(len(p) == 2 and not any("-" in e for e in p) for p in pairs(events)), pairs(events)


def test_a_person_split_from_their_title_is_not_their_own_counterpart() -> None:
    text = "Hakan Fidan, Dışişleri Bakanı Hakan Fidan ile görüştü."
    events = consults(text, "tr", extra=[("Dışişleri Bakanı Hakan Fidan", "bakani-fidan", "PER")])
    assert not pairs(events)


def test_a_title_set_off_by_a_comma_is_no_participant_es() -> None:
    text = "El ministro de Exteriores, Araqchi, se reunió en Mascate con Witkoff."
    events = consults(text, "es", extra=[("Exteriores", "exteriores", "ORG")])
    assert pairs(events) == {frozenset({"araghchi", "witkoff"})}


# ---------------------------------------------------------------------------------- venues
@pytest.mark.parametrize(
    ("lang", "text", "venue"),
    [
        ("de", "Lawrow traf in Genf mit Blinken zusammen.", "geneva"),
        ("it", "Araghchi ha incontrato Tajani a Roma.", "rome"),
        ("es", "Araqchi se reunió con Witkoff en Mascate.", "muscat"),
        ("pl", "Macron spotkał się z Tuskiem w Warszawie.", "warsaw"),
        ("tr", "Lavrov, İstanbul’da Fidan ile görüştü.", "istanbul"),
        ("en", "Lavrov met Wang Yi in Geneva on Tuesday.", "geneva"),
    ],
)
def test_a_venue_is_the_location_not_a_counterpart(lang: str, text: str, venue: str) -> None:
    events = [e for e in consults(text, lang) if len(pairs([e])) == 1]
    assert events, consults(text, lang)
    assert all(f"E:{venue}" not in (*e.source, *e.target) for e in events)
    assert any(e.location == f"E:{venue}" for e in events)


def test_a_place_relative_points_back_past_the_place_pl() -> None:
    text = "Scholz odwiedził Paryż, gdzie spotkał się z Tuskiem."
    events = consults(text, "pl")
    assert pairs(events) == {frozenset({"scholz", "tusk"})}
    assert all("E:paris" not in (*e.source, *e.target) for e in events)


def test_an_attributed_agency_is_no_participant_de() -> None:
    events = consults("Die Gespräche mit Russland sind laut AFP zu Ende gegangen.", "de")
    assert all("E:afp" not in (*e.source, *e.target) for e in events)


def test_a_venue_alone_leaves_one_side_and_says_why() -> None:
    events = consults("Lavrov arrived in Istanbul on Friday.", "en")
    assert events and all(len(pairs([e])) == 0 for e in events)
    assert any("one-side:venue" in e.context for e in events)


# ---------------------------------------------------------------------------------- planned vs past
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Lavrov will meet Fidan in Istanbul next week."),
        ("fr", "Lavrov va rencontrer Fidan à Genève la semaine prochaine."),
        ("ru", "Лавров встретится с Ван И на следующей неделе."),
        ("de", "Lawrow wird Fidan nächste Woche treffen."),
        ("es", "Lavrov se reunirá con Fidan la próxima semana."),
        ("it", "Lavrov incontrerà Fidan la prossima settimana."),
        ("pl", "Lavrov będzie rozmawiał z Fidan w przyszłym tygodniu."),
        ("uk", "Лавров буде зустрічатися з Фідан наступного тижня."),
        ("tr", "Lavrov gelecek hafta Fidan ile görüşecek."),
    ],
)
def test_a_planned_meeting_is_not_a_past_contact(lang: str, text: str) -> None:
    events = consults(text, lang)
    assert pairs(events), events  # the meeting is read, with both sides
    assert not pairs(past(events))  # but it is not shown as having taken place


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Araqchi dijo que las conversaciones con Witkoff se retomarían pronto."),
        ("it", "Araghchi ha detto che si incontrerebbe con Tajani se necessario."),
        ("en", "If Lavrov meets Fidan, they could sign a deal."),
    ],
)
def test_a_conditional_meeting_is_not_a_past_contact(lang: str, text: str) -> None:
    events = consults(text, lang)
    assert events and not pairs(past(events))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Lawrow hat Fidan nicht getroffen."),
        ("it", "Lavrov non ha incontrato Fidan."),
        ("pl", "Lavrov nie spotkał się z Fidan."),
    ],
)
def test_a_denied_meeting_is_negated(lang: str, text: str) -> None:
    events = consults(text, lang)
    assert events and all(e.negated for e in events if len(pairs([e])) == 1)


@pytest.mark.parametrize(
    ("lang", "text", "trigger"),
    [
        ("de", "Lawrow reiste nach Genf, um dort Fidan zu treffen.", "treffen"),
        ("es", "Lavrov viajó a Mascate para reunirse con Fidan.", "reunirse"),
        (
            "tr",
            "Rusya heyeti, Rusya ile Ukrayna arasında görüşmeler yapmak için İstanbul’da bulunuyor.",
            "görüşmeler",
        ),
    ],
)
def test_a_meeting_someone_set_out_to_hold_is_intended(lang: str, text: str, trigger: str) -> None:
    at = text.index(trigger)
    meetings = [e for e in consults(text, lang) if e.trigger and e.trigger[0] == at]
    assert meetings and all("intended" in e.context for e in meetings)


# ---------------------------------------------------------------------------------- what a sentence reports
def test_an_event_named_inside_a_name_is_no_event() -> None:
    text = "Lavrov praised the Agency for Development and Cooperation."
    events_ = extract_events(
        doc := document(text, "en", [("Agency for Development and Cooperation", "adc", "ORG")]),
        analyse(doc, SETTINGS),
    )
    assert [e.type for e in events_] == ["SUPPORT"]


def test_the_content_of_another_event_is_not_an_event_of_its_own() -> None:
    doc = document("Russia rejected a request from Ukraine to extend the ceasefire.", "en")
    types = {e.type for e in extract_events(doc, analyse(doc, SETTINGS))}
    assert "REJECT" in types and not types & {"RETREAT"}


def test_a_name_run_on_into_the_next_words_is_the_name_de() -> None:
    text = (
        "In Genf gingen die Verhandlungen zwischen der Ukraine und Russland am Abend zu Ende. "
        "Russland schweigt."
    )
    events = consults(text, "de", extra=[("Russland am Abend", "russland-am-abend", "LOC")])
    assert pairs(events) == {frozenset({"ukraine", "russia"})}


def test_a_round_of_talks_that_is_scheduled_is_planned_ru() -> None:
    text = "Очередной раунд переговоров между Россией и Украиной назначен на 2 июня."
    events = consults(text, "ru", extra=[("Россией", "russia", "LOC"), ("Украиной", "ukraine", "LOC")])
    assert pairs(events) == {frozenset({"russia", "ukraine"})}
    assert not pairs(past(events))


# ---------------------------------------------------------------------------------- cities are venues
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "À Genève, Blinken a plaidé pour une trêve humanitaire."),
        ("fr", "Blinken a demandé à Genève une trêve humanitaire."),
        ("ru", "Блинкен призвал в Женеве к перемирию."),
    ],
)
def test_a_city_after_a_preposition_of_places_and_recipients_is_the_venue(lang: str, text: str) -> None:
    """ "à", "в" introduce both recipients ("demander à Israël") and places ("à Genève"): a name known as
    a city, and not also as a country, is where the event happened, never whom it was addressed to."""
    doc = document(text, lang)
    events = extract_events(doc, analyse(doc, SETTINGS))
    assert all("E:geneva" not in (*e.source, *e.target) for e in events)


def test_a_country_after_the_same_preposition_stays_the_recipient_fr() -> None:
    doc = document("Blinken a promis une aide militaire à l'Ukraine.", "fr")
    events = extract_events(doc, analyse(doc, SETTINGS))
    assert any("E:ukraine" in e.target for e in events)


def test_the_venue_is_never_also_a_side() -> None:
    """Whatever path of the parse reached it, the entity named as the event's place is not a side."""
    from newsgraph.events.actors import Actor
    from newsgraph.events.arguments import Arguments
    from newsgraph.events.extract import without_venue

    city = Actor((30, 36), "E:geneva", "LOC")
    person = Actor((0, 7), "E:blinken", "PER")
    args = without_venue(Arguments(sources=[person], targets=[city], place=city))
    assert [a.entity for a in args.sources] == ["E:blinken"]
    assert args.targets == []
    assert args.place == city


# ---------------------------------------------------------------------------------- scheduled nouns
AR_NAMES = [("عراقجي", "araghchi", "PER"), ("ويتكوف", "witkoff", "PER")]


@pytest.mark.parametrize(
    ("lang", "text", "trigger"),
    [
        ("ar", "قال عراقجي إن محادثات مع ويتكوف من المقرر أن تعقد في مسقط يوم الاثنين المقبل.", "محادثات"),
        ("it", "I colloqui tra Tajani e Fidan sono previsti per lunedì a Roma.", "colloqui"),
        ("es", "Las conversaciones entre Sánchez y Albanese están previstas el lunes.", "conversaciones"),
        ("de", "Die Gespräche zwischen Lawrow und Fidan sind für Montag geplant.", "Gespräche"),
        ("pl", "Rozmowy Tuska z Macronem zaplanowano na poniedziałek.", "Rozmowy"),
        ("uk", "Переговори між Росією та Україною заплановані на понеділок.", "Переговори"),
    ],
)
def test_a_noun_trigger_its_clause_schedules_is_planned(lang: str, text: str, trigger: str) -> None:
    """Without a parse, the noun's predicate ("are scheduled", "sono previsti") comes after the noun:
    a scheduling word in the noun's own clause makes the talks planned, not held."""
    at = text.index(trigger)
    events = [e for e in consults(text, lang, extra=AR_NAMES) if e.trigger and e.trigger[0] == at]
    assert events and all("future" in e.context for e in events), events


@pytest.mark.parametrize(
    ("lang", "text", "trigger"),
    [
        ("it", "I colloqui con Fidan, che erano previsti da tempo, si sono svolti ieri a Roma.", "colloqui"),
        ("de", "Die Gespräche mit Fidan, die lange geplant waren, fanden gestern statt.", "Gespräche"),
        ("es", "Las conversaciones con Fidan, que estaban previstas, terminaron ayer.", "conversaciones"),
    ],
)
def test_a_scheduling_word_past_a_clause_break_leaves_a_noun_past(lang: str, text: str, trigger: str) -> None:
    """A relative clause after a comma is another clause: "talks, which had long been planned, were
    held" reports talks that took place."""
    at = text.index(trigger)
    events = [e for e in consults(text, lang) if e.trigger and e.trigger[0] == at]
    assert events and all("future" not in e.context for e in events), events
