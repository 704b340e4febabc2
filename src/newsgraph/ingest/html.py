"""The article in an HTML page: main text (trafilatura), title, date, url and outlet from its metadata.

Pages are hostile input: markup is parsed by lxml, whose parser drops everything after a point
nested 256 levels deep, so such a page is first flattened (ingest/flatten.py, with a note); scripts,
styles and embedded objects never reach the text, and when trafilatura finds nothing or fails,
a plain walk over the visible text of the page takes its place.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

from newsgraph.ingest.encoding import decode_bytes
from newsgraph.ingest.flatten import flatten_deep
from newsgraph.ingest.hashing import normalise_whitespace
from newsgraph.ingest.metadata import parse_published
from newsgraph.model import DateValue

log = logging.getLogger(__name__)

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET_WINDOW = 2048  # the charset declaration belongs near the top of the page
# libxml2 gives up at 256 levels; pages deeper than that are flattened below this many levels, which
# leaves room for the levels trafilatura and the parser add (html, body) and keeps real layouts intact
FLATTEN_DEPTH = 200
# where pages state their publication timestamp (Open Graph, schema.org microdata, <time pubdate>)
_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate' or @name='date']/@content"
    " | //time[@itemprop='datePublished' or @pubdate]/@datetime"
)
# elements whose content is never article text (code, styling, embedded documents, page head)
_INVISIBLE = (
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "button",
    "select",
    "textarea",
)
# elements that end a line of text in the plain fallback
_BLOCKS = frozenset(
    (
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "figure",
        "figcaption",
        "address",
        "hr",
        "form",
        "fieldset",
    )
)


@dataclass(frozen=True)
class HtmlArticle:
    """What a page gives: `text` is "" when the page holds no readable text."""

    text: str
    title: str | None = None
    published: DateValue | None = None
    url: str | None = None
    outlet: str | None = None
    notes: tuple[str, ...] = ()  # what was repaired on the way, for the document's `errors`


def decode_html(data: bytes, notes: list[str] | None = None) -> str:
    """The page as text, honouring a `<meta charset>` when the bytes are not UTF-8.

    Repairs (stray bytes replaced) are appended to `notes`, as `decode_bytes` does for text.
    """
    declared = _DECLARED_CHARSET.search(data[:_CHARSET_WINDOW])
    return decode_bytes(data, declared[1].decode("ascii") if declared else None, notes)


def extract_article(html: str) -> HtmlArticle:
    """Main text (paragraphs on their own lines, headline first) and metadata of a page."""
    notes: list[str] = []
    html = _shallow(html, notes)
    title, published, url, outlet = _metadata(html)
    body = _main_text(html) or _visible_text(html)
    if body and title and not normalise_whitespace(body).startswith(normalise_whitespace(title)):
        # the headline often sits outside the extracted article element; it belongs to the text
        body = f"{title}\n{body}"
    return HtmlArticle(body, title, published, url, outlet, tuple(notes))


def _shallow(html: str, notes: list[str]) -> str:
    """The page, flattened below `FLATTEN_DEPTH` levels when it nests too deep for the parser (noted)."""
    if not _too_deep(html):
        return html
    flat, flattened = flatten_deep(html, FLATTEN_DEPTH, _BLOCKS, frozenset(_INVISIBLE))
    notes.append(
        f"HTML nested deeper than the parser allows: {flattened:,} elements below level {FLATTEN_DEPTH} "
        "were flattened (their text kept, their markup dropped)"
    )
    return flat


def _too_deep(html: str) -> bool:
    """True when libxml2 stopped parsing the page at its nesting limit (it drops the rest silently)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return False
    return any(
        error.type_name == "ERR_RESOURCE_LIMIT" and "depth" in error.message for error in parser.error_log
    )


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """A fresh tree per use: trafilatura prunes the tree it is given."""
    # bytes, so that a page's own `<?xml encoding=...?>` declaration cannot make lxml refuse the string
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing parseable, e.g. a page of whitespace
        return None


def _metadata(html: str) -> tuple[str | None, DateValue | None, str | None, str | None]:
    tree = _parse(html)
    if tree is None:
        return None, None, None, None
    try:
        meta = trafilatura.extract_metadata(tree)
    except Exception:  # a third-party parser on hostile markup: no metadata rather than no article
        log.warning("trafilatura metadata extraction failed", exc_info=True)
        return None, None, None, None
    # htmldate finds the day a page was published; the page's own timestamp of that day gives the time
    published = None
    if meta.date:
        published = _timestamp_of(tree, meta.date) or DateValue(meta.date, "day", None, origin="html")
    return _clean(meta.title), published, _clean(meta.url), _clean(meta.sitename)


def _timestamp_of(tree: lxml.html.HtmlElement, day: str) -> DateValue | None:
    """The publication timestamp the page declares for `day` ("2024-03-08T09:15:00+01:00"), to the minute."""
    for value in tree.xpath(_PUBLISHED_XPATH):
        found = parse_published(str(value))
        if found is not None and found.value and found.value.startswith(day) and found.precision == "minute":
            return DateValue(found.value, found.precision, None, origin="html")
    return None


def _main_text(html: str) -> str:
    tree = _parse(html)
    if tree is None:
        return ""
    try:
        found = trafilatura.extract(
            tree,
            output_format="txt",
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
        )
    except Exception:  # as for the metadata: the plain walk takes over
        log.warning("trafilatura text extraction failed", exc_info=True)
        return ""
    return (found or "").strip()


def _visible_text(html: str) -> str:
    """All text outside invisible elements, one line per block element; an iterative walk (no recursion)."""
    tree = _parse(html)
    if tree is None:
        return ""
    etree.strip_elements(tree, *_INVISIBLE, with_tail=False)
    pieces: list[str] = []
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            pieces.append(element.text or "")
        else:
            pieces.append("\n" if element.tag in _BLOCKS else "")
            pieces.append(element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)


def _clean(value: str | None) -> str | None:
    return (" ".join(value.split()) or None) if value else None
