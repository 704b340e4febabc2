"""Bytes to text: a byte-order mark, else UTF-8, else a declared or detected legacy encoding.

Input that is not text (NUL bytes, undecodable, mostly control characters) is refused with an
`UnreadableInput` whose message says what went wrong and what to do, for the error record.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAMPLE_SIZE = 8192  # bytes / characters inspected for binary content, as git does
# C0 and C1 control characters other than tab, newlines, vertical tab and form feed
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.1
# Encodings news is actually published in. charset-normalizer ranks by fit to language statistics,
# which can favour a rare code page (Celtic iso8859_14 for French text with guillemets); among
# equally clean decodings a common encoding is the likelier truth.
COMMON_ENCODINGS = frozenset(
    (
        "cp1252",
        "latin_1",
        "iso8859_15",
        "cp1250",
        "iso8859_2",
        "cp1251",
        "koi8_r",
        "koi8_u",
        "cp866",
        "iso8859_5",
        "cp1253",
        "iso8859_7",
        "cp1254",
        "iso8859_9",
        "cp1255",
        "cp1256",
        "cp1257",
        "cp874",
        "tis_620",
        "gb18030",
        "gbk",
        "gb2312",
        "big5",
        "shift_jis",
        "cp932",
        "euc_jp",
        "euc_kr",
        "cp949",
    )
)
CHAOS_TOLERANCE = 0.01  # decodings this close in charset-normalizer's "chaos" count as equally clean
# Lenient UTF-8: a text with a few stray bytes (a truncated copy, one byte flipped in transit) is kept
# with those bytes replaced by U+FFFD and a note, rather than refused or decoded as a legacy code page.
MAX_BAD_SHARE = 0.01  # at most this share of the bytes may be invalid
GOOD_PER_BAD = 4  # ... and valid multi-byte characters must outnumber them this many times (legacy
# encodings almost never form valid UTF-8 sequences, so this tells UTF-8 with damage from cp1251)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")
_CONVERT = "convert it to UTF-8 text (or pass a .txt, .html or .jsonl file)"


class UnreadableInput(ValueError):
    """The input cannot be read as an article: `problem` says why, `remedy` what to do."""

    def __init__(self, problem: str, remedy: str):
        super().__init__(f"{problem}; {remedy}")
        self.problem = problem
        self.remedy = remedy


def decode_bytes(data: bytes, declared: str | None = None, notes: list[str] | None = None) -> str:
    """The text of `data`, the byte-order mark removed; `declared` is an encoding the input names.

    Valid UTF-8 wins over a declaration (pages often declare a legacy charset and serve UTF-8).
    What was repaired on the way (stray bytes replaced) is appended to `notes`.
    """
    bom_codec = _bom_codec(data)
    if bom_codec is not None:
        text = _decode_strict(data, bom_codec)
        if text is None:
            raise UnreadableInput(
                f"undecodable: starts with a {bom_codec} byte-order mark but is not valid {bom_codec}",
                _CONVERT,
            )
    elif b"\x00" in data[:SAMPLE_SIZE]:
        raise UnreadableInput("looks binary (NUL bytes)", _CONVERT)
    else:
        text = _decode_unmarked(data, declared, notes if notes is not None else [])
    if mostly_control(text[:SAMPLE_SIZE]):
        raise UnreadableInput("looks binary (mostly control characters)", _CONVERT)
    return text


def decode_utf8_lenient(data: bytes, notes: list[str]) -> str | None:
    """`data` as UTF-8 with a few invalid bytes replaced by U+FFFD (noted), or None when too many are.

    A text of pure ASCII with a stray byte passes too: nothing else would read it better.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(_NON_ASCII.findall(text)) if bad else 0
    if bad > MAX_BAD_SHARE * len(data) or (good and good < GOOD_PER_BAD * bad):
        return None
    if bad:
        notes.append(
            f"not valid UTF-8: {bad} invalid byte{'s' if bad > 1 else ''} replaced by U+FFFD, "
            "the rest kept; re-encode the source as UTF-8 if that is wrong"
        )
    return text


def _bom_codec(data: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def _decode_strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_unmarked(data: bytes, declared: str | None, notes: list[str]) -> str:
    """Valid UTF-8, else UTF-8 with a few stray bytes, else the declared, else a detected encoding."""
    text = _decode_strict(data, "utf-8")
    if text is None and _has_utf8_characters(data):
        text = decode_utf8_lenient(data, notes)
    if text is None and declared:
        text = _decode_strict(data, declared)
    return text if text is not None else _decode_detected(data)


def _has_utf8_characters(data: bytes) -> bool:
    """True when `data` holds valid multi-byte UTF-8 sequences (a legacy code page rarely forms one)."""
    return bool(_UTF8_MULTIBYTE.search(data))


def _decode_detected(data: bytes) -> str:
    matches = list(from_bytes(data))  # best first
    if not matches:
        raise UnreadableInput("undecodable: not UTF-8 and no known encoding fits", _CONVERT)
    cleanest = min(match.chaos for match in matches)
    clean = [match for match in matches if match.chaos <= cleanest + CHAOS_TOLERANCE]
    common = (match for match in clean if COMMON_ENCODINGS.intersection(match.could_be_from_charset))
    return str(next(common, clean[0]))


def mostly_control(sample: str) -> bool:
    """True when over a tenth of `sample` is control characters: binary data, not text."""
    return len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample)
