"""The Russian analysis computed with less copying gives what natasha's own calls give, bit for bit:
slovnet's convolution and quantised embedding (`language.slovnet_layers`), the taggers' ids read
without markup records (`language.syntax.tag_morphology`, `parse_dependencies`), the names tagger
against natasha's NER as it ships. A language without natasha never loads it.

The sentences are ours (facts about real events, our words)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from natasha import Doc, NewsMorphTagger, NewsSyntaxParser
from slovnet.conll import parse_conll_tag
from slovnet.exec.model import Conv1d, NavecEmbedding, Weight

from newsgraph.language import syntax
from newsgraph.language.models import NatashaTools, natasha_tools
from newsgraph.language.slovnet_layers import FlatNavec, PaddedConv1d, accelerated
from newsgraph.language.syntax import _GivenSentences, only_sentences, parse_natasha, tag_table
from newsgraph.model import Span

RUSSIAN = (
    "Саммит в Хельсинки\n\n"
    "Президенты России и Финляндии Владимир Путин и Саули Ниинистё провели переговоры в Хельсинки. "
    "Встреча прошла за закрытыми дверями, сообщила пресс-служба Кремля.\n\n"
    "«Мы обсудили безопасность на Балтике», — сказал Ниинистё журналистам после встречи.\n\n"
    "Министерство иностранных дел Финляндии заявило, что следующий раунд консультаций пройдёт осенью "
    "в Москве, а представители Европейской комиссии получат доклад о переговорах до конца месяца.\n\n"
    "По данным агентства Reuters, стороны договорились о продлении соглашения на 5 лет (до 2030-го).\n\n"
    "Да."
)
PARAGRAPHS = [
    "Сергей Шойгу прибыл в Пекин.",
    "Глава МИД КНР Ван И принял делегацию Государственной думы, возглавляемую Вячеславом Володиным, "
    "и пообещал, что Пекин продолжит закупать российскую нефть, газ, уголь и зерно в прежних объёмах.",
    "!!!",
    "СИЗО-6 ёлка McDonald's 2011-2020 …",
]


def sentences_of(text: str) -> list[Span]:
    """Sentences as natasha's own segmenter finds them (any split will do: both sides read the same)."""
    doc: Any = Doc(text)
    doc.segment(natasha_tools().segmenter)
    return [(s.start, s.stop) for s in doc.sents]


def stock_tools() -> NatashaTools:
    """The models as natasha ships them, sharing the process's embedding."""
    tools = natasha_tools()
    return replace(
        tools,
        morph_tagger=NewsMorphTagger(tools.embedding),
        syntax_parser=NewsSyntaxParser(tools.embedding),
        names_tagger=tools.ner_tagger,
    )


# ------------------------------------------------------------------------------ layers
def conv(filters: int, channels: int, kernel: int, padding: int, seed: int) -> Conv1d:
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal((filters, channels, kernel)).astype(np.float32)
    bias = rng.standard_normal(filters).astype(np.float32)
    return Conv1d(Weight(weight.shape, "float32", weight), Weight(bias.shape, "float32", bias), padding)


@pytest.mark.parametrize(
    ("kernel", "padding", "batch", "length"),
    [
        (3, 1, 1, 1),
        (3, 1, 3, 7),
        (3, 1, 8, 40),
        (3, 1, 2, 1),
        (5, 2, 1, 1),
        (5, 2, 4, 12),
        (1, 0, 3, 7),
        (3, 0, 2, 3),
    ],
)
def test_padded_convolution_is_slovnets_bit_for_bit(
    kernel: int, padding: int, batch: int, length: int
) -> None:
    layer = conv(16, 6, kernel, padding, seed=kernel * 100 + batch)
    ours = PaddedConv1d(layer.weight, layer.bias, layer.padding)
    x = np.random.default_rng(length).standard_normal((batch, 6, length)).astype(np.float32)
    expected, got = layer(x), ours(x)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert np.array_equal(got, expected)
    strided = np.ascontiguousarray(np.swapaxes(x, 1, 2)).swapaxes(1, 2)  # the layout a previous layer gives
    assert np.array_equal(ours(strided), layer(strided))


@pytest.mark.slow
def test_flat_navec_gathers_natashas_vectors() -> None:
    word = natasha_tools().morph_tagger.infer.model.emb.word
    assert isinstance(word, FlatNavec)
    plain = NavecEmbedding(word.id, word.indexes, word.codes)
    rows = word.indexes.array.shape[0]
    ids = np.array([[0, 1, rows - 1, 17, 17], [rows - 2, 5, 0, 0, 0]])
    ids = np.concatenate([ids, np.random.default_rng(1).integers(0, rows, size=(6, 5))])
    assert np.array_equal(word(ids), plain(ids)) and word(ids).dtype == plain(ids).dtype
    assert np.array_equal(word(ids[:1, :1]), plain(ids[:1, :1]))


@pytest.mark.slow
def test_accelerated_tree_shares_the_weights_and_leaves_the_original() -> None:
    original = stock_tools().morph_tagger.infer.model
    copy = accelerated(original)
    assert [type(layer.conv) for layer in copy.encoder.layers] == [PaddedConv1d] * len(
        original.encoder.layers
    )
    assert all(type(layer.conv) is Conv1d for layer in original.encoder.layers)
    assert type(original.emb.word) is NavecEmbedding and type(copy.emb.word) is FlatNavec
    for ours, theirs in zip(copy.encoder.layers, original.encoder.layers, strict=True):
        assert ours.conv.weight.array is theirs.conv.weight.array and ours.norm is not None
    assert copy.head.proj.weight.array is original.head.proj.weight.array


@pytest.mark.slow
def test_morphology_tags_are_the_tag_strings_parsed() -> None:
    vocab = natasha_tools().morph_tagger.infer.decoder.tags_vocab
    table = tag_table(vocab)
    assert table == [parse_conll_tag(tag) for tag in vocab.items]
    assert tag_table(vocab) is table  # once per vocabulary


# ------------------------------------------------------------------------------ models
@pytest.mark.slow
@pytest.mark.parametrize("text", [RUSSIAN, "\n\n".join(PARAGRAPHS)])
def test_taggers_give_natashas_markup(text: str) -> None:
    """Morphology and syntax through `tag_morphology` / `parse_dependencies` with our models, against
    natasha's `Doc.tag_morph` / `Doc.parse_syntax` with the stock ones, on the same tokens."""
    tools, stock = natasha_tools(), stock_tools()
    sentences = sentences_of(text)
    ours: Any = Doc(only_sentences(text, sentences))
    ours.segment(_GivenSentences(sentences, tools.segmenter))
    syntax.tag_morphology(ours.sents, tools.morph_tagger)
    syntax.parse_dependencies(ours.sents, tools.syntax_parser)
    theirs: Any = Doc(only_sentences(text, sentences))
    theirs.segment(_GivenSentences(sentences, tools.segmenter))
    theirs.tag_morph(stock.morph_tagger)
    theirs.parse_syntax(stock.syntax_parser)
    mine = [(t.text, t.pos, t.feats, t.id, t.head_id, t.rel) for t in ours.tokens]
    assert mine == [(t.text, t.pos, t.feats, t.id, t.head_id, t.rel) for t in theirs.tokens]
    assert any(t.rel == "nsubj" for t in ours.tokens) and any(t.feats.get("Case") for t in ours.tokens)


@pytest.mark.slow
def test_names_tagger_finds_what_natashas_ner_finds() -> None:
    tools = natasha_tools()
    texts = [*PARAGRAPHS, RUSSIAN, RUSSIAN[:40], ""]
    ours = [[(s.start, s.stop, s.type) for s in m.spans] for m in tools.names_tagger.map(texts)]
    theirs = [[(s.start, s.stop, s.type) for s in m.spans] for m in tools.ner_tagger.map(texts)]
    assert ours == theirs
    assert tools.names_tagger.infer.model is not tools.ner_tagger.infer.model
    assert "item" not in vars(tools.ner_tagger.infer.encoder)  # the bare model stays as shipped
    assert {
        RUSSIAN[s:e] for s, e, _ in syntax.tag_names(RUSSIAN, sentences_of(RUSSIAN), tools.names_tagger)
    } >= {
        "Владимир Путин",
        "Хельсинки",
    }


@pytest.mark.slow
def test_analysis_is_the_one_stock_natasha_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole analysis (tokens, lemmas, heads, names and their normal forms) with our models equals
    the one made with natasha's models as shipped."""
    sentences = sentences_of(RUSSIAN)
    ours = parse_natasha(RUSSIAN, sentences)
    stock = stock_tools()
    monkeypatch.setattr(syntax, "natasha_tools", lambda: stock)
    syntax.natasha_lemma.cache_clear()
    theirs = parse_natasha(RUSSIAN, sentences)
    syntax.natasha_lemma.cache_clear()
    assert ours.tokens == theirs.tokens and ours.entities == theirs.entities
    normal = {RUSSIAN[e.start : e.end]: e.normal for e in ours.entities}
    assert normal["Европейской комиссии"] == "Европейская комиссия"  # an organisation: through the syntax


def test_a_language_without_natasha_never_loads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> NatashaTools:
        raise AssertionError("natasha loaded for a language without it")

    monkeypatch.setattr(syntax, "natasha_tools", refuse)
    text = "Die Außenminister trafen sich am Montag in Wien. Sie sprachen über die Ukraine."
    analysis = syntax._parse(text, [(0, 48), (49, len(text))], syntax.LIGHT, "de")
    assert [t.text for t in analysis.tokens][:3] == ["Die", "Außenminister", "trafen"]
    assert {t.sent for t in analysis.tokens} == {0, 1} and all(t.dep == "" for t in analysis.tokens)


ARTICLE = (
    "Лавров и Ван И обсудили урегулирование\n\n"
    "Москва, 14 марта. Министр иностранных дел России Сергей Лавров провёл в четверг телефонный разговор "
    "с главой МИД Китая Ван И. Стороны обсудили подготовку визита в Пекин, сообщило Министерство "
    "иностранных дел России.\n\n"
    "«Мы высоко ценим сбалансированную позицию китайских друзей», — сказал Лавров. По его словам, "
    "встреча министров состоится в апреле.\n\n"
    "По данным ООН, за неделю из зоны конфликта выехали более 12 тысяч человек."
)


@pytest.mark.slow
def test_records_are_those_of_stock_natasha(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names with their normal forms, events, quotes and claims of a Russian article we wrote: the
    same through the whole pipeline with our models as with natasha's models as shipped."""
    from newsgraph.config import Settings
    from newsgraph.entities.backends import natasha_backend
    from newsgraph.model import Document
    from newsgraph.pipeline.components import Pipeline

    stages = ("language", "clean", "sentences", "mentions", "roles", "times", "syntax", "events", "quotes")
    settings = Settings(workers=0, stages=(*stages, "claims"))

    def facts() -> dict[str, Any]:
        monkeypatch.setattr(syntax, "_last", None)  # no analysis kept from the run before
        syntax.natasha_lemma.cache_clear()
        doc = Pipeline(settings)(Document("ru-1", ARTICLE, lang="ru"))
        assert not doc.errors
        record: dict[str, Any] = doc.to_record()
        return record

    ours = facts()
    stock = stock_tools()
    monkeypatch.setattr(syntax, "natasha_tools", lambda: stock)
    monkeypatch.setattr(natasha_backend, "natasha_tools", lambda: stock)
    calls: list[str] = []
    for name, model in (("morph", stock.morph_tagger), ("syntax", stock.syntax_parser)):
        process = model.infer.process

        def counted(inputs: Any, process: Any = process, name: str = name) -> Any:
            calls.append(name)
            return process(inputs)

        monkeypatch.setattr(model.infer, "process", counted)
    assert facts() == ours
    assert calls == ["morph", "syntax"]  # the second run did read through the stock models
    assert any(m["type"] == "PER" and m["normal"] == "Сергей Лавров" for m in ours["mentions"])
    assert ours["events"] and ours["quotes"] and ours["claims"]
