"""Quotations whose cue the sentence splitter cut off, cues that only follow a quotation, a quotation
that goes on after its attribution sentence, and pronoun speakers of the right gender.

Every article here is written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.model import Quote
from test_quotes import Names, only, quotes_of


def speaker_of(quotes: list[Quote], containing: str) -> str | None:
    return only(quotes, containing).speaker


# ------------------------------------------------------------- a cue after "?”" or "!”"
@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        (
            "en",
            "The mayor met residents.\n\n“How long must we wait for the bridge?” Ana Ruiz asked.",
            "Ana Ruiz",
        ),
        (
            "fr",
            "La maire a reçu les habitants.\n\n« Combien de temps faut-il attendre ? » a demandé Ana Ruiz.",
            "Ana Ruiz",
        ),
        (
            "es",
            "La alcaldesa recibió a los vecinos.\n\n«¡No vamos a esperar más!», dijo Ana Ruiz.",
            "Ana Ruiz",
        ),
        (
            "de",
            "Die Bürgermeisterin traf Anwohner.\n\n„Wie lange sollen wir noch warten?“, fragte Ana Ruiz.",
            "Ana Ruiz",
        ),
    ],
)
def test_a_cue_after_a_question_or_exclamation_attributes_it(lang: str, text: str, name: str) -> None:
    quotes = quotes_of(text, lang, {name: ("PER", "E:ruiz")})
    assert [q.speaker for q in quotes] == ["E:ruiz"]


# ------------------------------------------------------------- verbs that cue only a quotation before them
@pytest.mark.parametrize(
    ("lang", "text", "names"),
    [
        (
            "en",
            "Lena Berg spoke at the rally.\n\n“We are not going anywhere,” she continued.\n\n"
            "“Stop the trucks!” Berg yelled at the guards.",
            {"Lena Berg": ("PER", "E:berg"), "Berg": ("PER", "E:berg")},
        ),
        (
            "es",
            "Lena Berg habló en el mitin.\n\n«No nos vamos a ir», continuó Berg.",
            {"Lena Berg": ("PER", "E:berg"), "Berg": ("PER", "E:berg")},
        ),
        (
            "ru",
            "Лена Берг выступила на митинге.\n\n«Мы никуда не уйдём», — продолжила Берг.",
            {"Лена Берг": ("PER", "E:berg"), "Берг": ("PER", "E:berg")},
        ),
    ],
)
def test_verbs_of_going_on_cue_the_quotation_before_them(lang: str, text: str, names: Names) -> None:
    quotes = quotes_of(text, lang, names)
    assert quotes and all(q.speaker == "E:berg" for q in quotes)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Lena Berg spoke at the rally. The talks continued on Friday and the crowd yelled."),
        ("es", "Lena Berg habló en el mitin. Las negociaciones continuaron el viernes."),
        ("ru", "Лена Берг выступила на митинге. Переговоры продолжились в пятницу."),
    ],
)
def test_verbs_of_going_on_report_nothing_elsewhere(lang: str, text: str) -> None:
    assert quotes_of(text, lang, {}) == []


# ------------------------------------------------------------- a quotation that goes on after its attribution
def test_english_quotation_goes_on_after_the_rest_of_its_attribution_sentence() -> None:
    text = (
        "The committee met again on Tuesday.\n\n"
        "“Subpoenas are not optional,” chairman Ivo Hale said after Tom Grey failed to appear at a "
        "hearing he was called to. “Mr. Grey is a key witness.”"
    )
    names = {"Ivo Hale": ("PER", "E:hale"), "Tom Grey": ("PER", "E:grey"), "Grey": ("PER", "E:grey")}
    quote = only(quotes_of(text, "en", names), "Subpoenas")
    assert quote.speaker == "E:hale" and quote.text.endswith("key witness.")


def test_english_participle_of_the_attribution_does_not_break_the_quotation() -> None:
    text = (
        "The pollster spoke on Monday.\n\n"
        "“This is on their minds,” said Hansen, speaking of the senator’s record. “It worries them.”"
    )
    quote = only(quotes_of(text, "en", {"Hansen": ("PER", "E:hansen")}), "on their minds")
    assert quote.speaker == "E:hansen" and quote.text.endswith("It worries them.")


# ------------------------------------------------------------- pronouns of the right gender
@pytest.mark.parametrize(
    ("lang", "text", "names"),
    [
        (
            "en",
            "Mrs. Patel chaired the hearing. Tom Reed, a member of the panel, sat next to her.\n\n"
            "“We will not accept this,” she said.",
            {"Patel": ("PER", "E:patel"), "Tom Reed": ("PER", "E:reed")},
        ),
        (
            "fr",
            "Mme Patel présidait l'audience. Tom Reed, membre de la commission, "
            "était assis à côté d'elle.\n\n"
            "« Nous n'accepterons pas cela », a-t-elle déclaré.",
            {"Patel": ("PER", "E:patel"), "Tom Reed": ("PER", "E:reed")},
        ),
        (
            "de",
            "Frau Patel leitete die Anhörung. Tom Reed, Mitglied des Ausschusses, saß neben ihr.\n\n"
            "„Das werden wir nicht hinnehmen“, sagte sie.",
            {"Patel": ("PER", "E:patel"), "Tom Reed": ("PER", "E:reed")},
        ),
    ],
)
def test_a_feminine_pronoun_is_not_the_man_named_last(lang: str, text: str, names: Names) -> None:
    quotes = quotes_of(text, lang, names)
    assert [q.speaker for q in quotes] == ["E:patel"]
    assert quotes[0].speaker_text in ("she", "elle", "sie")


def test_a_pronoun_after_a_lone_name_tells_that_persons_gender() -> None:
    """Dana Cole is never given a title; "she" after her name alone says she is a woman, so the later
    "he" is the man, though she was named after him."""
    text = "Omar Said led the talks. Dana Cole said she expected a deal.\n\n“There is no deal yet,” he said."
    names = {"Omar Said": ("PER", "E:said"), "Dana Cole": ("PER", "E:cole")}
    quotes = quotes_of(text, "en", names)
    assert speaker_of(quotes, "no deal yet") == "E:said"


def test_a_pronoun_with_no_compatible_person_names_nobody() -> None:
    text = "Mr. Lee opened the session.\n\n“We have work to do,” she said."
    quote = only(quotes_of(text, "en", {"Lee": ("PER", "E:lee")}), "work to do")
    assert quote.speaker is None and quote.speaker_text == "she"


# ------------------------------------------------------------- a dash glued to the closing mark or the name
def test_a_dash_touching_the_quotation_or_the_name_still_names_the_speaker() -> None:
    text = (
        "Readers wrote to us.\n\n"
        "“He represents our greatest shame.” ― Sonya Hart\n"
        "“During the debate he said bad things about us.”― Pamela Pardo\n"
        "“He must stop it, now and forever.”\u00a0\u00a0―Carla Sanz\n"
    )
    names = {
        "Sonya Hart": ("PER", "E:hart"),
        "Pamela Pardo": ("PER", "E:pardo"),
        "―Carla Sanz": ("PER", "E:sanz"),
    }
    quotes = quotes_of(text, "en", names)
    assert speaker_of(quotes, "greatest shame") == "E:hart"
    assert speaker_of(quotes, "bad things") == "E:pardo"
    sanz = only(quotes, "now and forever")
    assert sanz.speaker == "E:sanz" and sanz.speaker_text == "Carla Sanz"


@pytest.mark.parametrize(
    ("lang", "text", "name", "pronoun"),
    [
        (
            "en",
            "“They are wrong,” said Tara Stone.\n\nShe continued, “All we ask is a day in court.”",
            "Tara Stone",
            "She",
        ),
        (
            "fr",
            "Marie Dupont a pris la parole.\n\nElle a poursuivi : « Nous irons jusqu’au bout. »",
            "Marie Dupont",
            "Elle",
        ),
    ],
)
def test_a_verb_of_going_on_right_before_a_quotation_introduces_it(
    lang: str, text: str, name: str, pronoun: str
) -> None:
    quote = quotes_of(text, lang, {name: ("PER", "E:x")})[-1]
    assert quote.speaker == "E:x" and quote.speaker_text == pronoun


# ------------------------------------------------------------- a dateline is where, not who
@pytest.mark.parametrize(
    ("lang", "text", "place", "name"),
    [
        (
            "en",
            "Museum opens.\n\nWASHINGTON -- President Lane, opening the new museum on Saturday, "
            "said the building would tell a national story.",
            "WASHINGTON",
            "Lane",
        ),
        (
            "fr",
            "Un musée ouvre.\n\nPARIS (AFP) - Le maire Paul Lane a déclaré samedi que le musée racontait "
            "une histoire française.",
            "PARIS",
            "Paul Lane",
        ),
    ],
)
def test_a_dateline_place_is_never_the_speaker(lang: str, text: str, place: str, name: str) -> None:
    quotes = quotes_of(text, lang, {place: ("LOC", "E:place"), name: ("PER", "E:lane")})
    assert [q.speaker for q in quotes] == ["E:lane"]


@pytest.mark.parametrize(
    ("lang", "text", "signature"),
    [
        (
            "en",
            "Letters.\n\n“You are no leader, you are a bully.” ― Christina N Olmedo\n",
            "Christina N Olmedo",
        ),
        ("es", "Cartas.\n\n«No es un líder, es un matón.» ― Beatriz Pimentel.\n", "Beatriz Pimentel"),
    ],
)
def test_capitalised_words_alone_after_a_dash_sign_the_quotation(
    lang: str, text: str, signature: str
) -> None:
    """No mention covers the name (the recogniser missed it): the words still sign the quotation."""
    quote = only(quotes_of(text, lang, {}), "leader" if lang == "en" else "líder")
    assert quote.speaker_text == signature and quote.speaker is None
