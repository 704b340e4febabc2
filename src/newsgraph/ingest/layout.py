"""Line and block structure of a text, as spans into it (never a reflowed copy)."""

from __future__ import annotations

import re

from newsgraph.model import Span

_LINE = re.compile(r"[^\r\n]*")
_BLANK_RUN = re.compile(r"(?:[ \t\u00a0]*(?:\r\n|\r|\n)){2,}")


def lines(text: str) -> list[Span]:
    """Non-empty lines, trimmed of surrounding whitespace."""
    out = []
    for m in _LINE.finditer(text):
        start, end = trim(text, m.start(), m.end())
        if start < end:
            out.append((start, end))
    return out


def blocks(text: str) -> list[Span]:
    """Paragraph-like blocks: runs of lines separated by blank lines, trimmed."""
    out, pos = [], 0
    for m in _BLANK_RUN.finditer(text):
        start, end = trim(text, pos, m.start())
        if start < end:
            out.append((start, end))
        pos = m.end()
    start, end = trim(text, pos, len(text))
    if start < end:
        out.append((start, end))
    return out


def trim(text: str, start: int, end: int) -> Span:
    """`[start, end)` without leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
