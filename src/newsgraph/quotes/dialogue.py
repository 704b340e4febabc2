"""Direct speech set as dialogue: a paragraph that opens with a dash.

Russian, Ukrainian, Polish, Spanish or Italian news often quote without quotation marks:

    — Мы готовы к работе, — заявил посол. — Ждём ответа партнёров.
    - Omówiliśmy sprawy gospodarcze - powiedziała minister.

The dash that opens the paragraph opens the quoted words. A dash set between spaces closes them
when a speech verb follows it within a few words (the narration: "— заявил посол"), and the
next spaced dash after the narration reopens them. A spaced dash with no speech verb after it is
punctuation inside what is said ("To jest dla mnie pilne – wysłać pomoc do gmin"), and so is one
followed by an infinitive speech verb ("Chcę – dodać – jedno"). Without a closing
dash the quoted words run to the paragraph's end. Which dashes open dialogue is language data
(`dialogue_dashes` in `quotes.toml`); a language without any (English) gets no dialogue quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsgraph.ingest.layout import lines
from newsgraph.language.syntax import Analysis
from newsgraph.model import Span
from newsgraph.quotes.lexicon import QuoteLexicon
from newsgraph.quotes.marks import Quoted

CUE_WORDS_AFTER = 3  # words after a spaced dash among which a speech verb makes it a closing dash
NARRATION_CHARS = 80  # how far after a spaced dash the speech verb may stand


def dialogue_quoted(
    text: str, regions: Sequence[Span], analysis: Analysis, lex: QuoteLexicon
) -> list[Quoted]:
    """The quoted parts of the dash-opened paragraphs inside `regions`, in text order."""
    if not lex.dialogue_dashes:
        return []
    out: list[Quoted] = []
    for start, end in lines(text):
        if any(low <= start and end <= high for low, high in regions) and _opens_dialogue(
            text, start, end, lex
        ):
            out.extend(_paragraph(text, start, end, analysis, lex))
    return out


def _opens_dialogue(text: str, start: int, end: int, lex: QuoteLexicon) -> bool:
    """True when the line starts with a dialogue dash, a space, then words (not a quotation mark)."""
    if text[start] not in lex.dialogue_dashes or start + 2 >= end or not text[start + 1].isspace():
        return False
    rest = text[start + 1 : end].lstrip()
    return bool(rest) and rest[0] not in lex.mark_characters and any(c.isalpha() for c in rest)


def _paragraph(text: str, start: int, end: int, analysis: Analysis, lex: QuoteLexicon) -> list[Quoted]:
    """The quoted parts of one dialogue paragraph: quoted words and narration alternate at spaced dashes."""
    dashes = "".join(sorted(lex.dialogue_dashes))
    spaced = re.compile(rf"\s([{re.escape(dashes)}])\s")
    out: list[Quoted] = []
    opening: Span | None = (start, start + 1)
    for m in spaced.finditer(text, start + 1, end):
        dash = m.span(1)
        if opening is not None and _narration_follows(text, dash[1], end, analysis, lex):
            out.append(Quoted(opening, dash, 0))
            opening = None
        elif opening is None:
            opening = dash
    if opening is not None:
        out.append(Quoted(opening, (end, end), 0))
    return [q for q in out if text[q.inner[0] : q.inner[1]].strip()]


def _narration_follows(text: str, position: int, end: int, analysis: Analysis, lex: QuoteLexicon) -> bool:
    """True when a speech verb stands among the first words after `position` ("— сказал он")."""
    words = [
        t for t in analysis.tokens_in((position, min(end, position + NARRATION_CHARS))) if t.text.isalpha()
    ]
    for token in words[:CUE_WORDS_AFTER]:
        forms = {token.lemma.casefold(), token.text.casefold()}
        if _is_infinitive(token.text, lex):
            continue  # "– dodać, że …": an infinitive goes on with what is said, it narrates nothing
        if forms & lex.verbs or any(phrase[0] in forms for phrase in lex.phrases):
            return True
    return False


def _is_infinitive(word: str, lex: QuoteLexicon) -> bool:
    """True for a word with an ending of the language's infinitive ("dodać", "сказать")."""
    return bool(lex.infinitive_endings) and word.casefold().endswith(lex.infinitive_endings)


def merge(quoted: list[Quoted], dialogue: list[Quoted]) -> list[Quoted]:
    """The outermost quotations once dialogue is added: marked quotations inside dialogue are nested."""
    if not dialogue:
        return quoted
    kept = [q for q in quoted if not any(d.start <= q.start and q.end <= d.end for d in dialogue)]
    return sorted([*kept, *dialogue], key=lambda q: (q.start, -q.end))
