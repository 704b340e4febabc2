"""Cleaning without deleting: mark page furniture as boilerplate, find title and dateline, keep the body.

The text is never changed. Furniture (photo credits, bylines, "Lire aussi" blocks, share buttons,
breadcrumbs, repeated captions, ...) becomes `Boilerplate` spans; the body is what they leave.
Rules are data (`langdata/<lang>/boilerplate.toml`, scopes explained in `xx/boilerplate.toml`): a
document gets those of its language, of `xx` and of English, whose web furniture is everywhere.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsgraph import langdata
from newsgraph.config import Settings
from newsgraph.ingest.dateline import Dateline, body_dates, find_datelines, starts_with_update_cue
from newsgraph.ingest.furniture import shape_marks, teasers
from newsgraph.ingest.layout import lines, trim
from newsgraph.ingest.published import candidates, choose_published
from newsgraph.ingest.title import find_title, locate_title
from newsgraph.model import Boilerplate, DateValue, Document, Span
from newsgraph.pipeline.components import Component, register

RESOURCE = "boilerplate"
ALWAYS = (langdata.NEUTRAL, "en")  # rules every document gets besides its language's
DEFAULT_MAX_CHARS = 300
MAX_CAPTION_CHARS = 300  # longer text before a credit is a paragraph, not a caption
MAX_CREDIT_CHARS = 100  # a longer "credit" is a cue glued to a paragraph ("Photo: NAMEIn light of ...")
MAX_GLUED_CREDIT_WORDS = 4  # "Źródło: PAP", "© Reuters / Jane Doe"
MAX_SHORT_WORDS = 12  # a link, a caption or a headline is short ...
SHORT_LINE_STOP = ".!?:;"  # ... and does not end like a sentence
MAX_BYLINE_NAME_WORDS = 6
MAX_BYLINE_TAIL = 60
MIN_DUPLICATE_WORDS = 2
CAPTION_BEFORE_CREDIT = '.!?|()–—-:»"”'  # a credit cue follows the caption's end or a separator
BREADCRUMB_SEPARATORS = re.compile(r"\s*[›»>|/•·→]\s*")
PATH_ARROWS = re.compile(r"\s[›»>→]\s")  # separators that only ever mean "inside" (not "|" or "/")
_WORD = re.compile(r"[^\W\d_]+")
_WORD_END = r"(?:(?<![^\W\d_])|(?![^\W\d_]))"  # the cue does not stop inside a word
HEADER_SCAN_LINES = 15  # bylines sit in the header
MAX_UPDATE_CHARS = 80
MIN_GLUED_TEXT_CHARS = 40  # what follows a glued byline is a paragraph, not the rest of a name list
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:.h]\d\d(?!\d)|\d")
_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


@dataclass(frozen=True)
class Rule:
    name: str  # "<lang>:<kind>", recorded as `Boilerplate.rule`
    kind: str
    scope: str
    cue: re.Pattern[str]
    max_chars: int
    needs_digit: bool
    joiners: frozenset[str]
    short_tail: bool = False  # a credit cue followed only by a name ("Source: Reuters"), never a sentence


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    sections: re.Pattern[str]  # a line made only of section names


# ---------------------------------------------------------------------------------------- component
@register("clean")
def make_cleaner(settings: Settings) -> Component:
    return clean


def clean(doc: Document) -> Document:
    """Boilerplate, then the title, then the publication date (metadata wins); the body always."""
    try:
        datelines = find_datelines(doc.text, doc.lang)
        marks = find_boilerplate(doc.text, doc.lang, datelines)
        doc.boilerplate = _in_order(marks + dateline_marks(doc.text, datelines, marks))
        _set_title(doc, datelines)
        doc.published = _published(doc, datelines)
    finally:  # whatever failed above, later stages still get a body
        doc.body = body_spans(doc.text, doc.boilerplate)
    return doc


def _set_title(doc: Document, datelines: Sequence[Dateline]) -> None:
    """Locate a metadata title in the text, or find the headline among the lines left by cleaning."""
    if doc.title:
        doc.title_span = locate_title(doc.text, doc.title)
        return
    # a dateline carrying a place ("LONDON 1996-08-30") stays body but is no headline
    not_titles = [*doc.boilerplate, *(Boilerplate(*d.line, "dateline") for d in datelines)]
    doc.title_span = find_title(doc.text, not_titles)
    doc.title = doc.span_text(doc.title_span) if doc.title_span else None


def _published(doc: Document, datelines: Sequence[Dateline]) -> DateValue | None:
    """The article's date among the caller's, the page's metadata, its address and its datelines."""
    spans = lines(doc.text)
    title_line = None
    if doc.title_span is not None:
        title_line = next((i for i, (s, e) in enumerate(spans) if s <= doc.title_span[0] < e), None)
    stamped = [d.line for d in datelines]
    mentions = [
        day
        for (start, end), day in body_dates(doc.text, doc.lang)
        if not any(a <= start and end <= b for a, b in stamped)
    ]
    found = candidates(doc.published, doc.url, datelines)
    return choose_published(doc.published, found, title_line, mentions)


def body_spans(text: str, boilerplate: Iterable[Boilerplate]) -> list[Span]:
    """The maximal stretches of text outside every boilerplate span, trimmed, holding a letter or digit."""
    out: list[Span] = []
    pos = 0
    for mark in sorted(boilerplate, key=lambda b: b.start):
        if mark.start > pos:
            _add_piece(text, pos, mark.start, out)
        pos = max(pos, mark.end)
    _add_piece(text, pos, len(text), out)
    return out


def dateline_marks(
    text: str, datelines: Iterable[Dateline], marks: Sequence[Boilerplate]
) -> list[Boilerplate]:
    """Bare header date lines not already marked: stamps, not body (a place or a name keeps its line)."""
    spans = lines(text)
    covered = _covered_lines(spans, marks)
    out = []
    for dateline in datelines:
        if dateline.bare and spans.index(dateline.line) not in covered:
            kind = "update" if dateline.updated else "dateline"
            out.append(Boilerplate(*dateline.line, kind, "dateline"))
    return out


def _add_piece(text: str, start: int, end: int, out: list[Span]) -> None:
    start, end = trim(text, start, end)
    if any(ch.isalnum() for ch in text[start:end]):
        out.append((start, end))


# ---------------------------------------------------------------------------------------- boilerplate
def find_boilerplate(
    text: str, lang: str | None, datelines: Sequence[Dateline] | None = None
) -> list[Boilerplate]:
    """Every furniture span of `text`, by the rules of `lang`, `xx` and English, sorted by start."""
    if datelines is None:
        datelines = find_datelines(text, lang)
    book = rulebook(lang)
    spans = lines(text)
    marks: list[Boilerplate] = []
    for start, end in spans:
        marks += _line_marks(text, start, end, book)
    # a date line is the datelines' business (a placed one, "PARIS, 12 avril 2024", stays body)
    dated = {i for i, span in enumerate(spans) if any(d.line == span for d in datelines)}
    marks += shape_marks(text, spans, lang, _covered_lines(spans, marks) | dated)
    marks += _breadcrumbs(text, spans, marks, book)
    marks += _glued_bylines(text, spans, marks, book)
    marks += _update_stamps(text, spans, marks, lang)
    marks += _duplicates(text, spans, marks)
    marks += _caption_copies(text, spans, marks)
    marks += _trailing_blocks(text, spans, marks, book)
    covered = _covered_lines(spans, marks)
    marks += teasers(text, spans, [i for i in range(len(spans)) if i not in covered])
    return _in_order(marks)


def _glued_bylines(
    text: str, spans: list[Span], marks: Sequence[Boilerplate], book: Rulebook
) -> list[Boilerplate]:
    """A byline the scraper glued to the first paragraph ("di Marco RossiIl ministro ..."): the names.

    The glue shows as a lower-case letter followed by a capital inside one token; the byline cue and
    up to `MAX_BYLINE_NAME_WORDS` capitalised names before it are marked, the paragraph stays body.
    """
    covered = _covered_lines(spans, marks)
    bylines = [r for r in book.rules if r.scope == "byline"]
    out = []
    for i, (start, end) in enumerate(spans[:HEADER_SCAN_LINES]):
        if i in covered:
            continue
        line = text[start:end]
        for rule in bylines:
            cue = rule.cue.match(line)
            glue = _glue_point(line, cue.end()) if cue else None
            if glue is not None:
                out.append(Boilerplate(start, start + glue, rule.kind, f"{rule.name}-glued"))
                break
    return out


def _glue_point(line: str, pos: int) -> int | None:
    """Where capitalised names from `pos` run into a capitalised word without a space ("RossiIl")."""
    for n, token in enumerate(_TOKEN.finditer(line, pos)):
        word = token.group(0)
        if n >= MAX_BYLINE_NAME_WORDS or not word[:1].isupper():
            return None
        for k in range(2, len(word)):
            if (
                word[k - 1].islower()
                and word[k].isupper()
                and word[k + 1 : k + 2] in ("", word[k + 1 : k + 2].lower())
            ):
                # a paragraph follows the glue; a name such as "McDonald" ends the line or its byline
                glued = token.start() + k
                return glued if len(line) - glued >= MIN_GLUED_TEXT_CHARS else None
    return None


def _update_stamps(
    text: str, spans: list[Span], marks: Sequence[Boilerplate], lang: str | None
) -> list[Boilerplate]:
    """Short "Update from 08:35" / "Güncelleme 08:35" lines anywhere: the update cues of the dateline data."""
    covered = _covered_lines(spans, marks)
    out = []
    for i, (start, end) in enumerate(spans):
        line = text[start:end]
        short = i not in covered and len(line) <= MAX_UPDATE_CHARS
        if short and starts_with_update_cue(line, lang) and _CLOCK.search(line):
            out.append(Boilerplate(start, end, "update", "update-stamp"))
    return out


def _in_order(marks: Iterable[Boilerplate]) -> list[Boilerplate]:
    return sorted(marks, key=lambda b: (b.start, -b.end))


def _line_marks(text: str, start: int, end: int, book: Rulebook) -> list[Boilerplate]:
    """The marks of the first rule that matches this line (a credit may also make it a caption)."""
    line = text[start:end]
    for rule in book.rules:
        if not _applies(rule, line):
            continue
        if rule.scope == "credit":
            marks = _credit_marks(line, start, end, rule)
            if marks:
                return marks
        elif _line_matches(line, rule):
            return [Boilerplate(start, end, rule.kind, rule.name)]
    return []


def _applies(rule: Rule, line: str) -> bool:
    return len(line) <= rule.max_chars and (not rule.needs_digit or any(ch.isdigit() for ch in line))


def _line_matches(line: str, rule: Rule) -> bool:
    if rule.scope == "line":
        return rule.cue.fullmatch(line) is not None
    match = rule.cue.match(line)
    if match is None:
        return False
    if rule.scope == "byline":
        return _is_name_list(line[match.end() :], rule.joiners)
    return rule.scope == "prefix"


def _credit_marks(line: str, start: int, end: int, rule: Rule) -> list[Boilerplate]:
    """A photo credit from its cue to the line end; the whole line is a caption when text precedes it."""
    for match in rule.cue.finditer(line):
        before = line[: match.start()].rstrip()
        short = _short_credit(line[match.end() :])
        after_caption = not before or before[-1] in CAPTION_BEFORE_CREDIT or short
        if rule.short_tail and not short:
            continue
        if not after_caption or len(line) - match.start() > MAX_CREDIT_CHARS:
            continue
        marks = [Boilerplate(start + match.start(), end, rule.kind, rule.name)]
        # a source signing a paragraph ("... the ministry said. Source: Reuters") leaves the paragraph
        signs_text = rule.short_tail and _SENTENCE_END.search(before) is not None
        if _WORD.search(before) and len(before) <= MAX_CAPTION_CHARS and not signs_text:
            marks.append(Boilerplate(start, end, "caption", rule.name))
        return marks
    return []


def _short_credit(tail: str) -> bool:
    """A cue glued to its caption ("... w Warszawie Źródło: PAP") still credits when only a name follows."""
    words = tail.split()
    return 0 < len(words) <= MAX_GLUED_CREDIT_WORDS and not tail.rstrip().endswith((".", "!", "?"))


def _is_name_list(rest: str, joiners: frozenset[str]) -> bool:
    """ "Jean Dupont et Marie Martin, AFP": capitalised names, maybe a short tail that is no sentence."""
    cut = re.search(r"[,|–—(]", rest)
    names, tail = (rest[: cut.start()], rest[cut.end() :].strip()) if cut else (rest, "")
    words = names.split()
    if not 1 <= len(words) <= MAX_BYLINE_NAME_WORDS or words[-1].casefold() in joiners:
        return False
    if not all(w[0].isupper() or w.casefold() in joiners for w in words):
        return False
    return len(tail) <= MAX_BYLINE_TAIL and not tail.endswith((".", "!", "?"))


def _breadcrumbs(
    text: str, spans: list[Span], marks: Sequence[Boilerplate], book: Rulebook
) -> list[Boilerplate]:
    """Section-name lines ("Actualités Monde Politique", "Home > World") above the first real line."""
    covered = _covered_lines(spans, marks)
    out = []
    for i, (start, end) in enumerate(spans[:HEADER_SCAN_LINES]):
        line = text[start:end]
        if i in covered:
            continue
        if _is_breadcrumb(line, book):
            out.append(Boilerplate(start, end, "breadcrumb", "breadcrumb"))
        elif not _is_short_line(line):  # the first paragraph: the header is over
            break
    return out


def _is_breadcrumb(line: str, book: Rulebook) -> bool:
    if line[:1].islower() or not line[:1].isalpha():  # scripts without case (Arabic) pass
        return False
    segments = [s for s in BREADCRUMB_SEPARATORS.split(line) if s]
    named = [book.sections.fullmatch(s) is not None for s in segments]
    if all(named):
        return True
    short_names = all(len(s.split()) <= 3 and not s[:1].islower() for s in segments)
    if len(PATH_ARROWS.findall(line)) >= 2 and short_names:
        return True  # "Home › World › Europe" in any language: path arrows between short names
    # "Home > World > Gaza": short capitalised segments, one of them a section name
    return (
        len(segments) > 1
        and any(named)
        and all(len(s.split()) <= 3 and all(w[0].isupper() for w in s.split()) for s in segments)
    )


def _duplicates(text: str, spans: list[Span], marks: Sequence[Boilerplate]) -> list[Boilerplate]:
    """Later verbatim copies of a line: a repeated caption or headline, or any line right under its twin."""
    covered = _covered_lines(spans, marks)
    seen: set[str] = set()
    out = []
    previous = ""
    for i, (start, end) in enumerate(spans):
        key = " ".join(text[start:end].split())
        # a paragraph repeated far from its first copy is a lede or a pull quote: still article text
        repeat = key == previous or _is_short_line(key)
        if key in seen and repeat and i not in covered and len(key.split()) >= MIN_DUPLICATE_WORDS:
            out.append(Boilerplate(start, end, "duplicate", "duplicate"))
        seen.add(key)
        previous = key
    return out


def _caption_copies(text: str, spans: list[Span], marks: Sequence[Boilerplate]) -> list[Boilerplate]:
    """An image's alt text next to its caption line ("X" beside "X. Photo: AGENCY") is a caption too."""
    covered = _covered_lines(spans, marks)
    credit_starts = {m.start for m in marks if m.kind != "caption"}
    out = []
    for mark in marks:
        if mark.kind != "caption":
            continue
        credit = min((s for s in credit_starts if mark.start < s < mark.end), default=mark.end)
        caption = _comparable(text[mark.start : credit])
        i = bisect.bisect_left(spans, (mark.start, mark.end))
        for j in (i - 1, i + 1):
            if 0 <= j < len(spans) and j not in covered and _comparable(_line(text, spans[j])) == caption:
                out.append(Boilerplate(*spans[j], "caption", "caption-copy"))
                covered.add(j)
    return out


def _comparable(line: str) -> str:
    return " ".join(line.split()).rstrip(" .,;:–—-")


def _trailing_blocks(
    text: str, spans: list[Span], marks: Sequence[Boilerplate], book: Rulebook
) -> list[Boilerplate]:
    """ "Lire aussi:" / "Related Articles" with the short link and hashtag lines after it, as one span."""
    trailing = [r for r in book.rules if r.scope == "trailing"]
    covered = _covered_lines(spans, marks)
    out = []
    i = 0
    while i < len(spans):
        line = _line(text, spans[i])
        rule = next((r for r in trailing if _applies(r, line) and r.cue.match(line)), None)
        if rule is None:
            i += 1
            continue
        last = i
        while last + 1 < len(spans) and (last + 1 in covered or _is_short_line(_line(text, spans[last + 1]))):
            last += 1
        out.append(Boilerplate(spans[i][0], spans[last][1], rule.kind, rule.name))
        i = last + 1
    return out


def _line(text: str, span: Span) -> str:
    return text[span[0] : span[1]]


def _is_short_line(line: str) -> bool:
    return len(line.split()) <= MAX_SHORT_WORDS and not line.endswith(tuple(SHORT_LINE_STOP))


def _covered_lines(spans: list[Span], marks: Iterable[Boilerplate]) -> set[int]:
    """Indices of the lines lying wholly inside some mark."""
    starts = [s for s, _ in spans]
    covered = set()
    for mark in marks:
        i = bisect.bisect_left(starts, mark.start)
        while i < len(spans) and spans[i][1] <= mark.end:
            covered.add(i)
            i += 1
    return covered


# ---------------------------------------------------------------------------------------- rules
@cache
def rulebook(lang: str | None) -> Rulebook:
    """The compiled rules for a document in `lang`: its language's first, then `xx`, then English."""
    sources = list(dict.fromkeys([lang, *ALWAYS] if lang else ALWAYS))
    rules: list[Rule] = []
    sections: list[str] = []
    for source in sources:
        table = langdata.load_one(source, RESOURCE)
        rules += [_compile(source, spec) for spec in table.get("rules", [])]
        sections += table.get("section_words", [])
    section = _alternation([], sections)
    return Rulebook(tuple(rules), re.compile(rf"{section}(?:\s+{section})*", re.IGNORECASE))


def _compile(lang: str, spec: dict[str, Any]) -> Rule:
    scope = spec["scope"]
    cue = _alternation(spec.get("patterns", []), spec.get("phrases", []))
    ends = {
        "line": r"[\s:.…!|»>*-]*",
        "prefix": _WORD_END,
        "byline": r"\s+",
        "credit": "",
        "trailing": r"\s*(?:[:|»>›—–.…-]|$)",  # the cue alone, or the cue then a link on the same line
    }
    if scope not in ends:
        raise ValueError(f"langdata/{lang}/{RESOURCE}.toml: unknown scope {scope!r}; known: {sorted(ends)}")
    return Rule(
        name=f"{lang}:{spec['kind']}",
        kind=spec["kind"],
        scope=scope,
        cue=re.compile(cue + ends[scope]),
        max_chars=int(spec.get("max_chars", DEFAULT_MAX_CHARS)),
        needs_digit=bool(spec.get("needs_digit", False)),
        joiners=frozenset(w.casefold() for w in spec.get("joiners", [])),
        short_tail=bool(spec.get("short_tail", False)),
    )


def _alternation(patterns: Iterable[str], phrases: Iterable[str]) -> str:
    """Regexes as written, and literal phrases case-insensitive with any whitespace between their words."""
    longest_first = sorted(set(phrases), key=len, reverse=True)
    literal = [r"\s+".join(re.escape(w) for w in p.split()) for p in longest_first]
    parts = [*(f"(?:{p})" for p in patterns), *(f"(?i:{p})" for p in literal)]
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"
