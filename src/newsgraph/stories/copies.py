"""Near-duplicates among the articles of a story: the same text republished by another outlet or
stored twice with a different byline, share bar or headline.

The store keeps exact copies once (by content hash), but a syndicated article reprinted with its
own furniture, a corrected typo or one added paragraph is a new text. A reader of a story wants
those folded under the first version, so each article is compared with the earlier ones by the
word sequences they share: the bodies are cut into overlapping windows of `SHINGLE_WORDS` words,
and an article is a copy of an earlier one when most of the shorter text's windows occur in the
other (containment rather than Jaccard, so a copy cut short or extended by a paragraph still
counts). Translations share no windows, so articles in two languages are never copies.

An inverted index from window to earlier originals keeps the work proportional to the text
compared instead of quadratic in the number of articles.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence

SHINGLE_WORDS = 5  # a run of five words rarely recurs by chance in two different news texts
COPY_SHARE = 0.8  # share of the shorter text's windows found in the other that makes it a copy
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    """The article's overlapping word windows, case-folded, as stable integer hashes.

    A text shorter than one window is a single window of all its words, so two one-line texts
    are copies only when their words are the same."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return set()
    size = min(SHINGLE_WORDS, len(words))
    return {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


def copies_of(texts: Sequence[str], share: float = COPY_SHARE) -> list[int | None]:
    """For each text (in the order given: earliest first), the index of the earlier original it
    copies, else None. An original is never itself a copy, so chains fold onto the first text."""
    windows = [shingles(text) for text in texts]
    postings: defaultdict[int, list[int]] = defaultdict(list)  # window -> originals containing it
    out: list[int | None] = []
    for index, own in enumerate(windows):
        shared = Counter(original for window in own for original in postings.get(window, ()))
        best = _best_original(shared, own, windows, share)
        out.append(best)
        if best is None:
            for window in own:
                postings[window].append(index)
    return out


def _best_original(
    shared: Counter[int], own: set[int], windows: Sequence[set[int]], share: float
) -> int | None:
    """The earlier original sharing the largest share of the shorter text's windows, from `share` on."""
    best, best_share = None, share
    for original, count in sorted(shared.items()):
        smaller = min(len(own), len(windows[original]))
        ratio = count / smaller if smaller else 0.0
        if ratio >= best_share and (best is None or ratio > best_share):
            best, best_share = original, ratio
    return best
