"""Readers: files, folders and stdin to a stream of `Document`s, one per article.

`.txt` (the whole file is the article), `.html`/`.htm` (the article is extracted from the page),
`.jsonl`/`.jsonl.gz` (one article per line, streamed: see docs/interchange.md) and folders of
them; `-` is JSON Lines on stdin. Bad input never raises: it becomes a Document with `text=""`
and an `errors` message that says what went wrong and what to do, so nothing is silently dropped.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from newsgraph.config import Settings
from newsgraph.ingest.encoding import (
    SAMPLE_SIZE,
    UnreadableInput,
    decode_bytes,
    decode_utf8_lenient,
    mostly_control,
)
from newsgraph.ingest.hashing import content_hash
from newsgraph.ingest.html import HtmlArticle, decode_html, extract_article
from newsgraph.ingest.metadata import parse_published
from newsgraph.limits import breach
from newsgraph.model import DateValue, Document

STDIN = "-"
STDIN_SOURCE = "<stdin>"
# suffix -> kind, longest suffix first so that `.jsonl.gz` is not taken for something else
SUFFIXES = {".jsonl.gz": "jsonl", ".jsonl": "jsonl", ".html": "html", ".htm": "html", ".txt": "txt"}
_CHUNK = 1 << 20  # bytes read at a time from a JSON Lines stream
_CONTENT = re.compile(rb"\S")  # the first character of a non-blank line
_BRACKET = re.compile(rb"[\[\]{}]")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_RAISE_LIMIT = "raise max_bytes in the settings (config file: max_bytes = <bytes>) to read it"
_NO_TEXT = "give the article as `text` (or `html`)"
# JSON may escape half a surrogate pair ("\ud800"), which no UTF-8 writer (hash, store, export) accepts
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class ByteSource(Protocol):
    """A binary stream read in chunks: a file, a gzip file, stdin."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


def read_paths(paths: Iterable[str | Path], settings: Settings) -> Iterator[Document]:
    """Documents from every path in turn: files, folders (recursive, sorted) and `-` for stdin."""
    for path in paths:
        if str(path) == STDIN:
            yield from _read_jsonl_stream(sys.stdin.buffer, STDIN_SOURCE, settings)
        else:
            yield from _read_path(Path(path), settings)


def error_document(source: str, message: str, doc_id: str | None = None) -> Document:
    """A document that could not be read: no text, `message` in `errors`, an id stable per source."""
    stable_id = "err-" + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Document(doc_id=doc_id or stable_id, text="", source=source, errors=[message])


def input_kind(path: Path) -> str | None:
    """`txt`, `html` or `jsonl` from the file name; None for other files."""
    name = path.name.lower()
    return next((kind for suffix, kind in SUFFIXES.items() if name.endswith(suffix)), None)


# ---------------------------------------------------------------------------- files and folders
def _read_path(path: Path, settings: Settings) -> Iterator[Document]:
    if path.is_dir():
        for file in files_below(path):
            yield from _read_file(file, settings)
    elif path.exists():
        yield from _read_file(path, settings)
    else:
        yield error_document(str(path), "no such file or folder; check the path")


def files_below(folder: Path) -> list[Path]:
    """The readable files below `folder`, sorted; hidden files and folders are skipped."""
    return sorted(
        path
        for path in folder.rglob("*")
        if input_kind(path)
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _read_file(path: Path, settings: Settings) -> Iterator[Document]:
    source, kind = str(path), input_kind(path)
    notes: list[str] = []  # what decoding repaired, for the document's `errors`
    try:
        if kind == "jsonl":
            yield from _read_jsonl_file(path, settings)
        elif kind == "html":
            notes = []
            page = decode_html(_read_capped(path, settings), notes)
            yield _html_document(extract_article(page), source, notes=notes)
        else:
            notes = []
            doc = _text_document(decode_bytes(_read_capped(path, settings), notes=notes), source)
            doc.errors.extend(notes)
            yield doc
    except UnreadableInput as exc:
        # a file named on the command line with another suffix was tried as text
        remedy = exc.remedy if kind else f"its suffix is not one of {', '.join(SUFFIXES)}; {exc.remedy}"
        yield error_document(source, f"{exc.problem}; {remedy}")
    except OSError as exc:
        yield error_document(source, f"cannot read: {exc.strerror or exc}; check the file and its rights")
    except Exception as exc:  # RecursionError in a parser, MemoryError...: this file, not the run
        yield error_document(source, f"cannot read: {type(exc).__name__}: {exc}; check the file")


def _read_capped(path: Path, settings: Settings) -> bytes:
    """The file's bytes; a file over `max_bytes` is refused before it is read into memory."""
    limit = settings.max_bytes
    size = path.stat().st_size
    if size <= limit:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # the file may have grown (or be a device) since stat
        if len(data) <= limit:
            return data
        size = len(data)
    raise UnreadableInput(f"too large: {size:,} bytes, over max_bytes={limit:,}", _RAISE_LIMIT)


# ---------------------------------------------------------------------------- JSON Lines
class InputLimit(Exception):
    """A stream went past a bound (decompressed size or ratio); the message is the error record's."""


class _CappedStream:
    """A binary stream that raises `InputLimit` once more than `cap` bytes have been read from it."""

    def __init__(self, stream: gzip.GzipFile, cap: int, message: Callable[[int], str]):
        self.stream, self.cap, self.message, self.read_so_far = stream, cap, message, 0

    def read(self, size: int = -1, /) -> bytes:
        data = self.stream.read1(size)
        self.read_so_far += len(data)
        if self.read_so_far > self.cap:
            raise InputLimit(self.message(self.read_so_far))
        return data

    def close(self) -> None:
        self.stream.close()


def decompressed_cap(compressed: int, settings: Settings) -> tuple[int, str, float]:
    """How many bytes a .gz of `compressed` bytes may inflate to, and the setting that says so.

    A compressed file may always inflate to one `max_bytes` document; beyond that, no further than
    `max_compression_ratio` times its size (text compresses 3-10 times; a gigabyte of newlines
    compresses a thousand times) and never past `max_decompressed_bytes`.
    """
    by_ratio = max(int(settings.max_compression_ratio * compressed), settings.max_bytes)
    if by_ratio < settings.max_decompressed_bytes:
        return by_ratio, "max_compression_ratio", settings.max_compression_ratio
    return settings.max_decompressed_bytes, "max_decompressed_bytes", settings.max_decompressed_bytes


def open_jsonl(path: Path, settings: Settings) -> ByteSource:
    """The file's bytes as a stream; a .gz is inflated with the bound of `decompressed_cap`."""
    if not path.name.lower().endswith(".gz"):
        return path.open("rb")
    compressed = path.stat().st_size
    cap, setting, limit = decompressed_cap(compressed, settings)

    def message(inflated: int) -> str:
        return breach(
            f"decompressed past {inflated:,} bytes from {compressed:,} (a compression bomb?); "
            "the lines before were read",
            setting,
            limit,
        )

    return _CappedStream(gzip.open(path, "rb"), cap, message)


def _read_jsonl_file(path: Path, settings: Settings) -> Iterator[Document]:
    stream = open_jsonl(path, settings)
    try:
        yield from _read_jsonl_stream(stream, str(path), settings)
    finally:
        stream.close()


def _read_jsonl_stream(stream: ByteSource, source: str, settings: Settings) -> Iterator[Document]:
    """One document per non-blank line; a bad line gives an error document and the rest go on.

    A stream that fails (a corrupt or truncated .gz, a failing disk, a bound passed) ends with one
    error document after the lines already read.
    """
    lineno = 0
    try:
        for lineno, line in bounded_lines(stream, settings.max_bytes):
            line_source = f"{source}#L{lineno}"
            if isinstance(line, int):
                yield error_document(
                    line_source, breach(f"line too large: {line:,} bytes", "max_bytes", settings.max_bytes)
                )
            else:
                yield _line_document(line, line_source, settings)
    except InputLimit as exc:
        yield error_document(f"{source}#L{lineno + 1}", str(exc))
    except Exception as exc:  # zlib.error, EOFError, OSError, gzip.BadGzipFile...: the file, not the run
        yield error_document(
            f"{source}#L{lineno + 1}",
            f"cannot read past line {lineno}: {type(exc).__name__}: {exc}; "
            "check the file (re-compress or re-export it)",
        )


def bounded_lines(stream: ByteSource, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """`(line number, line)` for each non-blank line, `(line number, size)` for one over `limit` bytes.

    Read in chunks, so that a line over the limit is skipped without being held, and so that runs
    of blank lines (a gigabyte of newlines) cost a scan in C rather than a Python call per line.
    """
    lineno = 0  # newlines before `pending`
    pending = b""  # the start (with content) of a line not yet ended, at most `limit` bytes
    skipped = 0  # > 0: the bytes so far of a line over the limit, being skipped
    for chunk in _chunks(stream):
        if skipped:
            end = chunk.find(b"\n")
            if end < 0:
                skipped += len(chunk)
                continue
            lineno += 1
            yield lineno, skipped + end + 1
            skipped, chunk = 0, chunk[end + 1 :]
        data, start, pending = pending + chunk, 0, b""
        while (content := _CONTENT.search(data, start)) is not None:
            line_start = max(start, data.rfind(b"\n", start, content.start()) + 1)
            lineno += data.count(b"\n", start, line_start)
            end = data.find(b"\n", content.start())
            if end < 0:
                rest = data[line_start:]
                if len(rest) > limit:
                    skipped = len(rest)
                else:
                    pending = rest
                break
            lineno += 1
            size = end + 1 - line_start
            yield lineno, size if size > limit else data[line_start : end + 1]
            start = end + 1
        else:
            lineno += data.count(b"\n", start)
    if skipped:
        yield lineno + 1, skipped
    elif pending:
        yield lineno + 1, pending


def _chunks(stream: ByteSource) -> Iterator[bytes]:
    """The stream in chunks; `InputLimit` at once when it starts like a binary file.

    `read1` where there is one: what one step of decompression gives, so that a truncated .gz
    loses no line before the break.
    """
    read = getattr(stream, "read1", stream.read)
    chunk = read(_CHUNK)
    sample = chunk[:SAMPLE_SIZE]
    # JSON never holds a raw NUL or control character: a binary file gets one error, not one per "line"
    if b"\x00" in sample or mostly_control(sample.decode("utf-8", "replace")):
        raise InputLimit(
            "looks binary (NUL or control bytes), not JSON Lines; convert it to UTF-8 JSON Lines"
        )
    while chunk:
        yield chunk
        chunk = read(_CHUNK)


def json_too_deep(line: bytes, limit: int) -> bool:
    """True when the JSON in `line` nests arrays and objects more than `limit` deep (strings aside).

    Checked before parsing: the parser recurses once per level and `[` x 100,000 exhausts the stack.
    """
    if line.count(b"[") + line.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub(b'""', line)):
        depth += 1 if bracket.group() in b"[{" else -1
        if depth > limit:
            return True
    return False


def _line_document(line: bytes, source: str, settings: Settings) -> Document:
    """The line's document; whatever goes wrong with this line is an error document for it alone."""
    try:
        return _parsed_line_document(line, source, settings)
    except Exception as exc:  # RecursionError, MemoryError...: this line, not the run
        return error_document(source, f"cannot read this line: {type(exc).__name__}: {exc}; fix or remove it")


def _parsed_line_document(line: bytes, source: str, settings: Settings) -> Document:
    notes: list[str] = []
    text = decode_utf8_lenient(line.removeprefix(codecs.BOM_UTF8), notes)
    if text is None:
        return error_document(source, "line is not UTF-8; JSON Lines must be UTF-8, re-encode the file")
    if json_too_deep(line, settings.max_json_depth):
        return error_document(
            source, breach("JSON nested too deep", "max_json_depth", settings.max_json_depth)
        )
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return error_document(source, f"broken JSON ({exc.msg}, column {exc.colno}); fix or remove the line")
    if not isinstance(record, dict):
        return error_document(source, f"line is a JSON {json_type(record)}, not an object; {_NO_TEXT}")
    doc = _record_document(record, source, settings)
    doc.errors.extend(notes)
    return doc


def record_document(record: dict[str, Any], source: str, settings: Settings) -> Document:
    """An input record that did not come from a file (`POST /api/documents`) read as a JSON Lines
    line is: the same fields, checks and notes."""
    return _record_document(record, source, settings)


def _record_document(record: dict[str, Any], source: str, settings: Settings) -> Document:
    """A JSON Lines record (interchange.md input fields) as a document; unknown fields are ignored.

    A field of the wrong type is ignored with a note naming it, never silently dropped.
    """
    notes: list[str] = []
    caller_id = _caller_id(record, settings.max_id_chars, notes)
    text, html = _string(record, "text", notes, strip=False), _string(record, "html", notes)
    if text and mostly_control(text[:SAMPLE_SIZE]):
        doc = error_document(
            source, "text looks binary (mostly control characters); give the article's text", caller_id
        )
    elif text:
        doc = _text_document(text, source, caller_id)
    elif html:
        doc = _html_document(extract_article(html), source, caller_id)
    else:
        doc = error_document(
            source, f"record has no text (`text` and `html` missing or empty); {_NO_TEXT}", caller_id
        )
    if not doc.text:
        doc.errors.extend(notes)
        return doc
    doc.title = _string(record, "title", notes) or doc.title
    doc.url = _string(record, "url", notes) or doc.url
    doc.outlet = _string(record, "outlet", notes) or doc.outlet
    doc.lang_hint = _language(_string(record, "lang", notes))
    published = _string(record, "published", notes)
    if published:
        doc.published = _published(published, doc)
    doc.errors.extend(notes)
    return doc


def _published(value: str, doc: Document) -> DateValue | None:
    """The caller's date; one that is not ISO 8601 is noted in `errors` and the document's own date kept."""
    parsed = parse_published(value)
    if parsed is None:
        doc.errors.append(
            f"published {value!r} is not an ISO 8601 date, ignored; "
            "give it as 2023-11-01 or 2023-11-01T15:03:00+03:00"
        )
    return parsed or doc.published


def _caller_id(record: dict[str, Any], max_chars: int, notes: list[str]) -> str | None:
    """The caller's id, a string of at most `max_chars`; else None (the content hash), with a note.

    Ids are strings in the interchange format; integer ids are common enough to accept as such.
    """
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    caller_id = _string({"id": value}, "id", notes)
    if caller_id is not None and len(caller_id) > max_chars:
        notes.append(
            breach(
                f"id: {len(caller_id):,} characters, ignored (the content hash is the id)",
                "max_id_chars",
                max_chars,
            )
        )
        return None
    return caller_id


def _string(record: dict[str, Any], key: str, notes: list[str], strip: bool = True) -> str | None:
    """The field as valid Unicode (lone surrogates become U+FFFD, offsets hold); None if absent or blank.

    A value of another JSON type is noted, naming the field: the caller should know it was ignored.
    """
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        notes.append(f"{key}: a JSON {json_type(value)}, not a string, ignored; give {key} as a JSON string")
        return None
    if not value.strip():
        return None
    value = _LONE_SURROGATE.sub("\ufffd", value)
    return value.strip() if strip else value


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type (`object`, `array`, `number`...), for messages."""
    names = ((bool, "boolean"), (dict, "object"), (list, "array"), ((int, float), "number"), (str, "string"))
    return next((name for kind, name in names if isinstance(value, kind)), "null")


def _language(hint: str | None) -> str | None:
    """`fr`, `FR` and `fr-FR` all hint French: the ISO 639-1 part, lower case."""
    return (hint.replace("_", "-").split("-")[0].lower() or None) if hint else None


# ---------------------------------------------------------------------------- documents
def _text_document(text: str, source: str, doc_id: str | None = None) -> Document:
    if not text.strip():
        return error_document(source, "empty: no text, only whitespace; check the file", doc_id)
    hashed = content_hash(text)
    return Document(doc_id=doc_id or hashed, text=text, source=source, content_hash=hashed)


def _html_document(
    article: HtmlArticle, source: str, doc_id: str | None = None, notes: Iterable[str] = ()
) -> Document:
    """The page's document; `notes` (decoding repairs) and the article's own notes go to `errors`."""
    if not article.text:
        doc = error_document(
            source,
            "no article text found in the HTML; check that it is an article page, or pass its text as .txt",
            doc_id,
        )
    else:
        doc = _text_document(article.text, source, doc_id)
        doc.title, doc.url, doc.outlet = article.title, article.url, article.outlet
        doc.published = article.published
    doc.errors.extend((*notes, *article.notes))
    return doc
