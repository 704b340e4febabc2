"""Bounds before work and isolation: each hostile input costs one error record, never the run.

One test (or a few) per class of hostile input: corrupt and bomb .jsonl.gz files, deep JSON, huge
words, text without punctuation, wrong field types, stray bytes, byte-order marks; then the
corpus pass and `ingest` failing midway.
"""

from __future__ import annotations

import codecs
import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest.readers import bounded_lines, json_too_deep, read_paths
from newsgraph.language.sentences import cap_length, make_sentence_splitter
from newsgraph.limits import breach, cut_tokens, long_tokens
from newsgraph.model import Document
from newsgraph.pipeline import resolve
from newsgraph.pipeline.resolve import CorpusPass
from newsgraph.pipeline.runs import count_documents, ingest_documents
from newsgraph.store import Store

GOOD = {
    "fr": "Le conseil régional a adopté jeudi un plan pour rénover les lycées de la région d'ici 2030.",
    "en": "The city council approved a new cycling lane along the river on Tuesday evening.",
    "ru": "Городская дума в среду утвердила бюджет на следующий год после долгого обсуждения.",
}
MB = 1 << 20


def line(**record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def good_lines() -> list[bytes]:
    return [line(id=f"good-{lang}", text=text, lang=lang) for lang, text in GOOD.items()]


def read(path: Path, settings: Settings | None = None) -> list[Document]:
    return list(read_paths([path], settings or Settings()))


def by_id(docs: list[Document]) -> dict[str, Document]:
    return {doc.doc_id: doc for doc in docs}


# ---------------------------------------------------------------------------- compressed input
def test_a_corrupt_gzip_keeps_the_lines_before_and_gives_one_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    texts = [f"{GOOD['en']} Item {n * 7919 % 10007}." for n in range(400)]
    packed = bytearray(gzip.compress(b"".join(line(id=str(n), text=t) for n, t in enumerate(texts))))
    for offset in (len(packed) // 2, len(packed) // 2 + 7, len(packed) // 2 + 30):
        packed[offset] ^= 0xFF
    path.write_bytes(bytes(packed))
    docs = read(path)
    *lines, failure = docs
    readable = [d for d in lines if not d.errors]
    # a flipped byte may garble text without breaking the JSON: the CRC catches it at the end
    assert sum(d.text == texts[n] for n, d in enumerate(readable[:100])) == 100
    assert all(d.text == "" for d in lines if d.errors)  # garbled lines: one error record each
    assert failure.text == "" and "cannot read past line" in failure.errors[0]
    assert count_documents([str(path)]) >= 1  # counting does not raise either


def test_a_newline_bomb_stops_at_the_compression_ratio_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as stream:
        stream.write(good_lines()[0])
        for _ in range(64):
            stream.write(b"\n" * (4 * MB))  # 256 MB of newlines, about 250 KB packed
    settings = Settings(max_bytes=MB)
    started = time.monotonic()
    first, bomb = read(path, settings)
    assert first.doc_id == "good-fr" and not first.errors
    assert "max_compression_ratio=100" in bomb.errors[0] and "raise max_compression_ratio" in bomb.errors[0]
    assert count_documents([str(path)], settings) == 2
    assert time.monotonic() - started < 10


def test_a_nul_bomb_is_one_binary_error_never_held_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl.gz"
    with gzip.open(path, "wb") as stream:
        stream.write(b"\x00" * (8 * MB))
        stream.write(b"\n" + good_lines()[1])
    [nul] = read(path, Settings(max_bytes=MB, max_compression_ratio=10_000))
    assert nul.errors[0].startswith("looks binary (NUL or control bytes)")


def test_a_jsonl_file_of_control_bytes_is_one_error_not_one_per_line(tmp_path: Path) -> None:
    path = tmp_path / "controls.jsonl"
    path.write_bytes(bytes(range(1, 32)) * 200)  # 200 "lines": \n is among them
    [doc] = read(path)
    assert doc.errors[0].startswith("looks binary")


def test_a_line_over_max_bytes_is_skipped_unheld_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"text": "' + b"word " * (MB // 2) + b'"}\n' + good_lines()[1])
    long, good = read(path, Settings(max_bytes=MB))
    assert long.errors == [breach(f"line too large: {MB // 2 * 5 + 13:,} bytes", "max_bytes", MB)]
    assert good.doc_id == "good-en" and not good.errors


def test_lines_are_read_in_chunks_with_their_numbers() -> None:
    import io

    data = b'{"a": 1}\n\n   \n' + b"x" * 50 + b"\n" + b"\n" * 1000 + b'{"b": 2}'
    assert list(bounded_lines(io.BytesIO(data), 20)) == [(1, b'{"a": 1}\n'), (4, 51), (1005, b'{"b": 2}')]


# ---------------------------------------------------------------------------- JSON
def test_deep_nesting_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_bytes(
        good_lines()[0] + b"[" * 100_000 + b"\n" + b'{"text": ' * 50_000 + b"\n" + good_lines()[2]
    )
    first, arrays, objects, last = read(path)
    assert (first.doc_id, last.doc_id) == ("good-fr", "good-ru")
    for deep in (arrays, objects):
        assert deep.text == "" and "max_json_depth=64" in deep.errors[0]


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert not json_too_deep(json.dumps({"text": "[" * 500}).encode(), 64)
    assert json_too_deep(b'{"a": ' + b"[" * 70 + b"]" * 70 + b"}", 64)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("id", ["a", "b"], "array"),
        ("id", {"x": 1}, "object"),
        ("id", 3.5, "number"),
        ("id", True, "boolean"),
        ("title", 12, "number"),
        ("url", ["https://example.org"], "array"),
        ("lang", 7, "number"),
        ("outlet", {"name": "x"}, "object"),
        ("published", 20231101, "number"),
    ],
)
def test_a_field_of_the_wrong_type_is_named_and_the_article_kept(
    tmp_path: Path, field: str, value: object, kind: str
) -> None:
    path = tmp_path / "typed.jsonl"
    path.write_bytes(line(text=GOOD["en"], **{field: value}))
    [doc] = read(path)
    assert doc.text == GOOD["en"]
    assert doc.errors == [f"{field}: a JSON {kind}, not a string, ignored; give {field} as a JSON string"]


def test_a_huge_id_is_replaced_by_the_content_hash(tmp_path: Path) -> None:
    path = tmp_path / "id.jsonl"
    path.write_bytes(line(id="x" * 1_000_000, text=GOOD["fr"]) + line(id=12, text=GOOD["ru"]))
    huge, numeric = read(path)
    assert huge.doc_id == huge.content_hash and "max_id_chars=256" in huge.errors[0]
    assert (numeric.doc_id, numeric.errors) == ("12", [])


def test_text_of_the_wrong_type_is_an_error_record_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notext.jsonl"
    path.write_bytes(line(id="n", text=["not", "text"]))
    [doc] = read(path)
    assert doc.text == "" and doc.doc_id == "n"
    assert doc.errors[0].startswith("record has no text")
    assert doc.errors[1].startswith("text: a JSON array")


# ---------------------------------------------------------------------------- encodings
def test_a_stray_byte_in_utf8_keeps_the_article_and_says_so(tmp_path: Path) -> None:
    text = GOOD["ru"] + " " + GOOD["fr"]
    damaged = text.encode("utf-8").replace("бюджет".encode(), "бюд".encode() + b"\xff" + "жет".encode())
    (tmp_path / "a.txt").write_bytes(damaged)
    (tmp_path / "b.jsonl").write_bytes(b'{"text": "' + damaged + b'"}\n')
    for path in (tmp_path / "a.txt", tmp_path / "b.jsonl"):
        [doc] = read(path)
        assert doc.text == text.replace("бюджет", "бюд\ufffdжет")
        assert doc.errors == [
            "not valid UTF-8: 1 invalid byte replaced by U+FFFD, the rest kept; "
            "re-encode the source as UTF-8 if that is wrong"
        ]


def test_a_legacy_encoding_is_still_detected_not_repaired(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    text = (GOOD["ru"] + "\n") * 5
    path.write_bytes(text.encode("cp1251"))
    [doc] = read(path)
    assert doc.text == text and doc.errors == []


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(GOOD["fr"].encode(codec))
    [doc] = read(path)
    assert doc.text == GOOD["fr"] and not doc.errors


def test_a_byte_order_mark_on_a_json_line(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + line(id="b", text=GOOD["en"]))
    [doc] = read(path)
    assert (doc.doc_id, doc.text, doc.errors) == ("b", GOOD["en"], [])


# ---------------------------------------------------------------------------- words and sentences
def test_huge_words_are_cut_for_the_models_keeping_offsets() -> None:
    text = "Titre " + "A" * 5000 + " fin."
    cut = cut_tokens(text, 100)
    assert len(cut) == len(text) and cut[:106] == text[:106] and cut[106:5006].strip() == ""
    assert cut.endswith(" fin.") and long_tokens(text, 100) == [(6, 5006)]
    assert cut_tokens(GOOD["fr"], 100) == GOOD["fr"]


def test_text_without_punctuation_is_cut_into_bounded_sentences() -> None:
    words = " ".join(f"mot{n}" for n in range(3000))  # about 20,000 characters, no full stop
    doc = Document(doc_id="p", text=words, lang="fr")
    doc = make_sentence_splitter(Settings(max_sentence_chars=500))(doc)
    assert len(doc.sentences) > 30 and all(0 < e - s <= 500 for s, e in doc.sentences)
    assert all(words[s] != " " and words[e - 1] != " " for s, e in doc.sentences)  # cut at spaces
    assert "max_sentence_chars=500" in doc.errors[0]
    assert cap_length(GOOD["en"], (0, len(GOOD["en"])), 500) == [(0, len(GOOD["en"]))]


def test_a_word_longer_than_a_sentence_is_cut_inside() -> None:
    text = "x" * 1200
    assert cap_length(text, (0, 1200), 500) == [(0, 500), (500, 1000), (1000, 1200)]


def test_a_huge_word_is_noted_once_by_the_sentence_stage() -> None:
    doc = Document(doc_id="w", text="Un titre " + "é" * 1000 + ". Fin de l'article.", lang="fr")
    doc = make_sentence_splitter(Settings())(doc)
    assert len(doc.errors) == 1 and "max_token_chars=500" in doc.errors[0]


# ---------------------------------------------------------------------------- corpus pass and ingest
def test_a_document_the_corpus_pass_fails_on_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = resolve.assign_stories

    def fragile(docs: list[Document], index: object, *rest: object) -> object:
        if any("poison" in doc.text for doc in docs):
            raise MemoryError("the encoder ran out of memory")
        return real(docs, index, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(resolve, "assign_stories", fragile)
    docs = [Document(doc_id=lang, text=text, lang=lang) for lang, text in GOOD.items()]
    docs.insert(1, Document(doc_id="bad", text="A poison article.", lang="en"))
    CorpusPass().isolated(docs)
    assert [d.story is not None for d in docs] == [True, False, True, True]
    assert docs[1].errors == [
        "corpus pass: MemoryError: the encoder ran out of memory; entity ids are this document's own, "
        "no story or event cluster was assigned"
    ]


def test_ingest_stores_what_came_before_a_failing_input(tmp_path: Path) -> None:
    def failing() -> Iterator[Document]:
        for n, text in enumerate(GOOD.values()):
            yield Document(doc_id=f"d{n}", text=text)
        raise OSError("the disk went away")

    settings = Settings(stages=("language", "clean", "sentences"), workers=0, batch_size=2)
    with Store(tmp_path / "news.db") as store:
        with pytest.raises(OSError, match="disk went away"):
            ingest_documents(failing(), store, settings)
        assert store.stats()["documents"] == 3  # the last, unfinished batch too


def test_a_text_field_of_nul_and_control_characters_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_bytes(line(id="z", text="\u0000" * 100_000) + line(id="c", text="\u0007\u0001x" * 1000))
    for doc in read(path):
        assert doc.text == "" and doc.errors[0].startswith("text looks binary")
