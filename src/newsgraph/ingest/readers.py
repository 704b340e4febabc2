"""Readers: files, folders and stdin to a stream of `Document`s, one per article.

`.txt` (the whole file is the article), `.html`/`.htm` (the article is extracted from the page),
`.jsonl`/`.jsonl.gz` (one article per line, streamed: see docs/interchange.md) and folders of
them; `-` is JSON Lines on stdin. Bad input never raises: it becomes a Document with `text=""`
and an `errors` message that says what went wrong and what to do, so nothing is silently dropped.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from newsgraph.config import Settings
from newsgraph.ingest.encoding import UnreadableInput, decode_bytes
from newsgraph.ingest.hashing import content_hash
from newsgraph.ingest.html import HtmlArticle, decode_html, extract_article
from newsgraph.ingest.metadata import parse_published
from newsgraph.model import DateValue, Document

STDIN = "-"
STDIN_SOURCE = "<stdin>"
# suffix -> kind, longest suffix first so that `.jsonl.gz` is not taken for something else
SUFFIXES = {".jsonl.gz": "jsonl", ".jsonl": "jsonl", ".html": "html", ".htm": "html", ".txt": "txt"}
_SKIP_CHUNK = 1 << 20  # bytes read at a time while skipping the rest of an over-long line
_RAISE_LIMIT = "raise max_bytes in the settings (config file: max_bytes = <bytes>) to read it"
_NO_TEXT = "give the article as `text` (or `html`)"
# JSON may escape half a surrogate pair ("\ud800"), which no UTF-8 writer (hash, store, export) accepts
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class LineSource(Protocol):
    """A binary stream read line by line: a file, a gzip file, stdin."""

    def readline(self, size: int = -1, /) -> bytes: ...


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
    try:
        if kind == "jsonl":
            yield from _read_jsonl_file(path, settings)
        elif kind == "html":
            yield _html_document(extract_article(decode_html(_read_capped(path, settings))), source)
        else:
            yield _text_document(decode_bytes(_read_capped(path, settings)), source)
    except UnreadableInput as exc:
        # a file named on the command line with another suffix was tried as text
        remedy = exc.remedy if kind else f"its suffix is not one of {', '.join(SUFFIXES)}; {exc.remedy}"
        yield error_document(source, f"{exc.problem}; {remedy}")
    except OSError as exc:
        yield error_document(source, f"cannot read: {exc.strerror or exc}; check the file and its rights")


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
def _read_jsonl_file(path: Path, settings: Settings) -> Iterator[Document]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as stream:
        yield from _read_jsonl_stream(stream, str(path), settings)


def _read_jsonl_stream(stream: LineSource, source: str, settings: Settings) -> Iterator[Document]:
    """One document per non-blank line; a bad line gives an error document and the rest go on."""
    lineno = 0
    try:
        for lineno, line in _bounded_lines(stream, settings.max_bytes):
            line_source = f"{source}#L{lineno}"
            if isinstance(line, int):
                yield error_document(
                    line_source,
                    f"line too large: {line:,} bytes, over max_bytes={settings.max_bytes:,}; {_RAISE_LIMIT}",
                )
            elif line.strip():
                yield _line_document(line, line_source)
    except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz, or a failing disk
        yield error_document(
            f"{source}#L{lineno + 1}",
            f"cannot read past line {lineno}: {exc}; check the file (re-compress or re-export it)",
        )


def _bounded_lines(stream: LineSource, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """`(line number, line)`, or `(line number, size)` for a line over `limit` bytes, never held in memory."""
    lineno = 0
    while line := stream.readline(limit + 1):
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            yield lineno, len(line) + _skip_line(stream)
        else:
            yield lineno, line


def _skip_line(stream: LineSource) -> int:
    """Read up to the end of the current line, keeping nothing; the number of bytes skipped."""
    skipped = 0
    while chunk := stream.readline(_SKIP_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _line_document(line: bytes, source: str) -> Document:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return error_document(source, "line is not UTF-8; JSON Lines must be UTF-8, re-encode the file")
    except json.JSONDecodeError as exc:
        return error_document(source, f"broken JSON ({exc.msg}, column {exc.colno}); fix or remove the line")
    if not isinstance(record, dict):
        return error_document(source, f"line is a JSON {type(record).__name__}, not an object; {_NO_TEXT}")
    return _record_document(record, source)


def _record_document(record: dict[str, Any], source: str) -> Document:
    """A JSON Lines record (interchange.md input fields) as a document; unknown fields are ignored."""
    caller_id = _caller_id(record)
    text, html = _string(record, "text", strip=False), _string(record, "html")
    if text:
        doc = _text_document(text, source, caller_id)
    elif html:
        doc = _html_document(extract_article(html), source, caller_id)
    else:
        return error_document(
            source, f"record has no text (`text` and `html` missing or empty); {_NO_TEXT}", caller_id
        )
    if doc.errors:
        return doc
    doc.title = _string(record, "title") or doc.title
    doc.url = _string(record, "url") or doc.url
    doc.outlet = _string(record, "outlet") or doc.outlet
    doc.lang_hint = _language(_string(record, "lang"))
    published = _string(record, "published")
    if published:
        doc.published = _published(published, doc)
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


def _caller_id(record: dict[str, Any]) -> str | None:
    # ids are strings in the interchange format; integer ids are common enough to accept as such
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string(record, "id")


def _string(record: dict[str, Any], key: str, strip: bool = True) -> str | None:
    """The field as valid Unicode (lone surrogates become U+FFFD, offsets hold); None if absent or blank."""
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    value = _LONE_SURROGATE.sub("\ufffd", value)
    return value.strip() if strip else value


def _language(hint: str | None) -> str | None:
    """`fr`, `FR` and `fr-FR` all hint French: the ISO 639-1 part, lower case."""
    return (hint.replace("_", "-").split("-")[0].lower() or None) if hint else None


# ---------------------------------------------------------------------------- documents
def _text_document(text: str, source: str, doc_id: str | None = None) -> Document:
    if not text.strip():
        return error_document(source, "empty: no text, only whitespace; check the file", doc_id)
    hashed = content_hash(text)
    return Document(doc_id=doc_id or hashed, text=text, source=source, content_hash=hashed)


def _html_document(article: HtmlArticle, source: str, doc_id: str | None = None) -> Document:
    if not article.text:
        return error_document(
            source,
            "no article text found in the HTML; check that it is an article page, or pass its text as .txt",
            doc_id,
        )
    doc = _text_document(article.text, source, doc_id)
    doc.title, doc.url, doc.outlet = article.title, article.url, article.outlet
    doc.published = article.published
    return doc
