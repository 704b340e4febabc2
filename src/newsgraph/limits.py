"""Bounds on the work one input may cause, and how a breach is worded.

Every limit is a setting (`newsgraph.config.Settings`). A breach is written into the document's
`errors` naming the setting and how to raise it, so that a user who meets one knows both why the
document was cut or refused and what to change if such documents are expected.
"""

from __future__ import annotations

import re
from functools import cache


def breach(problem: str, setting: str, limit: float) -> str:
    """`problem`, then the setting it breached and how to raise it, as one error message."""
    shown = f"{limit:,}" if isinstance(limit, int) else f"{limit:g}"
    return (
        f"{problem}, over {setting}={shown}; raise {setting} in the settings (config file: {setting} = ...)"
    )


def long_tokens(text: str, max_chars: int) -> list[tuple[int, int]]:
    """The `[start, end)` of every run of non-space characters longer than `max_chars`."""
    if max_chars <= 0 or len(text) <= max_chars:
        return []
    return [m.span() for m in _longer_than(max_chars).finditer(text)]


@cache
def _longer_than(max_chars: int) -> re.Pattern[str]:
    """The runs of non-space characters longer than `max_chars`, found by the regex engine alone:
    the same spans as every `\\S+` run filtered by length (a run starts after a space or at the
    start, and `\\S{n,}` takes it whole), without a Python object per word of every document (three
    calls per document, once each for the sentences, the names and the parse)."""
    return re.compile(rf"(?<!\S)\S{{{max_chars + 1},}}")


def cut_tokens(text: str, max_chars: int) -> str:
    """`text` with every token over `max_chars` cut to that length, the rest blanked with spaces.

    The length is kept, so every offset into the result is an offset into `text`: a model that
    cannot take a megabyte "word" (a parser, the story encoder) sees its first characters and then
    whitespace, which tokenisers skip.
    """
    spans = long_tokens(text, max_chars)
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(text[position : start + max_chars])
        pieces.append(" " * (end - start - max_chars))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
