"""Request target -> response: the routes of the JSON API (`/api/...`) and of the web pages.

Each list (documents, entities, quotes, claims, timeline) is one `View`: the same parameters and
the same data serve `/api/NAME` as JSON and `/NAME` as a page. Paths are matched segment by
segment against fixed routes and static files against a fixed list, so no part of a request
becomes a file path, and every query parameter is checked by `params.Params`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from newsgraph.api import data
from newsgraph.api.highlight import article_html, document_marks
from newsgraph.api.pages import STATIC, Pages, document_url, entity_url
from newsgraph.api.params import MAX_LIMIT, PAGING, ApiError, Page, Params
from newsgraph.api.readonly import UnreadableStoreError, open_readonly
from newsgraph.api.timeline import timeline
from newsgraph.config import TIMELINE_MIN_CONFIDENCE
from newsgraph.model import CLAIM_KINDS, ENTITY_TYPES
from newsgraph.store.db import Store
from newsgraph.store.facets import document_facets, entity_facets
from newsgraph.store.stories import list_stories, story
from newsgraph.store.suggest import suggest_entities

log = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
DEFAULT_LIMIT = 20
PROFILE_LIMIT = 50  # documents and neighbours listed on an entity's profile
HOME_LIMIT = 10  # entities and documents listed on the home page
STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.suffix in (".css", ".js")}
DATES = ("since", "until")


@dataclass
class Response:
    status: HTTPStatus
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class View:
    """A list: the query parameters it takes and how it reads them into data."""

    params: tuple[str, ...]
    load: Callable[[Store, Params], dict[str, Any]]
    summary: str  # what it lists, for the /api index


VIEWS = {
    "documents": View(
        ("q", "lang", *DATES, *PAGING),
        lambda store, p: data.documents(
            store, p.text("q"), p.text("lang"), p.date("since"), p.date("until"), p.page(DEFAULT_LIMIT)
        ),
        'full-text search (q: words, "a phrase", word*) best first, else all, newest first',
    ),
    "entities": View(
        ("type", "lang", *PAGING),
        lambda store, p: data.entities(
            store, p.choice("type", ENTITY_TYPES), p.text("lang"), p.page(DEFAULT_LIMIT)
        ),
        f"the most mentioned entities (type: {', '.join(ENTITY_TYPES)})",
    ),
    "quotes": View(
        ("speaker", "about", "lang", *DATES, *PAGING),
        lambda store, p: data.quotes(
            store,
            p.text("speaker"),
            p.text("about"),
            p.text("lang"),
            p.date("since"),
            p.date("until"),
            p.page(DEFAULT_LIMIT),
        ),
        "quotes and reported speech, oldest first (speaker, about: a name in any script or an entity id)",
    ),
    "claims": View(
        ("kind", "subject", "lang", *DATES, *PAGING),
        lambda store, p: data.claims(
            store,
            p.choice("kind", CLAIM_KINDS),
            p.text("subject"),
            p.text("lang"),
            p.date("since"),
            p.date("until"),
            p.page(DEFAULT_LIMIT),
        ),
        f"numeric claims in date order (kind: {', '.join(CLAIM_KINDS)})",
    ),
    "timeline": View(
        ("actor", "with", "type", "min_confidence", *DATES, *PAGING),
        lambda store, p: timeline(
            store,
            data.entity_ids(store, p.text("actor"), "actor"),
            data.entity_ids(store, p.text("with"), "with"),
            (p.text("type") or "").upper() or None,
            p.date("since"),
            p.date("until"),
            p.page(DEFAULT_LIMIT),
            p.fraction("min_confidence"),
        ),
        "events grouped by cluster in date order, involving actor (and with, for a pair); type: PLOVER;"
        " min_confidence: 0 to 1 (default: the server's timeline_min_confidence); planned ones flagged",
    ),
}

API_INDEX = {
    **{
        f"/api/{name}": {"lists": view.summary, "parameters": list(view.params)}
        for name, view in VIEWS.items()
    },
    "/api/documents/{doc_id}": {"returns": "the document's interchange record (schema newsgraph/1)"},
    "/api/entities/{entity_id}": {
        "returns": "names per language, documents, co-occurring entities, resolution decisions",
        "parameters": ["limit"],
    },
    "/api/stats": {"returns": "what the store holds"},
    "/api/stories": {
        "lists": "stories (articles about one story across languages and outlets), newest first",
        "parameters": ["since", "until", "entity", "lang", "limit", "offset", "format"],
    },
    "/api/stories/{story_id}": {"returns": "a story's articles (copies folded), entities and events"},
    "/api/names": {
        "lists": "entities whose name or an alias has a word starting with prefix, most mentioned first",
        "parameters": ["prefix", "limit"],
    },
}


def json_response(payload: Any, status: HTTPStatus = HTTPStatus.OK) -> Response:
    return Response(status, JSON_TYPE, json.dumps(payload, ensure_ascii=False).encode())


def not_found(what: str) -> ApiError:
    return ApiError(
        HTTPStatus.NOT_FOUND, f"no such {what}: see / for the pages and /api for the JSON endpoints"
    )


class App:
    """The application over one store file; `handle` is safe to call from many threads at once."""

    def __init__(self, db: str | Path, min_confidence: float = TIMELINE_MIN_CONFIDENCE):
        self.db = Path(db)
        self.pages = Pages()
        self.defaults = {"min_confidence": min_confidence}  # what a timeline shows unless asked

    def handle(self, target: str) -> Response:
        """The response to a GET of `target` (path and query string, as in the request line)."""
        url = urlsplit(target)
        # split before decoding, so an id containing an encoded "/" stays one segment
        segments = [unquote(s) for s in url.path.split("/") if s]
        is_api = segments[:1] == ["api"]
        try:
            if segments[:1] == ["static"]:
                return self._static(segments[1:])
            with open_readonly(self.db) as store:
                return (
                    self._api(store, segments[1:], url.query)
                    if is_api
                    else self._page(store, segments, url.query)
                )
        except ApiError as exc:
            return self._error(exc.status, exc.message, is_api)
        except UnreadableStoreError as exc:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc), is_api)
        except Exception:
            log.exception("failed to answer %s", target)
            return self._error(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "internal error: the server log has the details; try again or report it",
                is_api,
            )

    # ------------------------------------------------------------------ JSON
    def _api(self, store: Store, segments: list[str], query: str) -> Response:
        match segments:
            case []:
                _no_parameters(query)
                return json_response({"endpoints": API_INDEX})
            case ["stats"]:
                _no_parameters(query)
                return json_response(store.stats())
            case ["documents", doc_id]:
                _no_parameters(query)
                return json_response(data.document(store, doc_id).to_record())
            case ["entities", entity_id]:
                return json_response(_profile(store, entity_id, Params(query, ("limit",))))
            case [name] if name in VIEWS:
                view = VIEWS[name]
                return json_response(view.load(store, Params(query, view.params, self.defaults)))
            case ["stories"]:
                params = Params(query, (*STORY_PARAMS, "format"))
                listed = stories_payload(store, params)
                if params.choice("format", ("json", "csv")) == "csv":
                    return stories_csv(listed)
                return json_response(listed)
            case ["stories", story_id]:
                _no_parameters(query)
                return json_response(story_payload(store, story_id))
            case ["names"]:
                return json_response(names_payload(store, Params(query, NAME_PARAMS)))
        raise not_found("endpoint")

    # ------------------------------------------------------------------ HTML
    def _page(self, store: Store, segments: list[str], query: str) -> Response:
        match segments:
            case []:
                _no_parameters(query)
                return self._html(
                    "home.html",
                    store.stats(),
                    {},
                    api="/api/stats",
                    entities=data.entities(store, None, None, Page(HOME_LIMIT, 0))["items"],
                    documents=data.documents(store, None, None, None, None, Page(HOME_LIMIT, 0))["items"],
                )
            case ["documents", doc_id]:
                _no_parameters(query)
                doc = data.document(store, doc_id)
                article = article_html(doc.text, document_marks(doc, entity_url))
                return self._html(
                    "document.html", doc, {}, api="/api" + document_url(doc_id), article=article
                )
            case ["entities", entity_id]:
                params = Params(query, ("limit",))
                return self._html(
                    "entity.html",
                    _profile(store, entity_id, params),
                    params.values,
                    api="/api" + entity_url(entity_id),
                )
            case [name] if name in VIEWS:
                view = VIEWS[name]
                params = Params(query, view.params, self.defaults)
                return self._html(
                    f"{name}.html",
                    view.load(store, params),
                    params.values,
                    facet_counts=list_facets(store, name, params),
                    api=f"/api/{name}" + (f"?{query}" if query else ""),
                    path=f"/{name}",
                )
            case ["stories"]:
                params = Params(query, STORY_PARAMS)
                listed = stories_payload(store, params)
                return self._html(
                    "stories.html",
                    listed,
                    params.values,
                    stories=listed,
                    api="/api/stories" + (f"?{query}" if query else ""),
                    path="/stories",
                )
            case ["stories", story_id]:
                _no_parameters(query)
                one = story_payload(store, story_id)
                return self._html(
                    "story.html", one, {}, story=one, api=f"/api/stories/{quote(story_id, safe='')}"
                )
        raise not_found("page")

    def _html(self, template: str, payload: Any, args: dict[str, str], **context: Any) -> Response:
        page = self.pages.render(
            template,
            data=payload,
            args=args,
            db_name=self.db.name,
            types=ENTITY_TYPES,
            claim_kinds=CLAIM_KINDS,
            **context,
        )
        return Response(HTTPStatus.OK, HTML_TYPE, page.encode())

    def _error(self, status: HTTPStatus, message: str, is_api: bool) -> Response:
        if is_api:
            return json_response({"error": message}, status)
        page = self.pages.render(
            "error.html", status=status, message=message, args={}, db_name=self.db.name, api=None
        )
        return Response(status, HTML_TYPE, page.encode())

    @staticmethod
    def _static(segments: list[str]) -> Response:
        match segments:
            case [name] if name in STATIC_FILES:
                content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return Response(
                    HTTPStatus.OK,
                    f"{content_type}; charset=utf-8",
                    STATIC_FILES[name].read_bytes(),
                    {"Cache-Control": "max-age=3600"},
                )
        raise not_found("file")


# ------------------------------------------------------- stories and name suggestions (issue 12)
# The smallest routes the story pages (`/stories`, `/stories/{id}`, their JSON under /api) and the
# name suggestions of the web app (`/api/names?prefix=`) need on this server. The application
# object and its HTTP layer replace them with the same paths, payloads and template context.
STORY_PARAMS = ("since", "until", "entity", "lang", *PAGING)
NAME_PARAMS = ("prefix", "limit")
NAME_LIMIT = 10  # suggestions listed under a name field
STORY_CSV_FIELDS = (
    "id",
    "label",
    "title",
    "first",
    "last",
    "size",
    "documents",
    "languages",
    "outlets",
    "entities",
)


def stories_payload(store: Store, params: Params) -> dict[str, Any]:
    """The stories list of the shared contract, filtered by the query's dates, entity and language."""
    page = params.page(DEFAULT_LIMIT)
    entity = params.text("entity")
    return list_stories(
        store,
        since=params.date("since"),
        until=params.date("until"),
        entity_ids=data.entity_ids(store, entity, "entity") if entity else None,
        lang=params.text("lang"),
        limit=page.limit,
        offset=page.offset,
    )


def stories_csv(listed: dict[str, Any]) -> Response:
    """The stories list as CSV, one row per story; counts per language and outlet as `fr:2 ru:1`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STORY_CSV_FIELDS)
    for item in listed["items"]:
        row = {
            **item,
            "languages": " ".join(f"{k}:{n}" for k, n in item["languages"].items()),
            "outlets": " ".join(f"{k}:{n}" for k, n in item["outlets"].items()),
            "entities": "; ".join(e["name"] for e in item["entities"]),
        }
        writer.writerow([_csv_cell(row[name]) for name in STORY_CSV_FIELDS])
    return Response(
        HTTPStatus.OK,
        "text/csv; charset=utf-8",
        out.getvalue().encode(),
        {"Content-Disposition": 'attachment; filename="stories.csv"'},
    )


def _csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would otherwise start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def list_facets(store: Store, name: str, params: Params) -> dict[str, dict[str, int]]:
    """Facet counts beside a list page: documents by language and outlet, entities by type."""
    if name == "documents":
        return document_facets(
            store, params.text("q"), params.text("lang"), params.date("since"), params.date("until")
        )
    if name == "entities":
        return entity_facets(store, params.text("lang"))
    return {}


def story_payload(store: Store, story_id: str) -> dict[str, Any]:
    found = story(store, story_id)
    if found is None:
        raise ApiError(HTTPStatus.NOT_FOUND, f"no story {story_id!r}: see /api/stories for the stories")
    return found


def names_payload(store: Store, params: Params) -> dict[str, Any]:
    """Entities with a name or alias beginning with `prefix`, for the suggestions under name fields."""
    prefix = params.text("prefix") or ""
    items = suggest_entities(store, prefix, params.number("limit", NAME_LIMIT, 1, MAX_LIMIT))
    return {"prefix": prefix, "items": items}


def _no_parameters(query: str) -> None:
    """Refuse any query parameter (a typo would otherwise be silently ignored)."""
    Params(query, ())


def _profile(store: Store, entity_id: str, params: Params) -> dict[str, Any]:
    return data.entity(store, entity_id, params.number("limit", PROFILE_LIMIT, 1, MAX_LIMIT))
