"""The cue phrases indexed by first word (issue 14, hot spots): the indexed matcher finds exactly the
cues that trying every phrase at every token found, in several languages, and the index offers the
phrases a token can start through a fused article ("du" -> "de") or a word split over tokens.

Every snippet is written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.language.syntax import analyse, body_spans
from newsgraph.quotes import cues
from newsgraph.quotes.context import Context
from newsgraph.quotes.dialogue import dialogue_quoted, merge
from newsgraph.quotes.lexicon import quote_lexicon
from newsgraph.quotes.marks import find_quoted
from newsgraph.quotes.phrase_index import FirstWordIndex
from test_quotes import SETTINGS, Names, document

NAMES: Names = {
    name: ("PER", "E:x")
    for name in ("Jane Cole", "Paul Martin", "Marco Bianchi", "Anna Weber", "Иван Петров", "Ana Ruiz")
}

TEXTS = [
    (
        "en",
        "Mayor Jane Cole pointed out that the bridge was closed. According to Jane Cole, repairs will"
        " take a year. “We are ready,” she said, and she warned about the cost of the delays.",
    ),
    (
        "fr",
        "Selon Paul Martin, le pont restera fermé. D'après Paul Martin, les travaux dureront un an."
        " Le maire a fait savoir qu'il a parlé des travaux avec les habitants, a-t-il ajouté.",
    ),
    (
        "it",
        "Secondo Marco Bianchi, il ponte resterà chiuso. Il sindaco ha fatto sapere che i lavori"
        " dureranno un anno, e ha parlato dei costi con i residenti.",
    ),
    (
        "de",
        "Laut Anna Weber bleibt die Brücke geschlossen. Die Arbeiten dauern Anna Weber zufolge ein"
        " Jahr. „Wir sind bereit“, sagte sie und warnte vor den Kosten.",
    ),
    (
        "ru",
        "По словам Иван Петров, мост останется закрытым. Иван Петров заявил, что ремонт займёт год."
        " «Мы готовы», — добавил он.",
    ),
    (
        "es",
        "Según Ana Ruiz, el puente seguirá cerrado. Ana Ruiz dijo que las obras durarán un año.",
    ),
]


def context(text: str, lang: str) -> Context:
    """The quotes stage's view of a written document (mentions given by hand)."""
    doc = document(text, lang, NAMES)
    analysis = analyse(doc, SETTINGS)
    lex = quote_lexicon(doc.lang)
    regions = body_spans(doc)
    quoted, _ = find_quoted(doc.text, regions, lex)
    outer = merge([q for q in quoted if q.depth == 0], dialogue_quoted(doc.text, regions, analysis, lex))
    return Context(doc, analysis, lex, outer)


def every_phrase(ctx: Context, i: int, index: FirstWordIndex) -> tuple[int, ...]:
    """The plain scan: every phrase of the index, in lexicon order, at every token."""
    return tuple(sorted({*index.always, *(p for found in index.by_first.values() for p in found)}))


@pytest.mark.parametrize(("lang", "text"), TEXTS)
def test_indexed_cues_are_the_cues_of_the_plain_scan(
    lang: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = context(text, lang)
    indexed = cues.find_cues(ctx)
    monkeypatch.setattr(cues, "_candidates", every_phrase)
    plain = cues.find_cues(ctx)
    assert indexed == plain
    assert any(cue.source for cue in indexed)  # a source phrase, found through the index


@pytest.mark.parametrize(("lang", "text"), [t for t in TEXTS if t[0] in ("en", "fr", "it")])
def test_multiword_phrases_are_found_through_the_index(lang: str, text: str) -> None:
    ctx = context(text, lang)
    spans = [ctx.doc.text[ctx.tokens[c.first].start : ctx.tokens[c.last].end] for c in cues.find_cues(ctx)]
    assert any(" " in span for span in spans), spans


def test_index_offers_phrases_by_form_contraction_and_split_word() -> None:
    index = FirstWordIndex.of(["selon", "d'après", "de", "faire", "D’après", None], {"des": "de"})
    # a form: the phrases of that first word, and the phrase with no word
    assert index.candidates(("selon",), "Selon") == (0, 5)
    # a fused article: "des" stands for "de"
    assert index.candidates(("des",), "des") == (2, 5)
    # "d'" begins "d'après", which the model may split into "d'" and "après" (typographic apostrophe too)
    assert index.candidates(("d’",), "D’") == (1, 4, 5)
    # nothing else: "fait" begins no listed word; asked again, the same answer (remembered)
    assert index.candidates(("faire", "fait"), "fait") == (3, 5)
    assert index.candidates(("faire", "fait"), "fait") == (3, 5)
