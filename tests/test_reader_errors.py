"""Readers on bad input: every problem becomes an error document that says what to do; nothing raises."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest.readers import error_document, read_paths
from newsgraph.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
ARTICLE = (
    "Le conseil municipal a voté mardi le budget de la ville pour l'année prochaine. "
    "L'opposition a dénoncé une hausse des tarifs des transports publics.\n"
)
MB = 1_000_000


def read(*paths: str | Path, settings: Settings | None = None) -> list[Document]:
    return list(read_paths(paths, settings or Settings()))


def read_one_error(path: Path, settings: Settings | None = None) -> str:
    [doc] = read(path, settings=settings)
    assert doc.text == "" and doc.source == str(path)
    assert doc.doc_id == error_document(str(path), "").doc_id  # stable, derived from the source
    [message] = doc.errors
    assert "; " in message  # what went wrong; what to do
    return message


def test_error_document_id_is_stable_per_source() -> None:
    first, again, other = (error_document(s, "x").doc_id for s in ("a.txt", "a.txt", "b.txt"))
    assert first == again != other and first.startswith("err-")


# ---------------------------------------------------------------------------- files
def test_nonexistent_path(tmp_path: Path) -> None:
    assert "no such file" in read_one_error(tmp_path / "missing.txt")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff \n".encode()])
def test_empty_or_whitespace_only_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert read_one_error(path).startswith("empty")


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20,  # NUL bytes
        bytes(range(1, 32)) * 40,  # control characters without NUL
    ],
)
def test_binary_file_named_txt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(content)
    assert "looks binary" in read_one_error(path)


def test_binary_file_with_unsupported_suffix_names_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    message = read_one_error(path)
    assert "looks binary" in message and ".jsonl.gz" in message and ".txt" in message


def test_file_over_max_bytes_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:  # sparse: 50 MB on paper, nothing written
        stream.truncate(50 * MB)

    def refuse_to_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over max_bytes was opened")

    monkeypatch.setattr(Path, "open", refuse_to_open)
    message = read_one_error(path)
    assert "50,000,000 bytes" in message and "max_bytes=20,000,000" in message


def test_file_over_the_default_limit_is_read_when_max_bytes_is_raised(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(ARTICLE.encode("utf-8") * (50 * MB // len(ARTICLE.encode("utf-8")) + 1))
    assert path.stat().st_size > 50 * MB
    [doc] = read(path, settings=Settings(max_bytes=60 * MB))
    assert doc.errors == [] and doc.text.startswith(ARTICLE) and len(doc.text.encode("utf-8")) > 50 * MB


# ---------------------------------------------------------------------------- JSON Lines
def test_broken_json_line_in_the_middle_does_not_stop_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": ARTICLE}),
                '{"id": "b", "text": "unterminated',
                json.dumps({"id": "c", "text": ARTICLE.upper()}),
            ]
        ),
        encoding="utf-8",
    )
    first, broken, last = read(path)
    assert (first.doc_id, last.doc_id) == ("a", "c") and first.errors == last.errors == []
    assert broken.text == "" and broken.source == f"{path}#L2"
    assert broken.doc_id == error_document(f"{path}#L2", "").doc_id
    assert broken.errors[0].startswith("broken JSON") and "fix or remove the line" in broken.errors[0]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (json.dumps({"id": "x", "title": "only a title"}), "record has no text"),
        (json.dumps({"id": "x", "text": "   \n"}), "record has no text"),
        (json.dumps({"id": "x", "text": 42}), "record has no text"),
        (json.dumps([ARTICLE]), "not an object"),
        (
            json.dumps({"id": "x", "html": "<html><body><script>only('code')</script></body></html>"}),
            "no article text found",
        ),
    ],
)
def test_records_without_an_article(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    [doc] = read(path)
    assert doc.text == "" and problem in doc.errors[0] and doc.source == f"{path}#L1"


def test_record_with_an_id_keeps_it_on_its_error_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "caller-7"}) + "\n", encoding="utf-8")
    [doc] = read(path)
    assert doc.doc_id == "caller-7" and doc.errors


def test_line_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(json.dumps({"text": ARTICLE}, ensure_ascii=False).encode("latin-1") + b"\n")
    [doc] = read(path)
    assert "not UTF-8" in doc.errors[0] and doc.text == ""


def test_lone_surrogates_become_replacement_characters_keeping_offsets(tmp_path: Path) -> None:
    path = tmp_path / "surrogates.jsonl"
    line = r'{"id": "s\udc00", "text": "Le maire \ud800 a parlé.", "title": "T\udfff"}'
    path.write_text(line + "\n", encoding="utf-8")
    [doc] = read(path)
    assert (doc.doc_id, doc.text, doc.title) == ("s\ufffd", "Le maire \ufffd a parlé.", "T\ufffd")
    assert doc.errors == [] and doc.content_hash


def test_unparseable_published_is_noted_and_the_article_kept(tmp_path: Path) -> None:
    path = tmp_path / "dated.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "published": "last Tuesday"}) + "\n", encoding="utf-8")
    [doc] = read(path)
    assert doc.text == ARTICLE and doc.published is None
    assert "'last Tuesday' is not an ISO 8601 date" in doc.errors[0]


def test_line_over_max_bytes_is_skipped_and_the_next_lines_read(tmp_path: Path) -> None:
    path = tmp_path / "long-line.jsonl"
    long_line = json.dumps({"id": "long", "text": ARTICLE * 200})
    path.write_text(
        "\n".join(
            [json.dumps({"id": "a", "text": ARTICLE}), long_line, json.dumps({"id": "c", "text": ARTICLE})]
        )
        + "\n",
        encoding="utf-8",
    )
    first, refused, last = read(path, settings=Settings(max_bytes=2000))
    assert (first.doc_id, last.doc_id) == ("a", "c") and last.source == f"{path}#L3"
    assert refused.text == "" and refused.source == f"{path}#L2"
    size_with_newline = len(long_line.encode()) + 1
    assert f"{size_with_newline:,} bytes" in refused.errors[0] and "max_bytes=2,000" in refused.errors[0]


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    records = [json.dumps({"id": str(n), "text": f"{ARTICLE} {n}"}) + "\n" for n in range(200)]
    packed = gzip.compress("".join(records).encode("utf-8"))
    path.write_bytes(packed[: len(packed) // 2])
    docs = read(path)
    *good, failure = docs
    assert good and all(d.errors == [] for d in good)
    assert failure.text == "" and failure.source == f"{path}#L{len(good) + 1}"
    assert "cannot read past line" in failure.errors[0]


def test_file_that_is_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl.gz"
    path.write_text(json.dumps({"text": ARTICLE}), encoding="utf-8")
    [doc] = read(path)
    assert doc.text == "" and doc.source == f"{path}#L1" and "cannot read" in doc.errors[0]


# ---------------------------------------------------------------------------- hostile HTML
def test_scripts_styles_and_handlers_never_reach_the_text() -> None:
    [doc] = read(FIXTURES / "hostile.html")
    assert doc.errors == [] and "Heavy rain washed away" in doc.text
    for marker in ("LEAK", "steal(", "evil(", "alert(", "window.tracker", "font-family", "JSON-LD"):
        assert marker not in doc.text


def test_script_inside_a_paragraph_without_any_article_structure(tmp_path: Path) -> None:
    path = tmp_path / "fragment.html"
    path.write_text(
        "<p>Le maire a inauguré <script>document.cookie='x'</script>le pont <style>p{}</style>"
        "reconstruit.</p>",
        encoding="utf-8",
    )
    [doc] = read(path)
    assert doc.text == "Le maire a inauguré le pont reconstruit."


def test_nesting_deeper_than_the_parser_allows_keeps_the_text_not_the_script(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    depth = 20_000
    path.write_text(
        "<html><body>"
        + "<div>" * depth
        + "<p>buried</p><script>evil()</script>"
        + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )
    [doc] = read(path)
    assert "evil" not in doc.text
    assert doc.text == "buried" and "were flattened" in doc.errors[0]
