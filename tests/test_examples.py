"""The demo corpus in examples/ is sane: readable, multilingual, news-sized, documented."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

from newsgraph.config import Settings
from newsgraph.ingest.readers import read_paths

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = EXAMPLES / "corpus"
FEED = CORPUS / "feed.jsonl"
FEED_FIELDS = {"id", "published", "url", "outlet", "lang", "text"}
PAGES = sorted(path for path in CORPUS.iterdir() if path.suffix in {".txt", ".html"})
MIN_WORDS, MAX_WORDS = 150, 400


def feed_records() -> list[dict[str, str]]:
    return [json.loads(line) for line in FEED.read_text(encoding="utf-8").splitlines()]


def page_lang(path: Path) -> str:
    """Files are named `<lang>_<yyyymmdd>_<slug>`."""
    return path.name.split("_", 1)[0]


def visible_words(html: str) -> list[str]:
    """Words of the article proper: the page without scripts, navigation, related links and footer."""
    for element in ("script", "nav", "aside", "footer", "title"):
        html = re.sub(rf"<{element}\b.*?</{element}>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html).split()


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_every_file_is_utf8_text(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert text.strip()
    assert "\ufffd" not in text and "\x00" not in text


def test_the_corpus_has_the_planned_languages_and_size() -> None:
    langs = [page_lang(path) for path in PAGES] + [record["lang"] for record in feed_records()]
    assert 14 <= len(langs) <= 18
    assert len(set(langs)) >= 5
    assert {"fr", "ru", "en", "de", "es", "uk"} <= set(langs)


def test_feed_records_carry_the_interchange_fields() -> None:
    records = feed_records()
    assert len(records) == 3
    for record in records:
        assert set(record) >= FEED_FIELDS
        assert all(isinstance(record[field], str) and record[field] for field in FEED_FIELDS)
        assert datetime.fromisoformat(record["published"]).tzinfo is not None
        assert record["url"].startswith("https://")
        assert re.fullmatch(r"[a-z]{2}", record["lang"])
    assert len({record["id"] for record in records}) == len(records)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_are_news_sized(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    words = visible_words(text) if path.suffix == ".html" else text.split()
    assert MIN_WORDS <= len(words) <= MAX_WORDS


def test_feed_articles_are_news_sized() -> None:
    for record in feed_records():
        assert MIN_WORDS <= len(record["text"].split()) <= MAX_WORDS, record["id"]


@pytest.mark.parametrize("path", [p for p in PAGES if p.suffix == ".html"], ids=lambda p: p.name)
def test_html_pages_carry_furniture_to_strip(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    for tag in ("<nav", "<script", "<footer", "<h1"):
        assert tag in html


def test_readme_lists_every_file() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in CORPUS.iterdir():
        assert f"`{path.name}`" in readme


def test_the_readers_take_every_article_without_errors() -> None:
    docs = list(read_paths([CORPUS], Settings()))
    assert len(docs) == len(PAGES) + len(feed_records())
    assert all(doc.text and not doc.errors for doc in docs)
    assert len({doc.content_hash for doc in docs}) == len(docs)


def synthetic_module() -> ModuleType:
    """benchmarks/synthetic.py, the generator of benchmark articles (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_synthetic_articles_are_deterministic_multilingual_and_news_sized() -> None:
    synthetic = synthetic_module()
    first, again = list(synthetic.generate(60, seed=7)), list(synthetic.generate(60, seed=7))
    assert first == again
    assert first != list(synthetic.generate(60, seed=8))
    assert len({record["lang"] for record in first}) >= 5
    assert len({record["text"] for record in first}) == len(first)
    for record in first:
        assert set(record) >= FEED_FIELDS
        assert datetime.fromisoformat(record["published"]).tzinfo is not None
        assert 900 <= len(record["text"].encode("utf-8")) <= 5000
        assert "{" not in record["text"], "an unfilled template slot"
