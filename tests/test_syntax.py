"""The shared linguistic analysis (newsgraph.language.syntax) and the model loaders."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.language.models import ModelNotInstalled, load_spacy, natasha_tools
from newsgraph.language.syntax import LIGHT, Analysis, Token, analyse, make_syntax
from newsgraph.model import Boilerplate, Document, Span
from newsgraph.pipeline.components import factories

SETTINGS = Settings()


def document(text: str, lang: str, boilerplate_end: int = 0, sentences: list[Span] | None = None) -> Document:
    """A document whose first `boilerplate_end` characters are boilerplate and the rest body."""
    doc = Document("t", text, lang=lang, sentences=sentences or [])
    if boilerplate_end:
        doc.boilerplate = [Boilerplate(0, boilerplate_end, "share")]
        doc.body = [(boilerplate_end, len(text))]
    return doc


def only(analysis: Analysis, text: str) -> Token:
    found = [t for t in analysis.tokens if t.text == text]
    assert len(found) == 1, found
    return found[0]


def subjects(analysis: Analysis, verb: str) -> list[str]:
    return [t.text for t in analysis.children(only(analysis, verb).i) if t.dep.split(":")[0] == "nsubj"]


def assert_offsets_valid(doc: Document, analysis: Analysis) -> None:
    for token in analysis.tokens:
        assert doc.text[token.start : token.end] == token.text
        start, end = analysis.sentences[token.sent]
        assert start <= token.start and token.end <= end
        assert analysis.tokens[token.head].sent == token.sent
    for entity in analysis.entities:
        assert 0 <= entity.start < entity.end <= len(doc.text)
        assert doc.text[entity.start : entity.end].strip() == doc.text[entity.start : entity.end]
    assert [t.i for t in analysis.tokens] == list(range(len(analysis.tokens)))


FR_HEADER = "Partager sur X | Imprimer l'article\nPhoto : Jean Dupuis / AFP\n\n"
FR_BODY = (
    "Le ministre a déclaré que les négociations reprendraient lundi à Genève. "
    "Il a rencontré son homologue allemand à Berlin."
)


@pytest.fixture(scope="module")
def french() -> tuple[Document, Analysis]:
    doc = document(FR_HEADER + FR_BODY, "fr", boilerplate_end=len(FR_HEADER))
    return doc, analyse(doc, SETTINGS)


@pytest.mark.slow
def test_french_body_after_boilerplate(french: tuple[Document, Analysis]) -> None:
    doc, analysis = french
    assert analysis.model == "spacy:fr_core_news_md"
    assert_offsets_valid(doc, analysis)
    assert analysis.tokens[0].start == len(FR_HEADER)  # nothing of the header is parsed
    assert all(e.start >= len(FR_HEADER) for e in analysis.entities)  # "Jean Dupuis" is a photo credit
    assert len(analysis.sentences) == 2
    assert subjects(analysis, "déclaré") == ["ministre"]
    assert only(analysis, "déclaré").lemma == "déclarer"
    assert any(doc.text[e.start : e.end] == "Genève" and e.label == "LOC" for e in analysis.entities)


@pytest.mark.slow
def test_helpers(french: tuple[Document, Analysis]) -> None:
    doc, analysis = french
    minister = only(analysis, "ministre")
    assert doc.text[slice(*analysis.subtree_span(minister.i))] == "Le ministre"
    assert analysis.token_at(minister.start + 3) == minister
    assert analysis.token_at(minister.end) is None  # the space after it
    assert analysis.token_at(0) is None  # boilerplate
    second = len(FR_HEADER) + FR_BODY.index("Il a rencontré")
    assert analysis.sentence_of(second) == 1
    assert analysis.sentence_of(2) is None
    said_that = doc.text.index("que les")
    assert [t.text for t in analysis.tokens_in((said_that + 1, said_that + 8))] == ["que", "les"]
    root = only(analysis, "déclaré")
    assert root.dep == "root" and root.head == root.i
    assert doc.text[slice(*analysis.subtree_span(root.i))] == FR_BODY.split(" Il a")[0]


@pytest.mark.slow
def test_english_speaker_and_prepositions_as_ud() -> None:
    text = "Miller said the ceasefire would hold. Later he met with Herzog in Jerusalem."
    doc = document(text, "en")
    analysis = analyse(doc, SETTINGS)
    assert_offsets_valid(doc, analysis)
    assert subjects(analysis, "said") == ["Miller"]
    assert only(analysis, "said").lemma == "say"
    herzog, met = only(analysis, "Herzog"), only(analysis, "met")
    assert (herzog.dep, herzog.head) == ("obl", met.i)  # ClearNLP's prep/pobj converted to UD
    assert [(t.text, t.dep) for t in analysis.children(herzog.i)] == [("with", "case")]
    assert any(e.label == "PERSON" and doc.text[e.start : e.end] == "Miller" for e in analysis.entities)


@pytest.mark.slow
def test_russian_with_natasha() -> None:
    header = "Фото: Иван Петров\n\n"
    body = "Блинкен заявил, что переговоры продолжатся. Встреча с Блинкена прошла в Москве."
    doc = document(
        header + body,
        "ru",
        boilerplate_end=len(header),
        sentences=[(len(header), len(header) + 43), (len(header) + 44, len(header + body))],
    )
    analysis = analyse(doc, SETTINGS)
    assert analysis.model == "natasha"
    assert analysis.sentences == doc.sentences
    assert_offsets_valid(doc, analysis)
    assert {t.sent for t in analysis.tokens} == {0, 1}
    assert subjects(analysis, "заявил") == ["Блинкен"]
    blinken = only(analysis, "Блинкена")
    assert blinken.lemma == "блинкен"
    assert blinken.morph["Case"] == "Gen"
    names = {(doc.text[e.start : e.end], e.label, e.normal) for e in analysis.entities}
    assert ("Блинкена", "PER", "Блинкен") in names and ("Москве", "LOC", "Москва") in names
    assert all(e.start >= len(header) for e in analysis.entities)  # the photo credit is not read


@pytest.mark.slow
def test_given_sentences_are_kept_even_where_the_model_would_cut_otherwise() -> None:
    text = "Le président est arrivé. Il pleuvait sur Lyon."
    doc = document(text, "fr", sentences=[(0, len(text))])
    analysis = analyse(doc, SETTINGS)
    assert analysis.sentences == [(0, len(text))]
    assert {t.sent for t in analysis.tokens} == {0}


@pytest.mark.slow
def test_parsed_once_and_models_loaded_once(french: tuple[Document, Analysis]) -> None:
    doc, analysis = french
    assert analyse(doc, SETTINGS) is analysis
    assert doc.cache["analysis"] is analysis
    misses = load_spacy.cache_info().misses
    analyse(document("Le gouvernement a démissionné.", "fr"), SETTINGS)
    assert load_spacy.cache_info().misses == misses
    assert load_spacy("fr_core_news_md") is load_spacy("fr_core_news_md")
    assert natasha_tools() is natasha_tools()


@pytest.mark.slow
def test_spacy_keeps_what_analysis_needs() -> None:
    nlp = load_spacy("fr_core_news_md")
    needed = {"tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner"}
    assert needed <= set(nlp.pipe_names)
    assert "senter" not in nlp.pipe_names


@pytest.mark.parametrize(
    ("lang", "text", "word", "lemma"),
    [
        ("de", "Die Häuser der Stadt wurden 2021 renoviert.", "Häuser", "Haus"),
        ("uk", "Зеленський зустрівся з прем'єром. Про це повідомив його офіс.", "офіс", "офіс"),
        ("uk", "Делегація прибула до Києва.", "Києва", "Київ"),
    ],
)
def test_light_analysis(lang: str, text: str, word: str, lemma: str) -> None:
    doc = document(text, lang)
    analysis = analyse(doc, SETTINGS)
    assert analysis.model == LIGHT
    assert_offsets_valid(doc, analysis)
    assert only(analysis, word).lemma == lemma
    assert all(t.dep == "" and t.head == t.i for t in analysis.tokens)
    assert analysis.entities == []
    assert analysis.tokens[-1].pos == "PUNCT"


def test_light_tokens_keep_words_whole() -> None:
    analysis = analyse(document("Прем'єр-міністр прибув о 10.30, а не о 9.", "uk"), SETTINGS)
    assert [t.text for t in analysis.tokens][:4] == ["Прем'єр-міністр", "прибув", "о", "10.30"]
    assert only(analysis, "10.30").pos == "NUM"
    assert [t.sent for t in analysis.tokens] == [0] * len(analysis.tokens)


def test_language_unknown_to_simplemma_and_no_language() -> None:
    for lang in ("zh", None):
        doc = Document("t", "Beijing Talks Resume.", lang=lang)
        assert [t.lemma for t in analyse(doc, SETTINGS).tokens] == ["beijing", "talks", "resume", "."]


def test_empty_document() -> None:
    for text in ("", "   \n\n  "):
        analysis = analyse(Document("e", text, lang="fr"), SETTINGS)
        assert (analysis.tokens, analysis.sentences, analysis.entities) == ([], [], [])
        assert analysis.token_at(0) is None and analysis.sentence_of(0) is None


def test_stage_is_registered_and_fills_the_cache() -> None:
    assert factories()["syntax"] is make_syntax
    doc = make_syntax(SETTINGS)(document("Ein kurzer Satz.", "de"))
    assert isinstance(doc.cache["analysis"], Analysis)
    assert "cache" not in doc.to_record()


def test_configuration_errors() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        analyse(document("Un texte.", "fr"), Settings(models={"fr": "stanza:fr"}))
    with pytest.raises(ModelNotInstalled, match="not installed"):
        analyse(document("Un texte.", "fr"), Settings(models={"fr": "spacy:fr_no_such_pipeline"}))


def test_a_head_cycle_from_a_model_is_broken_so_tree_walks_end() -> None:
    from newsgraph.language.syntax import Analysis, Token

    def token(i: int, head: int) -> Token:
        return Token(i, 2 * i, 2 * i + 1, "w", "w", "NOUN", "nmod", head, {}, 0)

    # 0 -> 1 -> 2 -> 0 is a cycle; 3 hangs from it
    analysis = Analysis([token(0, 1), token(1, 2), token(2, 0), token(3, 1)], [(0, 8)], [], "test")
    roots = [t.i for t in analysis.tokens if t.head == t.i]
    assert len(roots) == 1
    assert analysis.subtree_span(roots[0]) == (0, 7)
