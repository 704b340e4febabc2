"""One linguistic analysis per document, shared by every stage that needs one (the "syntax" component).

`analyse(doc, settings)` parses a document once per process with the model configured for its
language (`settings.models[doc.lang]`: `"spacy:<package>"` or `"natasha"`) and keeps the result in
`doc.cache["analysis"]`; events, quotes, claims and entity recognition all read that one parse.
Languages without a model get a light analysis: regex tokens, simplemma lemmas, no dependencies,
no entities.

Sentences. The analysis parses `doc.sentences` (when no sentence stage ran: the sentence
splitter's sentences of the body, boilerplate left out), each sentence as a text of its own, so a
token's `sent` is the index of its sentence in `Analysis.sentences` (the same list as
`doc.sentences`), no token or dependency crosses a sentence, and the model never reads
boilerplate. spaCy batches the sentences with `nlp.pipe`; natasha gets all of a document's
sentences in one `Doc` through a segmenter that yields exactly them, so its taggers batch too.
A model may still find two sentences in one of ours (a second root); that only adds a root.
The analysis is made once, so it belongs after the "sentences" stage.

Every offset is into `doc.text`. Dependencies are Universal Dependencies relations, lower-case
(`nsubj`, `obj`, `obl:agent`, `root`, ...): a parser trained on ClearNLP labels (spaCy's English
pipelines) is converted (relabelled, and prepositions made `case` dependents of their objects).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

import numpy
import simplemma
from natasha import Doc as NatashaDoc
from natasha.doc import DocSpan as NatashaSpan
from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, LEMMA, LENGTH, MORPH, POS
from spacy.tokens import MorphAnalysis

from newsgraph.config import Settings
from newsgraph.language.models import load_spacy, natasha_tools
from newsgraph.language.ruler import split_at_ruler
from newsgraph.language.sentences import split_sentences
from newsgraph.limits import cut_tokens
from newsgraph.model import Document, Span
from newsgraph.pipeline.components import Component, register

CACHE_KEY = "analysis"
LIGHT = "light"  # `Analysis.model` of a language without a configured model
SPACY_PREFIX = "spacy:"
NATASHA = "natasha"

Name = tuple[int, int, str]  # (start, end, the model's label) of an entity a recogniser found
ENTITY_FACTORIES = frozenset({"ner", "beam_ner", "entity_ruler", "span_ruler"})

_LIGHT_TOKEN = re.compile(r"\w+(?:['’\-.]\w+)*|\S")  # "aujourd'hui", "Jean-Marc", "U.S"; else one character
_NUMBER = re.compile(r"\d[\d.,]*")


# ---------------------------------------------------------------------------------------- data
@dataclass(frozen=True, slots=True)
class Token:
    """One token: offsets into `doc.text`, lemma, UPOS, UD relation to its head, morphology, sentence."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str  # universal POS tag ("" when unknown)
    dep: str  # UD relation, lower-case ("" without a parser)
    head: int  # index of the head token; a root (and every token without a parser) heads itself
    morph: dict[str, str]
    sent: int  # index into `Analysis.sentences`


@dataclass(frozen=True, slots=True)
class ModelEntity:
    """A name the model found: the model's own label (PER, PERSON, GPE, ...), natasha's normal form."""

    start: int
    end: int
    label: str
    normal: str | None = None


def _break_cycles(tokens: list[Token]) -> None:
    """Make every head chain end at a root. A model can return heads that form a cycle (seen with
    natasha), and every walk up or down the tree (subjects, governing verbs, subtrees) would then
    loop forever: the token where a cycle closes becomes a root of its own."""
    state = [0] * len(tokens)  # 0 unseen, 1 on the current chain, 2 known to reach a root
    for first in range(len(tokens)):
        chain, i = [], first
        while state[i] == 0:
            state[i] = 1
            chain.append(i)
            head = tokens[i].head
            if head == i:
                break
            if not 0 <= head < len(tokens) or state[head] == 1:  # a cycle closes at i (or no such head)
                tokens[i] = replace(tokens[i], head=i, dep="root")
                break
            i = head
        for j in chain:
            state[j] = 2


@dataclass
class Analysis:
    tokens: list[Token]
    sentences: list[Span]
    entities: list[ModelEntity]
    model: str  # "spacy:<package>", "natasha" or "light"
    _starts: list[int] = field(init=False, repr=False, compare=False)
    _ends: list[int] = field(init=False, repr=False, compare=False)
    _sentence_starts: list[int] = field(init=False, repr=False, compare=False)
    _children: list[list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _break_cycles(self.tokens)
        self._starts = [t.start for t in self.tokens]
        self._ends = [t.end for t in self.tokens]
        self._sentence_starts = [start for start, _ in self.sentences]
        self._children = [[] for _ in self.tokens]
        for token in self.tokens:
            if token.head != token.i:
                self._children[token.head].append(token.i)

    def tokens_in(self, span: Span) -> list[Token]:
        """The tokens that overlap `[start, end)`, in order."""
        first = bisect_right(self._ends, span[0])
        last = bisect_left(self._starts, span[1])
        return self.tokens[first:last]

    def ancestors(self, i: int) -> Iterator[Token]:
        """The heads above token `i`, nearest first, up to its sentence's root. Cycles were broken
        when the analysis was built; the walk is bounded all the same."""
        token = self.tokens[i]
        for _ in range(len(self.tokens)):
            if token.head == token.i:
                return
            token = self.tokens[token.head]
            yield token

    def children(self, i: int) -> list[Token]:
        """The tokens whose head is token `i`, in order."""
        return [self.tokens[j] for j in self._children[i]]

    def subtree_span(self, i: int) -> Span:
        """From the first to the last character of token `i` and everything that depends on it."""
        start, end = self.tokens[i].start, self.tokens[i].end
        stack = list(self._children[i])
        while stack:
            token = self.tokens[stack.pop()]
            start, end = min(start, token.start), max(end, token.end)
            stack.extend(self._children[token.i])
        return start, end

    def token_at(self, offset: int) -> Token | None:
        """The token containing character `offset`, if any."""
        k = bisect_right(self._starts, offset) - 1
        if k >= 0 and offset < self.tokens[k].end:
            return self.tokens[k]
        return None

    def sentence_of(self, offset: int) -> int | None:
        """Index into `sentences` of the sentence containing character `offset`, if any."""
        k = bisect_right(self._sentence_starts, offset) - 1
        if k >= 0 and offset < self.sentences[k][1]:
            return k
        return None


@dataclass(slots=True)
class _Parsed:
    """A token of one sentence as a model gave it, `head` counted within the sentence."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str
    dep: str
    head: int
    morph: dict[str, str]


# ---------------------------------------------------------------------------------------- entry point
def analyse(doc: Document, settings: Settings) -> Analysis:
    """The document's analysis: `doc.cache["analysis"]`, parsed and stored there on first use."""
    cached = doc.cache.get(CACHE_KEY)
    if isinstance(cached, Analysis):
        return cached
    model = settings.models.get(doc.lang or "", LIGHT)
    text = cut_tokens(doc.text, settings.max_token_chars)  # same offsets; no megabyte "word" for a model
    analysis = shared_parse(text, sentences_to_parse(doc), model, doc.lang)
    doc.cache[CACHE_KEY] = analysis
    return analysis


# The last analysis this process made, with what it was made from. The names stage (through its
# recogniser, which sees the text and sentences but not the document) and the syntax stage ask for
# the same analysis of the same document one after the other: whichever asks first runs the model,
# the other gets this one. One entry is enough, since a worker annotates one document at a time.
_Key = tuple[str, str | None, tuple[Span, ...], str]
_last: tuple[_Key, Analysis] | None = None
# Names the names stage found with the same model (reading whole paragraphs, which give a name more
# context than its sentence alone), offered to the analysis of the same document: its entity
# recogniser then does not run a second time.
_offered: tuple[_Key, list[Name]] | None = None


def _key(text: str, sentences: Sequence[Span], model: str, lang: str | None) -> _Key:
    return (model, lang, tuple(sentences), text)


def shared_parse(
    text: str,
    sentences: Sequence[Span],
    model: str,
    lang: str | None,
    names: Sequence[Name] | None = None,
) -> Analysis:
    """The analysis of `sentences` of `text` by `model`, made at most once for consecutive callers.

    `text` must be the text the model may read (`cut_tokens` applied); offsets are the same as the
    document's. `names` (or names offered with `offer_names`): (start, end, model label) of the
    entities the model's recogniser already found; it is not run again and they are the analysis'
    entities. The result is shared, so callers must not change it."""
    global _last, _offered
    key = _key(text, sentences, model, lang)
    if _last is not None and _last[0] == key:
        return _last[1]
    if names is None and _offered is not None and _offered[0] == key:
        names = _offered[1]
    _offered = None
    analysis = _parse(text, list(sentences), model, lang, names)
    _last = (key, analysis)
    return analysis


def offer_names(
    text: str, sentences: Sequence[Span], model: str, lang: str | None, names: list[Name]
) -> None:
    """Keep `names` for the analysis of these sentences of `text`, if it is made next (`shared_parse`)."""
    global _offered
    _offered = (_key(text, sentences, model, lang), names)


def parsed_already(text: str, sentences: Sequence[Span], model: str, lang: str | None) -> Analysis | None:
    """The analysis of these sentences of `text`, if it was the last one made in this process."""
    if _last is not None and _last[0] == _key(text, sentences, model, lang):
        return _last[1]
    return None


def _parse(
    text: str, sentences: list[Span], model: str, lang: str | None, names: Sequence[Name] | None = None
) -> Analysis:
    """Run the configured model (spaCy pipeline, natasha, or the light analysis) over the sentences."""
    if not sentences:
        return Analysis([], [], [], model)
    if model.startswith(SPACY_PREFIX):
        return parse_spacy(text, sentences, model.removeprefix(SPACY_PREFIX), lang, names)
    if model == NATASHA:
        return parse_natasha(text, sentences, names)
    if model == LIGHT:
        return parse_light(text, sentences, lang)
    raise ValueError(
        f"unknown model {model!r} for language {lang!r}: "
        f"use 'spacy:<package>' or '{NATASHA}' in the `models` setting"
    )


@register("syntax")
def make_syntax(settings: Settings) -> Component:
    """Parses eagerly; without this stage the first stage that needs the analysis parses."""

    def parse(doc: Document) -> Document:
        analyse(doc, settings)
        return doc

    return parse


def sentences_to_parse(doc: Document) -> list[Span]:
    """`doc.sentences`, else the sentences of the body (or of the text less its boilerplate)."""
    if doc.sentences:
        return list(doc.sentences)
    if not doc.text:
        return []
    return split_sentences(doc.text, body_spans(doc), doc.lang)


def body_spans(doc: Document) -> list[Span]:
    """The body spans; without a cleaning stage, the text less what is marked as boilerplate."""
    if doc.body:
        return sorted(doc.body)
    spans, position = [], 0
    for part in sorted(doc.boilerplate, key=lambda b: b.start):
        if part.start > position:
            spans.append((position, part.start))
        position = max(position, part.end)
    if position < len(doc.text):
        spans.append((position, len(doc.text)))
    return spans


def _assemble(
    sentences: list[Span], parsed: Iterable[list[_Parsed]], entities: list[ModelEntity], model: str
) -> Analysis:
    """The analysis from each sentence's parsed tokens (heads counted within the sentence)."""
    tokens: list[Token] = []
    for sent, sentence_tokens in enumerate(parsed):
        base = len(tokens)
        tokens.extend(
            Token(base + k, p.start, p.end, p.text, p.lemma, p.pos, p.dep, base + p.head, p.morph, sent)
            for k, p in enumerate(sentence_tokens)
        )
    return Analysis(tokens, sentences, entities, model)


# ---------------------------------------------------------------------------------------- spaCy
def parse_spacy(
    text: str, sentences: list[Span], package: str, lang: str | None, names: Sequence[Name] | None = None
) -> Analysis:
    """Every sentence through the pipeline in one `nlp.pipe`; with `names` given, without its entity
    components (the names are the entities)."""
    nlp = load_spacy(package)
    clear_labels = uses_clear_labels(nlp)
    entities = [ModelEntity(start, end, label) for start, end, label in names or ()]
    disable = entity_components(nlp) if names is not None else []
    parsed_sentences: list[list[_Parsed]] = []
    pieces = (text[start:end] for start, end in sentences)
    for (offset, _), parsed in zip(sentences, run_pipeline(nlp, pieces, disable), strict=True):
        entities.extend(
            ModelEntity(offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in parsed.ents
        )
        tokens = spacy_tokens(parsed, offset, lang)
        parsed_sentences.append(clear_to_ud(tokens) if clear_labels else tokens)
    return _assemble(sentences, parsed_sentences, entities, f"{SPACY_PREFIX}{package}")


def run_pipeline(nlp: Any, texts: Iterable[str], disable: list[str]) -> Iterator[Any]:
    """`nlp.pipe(texts, disable=disable)`, with the attribute ruler applied from an index of its rules
    where it can be (`language/ruler.py`: the same annotations, the Matcher was a third of the English
    parse)."""
    split = split_at_ruler(nlp, disable)
    if split is None:
        yield from nlp.pipe(texts, disable=disable)
        return
    off, after = split
    for doc in nlp.pipe(texts, disable=off):
        for component in after:
            doc = component(doc)
        yield doc


# What `spacy_tokens` reads of each token, in one `Doc.to_array` call: reading the attributes through
# spaCy's Token objects (one Python object per token and attribute) cost a fifth of the parse.
_SPACY_ATTRS = [IDX, LENGTH, HEAD, LEMMA, POS, DEP, MORPH, IS_SPACE]


def spacy_tokens(parsed: Any, offset: int, lang: str | None) -> list[_Parsed]:
    """A parsed sentence's tokens without the whitespace ones (a head that is one passes to its own head).

    The attributes are read in bulk (`Doc.to_array`) and their strings looked up once per distinct
    value; the result is what reading each `Token` gives (`tests/test_syntax_fast.py` checks it)."""
    if not len(parsed):
        return []
    array = parsed.to_array(_SPACY_ATTRS)
    # HEAD is the offset to the head, stored unsigned: as signed, plus the token's own index
    heads = (array[:, 2].astype(numpy.int64) + numpy.arange(len(array))).tolist()
    rows = array.tolist()
    space = [row[7] != 0 for row in rows]
    strings, vocab, sentence = parsed.vocab.strings, parsed.vocab, parsed.text
    position: dict[int, int] = {}
    for i, is_space in enumerate(space):
        if not is_space:
            position[i] = len(position)
    out = []
    for i, k in position.items():
        idx, length, _, lemma, pos, dep, morph, _ = rows[i]
        head = heads[i]
        while space[head] and heads[head] != head:
            head = heads[head]
        text, start = sentence[idx : idx + length], offset + idx
        out.append(
            _Parsed(
                start,
                start + length,
                text,
                strings[lemma] or light_lemma(text, lang),
                strings[pos],
                _dependency(strings, dep),
                position.get(head, k),
                _morph_features(vocab, morph),
            )
        )
    return out


_DEPENDENCIES: dict[int, str] = {}  # a dependency label's lower-case name by its key in the string store


def _dependency(strings: Any, key: int) -> str:
    """The lower-case name of dependency label `key` (a few dozen labels, each looked up once)."""
    label = _DEPENDENCIES.get(key)
    if label is None:
        label = _DEPENDENCIES[key] = strings[key].lower()
    return label


_FEATURES: dict[int, dict[str, str]] = {}  # a morphology's features by its key in the string store


def _morph_features(vocab: Any, key: int) -> dict[str, str]:
    """The features of morphology `key`, read once per distinct morphology (a few hundred) and copied
    for each token: spaCy parses the "Case=Nom|Number=Sing" string again on every call."""
    features = _FEATURES.get(key)
    if features is None:
        features = _FEATURES[key] = MorphAnalysis.from_id(vocab, key).to_dict()
    return dict(features)


def entity_components(nlp: Any) -> list[str]:
    """The enabled components that find entities (nothing else reads what they write)."""
    return [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory in ENTITY_FACTORIES]


def uses_clear_labels(nlp: Any) -> bool:
    """True when the pipeline's parser was trained on ClearNLP labels (spaCy's English models), not UD."""
    return any(
        "pobj" in pipe.labels
        for name, pipe in nlp.pipeline
        if nlp.get_pipe_meta(name).factory in ("parser", "beam_parser")
    )


# ClearNLP relations onto UD once prepositions are restructured; a relation absent here is the same in both.
CLEAR_TO_UD = {
    "dobj": "obj",
    "dative": "iobj",
    "nsubjpass": "nsubj:pass",
    "csubjpass": "csubj:pass",
    "auxpass": "aux:pass",
    "poss": "nmod:poss",
    "neg": "advmod",
    "prt": "compound:prt",
    "npadvmod": "obl:npmod",
    "predet": "det:predet",
    "preconj": "cc:preconj",
    "quantmod": "advmod",
    "relcl": "acl:relcl",
    "acomp": "xcomp",
    "oprd": "xcomp",
    "attr": "xcomp",
    "intj": "discourse",
    "meta": "dep",
    # left over when a preposition has no object ("he came in"), or an object lost its preposition
    "prep": "advmod",
    "agent": "advmod",
    "pobj": "obl",
    "pcomp": "advcl",
}
PREPOSITIONS = ("prep", "agent", "dative")  # ClearNLP relations of a preposition to what it modifies
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "SYM", "X"})


def clear_to_ud(tokens: list[_Parsed]) -> list[_Parsed]:
    """ClearNLP dependencies as UD: "met [with prep] [Herzog pobj]" -> Herzog obl of met, with its case."""
    children: list[list[int]] = [[] for _ in tokens]
    for k, t in enumerate(tokens):
        if t.head != k:
            children[t.head].append(k)
    for k, preposition in enumerate(tokens):
        if preposition.dep not in PREPOSITIONS:
            continue
        objects = [c for c in children[k] if tokens[c].dep in ("pobj", "pcomp")]
        if not objects:
            continue
        target = objects[0]
        obj = tokens[target]
        governor = preposition.head if preposition.head != k else target
        if governor == target:
            obj.dep = "root"
        elif obj.dep == "pcomp":  # "after meeting him": the clause is the modifier, the preposition its mark
            obj.dep = "acl" if tokens[governor].pos in NOMINAL else "advcl"
        elif preposition.dep == "agent":
            obj.dep = "obl:agent"
        else:
            obj.dep = "nmod" if tokens[governor].pos in NOMINAL else "obl"
        preposition.dep = "mark" if obj.dep in ("acl", "advcl") else "case"
        obj.head, preposition.head = governor, target
    for t in tokens:
        t.dep = CLEAR_TO_UD.get(t.dep, t.dep)
    return tokens


# ---------------------------------------------------------------------------------------- natasha
class _GivenSentences:
    """A natasha segmenter that yields the document's own sentences, and natasha's tokens inside each."""

    def __init__(self, sentences: list[Span], segmenter: Any):
        self.sentences = sentences
        self.segmenter = segmenter

    def sentenize(self, text: str) -> Iterator[tuple[int, int, str]]:
        for start, end in self.sentences:
            yield start, end, text[start:end]

    def tokenize(self, text: str) -> Iterator[tuple[int, int, str]]:
        for start, end in self.sentences:
            for token in self.segmenter.tokenize(text[start:end]):
                yield start + token.start, start + token.stop, token.text


def parse_natasha(text: str, sentences: list[Span], names: Sequence[Name] | None = None) -> Analysis:
    """Morphology, syntax and (unless `names` are given) NER, once each; names normalised through
    the morphology and syntax of their sentence ("Палата представителей", not "представители")."""
    tools = natasha_tools()
    parsed = NatashaDoc(only_sentences(text, sentences))  # same offsets; the recogniser reads no boilerplate
    parsed.segment(_GivenSentences(sentences, tools.segmenter))
    tag_morphology(parsed.sents, tools.morph_tagger)
    parse_dependencies(parsed.sents, tools.syntax_parser)
    parsed.spans = [
        NatashaSpan(start, stop, kind, text[start:stop])
        for start, stop, kind in (tag_names(text, sentences, tools.names_tagger) if names is None else names)
    ]
    parsed.envelop_span_tokens()  # the tokens (with their morphology) that normal forms are made from
    parsed.envelop_sent_spans()
    entities = []
    for span in parsed.spans:
        span.normalize(tools.morph_vocab)
        entities.append(ModelEntity(span.start, span.stop, span.type, span.normal or None))

    def sentence_tokens(sentence: Any) -> list[_Parsed]:
        out = []
        for k, t in enumerate(sentence.tokens):
            feats = None if t.feats is None else tuple(sorted(t.feats.items()))
            t.lemma = natasha_lemma(t.text, t.pos, feats)
            head = int(t.head_id.rsplit("_", 1)[1]) - 1  # "3_0" (the root's head) -> -1
            out.append(
                _Parsed(
                    t.start,
                    t.stop,
                    t.text,
                    t.lemma or t.text.casefold(),
                    t.pos or "",
                    (t.rel or "").lower(),
                    head if head >= 0 else k,
                    dict(t.feats or {}),
                )
            )
        return out

    return _assemble(sentences, (sentence_tokens(s) for s in parsed.sents), entities, NATASHA)


@lru_cache(maxsize=50_000)  # about 0.5 KB an entry
def natasha_lemma(word: str, pos: str | None, feats: tuple[tuple[str, str], ...] | None) -> str | None:
    """natasha's lemma of `word` with the tagger's POS and features (`DocToken.lemmatize`), once per
    distinct (form, tags) in a process: every token otherwise asks pymorphy for all readings of its
    word and compares each with the tags, and news repeats its words and their tags."""
    tags = None if feats is None else dict(feats)
    lemma: str | None = natasha_tools().morph_vocab.lemmatize(word, pos, tags)
    return lemma


# natasha's `Doc.tag_morph` and `Doc.parse_syntax` feed sentences in text order, and slovnet pads each
# batch (of 8) to its longest sentence; fed by length, they pad little (the two take 30% less time).
def in_length_order(infer: Any, sents: list[Any]) -> list[Any]:
    """slovnet's raw prediction for each sentence (`infer.process`: tag ids, or head and relation ids),
    in text order, computed in length order. The same encoder, batches and model as the tagger's
    `map`, without the markup records slovnet and natasha build around each token (a record per
    token, a feature string parsed per token): the ids are read off directly."""
    order = sorted(range(len(sents)), key=lambda k: len(sents[k].tokens))
    inputs = infer.encoder([[t.text for t in sents[k].tokens] for k in order])
    out: list[Any] = [None] * len(sents)
    for k, pred in zip(order, infer.process(inputs), strict=True):
        out[k] = pred
    return out


def tag_names(text: str, sentences: list[Span], tagger: Any) -> list[tuple[int, int, str]]:
    """(start, stop, type) of the names natasha's NER finds, each sentence read on its own (as
    spaCy reads them): read as one text, a headline without a full stop runs into the next sentence
    ("... Израиля и Нетаньяху Государственный секретарь") and the name at its end is lost. In
    length order, as the taggers, so that batches pad little."""
    kept = [span for span in sentences if text[span[0] : span[1]].strip()]
    kept.sort(key=lambda span: span[1] - span[0])
    found: list[tuple[int, int, str]] = []
    for (offset, _), markup in zip(kept, tagger.map([text[s:e] for s, e in kept]), strict=True):
        found.extend((offset + span.start, offset + span.stop, span.type) for span in markup.spans)
    return sorted(found)


_TAG_TABLES: dict[int, tuple[Any, list[tuple[str, dict[str, str]]]]] = {}


def tag_table(tags_vocab: Any) -> list[tuple[str, dict[str, str]]]:
    """(POS, features) of each tag id of a morphology tagger, as slovnet parses its tag strings
    ("NOUN|Case=Nom|Gender=Masc"), once per vocabulary and process instead of once per token. A
    token's features are the table's dict, shared: nothing changes them (`Token.morph` is a copy)."""
    from slovnet.conll import parse_conll_tag

    found = _TAG_TABLES.get(id(tags_vocab))
    if found is None or found[0] is not tags_vocab:
        found = _TAG_TABLES[id(tags_vocab)] = (tags_vocab, [parse_conll_tag(tag) for tag in tags_vocab.items])
    return found[1]


def tag_morphology(sents: list[Any], tagger: Any) -> None:
    """Each token's POS and features from natasha's morphology tagger."""
    table = tag_table(tagger.infer.decoder.tags_vocab)
    for sent, tag_ids in zip(sents, in_length_order(tagger.infer, sents), strict=True):
        for token, tag_id in zip(sent.tokens, tag_ids.tolist(), strict=True):
            token.pos, token.feats = table[tag_id]


def parse_dependencies(sents: list[Any], parser: Any) -> None:
    """Heads as natasha writes them ("<sentence>_<token>", from 1; token 0 is the root's head)."""
    rels = parser.infer.decoder.rels_vocab.items
    for number, (sent, (head_ids, rel_ids)) in enumerate(
        zip(sents, in_length_order(parser.infer, sents), strict=True), 1
    ):
        tokens = zip(sent.tokens, head_ids.tolist(), rel_ids.tolist(), strict=True)
        for k, (token, head, rel) in enumerate(tokens, 1):
            token.id, token.head_id, token.rel = f"{number}_{k}", f"{number}_{head}", rels[rel]


def only_sentences(text: str, sentences: list[Span]) -> str:
    """`text` with everything outside the sentences blanked out, so offsets stay the same."""
    pieces, position = [], 0
    for start, end in sorted(sentences):
        start = max(start, position)
        pieces.append(" " * (start - position))
        pieces.append(text[start:end])
        position = max(position, end)
    pieces.append(" " * (len(text) - position))
    return "".join(pieces)


# ---------------------------------------------------------------------------------------- light
def parse_light(text: str, sentences: list[Span], lang: str | None) -> Analysis:
    def sentence_tokens(start: int, end: int) -> list[_Parsed]:
        return [
            _Parsed(
                m.start(), m.end(), m.group(), light_lemma(m.group(), lang), light_pos(m.group()), "", k, {}
            )
            for k, m in enumerate(_LIGHT_TOKEN.finditer(text, start, end))
        ]

    return _assemble(sentences, (sentence_tokens(s, e) for s, e in sentences), [], LIGHT)


def light_pos(token: str) -> str:
    """The universal POS tags that the characters alone settle."""
    if _NUMBER.fullmatch(token):
        return "NUM"
    if not any(c.isalnum() for c in token):
        return "PUNCT"
    return ""


def light_lemma(word: str, lang: str | None) -> str:
    if lang is None or not simplemma_knows(lang):
        return word.casefold()
    return str(simplemma.lemmatize(word, lang=lang))


@cache
def simplemma_knows(lang: str) -> bool:
    try:
        simplemma.lemmatize("a", lang=lang)
    except ValueError:
        return False
    return True
