"""The article's title: found in plain text, or located when metadata gave it.

Plain text from a scraper starts with the headline, possibly under furniture (breadcrumbs,
datelines) that cleaning has already marked. The first line left is the title when it looks like
one: short, not ending like a sentence, and not the first line of a wrapped paragraph. Only that
line is considered: a text that opens with its first paragraph has no title, rather than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsgraph.ingest.layout import lines
from newsgraph.model import Boilerplate, Span

MAX_TITLE_CHARS = 250
MAX_TITLE_WORDS = 35
MIN_TITLE_WORDS = 3  # shorter lines above the headline are labels ("Politik", "EXCLUSIVE", "Jane Doe")
MAX_LABELS_ABOVE = 3
_WORDS = re.compile(r"[^\W\d_]+")
NOT_TITLE_ENDINGS = (".", ",", ";", ":")  # a headline may end with "?", "!", "…" or "...", not these
# typographic variants a metadata title and the page text may disagree on
_EQUIVALENT = ("'’‘ʼ`´", '"“”„«»', "-‐‑‒–—")
_CONTINUATION = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*(\S)")


def find_title(text: str, boilerplate: Iterable[Boilerplate]) -> Span | None:
    """The span of the first line outside the boilerplate that reads as a headline.

    Labels of one or two words above it (a section name, a kicker such as "EXCLUSIVE", an unmarked
    author name) are passed over; any other line that is no headline ends the search.
    """
    marks = [(b.start, b.end) for b in boilerplate]
    left = [s for s in lines(text) if not any(a < s[1] and s[0] < b for a, b in marks)]
    first = next((s for s in left[: MAX_LABELS_ABOVE + 1] if not _is_label(text[s[0] : s[1]])), None)
    if first is None or not _looks_like_title(text[first[0] : first[1]]):
        return None
    # a line continued in lowercase on the very next line opens a hard-wrapped paragraph (a byline
    # glued to the next paragraph, "di Marco RossiIl ministro", is furniture and continues nothing)
    continued = _CONTINUATION.match(text, first[1])
    if continued and any(a <= continued.start(1) < b for a, b in marks):
        return first
    return None if continued and continued.group(1).islower() else first


def locate_title(text: str, title: str) -> Span | None:
    """Where a metadata title occurs in the text, ignoring whitespace, case and quote/dash variants."""
    words = title.split()
    if not words:
        return None
    found = re.search(r"\s+".join(_loose(w) for w in words), text, re.IGNORECASE)
    return found.span() if found else None


def _is_label(line: str) -> bool:
    """A line of one or two words that does not end a sentence: a section name or a kicker."""
    return len(_WORDS.findall(line)) < MIN_TITLE_WORDS and not line.rstrip().endswith((".", "!", "?"))


def _looks_like_title(line: str) -> bool:
    if len(line) > MAX_TITLE_CHARS or len(line.split()) > MAX_TITLE_WORDS:
        return False
    if not any(ch.isalpha() for ch in line):
        return False
    return not line.endswith(NOT_TITLE_ENDINGS) or line.endswith("...")


def _loose(word: str) -> str:
    out = []
    for ch in word:
        group = next((g for g in _EQUIVALENT if ch in g), None)
        out.append(f"[{re.escape(group)}]" if group else re.escape(ch))
    return "".join(out)
