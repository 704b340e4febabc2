"""Quotations and reported speech in every language the demo corpus has (issue 10).

Each construction is tested in the languages that use it: the speaker after the cue behind an
auxiliary ("…», ha explicado la alcaldesa Ana Ruiz"), the speaker before a quotation whose verb
comes last (Turkish), dialogue dashes (ru, uk, pl), subjectless cues that continue the previous
speaker, relative pronouns and appositions, "as X said" clauses and attributors ("…, so X").
Mentions are given by hand, so the rules are tested apart from the recogniser. The snippets are
written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.quotes.lexicon import quote_lexicon
from test_quotes import only, quotes_of

PER = "PER"


@pytest.mark.parametrize(
    ("lang", "text", "names", "fragment", "speaker"),
    [
        (
            "es",
            "«El puente abrirá en marzo», ha explicado la alcaldesa Ana Ruiz en la rueda de prensa.",
            {"Ana Ruiz": (PER, "E:ruiz")},
            "El puente abrirá",
            "E:ruiz",
        ),
        (
            "it",
            "«Il ponte aprirà a marzo», ha spiegato il sindaco Marco Bianchi ai giornalisti.",
            {"Marco Bianchi": (PER, "E:bianchi")},
            "Il ponte aprirà",
            "E:bianchi",
        ),
        (
            "fr",
            "« Le pont ouvrira en mars », s'inquiète Paul Martin devant la presse.",
            {"Paul Martin": (PER, "E:martin")},
            "Le pont ouvrira",
            "E:martin",
        ),
        (
            "en",
            "“The bridge will open in March,” said Mayor Jane Cole on Tuesday.",
            {"Jane Cole": (PER, "E:cole")},
            "The bridge will open",
            "E:cole",
        ),
    ],
)
def test_speaker_after_the_cue(lang: str, text: str, names: dict, fragment: str, speaker: str) -> None:
    assert only(quotes_of(text, lang, names), fragment).speaker == speaker


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        ("Bakan Ayşe Demir, “Köprü mart ayında açılacak” dedi.", "Köprü mart", "E:demir"),
        ("Ayşe Demir, “Köprü mart ayında açılacak” şeklinde konuştu.", "Köprü mart", "E:demir"),
    ],
)
def test_turkish_speaker_opens_the_sentence_and_the_verb_closes_it(
    text: str, fragment: str, speaker: str
) -> None:
    quote = only(quotes_of(text, "tr", {"Ayşe Demir": (PER, "E:demir")}), fragment)
    assert quote.speaker == speaker and quote.direct


@pytest.mark.parametrize(
    ("lang", "text", "name", "fragment"),
    [
        (
            "ru",
            "— Мы готовы продолжать переговоры, — заявил Иван Петров журналистам.",
            "Иван Петров",
            "Мы готовы",
        ),
        (
            "uk",
            "— Ми готові продовжувати переговори, — заявив Іван Петренко журналістам.",
            "Іван Петренко",
            "Ми готові",
        ),
        (
            "pl",
            "- Jesteśmy gotowi do dalszych rozmów - powiedział Jan Nowak dziennikarzom.",
            "Jan Nowak",
            "Jesteśmy gotowi",
        ),
    ],
)
def test_dialogue_dash_quotes(lang: str, text: str, name: str, fragment: str) -> None:
    quote = only(quotes_of(text, lang, {name: (PER, "E:p")}), fragment)
    assert quote.speaker == "E:p" and quote.direct
    assert name not in quote.text  # the narration after the closing dash is no part of what was said


def test_dialogue_dash_inside_what_is_said_does_not_close_it() -> None:
    text = "Jan Nowak mówił o planach.\n– To jest dla mnie pilne – wysłać pomoc do gmin – podkreślił."
    quote = only(quotes_of(text, "pl", {"Jan Nowak": (PER, "E:nowak")}), "wysłać pomoc")
    assert quote.text.startswith("To jest") and quote.speaker == "E:nowak"


def test_english_has_no_dialogue_dashes() -> None:
    assert not quote_lexicon("en").dialogue_dashes
    assert quote_lexicon("ru").dialogue_dashes


@pytest.mark.parametrize(
    ("lang", "text", "fragment"),
    [
        (
            "es",
            'Laura Gómez habló ante el pleno. "Hemos cumplido", declaró Laura Gómez. '
            '"Vamos a seguir", añadió.',
            "Vamos a seguir",
        ),
        (
            "pl",
            "Laura Gómez mówiła o budżecie. Laura Gómez zapewniła, że plan jest gotowy.\n"
            "– Budżet jest bezpieczny – podkreśliła.",
            "Budżet jest",
        ),
    ],
)
def test_a_subjectless_cue_continues_the_previous_speaker(lang: str, text: str, fragment: str) -> None:
    names = {"Laura Gómez": (PER, "E:gomez"), "Pedro Sanz": (PER, "E:sanz")}
    assert only(quotes_of(text, lang, names), fragment).speaker == "E:gomez"


def test_a_relative_pronoun_stands_for_the_name_before_it() -> None:
    text = "Gratulacje złożył premier Adam Lis, który dodał: „do zobaczenia jutro w Krakowie”."
    quote = only(quotes_of(text, "pl", {"Adam Lis": (PER, "E:lis")}), "do zobaczenia")
    assert quote.speaker == "E:lis" and quote.speaker_text == "który"


def test_a_title_in_apposition_gives_way_to_the_name() -> None:
    text = (
        "El ministro de Exteriores, Luis Prado, ha descrito el pacto como “casi un acuerdo total” "
        "para la región."
    )
    quote = only(quotes_of(text, "es", {"Luis Prado": (PER, "E:prado")}), "casi un acuerdo")
    assert quote.speaker == "E:prado"


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        (
            "de",
            "Beide Seiten tauschen je 300 Gefangene aus, wie der Unterhändler Otto Brandt nach den "
            "Gesprächen in Genf vor Journalisten erklärte.",
            "Otto Brandt",
        ),
        (
            "de",
            "Die Verhandlungen sollen bald weitergehen, so Otto Brandt am Montag in Genf.",
            "Otto Brandt",
        ),
        (
            "it",
            "L'accordo deve prevedere la fine delle sanzioni, ha spiegato Carla Neri, "
            "che guida la delegazione.",
            "Carla Neri",
        ),
    ],
)
def test_reported_speech_attributed_after_the_content(lang: str, text: str, name: str) -> None:
    quotes = quotes_of(text, lang, {name: (PER, "E:x")})
    assert len(quotes) == 1 and not quotes[0].direct and quotes[0].speaker == "E:x"


@pytest.mark.parametrize(
    ("lang", "text", "name", "fragment"),
    [
        (
            "en",
            "Mayor Jane Cole said that the bridge would open in March.",
            "Jane Cole",
            "the bridge would open",
        ),
        ("fr", "Paul Martin a affirmé que le pont ouvrirait en mars.", "Paul Martin", "le pont ouvrirait"),
        ("ru", "Иван Петров заявил, что мост откроют в марте.", "Иван Петров", "мост откроют"),
        ("de", "Otto Brandt sagte, dass die Brücke im März öffnet.", "Otto Brandt", "die Brücke"),
        ("it", "Carla Neri ha detto che il ponte aprirà a marzo.", "Carla Neri", "il ponte aprirà"),
        ("es", "Ana Ruiz afirmó que el puente abrirá en marzo.", "Ana Ruiz", "el puente abrirá"),
    ],
)
def test_reported_speech_after_the_cue(lang: str, text: str, name: str, fragment: str) -> None:
    quote = only(quotes_of(text, lang, {name: (PER, "E:x")}), fragment)
    assert not quote.direct and quote.speaker == "E:x"


def test_a_colon_introduces_the_words_of_the_sentence_subject() -> None:
    text = (
        "Carla Neri, ministra degli Esteri, affida il suo commento ai social: “Roma è capitale del dialogo”."
    )
    quote = only(quotes_of(text, "it", {"Carla Neri": (PER, "E:neri")}), "Roma è capitale")
    assert quote.speaker == "E:neri"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "«Seguiremos negociando», se han limitado a decir en la cancillería."),
        ("it", "«Continueremo a trattare», ha detto."),
    ],
)
def test_a_speaker_is_never_an_auxiliary_or_a_verb(lang: str, text: str) -> None:
    for quote in quotes_of(text, lang, {}, min_score=0):
        words = (quote.speaker_text or "").casefold().split()
        lex = quote_lexicon(lang)
        assert not words or not set(words) <= lex.auxiliaries | lex.verbs | {"se"}, quote.speaker_text


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("en", "Jane Cole, mayor of Springfield:\n“We will rebuild every house.”", "Jane Cole"),
        ("ru", "Иван Петров, глава администрации:\n«Мы восстановим каждый дом».", "Иван Петров"),
        ("tr", "Ayşe Demir, belediye başkanı:\n“Her evi yeniden inşa edeceğiz.”", "Ayşe Demir"),
    ],
)
def test_a_caption_line_above_a_quotation_names_its_speaker(lang: str, text: str, name: str) -> None:
    quotes = quotes_of(text, lang, {name: (PER, "E:x")})
    assert len(quotes) == 1 and quotes[0].speaker == "E:x" and quotes[0].direct


def test_a_name_that_is_also_a_speech_verb_is_no_cue() -> None:
    text = "Said Karimi, the new envoy, arrives in Geneva on Monday for the talks."
    assert quotes_of(text, "en", {"Said Karimi": (PER, "E:karimi")}) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "Также мы писали, что парламент принял закон о бюджете."),
        ("en", "As we reported on Monday, the council approved the budget after a long night."),
    ],
)
def test_the_writer_referring_to_itself_reports_no_one(lang: str, text: str) -> None:
    assert all(
        q.speaker_text is None or q.speaker_text.casefold() not in {"мы", "we"}
        for q in quotes_of(text, lang, {})
    )


def test_a_title_subject_keeps_its_whole_phrase() -> None:
    text = "Le chef du ministère de la Défense exige le soutien de ses alliés."
    quote = only(quotes_of(text, "fr", {}), "le soutien")
    assert quote.speaker_text is not None and quote.speaker_text.casefold().startswith("chef du ministère")


@pytest.mark.parametrize(
    ("lang", "text", "name", "fragment"),
    [
        (
            "en",
            "Reporters checked Jane Cole's claim that the bridge was safe.",
            "Jane Cole",
            "the bridge was safe",
        ),
        (
            "en",
            "The council studied Jane Cole's plan to rebuild the bridge by March.",
            "Jane Cole",
            "rebuild the bridge",
        ),
    ],
)
def test_a_speech_noun_after_its_owner_is_a_cue(lang: str, text: str, name: str, fragment: str) -> None:
    quote = only(quotes_of(text, lang, {name: (PER, "E:x")}), fragment)
    assert quote.speaker == "E:x" and not quote.direct


def test_a_verb_before_a_speech_noun_reports_the_noun_phrase_not_its_clause() -> None:
    text = "Critics rejected Jane Cole's claim that the bridge was safe."
    quotes = quotes_of(text, "en", {"Jane Cole": (PER, "E:cole")})
    assert len(quotes) == 1 and quotes[0].text.startswith("Jane Cole's claim")


def test_a_verb_of_thinking_inside_reported_content_does_not_cut_it() -> None:
    text = "Jane Cole says she hopes to win the vote, but she knows that the race will be close."
    quotes = quotes_of(text, "en", {"Jane Cole": (PER, "E:cole")})
    outer = only(quotes, "hopes to win")
    assert "the race will be close" in outer.text and outer.speaker == "E:cole"


def test_phrases_of_one_length_are_ordered_by_their_spelling_not_the_hash_seed() -> None:
    """Two spellings of one cue ("قائلا", "قائلاً") are tried longer first whatever order the set gave
    them, so a cue covers the whole word in every run."""
    phrases = quote_lexicon("ar").phrases
    longer, shorter = ("ومضى", "قائلاً"), ("ومضى", "قائلا")
    assert phrases.index(longer) < phrases.index(shorter)
    assert list(phrases) == sorted(phrases, key=lambda p: (-len(p), -sum(map(len, p)), p))


def test_an_arabic_cue_phrase_covers_its_whole_last_word() -> None:
    text = "أعلن الوزير أن الاجتماع كان مثمرا، ومضى قائلاً إن جولة جديدة ستعقد الشهر المقبل في عمان."
    found = quotes_of(text, "ar", {"الوزير": ("PER", "E:minister")})
    cues = [text[q.cue[0] : q.cue[1]] for q in found if q.cue]
    assert "ومضى قائلاً" in cues
