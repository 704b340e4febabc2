"""Quotes that hold in every language, second session (issue 10): constructions added by grammar.

- a verb and the preposition it governs ("complained about X", "warnte vor X", "пожаловался на X"):
  the object is what was said, in every language, through fused articles too ("parlé des");
- a cue's complement before its quotation ("called the bridge “a gift”") is reported with it;
- a quotation takes the unquoted words of its sentence that its cue reports ("With the river
  rising, “…,” she said");
- a passive speech verb with its agent ("was announced by X"), where a parser gives the agent, and
  an impersonal one before its "that" ("it was announced that", "было объявлено, что"), with no speaker;
- a cue whose colon ends its line reports the paragraph below it;
- the writer: "I believe" is the writer's stance, "as we reported" attributes nothing;
- Slavic past-tense endings ("добавила", "dodała", "додала") pick a speaker of that gender;
- an infinitive after a dialogue dash ("– dodać –") goes on with the quoted words;
- quoted words inside a source phrase's sentence keep their own speaker;
- a participle before its noun ("a recording device"), a verb with a particle ("showed up") and a
  figure's bound ("said about 300 people") are read by their grammar.

Mentions are given by hand (as in `test_quotes`), so the rules are tested apart from the recogniser.
Every snippet is written for these tests.
"""

from __future__ import annotations

import pytest

from test_quotes import Names, only, quotes_of

PER = "PER"
NAMES: Names = {
    name: (PER, "E:x")
    for name in (
        "Jane Cole",
        "Paul Martin",
        "Ana Ruiz",
        "Marco Bianchi",
        "Anna Weber",
        "Иван Петров",
        "Иваном Петровым",
        "Андрій Мельник",
        "Jan Kowalski",
    )
}


@pytest.mark.parametrize(
    ("lang", "text", "content"),
    [
        (
            "en",
            "Mayor Jane Cole complained about the new parking rules in the city centre.",
            "the new parking",
        ),
        (
            "fr",
            "Le maire Paul Martin s'est plaint de la nouvelle réglementation du stationnement.",
            "la nouvelle",
        ),
        (
            "fr",
            "Le maire Paul Martin a parlé des nouvelles règles de stationnement au centre-ville.",
            "nouvelles",
        ),
        (
            "es",
            "La alcaldesa Ana Ruiz se quejó de las nuevas normas de aparcamiento en el centro.",
            "las nuevas",
        ),
        (
            "it",
            "Il sindaco Marco Bianchi si è lamentato delle nuove regole sul parcheggio in centro.",
            "nuove",
        ),
        (
            "de",
            "Bürgermeisterin Anna Weber warnte vor neuen Regeln für das Parken in der Innenstadt.",
            "neuen",
        ),
        ("ru", "Мэр Иван Петров пожаловался на новые правила парковки в центре города.", "новые правила"),
        ("uk", "Мер Андрій Мельник поскаржився на нові правила паркування в центрі міста.", "нові правила"),
        (
            "pl",
            "Burmistrz Jan Kowalski ostrzegł przed nowymi zasadami parkowania w centrum miasta.",
            "nowymi",
        ),
    ],
)
def test_the_object_of_a_governed_preposition_is_the_content(lang: str, text: str, content: str) -> None:
    quote = only(quotes_of(text, lang, NAMES), content)
    assert quote.text.startswith(content) and quote.speaker == "E:x" and not quote.direct


@pytest.mark.parametrize(
    ("lang", "text", "complement"),
    [
        ("en", "Jane Cole called the new bridge “a gift to the whole valley”.", "the new bridge “"),
        (
            "fr",
            "Paul Martin a qualifié le nouveau pont de « cadeau pour toute la vallée ».",
            "le nouveau pont de «",
        ),
        (
            "es",
            "Ana Ruiz calificó el nuevo puente de «un regalo para todo el valle».",
            "el nuevo puente de «",
        ),
        (
            "it",
            "Marco Bianchi ha definito il nuovo ponte «un regalo per tutta la valle».",
            "il nuovo ponte «",
        ),
        ("de", "Anna Weber nannte die neue Brücke „ein Geschenk für das ganze Tal“.", "die neue Brücke „"),
        ("ru", "Иван Петров назвал новый мост «подарком для всей долины».", "новый мост «"),
        ("uk", "Андрій Мельник назвав новий міст «подарунком для всієї долини».", "новий міст «"),
        ("pl", "Jan Kowalski nazwał nowy most „prezentem dla całej doliny”.", "nowy most „"),
    ],
)
def test_the_complement_before_a_quotation_is_reported_with_it(lang: str, text: str, complement: str) -> None:
    quotes = quotes_of(text, lang, NAMES)
    assert len(quotes) == 1
    assert quotes[0].text.startswith(complement) and quotes[0].speaker == "E:x" and not quotes[0].direct


@pytest.mark.parametrize(
    ("lang", "text", "lead", "quoted"),
    [
        (
            "en",
            "With the river rising again, “we cannot wait for another flood,” Jane Cole said.",
            "With",
            "we cannot",
        ),
        (
            "fr",
            "Avec la crue qui revient, « nous ne pouvons pas attendre une autre inondation », "
            "a déclaré Paul Martin.",
            "Avec",
            "nous ne pouvons",
        ),
        (
            "es",
            "Con el río creciendo otra vez, «no podemos esperar otra inundación», dijo Ana Ruiz.",
            "Con",
            "no podemos",
        ),
        (
            "it",
            "Con il fiume di nuovo in piena, «non possiamo aspettare un'altra alluvione», "
            "ha detto Marco Bianchi.",
            "Con",
            "non possiamo",
        ),
        (
            "de",
            "Mit dem steigenden Fluss „können wir nicht auf die nächste Flut warten“, sagte Anna Weber.",
            "Mit",
            "können wir",
        ),
        (
            "ru",
            "С новым подъёмом воды «мы не можем ждать следующего наводнения», — сказал Иван Петров.",
            "С",
            "мы не",
        ),
        (
            "uk",
            "З новим підйомом води «ми не можемо чекати на наступну повінь», — сказав Андрій Мельник.",
            "З",
            "ми не",
        ),
        (
            "pl",
            "Przy ponownym wzroście rzeki „nie możemy czekać na kolejną powódź” – powiedział Jan Kowalski.",
            "Przy",
            "nie",
        ),
    ],
)
def test_a_quotation_takes_the_unquoted_words_its_cue_reports(
    lang: str, text: str, lead: str, quoted: str
) -> None:
    quote = only(quotes_of(text, lang, NAMES), quoted)
    assert quote.text.startswith(lead) and quote.speaker == "E:x"


def test_the_quotation_keeps_its_speaker_when_he_opens_the_sentence() -> None:
    text = "Ayşe Demir, “Köprü mart ayında açılacak, vadi çok bekledi” dedi."
    quote = only(quotes_of(text, "tr", {"Ayşe Demir": (PER, "E:demir")}), "Köprü")
    assert quote.text.startswith("Köprü") and quote.speaker == "E:demir"


@pytest.mark.parametrize(
    ("lang", "text", "subject"),
    [
        (
            "en",
            "The closure of the bridge was announced by Jane Cole on Monday.",
            "The closure of the bridge",
        ),
        ("fr", "La fermeture du pont a été annoncée par Paul Martin lundi.", "La fermeture du pont"),
        ("ru", "Закрытие моста было объявлено Иваном Петровым в понедельник.", "Закрытие моста"),
    ],
)
def test_a_passive_cue_reports_its_subject_and_its_agent_speaks(lang: str, text: str, subject: str) -> None:
    quote = only(quotes_of(text, lang, NAMES), subject)
    assert quote.text == subject and quote.speaker == "E:x"


@pytest.mark.parametrize(
    ("lang", "text", "content"),
    [
        (
            "en",
            "Jane Cole added:\nThe valley has waited long enough for this bridge and it opens in March.",
            "The valley",
        ),
        (
            "fr",
            "Paul Martin a ajouté :\nLa vallée attend ce pont depuis trop longtemps et il ouvrira en mars.",
            "La vallée",
        ),
        ("es", "Ana Ruiz añadió:\nEl valle ha esperado demasiado este puente y abrirá en marzo.", "El valle"),
    ],
)
def test_a_cue_ending_its_line_with_a_colon_reports_the_paragraph_below(
    lang: str, text: str, content: str
) -> None:
    quote = only(quotes_of(text, lang, NAMES), content)
    assert quote.text.startswith(content) and quote.speaker == "E:x"


@pytest.mark.parametrize(
    ("lang", "text", "pronoun"),
    [
        ("en", "I believe that the valley has waited long enough for this bridge.", "I"),
        ("fr", "Je crois que la vallée a attendu ce pont bien trop longtemps.", "Je"),
        ("ru", "Я считаю, что долина слишком долго ждала этот мост.", "Я"),
    ],
)
def test_the_writer_taking_a_stance_is_a_speaker(lang: str, text: str, pronoun: str) -> None:
    quotes = quotes_of(text, lang, {})
    assert len(quotes) == 1 and quotes[0].speaker_text == pronoun and "долина" not in pronoun


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "As we reported on Monday, the valley has waited long enough for this bridge."),
        ("fr", "Comme nous l'avons écrit lundi, la vallée attend ce pont depuis trop longtemps."),
        ("de", "Wie wir am Montag berichteten, wartet das Tal schon zu lange auf diese Brücke."),
        ("ru", "Как мы писали в понедельник, долина слишком долго ждала этот мост."),
    ],
)
def test_the_outlet_pointing_to_its_own_reporting_attributes_nothing(lang: str, text: str) -> None:
    assert quotes_of(text, lang, {}) == []


@pytest.mark.parametrize(
    ("lang", "text", "names", "fragment", "speaker"),
    [
        (
            "ru",
            "Иван Петров выступил на брифинге, где была и Мария Соколова.\n"
            "«Прогресса мы не видим», — добавила.",
            {"Иван Петров": (PER, "E:petrov"), "Мария Соколова": (PER, "E:sokolova")},
            "Прогресса",
            "E:sokolova",
        ),
        (
            "ru",
            "Мария Соколова выступила на брифинге, где был и Иван Петров.\n"
            "«Прогресса мы не видим», — добавил.",
            {"Иван Петров": (PER, "E:petrov"), "Мария Соколова": (PER, "E:sokolova")},
            "Прогресса",
            "E:petrov",
        ),
        (
            "pl",
            "Jan Kowalski spotkał się w Sejmie z Anną Nowak, która skrytykowała projekt.\n"
            "„Ten projekt nie ma szans” – dodała.",
            {"Anną Nowak": (PER, "E:nowak"), "Jan Kowalski": (PER, "E:kowalski")},
            "Ten projekt",
            "E:nowak",
        ),
        (
            "uk",
            "Андрій Мельник зустрівся з Оленою Коваль, яка розкритикувала законопроєкт.\n"
            "«Цей проєкт не має шансів», — додала.",
            {"Оленою Коваль": (PER, "E:koval"), "Андрій Мельник": (PER, "E:melnyk")},
            "Цей проєкт",
            "E:koval",
        ),
    ],
)
def test_a_slavic_verb_ending_picks_the_speaker_of_its_gender(
    lang: str, text: str, names: Names, fragment: str, speaker: str
) -> None:
    assert only(quotes_of(text, lang, names), fragment).speaker == speaker


@pytest.mark.parametrize(
    ("lang", "text", "fragment", "name"),
    [
        (
            "pl",
            "- Musimy jeszcze - dodać - jedną rzecz o budżecie - powiedziała minister Anna Nowak.",
            "jedną rzecz",
            "Anna Nowak",
        ),
        (
            "ru",
            "— Хочу ещё — сказать — одну вещь о бюджете, — заявила министр Анна Смирнова.",
            "одну вещь",
            "Анна Смирнова",
        ),
        (
            "uk",
            "— Хочу ще — сказати — одну річ про бюджет, — заявила міністерка Анна Шевчук.",
            "одну річ",
            "Анна Шевчук",
        ),
    ],
)
def test_an_infinitive_after_a_dialogue_dash_goes_on_with_the_quoted_words(
    lang: str, text: str, fragment: str, name: str
) -> None:
    quote = only(quotes_of(text, lang, {name: (PER, "E:x")}), fragment)
    assert quote.direct and quote.speaker == "E:x" and quote.text.split()[0] in ("Musimy", "Хочу")


@pytest.mark.parametrize(
    ("lang", "text", "names", "fragment"),
    [
        (
            "fr",
            "Selon un communiqué de la mairie, "
            "Paul Martin a appelé le préfet à « rouvrir le pont sans attendre ».",
            {"Paul Martin": (PER, "E:x"), "mairie": ("ORG", "E:mairie")},
            "rouvrir le pont",
        ),
        (
            "en",
            "According to a statement from the council, "
            "Jane Cole urged the governor to “reopen the bridge at once”.",
            {"Jane Cole": (PER, "E:x"), "council": ("ORG", "E:council")},
            "reopen the bridge",
        ),
    ],
)
def test_quoted_words_inside_a_source_phrase_keep_their_own_speaker(
    lang: str, text: str, names: Names, fragment: str
) -> None:
    speakers = {q.speaker for q in quotes_of(text, lang, names) if fragment in q.text}
    assert "E:x" in speakers


def test_english_participles_particles_and_figures_are_read_by_their_grammar() -> None:
    text = "Engineers installed a recording device under the bridge, Jane Cole said."
    assert only(quotes_of(text, "en", NAMES), "Engineers").speaker == "E:x"  # "recording" is no cue
    assert quotes_of("Jane Cole showed up at the bridge with two engineers.", "en", NAMES) == []
    quote = only(quotes_of("Jane Cole said about 300 people had left the valley.", "en", NAMES), "300")
    assert quote.text.startswith("about 300") and quote.speaker == "E:x"


@pytest.mark.parametrize(
    ("lang", "text", "content"),
    [
        ("en", "It was announced that the bridge will open in March.", "the bridge will open in March"),
        ("fr", "Il a été annoncé que le pont ouvrira en mars.", "le pont ouvrira en mars"),
        ("it", "È stato annunciato che il ponte aprirà a marzo.", "il ponte aprirà a marzo"),
        ("es", "Fue anunciado que el puente abrirá en marzo.", "el puente abrirá en marzo"),
        ("de", "Es wurde angekündigt, dass die Brücke im März öffnet.", "die Brücke im März öffnet"),
        ("ru", "Было объявлено, что мост откроется в марте.", "мост откроется в марте"),
        ("uk", "Було оголошено, що міст відкриється в березні.", "міст відкриється в березні"),
        ("pl", "Zostało ogłoszone, że most zostanie otwarty w marcu.", "most zostanie otwarty w marcu"),
    ],
)
def test_an_impersonal_passive_reports_its_clause_with_no_speaker(lang: str, text: str, content: str) -> None:
    quotes = quotes_of(text, lang, {})
    assert [(q.text, q.speaker_span) for q in quotes] == [(content, None)]
