"""Readers on good input: text in several languages and encodings, HTML pages, JSON Lines, folders, stdin."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest.hashing import content_hash, normalise_whitespace
from newsgraph.ingest.metadata import parse_published
from newsgraph.ingest.readers import read_paths
from newsgraph.model import DateValue, Document

FIXTURES = Path(__file__).parent / "fixtures" / "readers"

ARTICLES = {
    "fr": "Réunion à Genève sur la sécurité régionale\n\nLe ministre français des Affaires étrangères "
    "s'est rendu à Genève mercredi. Les délégués ont évoqué la reconstruction et l'aide "
    "humanitaire, a précisé un porte-parole : « la priorité reste l'accès des convois ».\n",
    "ru": "Встреча в Женеве\n\nМинистр иностранных дел прибыл в Женеву в среду для участия во встрече, "
    "посвящённой региональной безопасности. Делегаты обсудили восстановление и гуманитарную "
    "помощь, сообщил представитель ведомства.\n",
    "en": "Talks in Geneva\n\nThe foreign minister travelled to Geneva on Wednesday for a meeting on "
    "regional security. Delegates discussed reconstruction and humanitarian aid, a spokesperson "
    "said, adding that access for aid convoys remained the priority.\n",
    "de": "Gespräche in Genf\n\nDer Außenminister reiste am Mittwoch nach Genf, um an einem Treffen über "
    "regionale Sicherheit teilzunehmen. Die Delegierten sprachen über Wiederaufbau und humanitäre "
    "Hilfe, teilte ein Sprecher mit. Größere Fortschritte blieben zunächst aus.\n",
}


def read(*paths: str | Path, settings: Settings | None = None) -> list[Document]:
    return list(read_paths(paths, settings or Settings()))


def read_stdin(records: list[dict[str, object]]) -> list[Document]:
    """`read_paths(["-"])` with the records as JSON Lines on stdin."""
    stdin = io.TextIOWrapper(io.BytesIO("".join(json.dumps(r) + "\n" for r in records).encode("utf-8")))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", stdin)
        return read("-")


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- hashing and metadata
def test_normalise_whitespace_folds_runs_and_unicode_forms() -> None:
    assert normalise_whitespace("  Le\u00a0 ministre\r\n\tà  Genève ") == "Le ministre à Genève"
    assert normalise_whitespace("e\u0301") == "\u00e9"  # NFC


def test_content_hash_ignores_spacing_and_unicode_form_only() -> None:
    assert content_hash("Le ministre  à\nGenève") == content_hash(" Le ministre a\u0300 Genève ")
    assert content_hash("Le ministre à Genève") != content_hash("Le ministre à Berne")
    assert len(content_hash("x")) == 16 and int(content_hash("x"), 16) >= 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-01", DateValue("2023-11-01", "day", None, "metadata")),
        ("2023-11-01T15:03:00+03:00", DateValue("2023-11-01T15:03", "minute", None, "metadata")),
        ("2023-11-01T15:03:00.250Z", DateValue("2023-11-01T15:03", "minute", None, "metadata")),
        ("2023-11-01 15:03", DateValue("2023-11-01T15:03", "minute", None, "metadata")),
        ("2023-11-01T15", DateValue("2023-11-01T15", "hour", None, "metadata")),
        ("2023-11", DateValue("2023-11", "month", None, "metadata")),
        (" 2023 ", DateValue("2023", "year", None, "metadata")),
    ],
)
def test_parse_published_keeps_the_given_precision(value: str, expected: DateValue) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        "2023-13-01",
        "2023-02-30",
        "2023-11-01T25:00",
        "01/11/2023",
        "2023-11-01T15:03 tomorrow",
    ],
)
def test_parse_published_refuses_what_is_not_an_iso_date(value: str) -> None:
    assert parse_published(value) is None


# ---------------------------------------------------------------------------- text files
@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_utf8_text_file_is_the_article_unchanged(tmp_path: Path, lang: str) -> None:
    path = tmp_path / f"{lang}.txt"
    path.write_bytes(ARTICLES[lang].encode("utf-8"))
    [doc] = read(path)
    assert doc.text == ARTICLES[lang]
    assert doc.doc_id == doc.content_hash == content_hash(ARTICLES[lang])
    assert doc.source == str(path) and doc.errors == [] and doc.published is None


@pytest.mark.parametrize(
    ("lang", "encoding"),
    [
        ("fr", "latin-1"),
        ("de", "latin-1"),
        ("fr", "cp1252"),
        ("ru", "cp1251"),
        ("ru", "koi8-r"),
        ("fr", "utf-16"),
        ("ru", "utf-16"),
        ("de", "utf-8-sig"),
    ],
)
def test_legacy_encodings_and_byte_order_marks_are_decoded(tmp_path: Path, lang: str, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLES[lang].encode(encoding))
    [doc] = read(path)
    assert doc.text == ARTICLES[lang]  # no BOM, no mojibake
    assert doc.errors == []


def test_windows_newlines_are_kept_so_offsets_stay_faithful(tmp_path: Path) -> None:
    text = ARTICLES["en"].replace("\n", "\r\n")
    (tmp_path / "crlf.txt").write_bytes(text.encode("utf-8"))
    [doc] = read(tmp_path / "crlf.txt")
    assert doc.text == text


def test_explicit_file_with_another_suffix_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text(ARTICLES["de"], encoding="utf-8")
    [doc] = read(path)
    assert doc.text == ARTICLES["de"] and doc.errors == []


# ---------------------------------------------------------------------------- HTML
def test_html_page_gives_main_text_title_date_url_and_outlet() -> None:
    [doc] = read(FIXTURES / "hostile.html")
    assert doc.errors == []
    assert doc.text.startswith("Floods cut rail line between two Alpine towns\n")
    assert "Buses replaced the trains during the afternoon." in doc.text
    assert "Engineers expected the repairs" in doc.text and "river levels had started" in doc.text
    assert doc.title == "Floods cut rail line between two Alpine towns"
    assert doc.published == DateValue("2023-11-01T15:03", "minute", None, "html")
    assert doc.url == "https://valley-post.example/2023/11/floods-rail"
    assert doc.outlet == "Valley Post"
    assert doc.content_hash == content_hash(doc.text) == doc.doc_id


def test_html_paragraphs_stay_on_their_own_lines() -> None:
    [doc] = read(FIXTURES / "hostile.html")
    lines = doc.text.splitlines()
    assert any(line.startswith("Heavy rain washed away") for line in lines)
    assert any(line.startswith("Engineers expected") for line in lines)


def test_html_in_a_legacy_encoding_declared_by_meta_charset(tmp_path: Path) -> None:
    body = ARTICLES["ru"].split("\n\n")[1].strip()
    page = (
        f'<html><head><meta charset="windows-1251"><title>Встреча в Женеве</title></head>'
        f"<body><article><h1>Встреча в Женеве</h1><p>{body}</p></article></body></html>"
    )
    (tmp_path / "page.htm").write_bytes(page.encode("cp1251"))
    [doc] = read(tmp_path / "page.htm")
    assert doc.title == "Встреча в Женеве"
    assert doc.text == f"Встреча в Женеве\n{body}"


def test_headline_outside_the_article_element_is_put_first(tmp_path: Path) -> None:
    body = ARTICLES["en"].split("\n\n")[1].strip()
    page = (
        "<html><head><title>Talks in Geneva</title></head><body><div class='top'><h1>Talks in Geneva</h1>"
        f"</div><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    [doc] = read(write_jsonl(tmp_path / "pages.jsonl", [{"id": "p1", "html": page}]))
    assert doc.doc_id == "p1" and doc.title == "Talks in Geneva"
    assert doc.text.startswith("Talks in Geneva\nThe foreign minister travelled")
    assert doc.text.count("Talks in Geneva") == 1


# ---------------------------------------------------------------------------- JSON Lines
def test_jsonl_records_echo_id_and_metadata(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "articles.jsonl",
        [
            {
                "id": "fr-1",
                "text": ARTICLES["fr"],
                "published": "2023-11-01T15:03:00+03:00",
                "lang": "fr-FR",
                "title": "Réunion à Genève",
                "url": "https://exemple.test/geneve",
                "outlet": "Le Quotidien",
                "section": "Monde",
            },  # an unknown field, ignored
            {"text": ARTICLES["ru"], "published": "2023-11", "lang": "RU"},
        ],
    )
    first, second = read(path)
    assert (first.doc_id, first.text, first.source) == ("fr-1", ARTICLES["fr"], f"{path}#L1")
    assert first.content_hash == content_hash(ARTICLES["fr"])
    assert first.published == DateValue("2023-11-01T15:03", "minute", None, "metadata")
    assert (first.lang_hint, first.title, first.url, first.outlet) == (
        "fr",
        "Réunion à Genève",
        "https://exemple.test/geneve",
        "Le Quotidien",
    )
    assert first.errors == []
    assert second.doc_id == second.content_hash == content_hash(ARTICLES["ru"])
    assert second.source == f"{path}#L2" and second.lang_hint == "ru"
    assert second.published == DateValue("2023-11", "month", None, "metadata")


def test_jsonl_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    text = "  Titre\r\n\r\nCorps\u00a0du  texte\t\n"
    [doc] = read(write_jsonl(tmp_path / "raw.jsonl", [{"id": 7, "text": text}]))
    assert doc.text == text and doc.doc_id == "7"


def test_jsonl_html_record_takes_caller_metadata_over_the_page() -> None:
    [doc] = read_stdin(
        [
            {
                "html": (FIXTURES / "hostile.html").read_text(encoding="utf-8"),
                "published": "2023-10-31",
                "outlet": "Wire",
            }
        ]
    )
    assert doc.published == DateValue("2023-10-31", "day", None, "metadata")
    assert doc.outlet == "Wire" and doc.title == "Floods cut rail line between two Alpine towns"


def test_gzipped_jsonl_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for lang in sorted(ARTICLES):
            stream.write(json.dumps({"id": lang, "text": ARTICLES[lang]}) + "\n")
    docs = read(path)
    assert [d.doc_id for d in docs] == sorted(ARTICLES)
    assert [d.text for d in docs] == [ARTICLES[lang] for lang in sorted(ARTICLES)]
    assert docs[3].source == f"{path}#L4"


def test_blank_lines_are_not_articles_but_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    lines = ["", json.dumps({"text": ARTICLES["en"]}), "  ", json.dumps({"text": ARTICLES["de"]})]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert [d.source for d in read(path)] == [f"{path}#L2", f"{path}#L4"]


def test_stdin_is_read_as_jsonl() -> None:
    docs = read_stdin([{"id": "a", "text": ARTICLES["en"]}, {"id": "b", "text": ARTICLES["fr"]}])
    assert [(d.doc_id, d.source, d.text) for d in docs] == [
        ("a", "<stdin>#L1", ARTICLES["en"]),
        ("b", "<stdin>#L2", ARTICLES["fr"]),
    ]


# ---------------------------------------------------------------------------- folders
def test_folder_is_read_recursively_in_sorted_order_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deeper").mkdir(parents=True)
    (tmp_path / ".cache").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLES["en"], encoding="utf-8")
    (tmp_path / "a" / "deeper" / "1.TXT").write_text(ARTICLES["fr"], encoding="utf-8")
    write_jsonl(tmp_path / "a" / "0.jsonl", [{"text": ARTICLES["ru"]}, {"text": ARTICLES["de"]}])
    (tmp_path / "a" / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / ".cache" / "x.txt").write_text("cached", encoding="utf-8")
    (tmp_path / "b" / "notes.md").write_text("not an input", encoding="utf-8")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    docs = read(tmp_path)
    assert [d.text for d in docs] == [ARTICLES["ru"], ARTICLES["de"], ARTICLES["fr"], ARTICLES["en"]]
    assert all(d.errors == [] for d in docs)


def test_paths_are_read_in_the_order_given(tmp_path: Path) -> None:
    for lang in ("en", "fr"):
        (tmp_path / f"{lang}.txt").write_text(ARTICLES[lang], encoding="utf-8")
    docs = read(str(tmp_path / "fr.txt"), tmp_path / "en.txt")
    assert [d.text for d in docs] == [ARTICLES["fr"], ARTICLES["en"]]
