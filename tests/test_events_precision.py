"""What a sentence reports, who a pronoun is, and how confident an event is (fixtures in our own words)."""

from __future__ import annotations

from newsgraph.events.extract import CALIBRATION, calibrated
from test_events_window import SETTINGS, analyse, document, extract_events


def events_of(text: str, lang: str, extra: list[tuple[str, str, str]] = ()):  # type: ignore[no-untyped-def,assignment]
    doc = document(text, lang, extra)
    return extract_events(doc, analyse(doc, SETTINGS))


def test_it_takes_the_organisation_that_is_the_subject_before_it() -> None:
    text = "The teachers' union said on Friday that it had called off the strike."
    events = events_of(text, "en", [("The teachers' union", "union", "ORG")])
    concede = [e for e in events if e.type == "CONCEDE"]
    assert concede and concede[0].source == ["E:union"]


def test_a_refusal_to_meet_demands_is_a_rejection() -> None:
    events = events_of("Russia said it would not meet the demands of Ukraine.", "en")
    assert "REJECT" in {e.type for e in events}


def test_a_denial_is_a_rejection_and_an_extended_curfew_a_threat() -> None:
    assert "REJECT" in {e.type for e in events_of("Turkey denied the request of Russia.", "en")}
    assert "THREATEN" in {e.type for e in events_of("Lavrov said Russia will extend the curfew.", "en")}


def test_a_name_the_parser_left_loose_is_the_guest_fr() -> None:
    text = "Macron a parlé aux journalistes. Il avait reçu Tusk, le chef du gouvernement, à l'Élysée."
    visits = [e for e in events_of(text, "fr") if e.type == "CONSULT" and e.target]
    assert any(e.source == ["E:tusk"] and e.target == ["E:macron"] for e in visits)


def test_confidence_is_monotone_in_the_evidence() -> None:
    values = [calibrated(score / 100) for score in range(5, 100, 5)]
    assert values == sorted(values)
    assert {p for _, p in CALIBRATION} >= {values[0], values[-1]}
