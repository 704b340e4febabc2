"""Receptions: a greeting verb ("welcome", "begrüßen", "przywitać", "salutare") with a person on each
side reports a contact in person, the host receiving the guest (CONSULT, a visit); what is welcomed
when it is no person ("the decision", "решение") stays an approval (SUPPORT). Sentences written for
these tests, in nine languages; Turkish marks the guest by its accusative ending ("Scholz’u"), read
without a parse."""

from __future__ import annotations

import pytest

from newsgraph.model import Event
from test_event_timelines import report

RECEPTIONS = [
    ("en", "Emmanuel Macron welcomed Olaf Scholz at the Elysee on Tuesday."),
    ("en", "Olaf Scholz was greeted by Emmanuel Macron in Paris."),
    ("de", "Emmanuel Macron begrüßte Olaf Scholz im Élysée-Palast."),
    ("fr", "Emmanuel Macron a salué le chancelier Olaf Scholz sur le perron de l'Élysée."),
    ("it", "Emmanuel Macron ha salutato Olaf Scholz all'Eliseo."),
    ("es", "Emmanuel Macron dio la bienvenida a Olaf Scholz en París."),
    ("ru", "Лавров приветствовал министра Ван И в Москве."),
    ("pl", "Duda przywitał Zełenskiego w Warszawie."),
    ("tr", "Erdogan, Olaf Scholz’u Ankara’da törenle karşıladı."),
]

APPROVALS = [
    ("en", "Emmanuel Macron welcomed the decision of Olaf Scholz."),
    ("de", "Emmanuel Macron begrüßte die Entscheidung von Olaf Scholz."),
    ("fr", "Emmanuel Macron a salué la décision de Olaf Scholz."),
    ("it", "Emmanuel Macron ha salutato la scelta di Olaf Scholz."),
    ("es", "Emmanuel Macron saludó la decisión de Olaf Scholz."),
    ("ru", "Лавров приветствовал решение Ван И."),
    ("tr", "Erdogan, Scholz'un kararını destekledi."),
]


def events_of(text: str, lang: str) -> list[Event]:
    return report("t", text, lang).events


@pytest.mark.parametrize(("lang", "text"), RECEPTIONS)
def test_a_greeting_between_two_people_is_a_reception(lang: str, text: str) -> None:
    [event] = [e for e in events_of(text, lang) if e.type == "CONSULT"]
    assert event.mode == "visit"
    assert len(set(event.source) | set(event.target)) == 2
    assert not any(e.type == "SUPPORT" for e in events_of(text, lang))


@pytest.mark.parametrize(("lang", "text"), RECEPTIONS[:1] + RECEPTIONS[2:6])
def test_the_guest_is_the_source_and_the_host_the_target(lang: str, text: str) -> None:
    [event] = [e for e in events_of(text, lang) if e.type == "CONSULT"]
    assert (event.source, event.target) == (["E:scholz"], ["E:macron"])


def test_a_turkish_accusative_before_the_verb_is_the_guest() -> None:
    [event] = [e for e in events_of("Erdogan, Scholz'u Ankara'da karşıladı.", "tr") if e.type == "CONSULT"]
    assert (event.source, event.target) == (["E:scholz"], ["E:erdogan"])


@pytest.mark.parametrize(("lang", "text"), APPROVALS)
def test_welcoming_a_decision_stays_an_approval(lang: str, text: str) -> None:
    found = events_of(text, lang)
    assert not any(e.type == "CONSULT" for e in found)
    assert any(e.type == "SUPPORT" for e in found)
