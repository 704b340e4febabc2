"""Issue 11, round 2: a page nested too deep keeps its text, an HTML page with a stray byte keeps
its text and says so, and a document the store refuses costs only itself."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from newsgraph.config import Settings
from newsgraph.ingest.flatten import flatten_deep
from newsgraph.ingest.html import _BLOCKS, _INVISIBLE, FLATTEN_DEPTH, extract_article
from newsgraph.ingest.readers import read_paths
from newsgraph.model import Document
from newsgraph.pipeline.runs import ingest_documents
from newsgraph.store import Store

CHEAP = Settings(stages=("language", "clean", "sentences"), workers=0, batch_size=3)


def nested_page(depth: int, deep: str, before: str, after: str) -> str:
    """A page whose middle paragraph sits `depth` wrappers deep, with a script beside it."""
    return (
        f"<html><head><title>Test</title></head><body><p>{before}</p>"
        + "<div>" * depth
        + f"<p>{deep}</p><script>var hidden = 'script text';</script>"
        + "</div>" * depth
        + f"<p>{after}</p></body></html>"
    )


def tree_depth(html: str) -> int:
    """The deepest element of the page as lxml (with no depth limit) builds it."""
    parser = lxml.html.HTMLParser(huge_tree=True)
    tree = lxml.html.document_fromstring(html.encode(), parser=parser)
    return max(len(list(element.iterancestors())) for element in tree.iter())


def test_text_nested_deeper_than_the_parser_allows_is_kept_with_a_note(tmp_path: Path) -> None:
    before = "Le conseil municipal de Lyon a voté mardi le budget des transports pour l'an prochain."
    deep = "La ligne de tramway vers l'est de la ville sera prolongée de quatre kilomètres en 2027."
    after = "Les travaux commenceront au printemps, selon l'adjointe chargée des mobilités."
    for depth in (300, 5000):
        path = tmp_path / f"deep-{depth}.html"
        path.write_text(nested_page(depth, deep, before, after), encoding="utf-8")
        (doc,) = read_paths([path], Settings())
        assert deep in doc.text and before in doc.text and after in doc.text
        assert doc.text.index(before) < doc.text.index(deep) < doc.text.index(after)
        assert "script text" not in doc.text
        assert len(doc.errors) == 1 and f"below level {FLATTEN_DEPTH} were flattened" in doc.errors[0]


def test_a_page_within_the_parser_limit_is_read_as_it_is() -> None:
    article = extract_article(
        nested_page(
            40,
            "Die Stadtbibliothek in Leipzig öffnet ab Montag auch sonntags von zehn bis achtzehn Uhr.",
            "Der Stadtrat hat die neuen Öffnungszeiten am Donnerstag beschlossen.",
            "Für die zusätzlichen Stunden werden sechs neue Stellen geschaffen.",
        )
    )
    assert "sonntags" in article.text and article.notes == ()


def test_flattening_bounds_the_depth_and_keeps_text_entities_and_order() -> None:
    page = (
        "<html><body>"
        + "<section>" * 400
        + "<p>Uno &amp; due</p></span></em><p>tre &#233; quattro</p>"  # stray end tags are ignored
        + "<style>.x{}</style>"
        + "</section>" * 400
        + "<p>cinque</p></body></html>"
    )
    flat, flattened = flatten_deep(page, 50, _BLOCKS, frozenset(_INVISIBLE))
    assert flattened == 400 + 2 + 1 - 48  # html and body count as levels; the style is dropped too
    assert tree_depth(flat) <= 51  # the limit, plus one paragraph opened in place of a flattened block
    paragraphs = [" ".join(p.text_content().split()) for p in lxml.html.document_fromstring(flat).iter("p")]
    assert [p for p in paragraphs if p] == ["Uno & due", "tre é quattro", "cinque"]


def test_flattening_an_unclosed_tag_storm_is_linear() -> None:
    page = "<html><body><p>Начало статьи.</p>" + "<b>слово " * 50_000 + "</body></html>"
    flat, flattened = flatten_deep(page, FLATTEN_DEPTH, _BLOCKS, frozenset(_INVISIBLE))
    assert flattened == 50_000 + 2 - FLATTEN_DEPTH
    assert flat.count("слово") == 50_000
    parser = lxml.html.HTMLParser()
    etree.fromstring(flat.encode(), parser)
    assert not [e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]


def test_an_html_page_with_a_stray_byte_keeps_its_text_and_says_so(tmp_path: Path) -> None:
    text = "Киевский метрополитен открыл новую станцию на левом берегу Днепра в пятницу утром."
    page = f"<html><head><meta charset='utf-8'><title>Метро</title></head><body><p>{text}</p></body></html>"
    data = page.encode("utf-8").replace("пятницу".encode(), "пят".encode() + b"\xff" + "ницу".encode())
    path = tmp_path / "metro.html"
    path.write_bytes(data)
    (doc,) = read_paths([path], Settings())
    assert "новую станцию" in doc.text and "пят\ufffdницу" in doc.text
    assert doc.errors == [
        "not valid UTF-8: 1 invalid byte replaced by U+FFFD, the rest kept; "
        "re-encode the source as UTF-8 if that is wrong"
    ]


def test_a_document_the_store_refuses_costs_only_itself(tmp_path: Path) -> None:
    texts = {
        "es-1": "El ayuntamiento de Valencia aprobó el lunes un plan para plantar diez mil árboles.",
        "pl-1": "Rada miasta Gdańska przyjęła w środę nowy plan ścieżek rowerowych.",
        "en-1": "The harbour authority in Aberdeen opened a new ferry terminal on Friday.",
        "it-1": "Il comune di Bologna ha inaugurato sabato una nuova biblioteca di quartiere.",
    }
    docs = [Document(doc_id=doc_id, text=text, source=f"in/{doc_id}.txt") for doc_id, text in texts.items()]
    docs[1].title = "Gda\ud800sk"  # a lone surrogate: SQLite cannot store it, the batch fails as a whole

    def keep(batch: object, settings: Settings) -> object:
        return iter(batch)  # type: ignore[call-overload]

    with Store(tmp_path / "news.db") as store:
        summary = ingest_documents(docs, store, CHEAP, run=keep)  # type: ignore[arg-type]
        assert summary.added == 3 and summary.unstored == 1 and summary.errors == 1
        assert store.get("es-1") and store.get("en-1") and store.get("it-1") and not store.get("pl-1")
        (error,) = store.errors()
        assert error["doc_id"] == "pl-1" and error["source"] == "in/pl-1.txt"
        assert error["message"].startswith("not stored: UnicodeEncodeError")
        assert "could not be stored" in summary.report("news.db")
