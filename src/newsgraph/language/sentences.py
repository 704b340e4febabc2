"""Sentence spans inside the body (the "sentences" component).

Two passes over each block (blank lines always separate sentences):
1. Lines are joined into segments. A line ending with sentence punctuation is joined and left to
   pass 2. A line without one continues into the next only on evidence that it stops
   mid-sentence: the next line starts with a lowercase word (after any opening quote), the line
   ends with a comma, dash or a word such as "à", "the", "в" (`continuation_words`), it ends with
   a lowercase word and the next line is a quote that ends the sentence, it is too long for a
   headline, or the block is hard-wrapped and the line fills its width. Otherwise the line is a
   headline, a caption or a paragraph missing its period, and a sentence of its own.
2. Each segment is cut after runs of terminators (and the closing quotes after them) that are
   followed by a space and then by anything but a lowercase word, unless the period belongs to
   an abbreviation, an initial, a dotted acronym or an ordinal number.

All rules that depend on a language are data: `langdata/<lang>/sentences.toml` over `xx`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from newsgraph import langdata
from newsgraph.config import Settings
from newsgraph.ingest.layout import blocks, lines, trim
from newsgraph.limits import breach, long_tokens
from newsgraph.model import Document, Paragraph, Span
from newsgraph.pipeline.components import Component, register

HEADLINE_MAX_WORDS = 15  # a line longer than this that ends in a lowercase word is no headline
WRAPPED_SHARE = 0.6  # share of full-width lines that must break mid-sentence in a hard-wrapped block
TOKEN_WINDOW = 80  # characters before a period searched for the word it ends (and the one before)
FULL_LINE = 0.75  # in a hard-wrapped block, a line at least this share of the widest one is wrapped

_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]{1,4}\.-?)+[^\W\d_]{1,4}")  # U.S, т.е, z.B, EE.UU, J.-C
_ORDINAL = re.compile(r"\d{1,3}")
_NUMBER = re.compile(r"\d[\d.,]*")
_LAST_WORD = re.compile(r"([^\W\d_]+['’]?)$")
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = " \u00a0\u2009\u202f"  # the spaces French typography sets before » and !
_HYPHENATED = re.compile(r"[^\W\d_]-$")  # "inter-" at a line end: a word broken across lines
MAX_SENTENCE_CHARS = Settings.max_sentence_chars  # the default bound, for callers without settings
_BREAKS = (" ", "\n", "\t", "\u00a0")  # where an over-long sentence is preferably cut


@dataclass(frozen=True)
class SentenceRules:
    """A language's segmentation data, ready to use."""

    terminators: frozenset[str]
    closers: frozenset[str]
    openers: frozenset[str]
    dashes: frozenset[str]
    bullets: frozenset[str]
    continuation_marks: frozenset[str]
    continuation_words: frozenset[str]
    abbreviations: frozenset[str]
    final_abbreviations: frozenset[str]
    unit_abbreviations: frozenset[str]
    ordinal_period: bool
    boundary: re.Pattern[str]


@cache
def rules_for(lang: str | None) -> SentenceRules:
    table = langdata.load(lang, "sentences")
    terminators = frozenset(table["terminators"])
    closers = frozenset(table["closers"])
    spaced = frozenset(table["spaced_closers"])
    boundary = re.compile(
        f"[{_char_class(terminators)}]+"
        f"(?:[{_char_class(closers)}]|[{_SPACES}][{_char_class(spaced)}])*(?=\\s|$)"
    )
    return SentenceRules(
        terminators=terminators,
        closers=closers,
        openers=frozenset(table["openers"]),
        dashes=frozenset(table["dashes"]),
        bullets=frozenset(table["bullets"]),
        continuation_marks=frozenset(table["continuation_marks"]),
        continuation_words=frozenset(w.casefold() for w in table["continuation_words"]),
        abbreviations=frozenset(table["abbreviations"]),
        final_abbreviations=frozenset(table["final_abbreviations"]),
        unit_abbreviations=frozenset(table["unit_abbreviations"]),
        ordinal_period=bool(table["ordinal_period"]),
        boundary=boundary,
    )


def _char_class(chars: frozenset[str]) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


# ---------------------------------------------------------------------------------------- public API
def split_sentences(
    text: str, spans: list[Span], lang: str | None, max_chars: int = MAX_SENTENCE_CHARS
) -> list[Span]:
    """Sentences of `text` inside `spans`, trimmed, in order; none crosses a span or a blank line,
    and none is longer than `max_chars` (0: no limit; see `cap_length`)."""
    return [
        piece for sentence in _sentences(text, spans, lang) for piece in cap_length(text, sentence, max_chars)
    ]


def _sentences(text: str, spans: list[Span], lang: str | None) -> list[Span]:
    rules = rules_for(lang)
    out: list[Span] = []
    previous_end = 0
    for start, end in sorted(spans):
        start = max(start, previous_end)  # overlapping spans are read once
        if start >= end:
            continue
        previous_end = end
        for block_start, block_end in blocks(text[start:end]):
            block = (start + block_start, start + block_end)
            for segment in line_segments(text, block, rules):
                out.extend(split_segment(text, segment, rules))
    return out


def cap_length(text: str, sentence: Span, max_chars: int) -> list[Span]:
    """`sentence` in pieces of at most `max_chars`, cut at the last space before the limit.

    Text without sentence punctuation (a transcript, a table, a scraped page) would otherwise be
    one "sentence" of thousands of words, and the parser's cost grows much faster than its length.
    News sentences stay far below the default. A word longer than the limit is cut inside.
    """
    start, end = sentence
    if max_chars <= 0 or end - start <= max_chars:
        return [sentence]
    pieces: list[Span] = []
    while end - start > max_chars:
        limit = start + max_chars
        space = max(text.rfind(c, start + max_chars // 2, limit + 1) for c in _BREAKS)
        cut = space if space > start else limit
        pieces.append(trim(text, start, cut))
        start = trim(text, cut, end)[0]
    pieces.append((start, end))
    return [piece for piece in pieces if piece[0] < piece[1]]


def line_segments(text: str, block: Span, rules: SentenceRules) -> list[Span]:
    """The block's lines joined into stretches that no headline or title line splits."""
    offset = block[0]
    block_lines = [(offset + s, offset + e) for s, e in lines(text[block[0] : block[1]])]
    if not block_lines:
        return []
    wrap_width = hard_wrap_width(text, block_lines, rules)
    segments: list[Span] = []
    segment_start = block_lines[0][0]
    for (start, end), (next_start, next_end) in pairwise(block_lines):
        line, next_line = text[start:end], text[next_start:next_end]
        full = wrap_width is not None and end - start >= FULL_LINE * wrap_width
        if not (ends_with_terminator(line, rules) or continues(line, next_line, rules) or full):
            segments.append((segment_start, end))
            segment_start = next_start
    segments.append((segment_start, block_lines[-1][1]))
    return segments


def split_segment(text: str, segment: Span, rules: SentenceRules) -> list[Span]:
    """Cut one segment (lines already joined) at its sentence ends."""
    start, end = segment
    out: list[Span] = []
    sentence_start = scanned = start
    has_letter = False  # a list number ("1.") or a lone ellipsis is no sentence yet
    for match in rules.boundary.finditer(text, start, end):
        if match.end() >= end:
            break
        has_letter = has_letter or _LETTER.search(text, scanned, match.start()) is not None
        scanned = match.start()
        if has_letter and ends_sentence(text, sentence_start, match, end, rules):
            out.append(trim(text, sentence_start, match.end()))
            sentence_start = scanned = match.end()
            has_letter = False
    out.append(trim(text, sentence_start, end))
    return [span for span in out if span[0] < span[1]]


# ---------------------------------------------------------------------------------------- line breaks
def ends_with_terminator(line: str, rules: SentenceRules) -> bool:
    return strip_closers(line, rules)[-1:] in rules.terminators


def strip_closers(text: str, rules: SentenceRules) -> str:
    """`text` without the closing quotes and brackets (and the spaces before them) at its end."""
    return text.rstrip("".join(rules.closers) + _SPACES)


def continues(line: str, next_line: str, rules: SentenceRules) -> bool:
    """True when `line` (without sentence punctuation at its end) stops mid-sentence."""
    if line[-1] in rules.continuation_marks or _HYPHENATED.search(line):
        return True
    last = _LAST_WORD.search(line)
    last_word = last.group(1) if last else ""
    if last_word.casefold() in rules.continuation_words:
        return True
    if next_line[0] in rules.bullets and next_line[1:2].isspace():
        return False  # a new list item or dialogue turn
    first = first_significant(next_line, 0, len(next_line), rules)
    if first.islower():
        return True
    ends_lowercase = last_word[:1].islower()
    if ends_lowercase and next_line[0] in rules.openers and ends_with_terminator(next_line, rules):
        return True  # "souligné qu'ils\n"Nous…".": a quote wrapped onto a line that ends the sentence
    return ends_lowercase and len(_WORD.findall(line)) > HEADLINE_MAX_WORDS


def hard_wrap_width(text: str, block_lines: list[Span], rules: SentenceRules) -> int | None:
    """The width a block was hard-wrapped at, when most of its full-width lines break mid-sentence."""
    width = max(e - s for s, e in block_lines)
    open_breaks = [
        (text[s:e], text[ns:ne])
        for (s, e), (ns, ne) in pairwise(block_lines)
        if e - s >= FULL_LINE * width and not ends_with_terminator(text[s:e], rules)
    ]
    if len(open_breaks) < 2:
        return None
    mid_sentence = sum(continues(line, nxt, rules) for line, nxt in open_breaks)
    return width if mid_sentence >= WRAPPED_SHARE * len(open_breaks) else None


# ---------------------------------------------------------------------------------------- sentence ends
def ends_sentence(
    text: str, sentence_start: int, match: re.Match[str], end: int, rules: SentenceRules
) -> bool:
    """Whether the terminators in `match` end the sentence that began at `sentence_start`."""
    following = first_significant(text, match.end(), end, rules)
    if following.islower():
        return False  # «Non !» a-t-il dit / «…», — сказал он
    if strip_closers(match.group(), rules) != ".":
        return True
    return period_ends_sentence(text, sentence_start, match.start(), following, rules)


def period_ends_sentence(
    text: str, sentence_start: int, period: int, following: str, rules: SentenceRules
) -> bool:
    head = text[max(sentence_start, period - TOKEN_WINDOW) : period]
    tokens = head.split() if head[-1:].strip() else []  # a period after a space ends the sentence
    token = tokens[-1].lstrip("".join(rules.openers)) if tokens else ""
    before = tokens[-2] if len(tokens) > 1 else ""
    if _listed(token, rules.final_abbreviations) or (
        _listed(token, rules.unit_abbreviations) and _NUMBER.fullmatch(before)
    ):
        return following.isupper()
    if _listed(token, rules.abbreviations) or _listed(token, rules.unit_abbreviations):
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: "J. Smith", "В. В. Путин"
    if _DOTTED_ACRONYM.fullmatch(token):
        return False
    return not (rules.ordinal_period and _ORDINAL.fullmatch(token))


def _listed(token: str, entries: frozenset[str]) -> bool:
    """`token` is an entry, or the capitalised form of a lowercase entry (at a sentence start)."""
    return token in entries or (token[:1].isupper() and token[:1].lower() + token[1:] in entries)


def first_significant(text: str, start: int, end: int, rules: SentenceRules) -> str:
    """The first character from `start` that is not a space, an opening quote or a dash ("" if none)."""
    skip = rules.openers | rules.dashes
    for i in range(start, end):
        if not (text[i].isspace() or text[i] in skip):
            return text[i]
    return ""


# ---------------------------------------------------------------------------------------- component
def language_pieces(
    spans: list[Span], paragraphs: list[Paragraph], default: str | None
) -> Iterator[tuple[Span, str | None]]:
    """`spans` cut at paragraph limits, each piece with its paragraph's language (both sorted)."""
    if not paragraphs:
        yield from ((span, default) for span in spans)
        return
    i = 0
    for start, end in spans:
        while i < len(paragraphs) and paragraphs[i].end <= start:
            i += 1
        j = i
        while j < len(paragraphs) and paragraphs[j].start < end:
            par = paragraphs[j]
            yield (max(start, par.start), min(end, par.end)), par.lang or default
            j += 1


@register("sentences")
def make_sentence_splitter(settings: Settings) -> Component:
    """Sentences per paragraph language; over-long ones cut and over-long words noted (the bounds)."""
    max_chars = settings.max_sentence_chars

    def split(doc: Document) -> Document:
        spans = sorted(doc.body) or [(0, len(doc.text))]
        pieces = language_pieces(spans, sorted(doc.paragraphs, key=lambda p: p.start), doc.lang)
        whole = [sentence for piece, lang in pieces for sentence in _sentences(doc.text, [piece], lang)]
        doc.sentences = [cut for sentence in whole for cut in cap_length(doc.text, sentence, max_chars)]
        if len(doc.sentences) > len(whole):
            longest = max(end - start for start, end in whole)
            doc.errors.append(
                breach(
                    f"sentences: text without sentence punctuation (up to {longest:,} characters) was "
                    "cut into pieces at spaces",
                    "max_sentence_chars",
                    max_chars,
                )
            )
        tokens = long_tokens(doc.text, settings.max_token_chars)
        if tokens:
            doc.errors.append(
                breach(
                    f"sentences: {len(tokens):,} word(s) of up to {max(e - s for s, e in tokens):,} "
                    "characters are cut to that length for the parser and the story encoder",
                    "max_token_chars",
                    settings.max_token_chars,
                )
            )
        return doc

    return split
