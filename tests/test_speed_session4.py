"""Performance-only paths of issue 14, session 4, give exactly what the plain computation gave.

Texts written for these tests, in English, French, Russian, German and Turkish."""

from __future__ import annotations

import re
from typing import Any

import pytest
import spacy

from newsgraph.claims.lexicon import Lexicon, first_character_guard
from newsgraph.claims.numbers import notation_for
from newsgraph.claims.rules import rules_for
from newsgraph.config import Settings
from newsgraph.ingest.dateline import _guard, _reader, body_dates
from newsgraph.language.detect import letter_count
from newsgraph.language.models import load_spacy
from newsgraph.language.ruler import indexed_rules, split_at_ruler
from newsgraph.language.syntax import run_pipeline
from newsgraph.limits import cut_tokens, long_tokens
from newsgraph.times import grammar as grammar_module
from newsgraph.times.grammar import first_characters, grammar_for

TEXTS = {
    "en": (
        "The finance ministers met in Brussels on Tuesday. Talks lasted until 3 a.m.; "
        'a spokesman said "no deal yet" and promised a statement by Friday, March 4.'
    ),
    "fr": (
        "Les ministres se sont réunis à Lyon mardi dernier. « Nous avançons », a déclaré la "
        "porte-parole, selon qui plus de 1 200 agriculteurs ont manifesté le 3 février 2024."
    ),
    "ru": (
        "Министры встретились в Казани во вторник. «Мы продолжим переговоры», — заявил "
        "представитель ведомства; по его словам, пострадали не менее 15 человек."
    ),
    "de": (
        "Die Außenminister trafen sich am Montag in Wien. Nach Angaben der Polizei wurden "
        "mindestens 40 Menschen festgenommen, teilte ein Sprecher am 12. März mit."
    ),
    "tr": (
        "Dışişleri bakanları salı günü Ankara'da bir araya geldi. Sözcü, görüşmelerin "
        "8 Mart 2024 Cuma günü süreceğini açıkladı."
    ),
}

_RUN = re.compile(r"\S+")


def plain_long_tokens(text: str, max_chars: int) -> list[tuple[int, int]]:
    """What `long_tokens` computed before: every run of non-space characters, filtered by length."""
    if max_chars <= 0 or len(text) <= max_chars:
        return []
    return [m.span() for m in _RUN.finditer(text) if m.end() - m.start() > max_chars]


def odd_texts() -> list[str]:
    """The texts with long glued runs, odd spaces (no-break, em space, tabs, line breaks) and edges."""
    glued = "x" * 30
    out = []
    for text in TEXTS.values():
        out += [
            text,
            glued + " " + text,
            text + "\u00a0" + glued,
            text.replace(" ", "\u2003"),
            text.replace(" ", "\t\n"),
            text.replace(" ", ""),
            " " + glued + "\n",
        ]
    return out


@pytest.mark.parametrize("max_chars", [0, 1, 3, 7, 12, 29, 30, 31, 500])
def test_long_tokens_equal_the_filtered_runs(max_chars: int) -> None:
    for text in odd_texts():
        assert long_tokens(text, max_chars) == plain_long_tokens(text, max_chars)


def test_long_tokens_found_where_they_are() -> None:
    text = "ab " + "y" * 12 + " cd"
    assert long_tokens(text, 10) == [(3, 15)]
    assert cut_tokens(text, 10) == "ab " + "y" * 10 + "   cd"


# ---------------------------------------------------------------------------- attribute ruler

SENTENCES = {
    "en": [
        "The foreign ministers didn't agree on Tuesday; talks resume in Geneva next week.",
        '"We won\'t accept these terms," the spokeswoman said, adding that 1,200 people had left.',
        "Mr. O'Neil's  office — closed since 2019 — reopened at 9 a.m.\n after repairs.",
        "Can't they wait? Yes: they can, and they will.",
    ],
    "fr": [
        "Les ministres n'ont pas trouvé d'accord mardi ; les discussions reprendront à Genève.",
        "« Nous n'accepterons pas ces conditions », a déclaré la porte-parole,\n  selon l'agence.",
        "Au moins 1 200 personnes ont quitté la ville depuis le 3 février 2024.",
    ],
    # text in other languages reaches these pipelines too (quotes, names, mixed pages)
    "de": ["Die Außenminister trafen sich am Montag in Wien, teilte ein Sprecher mit."],
    "ru": ["Министры встретились в Казани во вторник, сообщил представитель ведомства."],
}


def token_annotations(docs: list[Any]) -> list[list[tuple[str, str, str, str, str, int]]]:
    return [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc] for doc in docs]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_indexed_ruler_gives_the_pipeline_annotations(lang: str) -> None:
    nlp = load_spacy(Settings().models[lang].removeprefix("spacy:"))
    texts = [s for sentences in SENTENCES.values() for s in sentences] + ["", "   "]
    assert split_at_ruler(nlp, ["ner"]) is not None  # the fast path is the one taken
    plain = list(nlp.pipe(texts, disable=["ner"]))
    fast = list(run_pipeline(nlp, texts, ["ner"]))
    assert token_annotations(fast) == token_annotations(plain)


def blank_with_rules(patterns: list[dict[str, Any]], then: str | None = None) -> Any:
    """A blank English pipeline whose attribute ruler holds `patterns` (and `then` after it)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    if then:
        nlp.add_pipe(then)
    return nlp


RULES: list[dict[str, Any]] = [
    {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"POS": "PUNCT", "TAG": "P"}},
    {"patterns": [[{"LOWER": "talks"}]], "attrs": {"POS": "NOUN", "LEMMA": "talk", "MORPH": "Number=Plur"}},
    {"patterns": [[{"LOWER": {"IN": ["will", "would", "can"]}}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n[o']t?$"}}]], "attrs": {"POS": "PART", "LEMMA": "not"}},
    {"patterns": [[{"ORTH": "New"}, {"ORTH": "York"}]], "attrs": {"POS": "PROPN"}, "index": 1},
    {"patterns": [[{"LOWER": "next"}, {"LOWER": "week"}]], "attrs": {"TAG": "NW"}, "index": -2},
    {"patterns": [[{"TEXT": "York"}], [{"LOWER": "geneva"}]], "attrs": {"LEMMA": "CITY"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"LOWER": {"NOT_IN": ["the", "a", "in", ""]}, "IS_ALPHA": True}]], "attrs": {"TAG": "W"}},
    # a later rule wins over an earlier one on the same token
    {"patterns": [[{"LOWER": "talks"}]], "attrs": {"POS": "VERB"}},
]


def test_indexed_ruler_equals_the_matcher_on_every_kind_of_rule() -> None:
    nlp = blank_with_rules(RULES)
    ruler = nlp.get_pipe("attribute_ruler")
    rules = indexed_rules(ruler)
    assert rules is not None
    texts = [
        "The talks in New York will resume next week, not in Geneva.",
        "New  York? New\nYork! talks TALKS n't no not",
        "York",
        "",
    ]
    for text in texts:
        plain, fast = ruler(nlp.make_doc(text)), rules(nlp.make_doc(text))
        assert token_annotations([fast]) == token_annotations([plain])
    doc = rules(nlp.make_doc("The talks in New York will resume next week."))
    assert [t.pos_ for t in doc][1] == "VERB"  # the later rule
    assert doc[4].pos_ == "PROPN" and doc[4].lemma_ == "CITY"
    assert doc[7].tag_ == "W"  # "next week" gave NW, the IS_ALPHA rule after it W


def test_rules_the_index_does_not_read_leave_the_pipeline_as_shipped() -> None:
    with_operator = [{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}]
    nlp = blank_with_rules(with_operator)
    assert indexed_rules(nlp.get_pipe("attribute_ruler")) is None
    assert split_at_ruler(nlp, []) is None
    text = ["It was very very cold."]
    assert token_annotations(list(run_pipeline(nlp, text, []))) == token_annotations(list(nlp.pipe(text)))
    # a trained component after the ruler: run in the pipe's batches, as shipped
    assert split_at_ruler(blank_with_rules(RULES, then="tagger"), []) is None
    assert split_at_ruler(blank_with_rules(RULES), ["attribute_ruler"]) is None


# ---------------------------------------------------------------------------- first-character guards

NUMBERS = {
    "en": "Officials said more than 1,200 people fled and at least 15 were killed; about $3.5 billion.",
    "fr": "Au moins 1 200 personnes ont fui, près de 15 ont été tuées ; environ 3,5 milliards d'euros.",
    "ru": "По меньшей мере 1200 человек бежали, не менее 15 погибли; около 3,5 млрд рублей.",
    "de": "Mindestens 1.200 Menschen flohen, rund 15 wurden getötet; etwa 3,5 Mrd. Euro.",
    "tr": "En az 1.200 kişi kaçtı, yaklaşık 15 kişi öldü; 3,5 milyar dolar.",
}


def claims_lexicons(lang: str) -> list[Lexicon[object]]:
    """Every lexicon of the claims rules and of the number notation of `lang`."""
    found = [*vars(rules_for(lang)).values(), *vars(notation_for(lang)).values()]
    return [x for x in found if isinstance(x, Lexicon)]


@pytest.mark.parametrize("lang", sorted(NUMBERS))
def test_match_before_equals_the_unguarded_search(lang: str) -> None:
    text = NUMBERS[lang] + " " + TEXTS.get(lang, "") + " ’’ 'Tués' DÉPLACÉS\u00a0ПОГИБЛИ, 7-й, İstanbul 5"
    hits = 0
    for lexicon in claims_lexicons(lang):
        unguarded = re.compile(rf"(?:{lexicon._any.pattern})\s*\Z", re.IGNORECASE)
        assert lexicon._ending.pattern != unguarded.pattern
        for pos in range(len(text) + 1):
            for reach in (8, 30, 60):
                plain = unguarded.search(text, max(0, pos - reach), pos)
                found = lexicon.match_before(text, pos, reach)
                assert found == (lexicon._hit(plain) if plain else None), (lang, pos, reach)
                hits += found is not None
    assert hits > 0


def test_guard_of_no_phrase_never_holds() -> None:
    assert first_character_guard([]) == "(?=(?!))"
    assert Lexicon({}).match_before("at least 5", 9) is None


@pytest.mark.parametrize("lang", [*sorted(NUMBERS), "ar", "uk", "pl"])
def test_guard_classes_match_what_their_literals_match_ignoring_case(lang: str) -> None:
    """The guards put the phrases' (and month names') first characters in one class: under IGNORECASE
    a class must match exactly the characters each literal matches (special case folds included),
    checked over every code point."""
    firsts = {p.split()[0][:1] for lex in claims_lexicons(lang) for p in lex._phrases}
    firsts |= {name[:1] for name in _reader(lang).months}
    firsts.discard("")
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    one_class = re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]", re.IGNORECASE)
    by_class = {m.start() for m in one_class.finditer(everything)}
    by_literals: set[int] = set()
    for c in firsts:
        by_literals |= {m.start() for m in re.compile(re.escape(c), re.IGNORECASE).finditer(everything)}
    assert by_class == by_literals


DATED = [
    "Paris, le 3 février 2024 à 15h30 — Mis à jour le 04/02/2024",
    "Published March 4, 2024 10:15 a.m. ET | Updated 2024-03-05T08:00",
    "17:206/05/2022, vendredi MAJ: 6/05/2022 ; 12 mars, 9 h 45",
    "Опубликовано 2 ноября 2023, 14:05; обновлено 03.11.2023",
    "8 Mart 2024 Cuma 09:15 · Am 12. März 2024 um 10.30 Uhr · 7 déc. 2023",
    "sans date: Marseille, Septembre, 31/11/2023, 1999-12-31, 2024年3月5日",
]


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "de", "tr", "es", "ar", None])
def test_date_guard_changes_no_match(lang: str | None) -> None:
    reader = _reader(lang)
    unguarded = re.compile(reader.date.pattern.removeprefix(_guard(reader.months)), re.IGNORECASE)
    assert unguarded.pattern != reader.date.pattern
    for text in [*DATED, *TEXTS.values(), *NUMBERS.values()]:
        assert [m.groupdict() | {"": m.span()} for m in reader.date.finditer(text)] == [
            m.groupdict() | {"": m.span()} for m in unguarded.finditer(text)
        ]
    assert body_dates(DATED[0], "fr") == [((10, 32), "2024-02-03"), ((49, 59), "2024-02-04")]


def test_letter_count_counts_each_letter_once() -> None:
    letter = re.compile(r"[^\W\d_]")
    samples = [*TEXTS.values(), *NUMBERS.values(), "", "12:30", "l'État_2024 ½ ² Ⅻ", "ت ح ق ق 12", "x" * 50]
    for text in samples:
        assert letter_count(text) == len(letter.findall(text))


# ---------------------------------------------------------------------------- time templates

TIMES = {
    "en": "On Tuesday, March 4, 2024, at 10 a.m., three weeks ago, the first quarter, last May, 2023.",
    "fr": "Mardi 3 février 2024 à 15 h, il y a trois semaines, le mois dernier, fin 2023, en mai.",
    "ru": "Во вторник, 2 ноября 2023 года, в 14:05, три недели назад, в прошлом месяце, в мае.",
    "de": "Am Montag, dem 12. März 2024, um 10.30 Uhr, vor drei Wochen, Ende 2023, im Mai.",
    "tr": "8 Mart 2024 Cuma günü saat 09.15'te, üç hafta önce, geçen ay, 2023 sonunda.",
    "es": "El lunes 4 de marzo de 2024, hace tres semanas, el mes pasado, a finales de 2023.",
}


@pytest.mark.parametrize("lang", sorted(TIMES))
def test_guarded_alternation_finds_the_places_of_the_plain_one(lang: str, monkeypatch: Any) -> None:
    guarded = grammar_for(lang).any_template
    with monkeypatch.context() as patch:
        patch.setattr(grammar_module, "_guarded", lambda body: f"(?:{body})")
        plain = grammar_for.__wrapped__(lang).any_template  # type: ignore[attr-defined]
    assert "(?:(?=[" in guarded.pattern and "(?:(?=[" not in plain.pattern
    samples = [*TIMES.values(), *TEXTS.values(), *NUMBERS.values(), *DATED]
    for text in samples:
        assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for pos in range(len(text) + 1):
            assert (guarded.match(text, pos) is None) == (plain.match(text, pos) is None), (text, pos)


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        ("abc", "a"),
        ("(?:the\\s+)?(?:\\d+|one)", "\\dot"),
        ("(?<![$€])\\b(?=\\d\\d)[12]\\d{3}", "12"),
        ("(?-i:May)|june", "Mj"),
        ("x*y+", "xy"),
        ("[а-яё]+|[A-Z]", "A-Zа-яё"),
    ],
)
def test_first_characters_of_a_pattern(pattern: str, first: str) -> None:
    assert first_characters(pattern) == first


@pytest.mark.parametrize(
    "pattern", ["a*", "(?:x)?", "[^a]b", ".b", "(a)?\\1b", "", "(?=a)", "\\b", "(unclosed"]
)
def test_first_characters_unknown_when_a_match_may_start_anywhere_or_be_empty(pattern: str) -> None:
    assert first_characters(pattern) is None


@pytest.mark.parametrize("lang", sorted(TIMES))
def test_time_guard_literals_match_what_the_template_literals_match(lang: str) -> None:
    """The guards hold the templates' first literals in one class (compiled IGNORECASE like the
    templates): the class must match exactly what each literal matches, over every code point."""
    pieces = re.findall(r"\(\?:\(\?=\[((?:\\.|[^\]])*)\]\)", grammar_for(lang).any_template.pattern)
    literals = {c for piece in pieces for c in re.sub(r"\\[dDsSwW]|.-.|\\", "", piece)}
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    one_class = re.compile("[" + "".join(re.escape(c) for c in sorted(literals)) + "]", re.IGNORECASE)
    by_literals: set[int] = set()
    for c in literals:
        by_literals |= {m.start() for m in re.compile(re.escape(c), re.IGNORECASE).finditer(everything)}
    assert {m.start() for m in one_class.finditer(everything)} == by_literals
