"""Page furniture told from article text by the shape of a line, in any language (in the spirit of jusText).

Article text is made of sentences: words, a fair share of them function words ("the", "и", "ve"),
and sentence punctuation. Furniture is not: a view counter ("- 4,512") has no letters, a ticker
("USD 32,15 EUR 34,90 BIST 9.120") is mostly figures between short labels, a banner id
("div-gpt-ad-300x250") is code, a "follow us" line is mostly addresses, an embedded post ends with
its signature ("— Name (@handle) March 8, 2024"), a licence notice at the foot carries a link, a
teaser for another article shares no word with the article around it. These tests need no phrase
list. jusText's own test for a good paragraph (long, and dense in the function words of the
stop-word lists shipped with the `justext` package, about 100 languages, named through Babel's
English language names) keeps prose out of all of them. Per-language phrases
(`langdata/<lang>/boilerplate.toml`) stay extra evidence in `clean.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

import justext
from babel import Locale, UnknownLocaleError

from newsgraph.model import Boilerplate, Span

_TOKEN = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LINK = re.compile(
    r"(?i:https?://\S+|www\.\S+|\S+@\S+\.\w{2,}|@\w{2,}|#\w{2,}|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|info|io|co|tv|ru|ua|by|de|fr|it|es|pl|tr|uk|eu|me|news)(?:/\S*)?)"
)
_CODE = re.compile(r"[_={}<>\\]|[^\W\d_]\d|\d[^\W\d_]{2,}|[a-z][A-Z].*\d")
_NUMERIC = re.compile(r"[-+−]?\d[\d.,:%°/]*\S{0,3}")
_ADDRESS = re.compile(r"(?i:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]{2,})")
_UNIT = re.compile(r"°[CF]?|[°%‰$€£¥₺₽]\S{0,2}")
_TRAILING_BRACKET = re.compile(r"\s*\([^()]{0,40}\)\s*$")
_SIGNATURE = re.compile(r"^[—–-]\s*\S.{0,150}\(@\w+\).{0,40}\d{4}\s*$")
MAX_TICKER_WORD_RUN = 3  # labels between figures ("Brent", "EUR/USD"), never a clause of running words
MIN_TICKER_NUMBERS = 3
MIN_TICKER_NUMBER_SHARE = 0.4
MIN_SHARE = 0.5  # links: more than half the tokens ("Thank you @Name #Tag" is a sentence)
MAX_EMBED_CHARS = 300  # an embedded post's text (280 characters and a link)
MAX_NOTICE_CHARS = 300  # a licence or contact notice is a line or two
# jusText's "good" paragraph: this long and this dense in function words is prose, whatever else it holds
PROSE_CHARS, PROSE_STOP_DENSITY = 200, 0.32
MIN_TEASER_WORDS = 5  # a teaser headline has a few words ...
MAX_TEASER_WORDS = 25  # ... and is no paragraph
MIN_CONTEXT_WORDS = 60  # the article must be long enough to say what it is about
STEM = 5  # words compared by their first letters (inflection rarely touches them); shorter words skipped


@cache
def stopwords(lang: str | None) -> frozenset[str]:
    """jusText's stop words for `lang` (an ISO 639-1 code), lower case; empty when it has none."""
    if not lang:
        return frozenset()
    try:
        name = Locale.parse(lang).english_name or ""
    except (UnknownLocaleError, ValueError):
        return frozenset()
    name = name.replace(" ", "_")
    if name not in justext.get_stoplists():
        return frozenset()
    return frozenset(w.casefold() for w in justext.get_stoplist(name))


def stop_density(line: str, lang: str | None) -> float:
    """The share of the line's words that are function words of `lang` (0 when it has none)."""
    words = _WORD.findall(line)
    if not words:
        return 0.0
    stops = stopwords(lang)
    return sum(w.casefold() in stops for w in words) / len(words)


def is_prose(line: str, lang: str | None) -> bool:
    """jusText's test for a good paragraph: long, and dense in the language's function words."""
    return len(line) >= PROSE_CHARS and stop_density(line, lang) > PROSE_STOP_DENSITY


def line_furniture(line: str, lang: str | None) -> str | None:
    """The kind of furniture a line is by its shape alone, or None for a line that may be text."""
    tokens = _TOKEN.findall(line)
    if not tokens:
        return None
    if not _LETTER.search(line):
        return "counter"  # view counts, scores of other pages, separators: no word at all
    if _SIGNATURE.match(line):
        return "embed"
    if is_prose(line, lang):
        return None
    if sum(bool(_LINK.fullmatch(t.strip(",;|·•()[]"))) for t in tokens) > MIN_SHARE * len(tokens):
        return "link"
    if all(_CODE.search(t) for t in tokens if _LETTER.search(t)):
        return "banner"  # every word is an identifier ("div-gpt-ad-300x250", "banner_top_1")
    numbers = sum(bool(_NUMERIC.fullmatch(t)) for t in tokens)
    signs = sum(not _WORD.search(t) or bool(_UNIT.fullmatch(t)) for t in tokens)  # "▲", "%", "$", "°C"
    if (
        numbers >= MIN_TICKER_NUMBERS
        and max(numbers, signs) >= MIN_TICKER_NUMBER_SHARE * len(tokens)
        and _longest_word_run(tokens) <= MAX_TICKER_WORD_RUN
        and not line.rstrip().endswith(".")
    ):
        return "ticker"
    return None


def _longest_word_run(tokens: Sequence[str]) -> int:
    """The most consecutive tokens that are plain words: a sentence has long runs, a ticker none."""
    longest = run = 0
    for token in tokens:
        run = run + 1 if _WORD.fullmatch(token.strip(",;:()«»\"'")) else 0
        longest = max(longest, run)
    return longest


def shape_marks(text: str, spans: Sequence[Span], lang: str | None, covered: set[int]) -> list[Boilerplate]:
    """Furniture lines by shape, an embedded post's text above its signature, and a linked foot."""
    out = []
    for i, (start, end) in enumerate(spans):
        if i in covered:
            continue
        kind = line_furniture(text[start:end], lang)
        if kind is None:
            continue
        out.append(Boilerplate(start, end, kind, f"shape:{kind}"))
        if kind == "embed" and i > 0 and i - 1 not in covered:
            above = spans[i - 1]
            if above[1] - above[0] <= MAX_EMBED_CHARS:
                out.append(Boilerplate(*above, "embed", "shape:embed-text"))
    return out + _linked_foot(text, spans, lang, covered | {spans.index((m.start, m.end)) for m in out})


def _linked_foot(text: str, spans: Sequence[Span], lang: str | None, covered: set[int]) -> list[Boilerplate]:
    """The last lines that carry a written-out address (licence and contact notices), up from the end.

    A bare site name ("RadioZET.pl/PAP") often signs the article's last paragraph: only a full
    address (`https://`, `www.`, an e-mail) makes a line a notice.
    """
    out = []
    for i in range(len(spans) - 1, 0, -1):
        if i in covered:
            continue
        start, end = spans[i]
        if end - start > MAX_NOTICE_CHARS or is_prose(text[start:end], lang):
            break  # a paragraph that ends with a link is text
        if not _ADDRESS.search(text[start:end]):
            break
        out.append(Boilerplate(start, end, "notice", "shape:linked-foot"))
    return out


def teasers(text: str, spans: Sequence[Span], body: Sequence[int]) -> list[Boilerplate]:
    """Headline-like lines about something else: teasers for other articles, placed among the text.

    A line reads as a headline when it is short, opens with a capital and does not end a sentence; it
    is about something else when none of its words of `STEM` letters or more shares its first `STEM`
    letters with a word anywhere else in the article. The first line left is the headline's place
    and is never a teaser. An item of a list in the text (under a line ending with a colon, or beside
    an item that is about the article) is no teaser either; a run of off-topic headlines is a list of
    related links and all of it goes. Function-word lists are no help here: jusText's lists hold
    frequent content words too ("government", "Великобритания"), so length alone keeps "the" out.
    """
    keys = {i: _stems(text[spans[i][0] : spans[i][1]]) for i in body}
    lines_with = Counter(stem for stems in keys.values() for stem in stems)
    total_words = sum(len(_WORD.findall(text[spans[i][0] : spans[i][1]])) for i in body)
    if total_words < MIN_CONTEXT_WORDS:
        return []
    headlines = {i for i in body[1:] if _headline_like(text, spans, i)}
    off_topic = {i for i in headlines if keys[i] and all(lines_with[stem] == 1 for stem in keys[i])}
    out, listed = [], set()
    for i in sorted(off_topic):
        previous = text[spans[i - 1][0] : spans[i - 1][1]] if i > 0 else ""
        on_topic_neighbour = any(j in headlines - off_topic for j in (i - 1, i + 1))
        if previous.rstrip().endswith(":") or i - 1 in listed or on_topic_neighbour:
            listed.add(i)  # the list goes on down to its last item
        else:
            out.append(Boilerplate(*spans[i], "related", "shape:teaser"))
    return out


def _headline_like(text: str, spans: Sequence[Span], i: int) -> bool:
    """Short, no figures, opens with a capital, ends no sentence; not the cut-off end of an excerpt."""
    line = text[spans[i][0] : spans[i][1]]
    if i == len(spans) - 1 and text.rstrip()[-1:] not in ".!?…\"'»”)":
        return False  # the last line of an excerpt cut off mid-sentence
    if any(ch.isdigit() for ch in line):
        return False  # dates, scores, figures: a line with numbers is often the article's own data
    return MIN_TEASER_WORDS <= len(_WORD.findall(line)) <= MAX_TEASER_WORDS and _reads_as_headline(line)


def _reads_as_headline(line: str) -> bool:
    """Opens with a capital (or a caseless letter) and ends neither a sentence nor an introduction.

    Closing quotes and a trailing bracket ("... unklar. (mp)") are looked through: a quoted sentence
    or a paragraph signed with initials is text.
    """
    if line[:1].islower():
        return False
    end = _TRAILING_BRACKET.sub("", line).rstrip().rstrip("\"'»”’)]").rstrip()
    return not end.endswith((".", ":", ";", ",", "…", "!"))


def _stems(line: str) -> set[str]:
    return {w.casefold()[:STEM] for w in _WORD.findall(line) if len(w) >= STEM}
