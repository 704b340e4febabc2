"""Records written without `dataclasses.asdict` (`model.plain_fields`): the same values, lists copied.

`asdict` deep-copies every value of every annotation through a recursive walk; the one writer
(`extract`'s JSON lines, `ingest`'s rows, the resolver's decisions) paid it for every item. The
fields of the annotation classes hold numbers, strings, None, tuples and lists of those, for which
`plain_fields` gives what `asdict` gives. Fixtures: a short German report and a Ukrainian one,
written for this test.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from newsgraph.entities.resolve import Decision
from newsgraph.model import (
    Boilerplate,
    Claim,
    DateValue,
    Document,
    Entity,
    Event,
    Mention,
    Paragraph,
    Quote,
    TimeExpression,
    plain_fields,
)

DE = (
    "Berlin. Bundeskanzler Olaf Scholz hat am Dienstag in Warschau den polnischen Regierungschef "
    "Donald Tusk getroffen. „Wir stehen zusammen“, sagte Scholz. Rund 1,2 Millionen Euro fließen in "
    "ein gemeinsames Projekt. Foto: dpa"
)
UK = (
    "Київ. Міністр Олена Коваль зустрілася з делегацією у вівторок. За даними відомства, 40 людей евакуювали."
)


def german() -> Document:
    """Every layer, spans as tuples, dates with evidence, a decision's runner-up as a tuple."""
    scholz, tusk = DE.index("Olaf Scholz"), DE.index("Donald Tusk")
    said = DE.index("„Wir")
    return Document(
        doc_id="de-1",
        text=DE,
        lang="de",
        title="Scholz trifft Tusk",
        published=DateValue("2024-02-13", "day", (0, 6), "text", [{"value": "2024", "reason": "x"}]),
        body=[(0, DE.index("Foto"))],
        boilerplate=[Boilerplate(DE.index("Foto"), len(DE), "photo_credit", "credit")],
        paragraphs=[Paragraph(0, len(DE), "de", 0.99)],
        sentences=[(0, 7), (8, DE.index("„Wir") - 1)],
        mentions=[
            Mention(scholz, scholz + 11, "Olaf Scholz", "PER", "E:olaf-scholz", "Olaf Scholz", "ner", 0.9),
            Mention(tusk, tusk + 11, "Donald Tusk", "PER", "E:donald-tusk", None, "fallback", 0.5),
        ],
        entities={"E:olaf-scholz": Entity("E:olaf-scholz", "Olaf Scholz", "PER", ["Scholz"], "Q61053")},
        times=[
            TimeExpression(DE.index("Dienstag"), DE.index("Dienstag") + 8, "Dienstag", "2024-02-13", "day")
        ],
        events=[
            Event(
                "V:1",
                "CONSULT",
                "meet",
                ["E:olaf-scholz"],
                ["E:donald-tusk"],
                [(scholz, scholz + 11)],
                [(tusk, tusk + 11)],
                DateValue("2024-02-13", "day", (DE.index("Dienstag"), DE.index("Dienstag") + 8), "text"),
                "E:warschau",
                (DE.index("Warschau"), DE.index("Warschau") + 8),
                (8, said - 1),
                (DE.index("getroffen"), DE.index("getroffen") + 9),
                False,
                ["reported"],
                0.8,
                "C:1",
            )
        ],
        quotes=[
            Quote(
                said,
                said + 20,
                "„Wir stehen zusammen“",
                True,
                "E:olaf-scholz",
                (scholz, scholz + 11),
                (said + 22, said + 27),
            )
        ],
        claims=[
            Claim(
                DE.index("1,2"),
                DE.index("1,2") + 17,
                "1,2 Millionen Euro",
                1_200_000,
                "about",
                "money",
                "EUR",
            )
        ],
    )


def ukrainian() -> Document:
    """Items with their defaults (None, empty lists) and a claim with a date and an attribution."""
    koval = UK.index("Олена Коваль")
    return Document(
        doc_id="uk-1",
        text=UK,
        lang="uk",
        mentions=[Mention(koval, koval + 12, "Олена Коваль", "PER")],
        events=[Event("V:2", "CONSULT")],
        claims=[
            Claim(
                UK.index("40"),
                UK.index("40") + 9,
                "40 людей",
                40,
                subject="людей",
                as_of=DateValue("2024-02-13", "day"),
                attributed_to="відомства",
                attribution_span=(UK.index("відомства"), UK.index("відомства") + 9),
            )
        ],
        quotes=[Quote(0, 5, "Київ.", False)],
    )


def items(doc: Document) -> list[Any]:
    return [
        *doc.boilerplate,
        *doc.paragraphs,
        *doc.mentions,
        *doc.times,
        *doc.events,
        *doc.quotes,
        *doc.claims,
    ]


def test_plain_fields_give_what_asdict_gives_for_every_annotation() -> None:
    decisions = [
        Decision(
            "de-1",
            "L:0#olaf scholz",
            "E:olaf-scholz",
            "kb",
            0.97,
            "Olaf Scholz",
            "exact",
            ("E:x", 0.4),
            ["E:a"],
        ),
        Decision("uk-1", "L:1", "E:olena-koval", "new", 1.0),
    ]
    for item in [*items(german()), *items(ukrainian()), *decisions]:
        expected = asdict(item)
        for name in ("date", "as_of"):  # a nested date: the classes' to_record writes it themselves
            if isinstance(getattr(item, name, None), DateValue):
                expected[name] = getattr(item, name)
        assert plain_fields(item) == expected
        assert list(plain_fields(item)) == list(expected)  # same keys, same order: same JSON


def test_records_copy_their_lists() -> None:
    doc = german()
    record = doc.to_record()
    record["events"][0]["context"].append("future")
    record["events"][0]["source"].append("E:other")
    record["mentions"].clear()
    assert doc.events[0].context == ["reported"] and doc.events[0].source == ["E:olaf-scholz"]
    assert doc.mentions and Document.from_record(doc.to_record()).to_record() == doc.to_record()


def test_a_record_reads_back_to_the_same_json() -> None:
    for doc in (german(), ukrainian()):
        text = json.dumps(doc.to_record(), ensure_ascii=False)
        assert json.dumps(Document.from_record(json.loads(text)).to_record(), ensure_ascii=False) == text
