"""Sentence segmentation (newsgraph.language.sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.config import Settings
from newsgraph.language.sentences import make_sentence_splitter, split_sentences
from newsgraph.model import Document, Paragraph, Span


def sentences(text: str, lang: str | None) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, [(0, len(text))], lang)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "M. Dupont a reçu Mme Lefèvre le 7 oct. 2023 à Lyon. Le Dr. Martin était absent.",
            ["M. Dupont a reçu Mme Lefèvre le 7 oct. 2023 à Lyon.", "Le Dr. Martin était absent."],
        ),
        (
            "fr",
            "J.-C. Durand et A. B. Moreau ont signé. La hausse atteint 1.5 point, etc. Puis tout a repris.",
            [
                "J.-C. Durand et A. B. Moreau ont signé.",
                "La hausse atteint 1.5 point, etc.",
                "Puis tout a repris.",
            ],
        ),
        (
            "en",
            "Mr. Lee flew to the U.S. capital on Jan. 5. The talks began at 9 a.m. They ended late.",
            ["Mr. Lee flew to the U.S. capital on Jan. 5.", "The talks began at 9 a.m.", "They ended late."],
        ),
        (
            "en",
            "St. Paul's was full. Acme Corp. said sales fell. Acme Inc. Then it rained.",
            ["St. Paul's was full.", "Acme Corp. said sales fell.", "Acme Inc.", "Then it rained."],
        ),
        (
            "ru",
            "В. В. Петров прибыл в г. Казань, т. е. в столицу республики. Это было в 2019 г. Затем он уехал.",
            [
                "В. В. Петров прибыл в г. Казань, т. е. в столицу республики.",
                "Это было в 2019 г.",
                "Затем он уехал.",
            ],
        ),
        (
            "ru",
            "Обсуждали бюджет, налоги и т. д. Потом см. выше. Дж. Смит молчал.",
            ["Обсуждали бюджет, налоги и т. д.", "Потом см. выше.", "Дж. Смит молчал."],
        ),
        (
            "de",
            "Am 3. Oktober sprach Dr. Weber in Bonn, z. B. über Steuern usw. Dann kam Prof. Graf.",
            ["Am 3. Oktober sprach Dr. Weber in Bonn, z. B. über Steuern usw.", "Dann kam Prof. Graf."],
        ),
        (
            "es",
            "El Sr. Ruiz viajó a EE.UU. el lunes. ¿Qué pasará ahora? La Dra. Vega no lo sabe.",
            ["El Sr. Ruiz viajó a EE.UU. el lunes.", "¿Qué pasará ahora?", "La Dra. Vega no lo sabe."],
        ),
        (
            "it",
            "Il Sig. Rossi e il Dott. Bianchi sono arrivati. La riunione è finita ecc. Domani si riprende.",
            [
                "Il Sig. Rossi e il Dott. Bianchi sono arrivati.",
                "La riunione è finita ecc.",
                "Domani si riprende.",
            ],
        ),
        (
            "pt",
            "O Sr. Costa e a Dra. Lima chegaram. A reunião acabou.",
            ["O Sr. Costa e a Dra. Lima chegaram.", "A reunião acabou."],
        ),
        (
            "pl",
            "Prof. Nowak odwiedził m.in. Gdańsk w 2021 r. Następnie wrócił. Było ok. 5 tys. osób.",
            ["Prof. Nowak odwiedził m.in. Gdańsk w 2021 r.", "Następnie wrócił.", "Było ok. 5 tys. osób."],
        ),
        (
            "uk",
            "Засідання відбулося в м. Львів 5 берез. Потім делегація поїхала далі.",
            ["Засідання відбулося в м. Львів 5 берез.", "Потім делегація поїхала далі."],
        ),
        (
            "cs",
            "Schůzka proběhla 5. května, tzv. summit. Zúčastnil se i Ing. Novák.",
            ["Schůzka proběhla 5. května, tzv. summit.", "Zúčastnil se i Ing. Novák."],
        ),
        (
            "bg",
            "Срещата беше в гр. Пловдив през 2020 г. После делегацията замина.",
            ["Срещата беше в гр. Пловдив през 2020 г.", "После делегацията замина."],
        ),
    ],
)
def test_abbreviations_per_language(lang: str, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_language_without_data_uses_the_neutral_rules() -> None:
    assert sentences("Prva rečenica je ovdje. Druga je ovdje!", "hr") == [
        "Prva rečenica je ovdje.",
        "Druga je ovdje!",
    ]
    assert sentences("One here. Two here?", None) == ["One here.", "Two here?"]


def test_quote_followed_by_lowercase_or_speaker_tag_continues() -> None:
    text = '« Jamais ! » a lancé la ministre. "Not now," he said. "No!" she replied. Fin.'
    assert sentences(text, "fr") == [
        "« Jamais ! » a lancé la ministre.",
        '"Not now," he said.',
        '"No!" she replied.',
        "Fin.",
    ]


def test_russian_dash_quote_convention() -> None:
    text = (
        "«Мы готовы к диалогу», — сказал министр. «Нет!» — ответил посол. "
        "— Но не сегодня, — добавил он. — Завтра."
    )
    assert sentences(text, "ru") == [
        "«Мы готовы к диалогу», — сказал министр.",
        "«Нет!» — ответил посол.",
        "— Но не сегодня, — добавил он.",
        "— Завтра.",
    ]


def test_headline_line_is_its_own_sentence() -> None:
    text = (
        "Le président reçoit son homologue ukrainien\n"
        "Le chef de l'État a accueilli mardi son homologue à l'Élysée.\n"
        "Photo: AFP\n"
        "Les deux hommes ont parlé pendant deux heures."
    )
    assert sentences(text, "fr") == [
        "Le président reçoit son homologue ukrainien",
        "Le chef de l'État a accueilli mardi son homologue à l'Élysée.",
        "Photo: AFP",
        "Les deux hommes ont parlé pendant deux heures.",
    ]


def test_headlines_followed_by_quoted_headline_stay_apart() -> None:
    text = "Новые станции метро откроют весной\n«Городской сад» закроют на ремонт"
    assert sentences(text, "ru") == [
        "Новые станции метро откроют весной",
        "«Городской сад» закроют на ремонт",
    ]


def test_sentence_wrapped_before_a_quote_stays_one() -> None:
    text = (
        "Selon un communiqué, la ministre a exhorté les deux parties à\n"
        "''cesser immédiatement les hostilités''.\n"
        "Le porte-parole a, de son côté, rappelé qu'ils\n"
        '"Nous restons prêts à négocier".\n'
        "The envoy said\n"
        "“We will keep talking until a deal is reached.”"
    )
    assert sentences(text, "fr") == [
        "Selon un communiqué, la ministre a exhorté les deux parties à\n"
        "''cesser immédiatement les hostilités''.",
        'Le porte-parole a, de son côté, rappelé qu\'ils\n"Nous restons prêts à négocier".',
        "The envoy said\n“We will keep talking until a deal is reached.”",
    ]


def test_quote_spanning_lines_stays_one_sentence() -> None:
    text = (
        "«Мы не допустим эскалации,\n"
        "и мы продолжим переговоры», — заявил министр.\n"
        "Встреча прошла в закрытом режиме."
    )
    assert sentences(text, "ru") == [
        "«Мы не допустим эскалации,\nи мы продолжим переговоры», — заявил министр.",
        "Встреча прошла в закрытом режиме.",
    ]


def test_wrapped_lines_join_on_function_words_lowercase_and_hyphens() -> None:
    text = "The minister travelled to the\ncapital where she met the inter-\nnational observers on Monday."
    assert sentences(text, "en") == [text]


def test_long_line_without_period_continues() -> None:
    text = (
        "Officials from both governments spent the whole of Tuesday reviewing the draft agreement "
        "line by line with their\nLegal advisers before signing it."
    )
    assert sentences(text, "en") == [text]


def test_hard_wrapped_block_joins_full_lines_even_before_capitals() -> None:
    text = (
        "The delegation arrived in the capital late on Sunday and was\n"
        "greeted at the airport by the deputy foreign minister Anna\n"
        "Kovacs, who accompanied it to the first round of talks that\n"
        "evening.\n"
        "Short closing line\n"
        "Next paragraph starts here."
    )
    assert sentences(text, "en") == [
        text[: text.index("\nShort")],
        "Short closing line",
        "Next paragraph starts here.",
    ]


def test_list_items_are_separate() -> None:
    text = "Participants:\n- the foreign minister\n- the defence minister"
    assert sentences(text, "en") == ["Participants:\n- the foreign minister", "- the defence minister"]


def test_blank_lines_and_span_limits_are_never_crossed() -> None:
    text = "First part of a sentence\n\ncontinues after a blank line. Second one. Third one."
    assert sentences(text, "en") == [
        "First part of a sentence",
        "continues after a blank line.",
        "Second one.",
        "Third one.",
    ]
    cut = text.index("Third")
    spans = split_sentences(text, [(cut, len(text)), (0, cut - 6)], "en")
    assert [text[s:e] for s, e in spans] == [
        "First part of a sentence",
        "continues after a blank line.",
        "Second",
        "Third one.",
    ]


def test_numbers_lists_and_ellipses() -> None:
    assert sentences("1. Le premier point. 2. Le second point.", "fr") == [
        "1. Le premier point.",
        "2. Le second point.",
    ]
    assert sentences("Il a hésité... puis il a signé… Enfin !", "fr") == [
        "Il a hésité... puis il a signé…",
        "Enfin !",
    ]


def test_empty_input() -> None:
    assert split_sentences("", [], "en") == []
    assert split_sentences("", [(0, 0)], "en") == []
    assert sentences("  \n\n ", "en") == []


def test_component_uses_body_and_paragraph_languages() -> None:
    german = "Er kam am 7. Oktober an."
    english = "He finished 7. Then he left."
    boilerplate = "Share this article"
    text = f"{german}\n\n{english}\n\n{boilerplate}"
    g_end = len(german)
    e_start = g_end + 2
    doc = Document(
        doc_id="t",
        text=text,
        lang="en",
        body=[(0, e_start + len(english))],
        paragraphs=[
            Paragraph(0, g_end, "de", 0.99),
            Paragraph(e_start, e_start + len(english), "en", 0.9),
            Paragraph(len(text) - len(boilerplate), len(text), "en", 0.9),
        ],
    )
    doc = make_sentence_splitter(Settings())(doc)
    assert [doc.span_text(s) for s in doc.sentences] == [german, "He finished 7.", "Then he left."]


def test_component_without_body_reads_the_whole_text() -> None:
    doc = make_sentence_splitter(Settings())(Document(doc_id="t", text="One. Two.", lang="en"))
    assert doc.sentences == [(0, 4), (5, 9)]


_ALPHABET = st.sampled_from([*"ab AB.!?…«»\"'—-,:\n\n\t1", "M.", "т.е.", "U.S.", " г.", "etc."])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_ALPHABET, max_size=80).map("".join),
    st.sampled_from(["fr", "en", "ru", "de", None]),
    st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=3),
)
def test_offsets_are_valid_trimmed_increasing_and_cover_the_spans(
    text: str, lang: str | None, raw: list[Span]
) -> None:
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in raw] or [(0, len(text))]
    out = split_sentences(text, spans, lang)
    previous_end = 0
    for start, end in out:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert "\n\n" not in text[start:end]
        assert any(s <= start and end <= e for s, e in spans)
        previous_end = end
    covered = {i for start, end in out for i in range(start, end)}
    assert {i for s, e in spans for i in range(s, e) if not text[i].isspace()} <= covered
