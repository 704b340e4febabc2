"""The web view: Jinja2 templates (in `static/templates/`, escaping everything by default) and
the URL helpers they use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newsgraph.api.highlight import snippet_html
from newsgraph.responses import date_text

STATIC = Path(__file__).parent / "static"
TEMPLATES = STATIC / "templates"
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


def entity_url(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe="")


def document_url(doc_id: str, anchor: str | None = None) -> str:
    return "/documents/" + quote(doc_id, safe="") + (f"#{anchor}" if anchor else "")


def link(path: str, args: Mapping[str, Any], **changes: Any) -> str:
    """`path` with the query `args` updated by `changes` (empty values left out)."""
    merged = {**args, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def external_url(url: str | None) -> str | None:
    """A stored article URL, if it is safe to link to (a `javascript:` URL is not)."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else None


def wikidata_url(wikidata: str | None) -> str | None:
    valid = wikidata is not None and WIKIDATA_ID.fullmatch(wikidata) is not None
    return f"https://www.wikidata.org/wiki/{wikidata}" if valid else None


class Pages:
    def __init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            entity_url=entity_url,
            document_url=document_url,
            link=link,
            external_url=external_url,
            wikidata_url=wikidata_url,
            snippet_html=snippet_html,
        )
        self.env.filters["date_text"] = date_text

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)
