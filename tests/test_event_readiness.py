"""Contacts a reader can trust: readiness is no meeting, a phase verb joins both sides of the talks.

Fixtures are short sentences written for these tests, with hand-made mentions (`test_events_window`):
- "X is ready for talks with Y", "Merz will Macron treffen": what the sides are ready for, expect
  or want is not a contact that took place (`future` / `hypothetical`, left out of timelines), in the
  parsed languages through the adjective that predicates the noun ("ready", "готовы", "prêtes") and
  in the others through the words around the trigger (`markers.future` / `markers.hypothetical`);
- "the delegations of X and Y began (concluded) talks": a phase verb is read like a light verb, so
  the coordinated sides meet each other instead of each making a one-sided report.
"""

from __future__ import annotations

import pytest

from test_events_window import consults, pairs, past

READY = [
    ("en", "Lavrov said Russia was ready for talks with Ukraine."),
    ("en", "The foreign minister said Armenia and Azerbaijan were ready for direct talks."),
    ("fr", "Macron a dit que la Russie était prête à des négociations avec l'Ukraine."),
    ("ru", "Лавров заявил, что готов к переговорам с Макроном."),
    ("ru", "Шольц и Макрон готовы к встрече в Женеве."),
    ("de", "Lawrow sagte, Russland sei zu Gesprächen mit der Ukraine bereit."),
    ("it", "Secondo Tajani l'Iran è pronto a colloqui con gli Stati Uniti."),
    ("pl", "Rosja jest gotowa do rozmów z Ukrainą."),
    ("es", "Irán está dispuesto a nuevas conversaciones con Estados Unidos."),
]


@pytest.mark.parametrize(("lang", "text"), READY)
def test_readiness_for_talks_reports_no_talks(lang: str, text: str) -> None:
    events = consults(text, lang)
    assert events, "the talks are still read (as announced), only not as held"
    assert not past(events)
    assert all("future" in e.context for e in events)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Scholz will Macron in Paris treffen."),
        ("de", "Scholz sagte, er wolle Macron bald treffen."),
    ],
)
def test_wanting_to_meet_is_no_meeting_de(lang: str, text: str) -> None:
    events = consults(text, lang)
    assert pairs(events) == {frozenset({"scholz", "macron"})}
    assert not past(events)


def test_expected_talks_are_not_held_tr() -> None:
    events = consults("Kremlin, Rusya ile Ukrayna arasındaki görüşmenin zor geçmesi bekleniyor dedi.", "tr")
    assert events and not past(events)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Russia and Ukraine concluded talks in Istanbul on Monday."),
        ("ru", "Вчера делегации России и Украины приступили к новым переговорам в Стамбуле."),
        ("ru", "Делегации России и Украины завершили переговоры в Стамбуле."),
        ("fr", "Les délégations de la Russie et de l'Ukraine ont achevé les négociations à Istanbul."),
    ],
)
def test_a_phase_verb_joins_the_coordinated_sides(lang: str, text: str) -> None:
    events = past(consults(text, lang))
    assert pairs(events) == {frozenset({"russia", "ukraine"})}
    assert all(len({*e.source, *e.target}) == 2 for e in events), "no one-sided halves"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Russia and Ukraine held talks in Istanbul on Monday."),
        ("fr", "Les délégations de la Russie et de l'Ukraine ont tenu des négociations lundi à Istanbul."),
        ("de", "Russland und die Ukraine haben am Montag in Istanbul verhandelt."),
    ],
)
def test_talks_that_took_place_stay_past(lang: str, text: str) -> None:
    events = past(consults(text, lang))
    assert pairs(events) == {frozenset({"russia", "ukraine"})}


# ---------------------------------------------------------------------------------- one subject, two contacts
ARABIC_NAMES = [
    ("سيرغي لافروف", "lavrov", "PER"),
    ("هاكان فيدان", "fidan", "PER"),
    ("إيمانويل ماكرون", "macron", "PER"),
]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Lawrow führte zwei Gespräche, das erste mit Fidan, dann ein Treffen mit Scholz."),
        ("es", "Araqchi celebró dos encuentros: el primero con Tajani y, después, una reunión con Witkoff."),
        ("it", "Tajani ha avuto due incontri, il primo con Araghchi, poi un colloquio con Witkoff."),
        (
            "ar",
            "وأوضحت الوزارة أن وزير الخارجية سيرغي لافروف أجرى لقاءين منفصلين، أولهما مع نظيره التركي"
            " هاكان فيدان، ثم لقاء مع الرئيس الفرنسي إيمانويل ماكرون.",
        ),
    ],
)
def test_a_second_contact_shares_the_subject_of_the_first(lang: str, text: str) -> None:
    events = consults(text, lang, ARABIC_NAMES if lang == "ar" else [])
    found = pairs(past(events))
    assert len(found) == 2 and all(len(p) == 2 for p in found)
    subject = {"de": "lavrov", "es": "araghchi", "it": "tajani", "ar": "lavrov"}[lang]
    assert all(subject in p for p in found)
    assert all(len({*e.source, *e.target}) == 2 for e in events), "no one-sided second contact"


def test_a_parsed_topic_of_talks_borrows_no_subject_fr() -> None:
    text = (
        "Macron et Scholz ont discuté de l'Iran, ainsi que des projets concernant les négociations"
        " avec Lavrov."
    )
    found = pairs(past(consults(text, "fr")))
    assert frozenset({"macron", "lavrov"}) not in found and frozenset({"scholz", "lavrov"}) not in found


# ---------------------------------------------------------------------------------- verb at the clause's end
@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Scholz hatte erklärt, er wolle nach der Wahl im Herbst Macron in Paris treffen.", "hypothetical"),
        ("Scholz wird nach langer Zeit wieder einmal Macron in Paris treffen.", "future"),
    ],
)
def test_a_modal_far_before_a_clause_final_verb_de(text: str, context: str) -> None:
    events = consults(text, "de")
    assert events and not past(events)
    assert all(context in e.context for e in events)


def test_a_long_clause_without_a_modal_stays_past_de() -> None:
    text = "Scholz hat am Montag in Paris zum ersten Mal seit Jahren Macron getroffen, wie er sagte."
    assert pairs(past(consults(text, "de"))) == {frozenset({"scholz", "macron"})}
