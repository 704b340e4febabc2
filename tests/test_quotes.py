"""Quotations and reported speech with their cues and speakers (newsgraph.quotes).

Most tests give the document its mentions by hand, so the speaker rules are tested apart from the
entity recogniser; one test runs the whole pipeline. The snippets are written for these tests.
"""

from __future__ import annotations

import re

import pytest

from newsgraph.config import Settings
from newsgraph.language.syntax import analyse
from newsgraph.model import Document, Mention, Quote
from newsgraph.pipeline.components import Pipeline
from newsgraph.quotes.component import MIN_SCORE, extract_quotes
from newsgraph.quotes.lexicon import quote_lexicon
from newsgraph.quotes.marks import find_quoted

SETTINGS = Settings()
Names = dict[str, tuple[str, str]]  # surface form -> (type, entity id)


def document(text: str, lang: str, names: Names) -> Document:
    """A document in `lang` whose mentions are every occurrence of the given names."""
    doc = Document("t", text, lang=lang)
    found = [
        Mention(m.start(), m.end(), name, kind, entity=entity)
        for name, (kind, entity) in names.items()
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    ]
    doc.mentions = sorted(found, key=lambda m: (m.start, -m.end))
    return doc


def quotes_of(text: str, lang: str, names: Names, min_score: float = MIN_SCORE) -> list[Quote]:
    doc = document(text, lang, names)
    found = extract_quotes(doc, analyse(doc, SETTINGS), min_score)
    assert_valid(doc, found)
    return found


def assert_valid(doc: Document, quotes: list[Quote]) -> None:
    """Every span lies in the text, and every `text` field is the text at its span."""
    for q in quotes:
        assert 0 <= q.start < q.end <= len(doc.text)
        assert q.text == doc.text[q.start : q.end]
        for span in (q.speaker_span, q.cue):
            assert span is None or 0 <= span[0] < span[1] <= len(doc.text)
        if q.speaker_span is not None:
            assert q.speaker_text == doc.text[q.speaker_span[0] : q.speaker_span[1]]


def only(quotes: list[Quote], containing: str) -> Quote:
    found = [q for q in quotes if containing in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def cue_text(text: str, quote: Quote) -> str:
    assert quote.cue is not None
    return text[quote.cue[0] : quote.cue[1]]


# ---------------------------------------------------------------------------------------- French
FR_NAMES: Names = {
    "Emmanuel Macron": ("PER", "E:macron"),
    "Macron": ("PER", "E:macron"),
    "Olaf Scholz": ("PER", "E:scholz"),
    "Scholz": ("PER", "E:scholz"),
    "Catherine Colonna": ("PER", "E:colonna"),
    "Quai d'Orsay": ("ORG", "E:quai"),
}


def test_french_guillemets_with_an_inverted_tweet_cue() -> None:
    text = (
        "Le président Emmanuel Macron a reçu le chancelier Olaf Scholz mardi.\n\n"
        "« Nous avancerons ensemble sur la défense européenne », a tweeté Macron après la rencontre."
    )
    quote = only(quotes_of(text, "fr", FR_NAMES), "défense")
    assert quote.text == "Nous avancerons ensemble sur la défense européenne"
    assert quote.direct and quote.speaker == "E:macron" and quote.speaker_text == "Macron"
    assert cue_text(text, quote) == "tweeté"


def test_french_double_apostrophes_and_a_clitic_pronoun() -> None:
    text = (
        "La ministre des Affaires étrangères Catherine Colonna s'est rendue à Varsovie.\n\n"
        "''Notre soutien ne faiblira pas'', a-t-elle assuré, soulignant ''la nécessité d'aider "
        "les civils cet hiver''."
    )
    quotes = quotes_of(text, "fr", FR_NAMES)
    first, second = only(quotes, "soutien"), only(quotes, "civils")
    assert first.text == "Notre soutien ne faiblira pas"
    assert first.speaker == second.speaker == "E:colonna"
    assert first.speaker_text == "elle"
    assert cue_text(text, second) == "soulignant"


def test_french_cue_before_the_quotation_takes_its_subject() -> None:
    text = "Macron a appelé Scholz à «renforcer la coopération industrielle entre nos deux pays»."
    quote = only(quotes_of(text, "fr", FR_NAMES), "coopération")
    # the cue's complement holds the quoted words: "Scholz à «…»" is reported, quoting Macron's words
    assert quote.speaker == "E:macron" and quote.text.startswith("Scholz à «") and not quote.direct


def test_french_title_phrase_names_the_person_who_holds_the_title() -> None:
    text = (
        "Le chancelier Olaf Scholz a rencontré Emmanuel Macron à Paris.\n\n"
        "Le chancelier allemand a souligné que l'Europe devait investir davantage dans son industrie."
    )
    quote = only(quotes_of(text, "fr", FR_NAMES), "investir")
    assert not quote.direct
    assert quote.text == "l'Europe devait investir davantage dans son industrie"
    assert quote.speaker == "E:scholz"
    assert quote.speaker_text is not None and quote.speaker_text.startswith("chancelier")


def test_french_reported_speech_and_a_source_phrase() -> None:
    text = (
        "Emmanuel Macron a déclaré que la France enverrait de nouveaux équipements avant l'hiver. "
        "Selon un communiqué du Quai d'Orsay, les discussions reprendront en janvier."
    )
    quotes = quotes_of(text, "fr", FR_NAMES)
    reported = only(quotes, "équipements")
    assert not reported.direct and reported.speaker == "E:macron"
    assert reported.text == "la France enverrait de nouveaux équipements avant l'hiver"
    source = only(quotes, "discussions")
    assert source.text == "les discussions reprendront en janvier"
    assert source.speaker == "E:quai"


def test_french_quotation_over_two_paragraphs_is_one() -> None:
    text = (
        "« Nous ne reculerons pas. Les réformes continueront.\n\n"
        "Nous le devons aux jeunes générations », a déclaré Macron."
    )
    quotes = quotes_of(text, "fr", FR_NAMES)
    assert len(quotes) == 1
    assert quotes[0].text.startswith("Nous ne reculerons") and quotes[0].text.endswith("générations")
    assert quotes[0].speaker == "E:macron"


def test_scare_quotes_are_no_quotations_unless_asked_for() -> None:
    text = "Macron a salué les « succès diplomatiques » de la semaine."
    assert quotes_of(text, "fr", FR_NAMES) == []
    kept = quotes_of(text, "fr", FR_NAMES, min_score=0.0)
    assert [q.text for q in kept] == ["succès diplomatiques"] and kept[0].speaker is None


# ---------------------------------------------------------------------------------------- English
EN_NAMES: Names = {
    "Janet Yellen": ("PER", "E:yellen"),
    "Yellen": ("PER", "E:yellen"),
    "Jerome Powell": ("PER", "E:powell"),
    "Powell": ("PER", "E:powell"),
    "Reuters": ("ORG", "E:reuters"),
}


def test_english_quotation_split_by_its_cue_and_a_pronoun_speaker() -> None:
    text = (
        "Treasury Secretary Janet Yellen met Federal Reserve chair Jerome Powell on Monday.\n\n"
        "“Inflation is coming down, but we are not there yet,” she said. “We will stay vigilant.”"
    )
    quotes = quotes_of(text, "en", EN_NAMES)
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.text.startswith("Inflation is coming down") and quote.text.endswith("stay vigilant.")
    assert quote.speaker == "E:yellen" and quote.speaker_text == "she"


def test_english_reported_speech_according_to_and_participle() -> None:
    text = (
        "Prices rose by 3 percent in May, according to Reuters. Powell said the central bank would not "
        "hesitate to act. The soft landing is still possible, he told reporters, noting that jobs were "
        "growing."
    )
    quotes = quotes_of(text, "en", EN_NAMES)
    assert only(quotes, "Prices").speaker == "E:reuters"
    said = only(quotes, "central bank")
    assert said.text == "the central bank would not hesitate to act" and said.speaker == "E:powell"
    noting = only(quotes, "jobs")
    assert noting.text == "jobs were growing" and noting.speaker == "E:powell"
    assert all(not q.direct for q in quotes)


def test_english_attribution_at_a_paragraph_end_covers_the_paragraph() -> None:
    text = (
        "Powell spoke to bankers on Tuesday.\n\nThe economy is cooling. Hiring has slowed in most "
        "sectors, Powell said."
    )
    quote = only(quotes_of(text, "en", EN_NAMES), "Hiring")
    assert quote.text == "The economy is cooling. Hiring has slowed in most sectors"
    assert quote.speaker == "E:powell" and not quote.direct


def test_english_apostrophes_are_no_quotation_marks() -> None:
    text = (
        "Powell's team didn't comment. The banks' 'stress tests' pass, Yellen's aide said, 'without a doubt.'"
    )
    doc = document(text, "en", EN_NAMES)
    quoted, _ = find_quoted(text, [(0, len(text))], quote_lexicon("en"))
    assert [text[q.inner[0] : q.inner[1]] for q in quoted] == ["stress tests", "without a doubt."]
    assert_valid(doc, extract_quotes(doc, analyse(doc, SETTINGS)))


def test_nested_quotation_stays_inside_the_outer_one() -> None:
    text = "“I heard him say ‘never’ twice,” Yellen said."
    quotes = quotes_of(text, "en", EN_NAMES)
    assert [q.text for q in quotes] == ["I heard him say ‘never’ twice,"]
    assert quotes[0].speaker == "E:yellen"


def test_dash_and_name_after_a_quotation() -> None:
    text = (
        "“Markets reward patience more than cleverness.” ― Jerome Powell\n\n"
        "“Never waste a crisis.” ― Janet Yellen"
    )
    quotes = quotes_of(text, "en", EN_NAMES)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Markets reward patience more than cleverness.", "E:powell"),
        ("Never waste a crisis.", "E:yellen"),
    ]


def test_transcript_labels_are_speakers() -> None:
    text = (
        "HOST: Will rates fall this year?\n\nPOWELL: We will look at the data meeting by meeting.\n\n"
        "HOST: Thank you for your time today.\n\nPOWELL: It was a pleasure to be here.\n\n"
        "Jerome Powell leads the central bank."
    )
    quotes = quotes_of(text, "en", EN_NAMES)
    data = only(quotes, "meeting by meeting")
    assert data.speaker == "E:powell" and data.speaker_text == "POWELL"
    assert only(quotes, "rates fall").speaker_text == "HOST"


# ---------------------------------------------------------------------------------------- Russian
RU_NAMES: Names = {
    "Антони Блинкен": ("PER", "E:blinken"),
    "Блинкен": ("PER", "E:blinken"),
    "Блинкена": ("PER", "E:blinken"),
    "Исааком Герцогом": ("PER", "E:herzog"),
    "Герцог": ("PER", "E:herzog"),
    "Израиля": ("LOC", "E:israel"),
    "США": ("LOC", "E:usa"),
}
RU_TEXT = (
    "Госсекретарь США Антони Блинкен встретился с президентом Израиля Исааком Герцогом.\n\n"
    '"Мы продолжим работать над освобождением заложников", — сказал Блинкен.\n\n'
    "«Мы благодарны за поддержку» — подчеркнул президент Израиля.\n\n"
    "Герцог показал гостю карту региона. «Каждый день важен», — добавил он.\n\n"
    "По словам Блинкена, переговоры продолжатся на следующей неделе. "
    "Госсекретарь США заявил, что гуманитарная помощь должна поступать без задержек."
)


@pytest.fixture(scope="module")
def russian() -> list[Quote]:
    return quotes_of(RU_TEXT, "ru", RU_NAMES)


def test_russian_dash_convention_with_a_name(russian: list[Quote]) -> None:
    quote = only(russian, "заложников")
    assert quote.direct and quote.speaker == "E:blinken" and cue_text(RU_TEXT, quote) == "сказал"


def test_russian_dash_convention_with_a_title_and_a_pronoun(russian: list[Quote]) -> None:
    assert only(russian, "благодарны").speaker == "E:herzog"
    pronoun = only(russian, "Каждый день")
    assert pronoun.speaker == "E:herzog" and pronoun.speaker_text == "он"


def test_russian_reported_speech_and_po_slovam(russian: list[Quote]) -> None:
    source = only(russian, "переговоры")
    assert source.text == "переговоры продолжатся на следующей неделе" and source.speaker == "E:blinken"
    reported = only(russian, "гуманитарная")
    assert not reported.direct and reported.speaker == "E:blinken"
    assert reported.text == "гуманитарная помощь должна поступать без задержек"


# ---------------------------------------------------------------------------------------- de, es, uk
def test_german_quotation_styles_and_dass() -> None:
    names: Names = {
        "Olaf Scholz": ("PER", "E:scholz"),
        "Scholz": ("PER", "E:scholz"),
        "Baerbock": ("PER", "E:baerbock"),
    }
    text = (
        "Bundeskanzler Olaf Scholz besuchte am Montag Warschau. „Wir stehen fest an der Seite "
        "unserer Nachbarn“, sagte Scholz. »Die Zusammenarbeit wird enger«, sagte Baerbock am Abend. "
        "Scholz sagte, dass die Grenzkontrollen bleiben würden. ‚Das ist ein guter Tag für Europa‘, "
        "so Scholz."
    )
    quotes = quotes_of(text, "de", names)
    assert only(quotes, "Seite").speaker == "E:scholz"
    assert only(quotes, "Zusammenarbeit").speaker == "E:baerbock"
    reported = only(quotes, "Grenzkontrollen")
    assert reported.text == "die Grenzkontrollen bleiben würden" and not reported.direct
    assert only(quotes, "guter Tag").speaker == "E:scholz"


def test_spanish_quotations_segun_and_a_dropped_subject() -> None:
    names: Names = {
        "Pedro Sánchez": ("PER", "E:sanchez"),
        "Sánchez": ("PER", "E:sanchez"),
        "Moncloa": ("ORG", "E:moncloa"),
    }
    text = (
        "El presidente Pedro Sánchez viajó a Bruselas. «Europa tiene que actuar unida», dijo Sánchez. "
        "Según la Moncloa, la reunión duró dos horas. Sánchez afirmó que el acuerdo llegaría pronto. "
        '"Es un paso histórico", aseguró.'
    )
    quotes = quotes_of(text, "es", names)
    assert only(quotes, "unida").speaker == "E:sanchez"
    assert only(quotes, "reunión").speaker == "E:moncloa"
    assert only(quotes, "acuerdo").text == "el acuerdo llegaría pronto"
    assert only(quotes, "histórico").speaker == "E:sanchez"


def test_ukrainian_dash_convention_and_za_slovamy() -> None:
    names: Names = {
        "Володимир Зеленський": ("PER", "E:zelensky"),
        "Зеленський": ("PER", "E:zelensky"),
        "Зеленського": ("PER", "E:zelensky"),
    }
    text = (
        "Президент Володимир Зеленський виступив у парламенті. "
        "«Ми не зупинимося», — заявив Зеленський. "
        "За словами Зеленського, нові закони ухвалять до кінця року. "
        "Зеленський наголосив, що підтримка партнерів залишається ключовою."
    )
    quotes = quotes_of(text, "uk", names)
    assert len(quotes) == 3 and all(q.speaker == "E:zelensky" for q in quotes)
    assert only(quotes, "зупинимося").direct
    assert only(quotes, "підтримка").text == "підтримка партнерів залишається ключовою"


def test_angle_and_corner_brackets() -> None:
    names: Names = {"Powell": ("PER", "E:powell")}
    for text in ("‹We will wait for more data›, Powell said.", "「We will wait for more data」, Powell said"):
        assert only(quotes_of(text, "en", names), "data").speaker == "E:powell"


# ---------------------------------------------------------------------------------------- pipeline
def test_quotes_stage_in_the_pipeline() -> None:
    stages = ("language", "clean", "sentences", "mentions", "quotes")
    pipeline = Pipeline(SETTINGS.with_overrides(stages=stages))
    text = (
        "Secretary of State Antony Blinken visited Jordan on Saturday.\n\n"
        "“We will keep working for a humanitarian pause,” Blinken told reporters in Amman."
    )
    doc = pipeline(Document("p", text))
    assert not doc.errors
    assert_valid(doc, doc.quotes)
    quote = only(doc.quotes, "humanitarian")
    assert quote.speaker_text == "Blinken"
    assert quote.speaker in {m.entity for m in doc.mentions if m.text == "Blinken"}
    assert pipeline(Document("empty", "")).quotes == []
