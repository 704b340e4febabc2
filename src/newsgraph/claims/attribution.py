"""Who gives a figure: "selon des sources officielles palestiniennes", "according to the health ministry",
"по данным Минздрава", "dem Ministerium zufolge", "…, the ministry said", "…, сообщил Минздрав".

The source is a short phrase of its sentence: after a cue ("selon"), before a trailing cue
("zufolge"), or the subject of a speech verb — after the verb when the verb follows a comma
("…, a indiqué le ministère"), before it otherwise ("The ministry said …"). The phrase is cut at
punctuation, and loses its leading function words ("des sources…" → "sources…").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.claims.rules import ClaimRules, rules_for
from newsgraph.model import Document, Mention, Span

PHRASE_WORDS = 8  # a source named after its cue is at most this long ("des sources officielles …")
SUBJECT_WORDS = 6  # a speech verb's subject before it is at most this long

_WORD = re.compile(r"\w+(?:['’\-.]\w+)*")
# no "." here: inside a sentence a full stop ends an abbreviation ("U.S. State Department")
_PHRASE_END = re.compile(r"[,;:!?()\[\]«»\"“”„\n\d—–]")


@dataclass(frozen=True)
class Source:
    span: Span
    text: str
    entity: str | None
    generic: bool = False  # names figures, not who gives them ("по обновлённым данным", "latest figures")


def find_source(doc: Document, sentence: Span, lang: str | None, claims: Sequence[Span]) -> Source | None:
    """The source the sentence gives for its figures, if it names one outside them; else, when a cue
    stands there with nobody after it ("По обновлённым данным, …"), the cue's own words, marked generic."""
    rules = rules_for(lang)
    for span in _candidates(doc.text, sentence, rules):
        if span is not None and not any(a < span[1] and span[0] < b for a, b in claims):
            entity = _entity_in(doc.mentions, span)
            generic = entity is None and _only_data_words(doc.text, span, rules)
            return Source(span, doc.span_text(span), entity, generic)
    for cue in rules.attribution_cues.find(doc.text, *sentence):
        if not any(a < cue.end and cue.start < b for a, b in claims):
            return Source((cue.start, cue.end), doc.span_text((cue.start, cue.end)), None, generic=True)
    return None


def _only_data_words(text: str, span: Span, rules: ClaimRules) -> bool:
    """True when every word of the phrase is a function word or names figures ("latest figures")."""
    words = list(_WORD.finditer(text, *span))
    return bool(words) and all(
        rules.is_stop_word(w.group()) or rules.data_words.match_at(text, w.start()) is not None for w in words
    )


def _candidates(text: str, sentence: Span, rules: ClaimRules) -> list[Span | None]:
    start, end = sentence
    out = [_phrase_after(text, cue.end, end, rules) for cue in rules.attribution_cues.find(text, start, end)]
    out += [
        _phrase_before(text, cue.start, start, rules)
        for cue in rules.trailing_attribution_cues.find(text, start, end)
    ]
    for verb in rules.speech_verbs.find(text, start, end):
        inverted = text[start : verb.start].rstrip()[-1:] in {",", "»", '"', "”", "—", "–"}
        out.append(
            _phrase_after(text, verb.end, end, rules)
            if inverted
            else _phrase_before(text, verb.start, start, rules)
        )
    return out


def _phrase_after(text: str, pos: int, limit: int, rules: ClaimRules) -> Span | None:
    stop = _PHRASE_END.search(text, pos, limit)
    words = []
    for word in list(_WORD.finditer(text, pos, stop.start() if stop else limit))[:PHRASE_WORDS]:
        if rules.clause_words.match_at(text, word.start()):
            break  # "…WAFA news agency that Israeli forces …": the source ends where a clause begins
        words.append(word)
    return _trimmed(words, rules)


def _phrase_before(text: str, pos: int, floor: int, rules: ClaimRules) -> Span | None:
    breaks = list(_PHRASE_END.finditer(text, floor, pos))
    words = list(_WORD.finditer(text, breaks[-1].end() if breaks else floor, pos))
    if not words or len(words) > SUBJECT_WORDS:
        return None  # a whole clause before the verb, not its subject
    return _trimmed(words, rules)


def _trimmed(words: list[re.Match[str]], rules: ClaimRules) -> Span | None:
    """The words without the function words at either end; None when nothing with content is left."""
    content = [i for i, w in enumerate(words) if not rules.is_stop_word(w.group())]
    if not content:
        return None  # a pronoun ("il a dit", "он сообщил") names no one here
    return words[content[0]].start(), words[content[-1]].end()


def _entity_in(mentions: Sequence[Mention], span: Span) -> str | None:
    inside = [m for m in mentions if span[0] <= m.start and m.end <= span[1] and m.entity]
    return max(inside, key=lambda m: m.end - m.start).entity if inside else None
