"""Content identity: the same article text gives the same hash whatever its spacing or Unicode form."""

from __future__ import annotations

import hashlib
import unicodedata


def normalise_whitespace(text: str) -> str:
    """NFC, every run of whitespace as one space, no leading or trailing whitespace."""
    # str.split() with no separator splits on exactly the characters `str.isspace()` accepts
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """First 16 hex characters of the sha256 of the normalised text."""
    return hashlib.sha256(normalise_whitespace(text).encode("utf-8")).hexdigest()[:16]
