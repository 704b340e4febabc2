"""A state's negotiator joins the state's side of the article's contacts ("Armeniens Chefunterhändler
X" + "talks between Armenia and Azerbaijan"), in German, French, Russian, English, Turkish and
Italian; not where the article names two people for one side, nor in a contact with no other side;
reports of one round with and without the negotiator are one event, on his timeline and the state's.
Sentences written for these tests."""

from __future__ import annotations

from newsgraph.events.cluster import cluster_events
from newsgraph.events.delegates import add_delegates
from newsgraph.events.timeline import timeline
from newsgraph.model import DateValue, Document, Entity, Event, Mention

TYPES = {"E:a": "LOC", "E:b": "LOC"}


def article(lang: str, text: str, names: dict[str, str], one_side: bool = False) -> Document:
    """`text` whose first sentence reports talks between states E:a and E:b; `names` maps each name
    written in the text (first occurrence) to its entity id (E:a / E:b are states, others people)."""
    doc = Document(doc_id=lang, text=text, lang=lang, content_hash=lang)
    for name, eid in names.items():
        start = text.index(name)
        kind = TYPES.get(eid, "PER")
        doc.mentions.append(Mention(start, start + len(name), name, kind, entity=eid))
        doc.entities.setdefault(eid, Entity(eid, name, kind, [name]))
    doc.mentions.sort(key=lambda m: m.start)
    a, b = (next(m for m in doc.mentions if m.entity == e) for e in ("E:a", "E:b"))
    doc.events = [
        Event(
            id="V:1",
            type="CONSULT",
            mode="meet",
            source=["E:a"],
            target=[] if one_side else ["E:b"],
            source_spans=[(a.start, a.end)],
            target_spans=[] if one_side else [(b.start, b.end)],
            sentence=(0, text.index(".") + 1),
        )
    ]
    return doc


def participants(doc: Document) -> tuple[list[str], list[str]]:
    event = doc.events[0]
    assert len(event.source_spans) == len(event.source) and len(event.target_spans) == len(event.target)
    return event.source, event.target


def test_a_genitive_the_recogniser_left_unnamed_still_names_the_state_in_german() -> None:
    doc = article(
        "de",
        "Die Gespräche zwischen Armenien und Aserbaidschan endeten am Abend. "
        "Armeniens Chefunterhändler Ararat Mirsojan sprach von Fortschritten.",
        {"Armenien": "E:a", "Aserbaidschan": "E:b", "Ararat Mirsojan": "E:mirsojan"},
    )
    add_delegates(doc)
    assert participants(doc) == (["E:a", "E:mirsojan"], ["E:b"])


def test_an_adjective_after_the_phrase_names_the_state_in_french() -> None:
    doc = article(
        "fr",
        "Les pourparlers entre l'Iran et le Royaume-Uni ont repris à Genève. "
        "Le négociateur en chef iranien Ali Bagheri a salué le climat des discussions.",
        {"Iran": "E:a", "Royaume-Uni": "E:b", "Ali Bagheri": "E:bagheri"},
    )
    add_delegates(doc)
    assert participants(doc) == (["E:a", "E:bagheri"], ["E:b"])


def test_the_head_of_a_delegation_with_its_state_after_it_in_russian() -> None:
    doc = article(
        "ru",
        "Переговоры Армении и Азербайджана завершились в Алма-Ате. "
        "Глава делегации Азербайджана Шахин Мустафаев назвал встречу полезной.",
        {"Армении": "E:a", "Азербайджана": "E:b", "Шахин Мустафаев": "E:mustafayev"},
    )
    add_delegates(doc)
    assert participants(doc) == (["E:a"], ["E:b", "E:mustafayev"])


def test_a_possessive_state_mention_in_english_and_a_turkish_delegation_head() -> None:
    en = article(
        "en",
        "Serbia and Kosovo held talks in Brussels on Monday. "
        "Serbia's chief negotiator Petar Petkovic left without a statement.",
        {"Serbia": "E:a", "Kosovo": "E:b", "Petar Petkovic": "E:petkovic"},
    )
    tr = article(
        "tr",
        "Sırbistan ile Kosova Brüksel'de görüştü. Kosova heyet başkanı Besnik Bislimi açıklama yaptı.",
        {"Sırbistan": "E:a", "Kosova": "E:b", "Besnik Bislimi": "E:bislimi"},
    )
    add_delegates(en)
    add_delegates(tr)
    assert participants(en) == (["E:a", "E:petkovic"], ["E:b"])
    assert participants(tr) == (["E:a"], ["E:b", "E:bislimi"])


def test_two_negotiators_for_one_side_or_a_contact_without_other_side_add_no_one() -> None:
    text = (
        "L'Italia e la Francia hanno discusso a Roma. Il capo negoziatore italiano Marco Bianchi è partito; "
        "poi il capo negoziatore italiano Luca Neri è arrivato."
    )
    names = {"Italia": "E:a", "Francia": "E:b", "Marco Bianchi": "E:bianchi", "Luca Neri": "E:neri"}
    two = article("it", text, names)
    add_delegates(two)
    assert participants(two) == (["E:a"], ["E:b"])
    alone = article(
        "en",
        "Serbia made demands at the talks with Kosovo. Serbia's chief negotiator Petar Petkovic left.",
        {"Serbia": "E:a", "Kosovo": "E:b", "Petar Petkovic": "E:petkovic"},
        one_side=True,
    )
    add_delegates(alone)
    assert participants(alone) == (["E:a"], [])


def test_reports_with_and_without_the_negotiator_are_one_event_on_both_timelines() -> None:
    plain = article("en", "Serbia and Kosovo held talks in Brussels.", {"Serbia": "E:a", "Kosovo": "E:b"})
    named = article(
        "de",
        "Die Gespräche zwischen Serbien und Kosovo endeten in Brüssel. "
        "Serbiens Chefunterhändler Petar Petković sprach von Fortschritten.",
        {"Serbien": "E:a", "Kosovo": "E:b", "Petar Petković": "E:petkovic"},
    )
    named.doc_id, named.events[0].id = "de-2", "V:2"
    for doc in (plain, named):
        doc.events[0].date = DateValue("2025-03-03", "day", None, "text")
        add_delegates(doc)
    assert named.events[0].context == ["delegate:E:petkovic"] and plain.events[0].context == []
    clusters = cluster_events([plain, named])
    assert len(clusters) == 1 and clusters[0].actors == ("E:a", "E:b")
    assert clusters[0].participants == ("E:a", "E:b", "E:petkovic")
    for actor in ("E:petkovic", "E:a"):
        rows = timeline(clusters, actor)
        assert [(r.date.value if r.date else None, r.reports) for r in rows] == [("2025-03-03", 2)]


def test_at_the_head_of_a_side_in_belarusian_ukrainian_and_russian() -> None:
    """ "на чале расейскай — X", "на чолі азербайджанської делегації стояв X", "делегация … во главе с X":
    who leads a side, said by "at the head of" with the state's adjective or name right beside it."""
    cases = [
        (
            "be",
            "Сустрэча дэлегацый Арменіі і Азербайджана пачалася ў Алматы. "
            "На чале азербайджанскай — намеснік прэм'ера Шахін Мустафаеў.",
            {"Арменіі": "E:a", "Азербайджана": "E:b", "Шахін Мустафаеў": "E:mustafayev"},
            (["E:a"], ["E:b", "E:mustafayev"]),
        ),
        (
            "uk",
            "Переговори Вірменії та Азербайджану завершилися в Алмати. "
            "На чолі азербайджанської делегації стояв міністр Шахін Мустафаєв.",
            {"Вірменії": "E:a", "Азербайджану": "E:b", "Шахін Мустафаєв": "E:mustafayev"},
            (["E:a"], ["E:b", "E:mustafayev"]),
        ),
        (
            "ru",
            "Переговоры Армении и Азербайджана завершились в Алма-Ате. "
            "Делегацию Армении во главе с вице-премьером Мгером Григоряном встретили в аэропорту.",
            {"Армении": "E:a", "Азербайджана": "E:b", "Мгером Григоряном": "E:grigoryan"},
            (["E:a", "E:grigoryan"], ["E:b"]),
        ),
    ]
    for lang, text, names, expected in cases:
        doc = article(lang, text, names)
        add_delegates(doc)
        assert participants(doc) == expected, lang
