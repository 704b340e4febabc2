"""The HTTP face of `NewsGraph`: a FastAPI application with the JSON API under `/api`, the web pages,
`/openapi.json` and the interactive `/docs`.

`create_app(settings, token=None)` builds it. Every list under `/api` takes its filters, `limit` and
`offset`, answers a `Page` (`total` included) and gives CSV with `?format=csv` or `Accept: text/csv`.
Reads open the store read-only. `POST /api/documents` adds articles through `newsgraph ingest`'s
path, and exists only on a server started with a token; such a server wants the token on every
request (`guard.Guard`), and answers with the security headers whatever happens.
"""

from __future__ import annotations

import logging
import mimetypes
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any, Literal

import fastapi_offline
from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import AfterValidator, BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph.api.guard import Guard
from newsgraph.api.highlight import article_html, document_marks
from newsgraph.api.pages import STATIC, Pages, document_url, entity_url
from newsgraph.application import Invalid, NewsGraph, NotFound
from newsgraph.config import Settings
from newsgraph.ingest.metadata import parse_published
from newsgraph.model import CLAIM_KINDS, ENTITY_TYPES, EVENT_TYPES
from newsgraph.responses import (
    ClaimItem,
    ClusterView,
    DocumentsPage,
    EntityItem,
    EntityProfile,
    IngestResult,
    Page,
    QuotesPage,
    StoriesPage,
    StoryView,
    TimelinePage,
    csv_text,
)
from newsgraph.store.readonly import UnreadableStoreError

log = logging.getLogger(__name__)

MAX_LIMIT = 200  # rows per page
MAX_OFFSET = 10_000  # deeper pages are refused: narrow the query instead
MAX_TEXT = 500  # characters of a text parameter
MAX_FIELDS = 32  # parameters in one query string
MAX_RECORDS = 100  # articles in one POST
DEFAULT_LIMIT = 20
HOME_LIMIT = 10
STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.suffix in (".css", ".js")}
CSV_TYPE = "text/csv; charset=utf-8"


class ErrorBody(BaseModel):
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 405, 413, 503)
}


# ---------------------------------------------------------------------------------- parameters
def _date(value: str | None) -> str | None:
    if value is not None and value.strip() and parse_published(value.strip()) is None:
        raise ValueError("is not a date: send 2023, 2023-11, 2023-11-01 or 2023-11-01T15:03")
    return value.strip() or None if value is not None else None


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


Text = Annotated[str | None, Query(max_length=MAX_TEXT), AfterValidator(_text)]
DateParam = Annotated[
    str | None,
    Query(max_length=40, description="2023, 2023-11, 2023-11-01 or 2023-11-01T15:03 (inclusive)"),
    AfterValidator(_date),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
Format = Annotated[Literal["json", "csv"] | None, Query(description="csv, or send Accept: text/csv")]
SearchMode = Annotated[
    Literal["names", "text"],
    Query(description="names: a name also finds its other scripts and forms; text: only the words typed"),
]
Lang = Annotated[str | None, Query(max_length=12, description="ISO 639-1 code"), AfterValidator(_text)]


def check_parameters(request: Request) -> None:
    """Refuse a query parameter the route does not take (a typo would otherwise be silently ignored)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    known = {param.alias for param in dependant.query_params} if dependant else set()
    names = [key for key, _ in request.query_params.multi_items()]
    if len(names) > MAX_FIELDS:
        raise Invalid(f"too many query parameters ({len(names)}): send at most {MAX_FIELDS}")
    unknown = sorted(set(names) - known)
    if unknown:
        raise Invalid(
            f"unknown parameter {unknown[0]!r}: this endpoint takes {', '.join(sorted(known)) or 'none'}"
        )


def wants_csv(request: Request, fmt: str | None) -> bool:
    return fmt == "csv" or (fmt is None and "text/csv" in request.headers.get("accept", ""))


def listing(request: Request, page: Page[Any], fmt: str | None, name: str) -> Any:
    """The page as it is (JSON), or its items as a CSV download."""
    if not wants_csv(request, fmt):
        return page
    items = [item.model_dump(mode="json") for item in page.items]
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.csv"',
        "X-Total-Count": str(page.total),
    }
    return Response(csv_text(items), media_type=CSV_TYPE, headers=headers)


# ---------------------------------------------------------------------------------- uploads
class InputRecord(BaseModel):
    """One article, as a line of a JSON Lines input file (interchange.md, Input)."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    text: str | None = None
    html: str | None = None
    published: str | None = None
    lang: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None


Upload = Annotated[
    InputRecord | list[InputRecord],
    Body(description=f"one article, or a list of at most {MAX_RECORDS}: each needs `text` or `html`"),
]


def _records(upload: InputRecord | list[InputRecord]) -> list[dict[str, Any]]:
    records = upload if isinstance(upload, list) else [upload]
    if not records:
        raise Invalid("the list is empty: send one article or a list of articles")
    if len(records) > MAX_RECORDS:
        raise Invalid(f"{len(records)} articles in one request: send at most {MAX_RECORDS}")
    for n, record in enumerate(records):
        if not (record.text or "").strip() and not (record.html or "").strip():
            raise Invalid(f"article {n} has neither `text` nor `html`: send the article in one of them")
    return [record.model_dump(exclude_none=True) for record in records]


# ---------------------------------------------------------------------------------- the app
def create_app(settings: Settings | str | Path, token: str | None = None) -> FastAPI:
    """The application over the store of `settings` (or at a path). With a `token`, every request
    must carry it, and `POST /api/documents` adds articles; without one, the server only reads."""
    if not isinstance(settings, Settings):
        settings = Settings(db=str(settings))
    graph = NewsGraph(settings)
    writer = NewsGraph(settings, writable=True) if token else None
    pages = Pages()
    db_name = Path(settings.db).name
    app = FastAPI(
        docs_url=None,  # served below from files installed with the package: no CDN
        redoc_url=None,
        title="newsgraph",
        summary="Who did what to whom, when, where, and who said what, with the evidence in every language.",
        version="1",
        dependencies=[Depends(check_parameters)],
        responses=ERRORS,
    )
    app.state.graph = graph

    def page(request: Request, template: str, data: Any, api: str | None, **context: Any) -> HTMLResponse:
        args = {k: v for k, v in request.query_params.items() if v.strip()}
        html = pages.render(
            template,
            data=data,
            args=args,
            db_name=db_name,
            types=ENTITY_TYPES,
            claim_kinds=CLAIM_KINDS,
            event_types=EVENT_TYPES,
            api=api,
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html)

    def api_link(request: Request) -> str:
        query = request.url.query
        return "/api" + request.url.path + (f"?{query}" if query else "")

    # ------------------------------------------------------------------------------ errors
    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api") or request.url.path in ("/openapi.json", "/docs"):
            return JSONResponse({"error": message}, status)
        html = pages.render(
            "error.html", status=HTTPStatus(status), message=message, args={}, db_name=db_name, api=None
        )
        return HTMLResponse(html, status)

    def writable() -> None:
        if writer is None:
            raise StarletteHTTPException(
                403,
                "this server is read-only: start it with --token SECRET to accept documents "
                "(POST /api/documents)",
            )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error(request, 404, str(exc))

    @app.exception_handler(Invalid)
    async def invalid(request: Request, exc: Invalid) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(UnreadableStoreError)
    async def unreadable(request: Request, exc: UnreadableStoreError) -> Response:
        return error(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return error(request, 400, validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {
            404: "no such page or endpoint: see / for the pages and /docs for the API",
            405: f"{request.method} is not allowed here: reads are GET; POST only on /api/documents",
        }.get(exc.status_code, str(exc.detail))
        response = error(request, exc.status_code, message)
        response.headers.update(exc.headers or {})
        return response

    # ------------------------------------------------------------------------------ JSON API
    @app.get("/api", summary="The endpoints", tags=["api"])
    def api_index() -> dict[str, Any]:
        return {
            "endpoints": {
                route.path: {"summary": route.summary or route.name}
                for route in app.routes
                if isinstance(route, APIRoute) and route.path.startswith("/api/")
            },
            "openapi": "/openapi.json",
            "docs": "/docs",
        }

    @app.get("/api/names", summary="Entity names by prefix (suggestions)", tags=["api"])
    def api_names(
        prefix: Annotated[
            str, Query(min_length=1, max_length=100, description="the first letters of a name")
        ],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> dict[str, Any]:
        """Entities with a name or alias word beginning with `prefix`, in any script, most mentioned first."""
        return graph.suggest_names(prefix, limit)

    @app.get("/api/stats", summary="What the store holds", tags=["api"])
    def api_stats() -> dict[str, Any]:
        return graph.stats()

    @app.get(
        "/api/documents", response_model=DocumentsPage, summary="Documents, or full-text search", tags=["api"]
    )
    def api_documents(
        request: Request,
        q: Text = None,
        lang: Lang = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = None,
        mode: SearchMode = "names",
    ) -> Any:
        """Full-text search (q: words, "a phrase", word*) best first, else every document, newest first.
        mode=names (default): a name also finds the entity's other names and forms; mode=text: only the
        words typed."""
        return listing(
            request, graph.documents(q, lang, since, until, limit, offset, mode), format, "documents"
        )

    @app.post(
        "/api/documents",
        response_model=IngestResult,
        status_code=201,
        summary="Add articles (servers started with a token only)",
        tags=["api"],
        dependencies=[Depends(writable)],
    )
    def api_add_documents(upload: Upload) -> IngestResult:
        """Annotate and store articles through the same pipeline and store path as `newsgraph ingest`;
        refused (403) by a server started without a token, before the body is read."""
        assert writer is not None  # `writable` let the request through
        return writer.ingest_records(_records(upload))

    @app.get("/api/documents/{doc_id:path}", summary="One document's interchange record", tags=["api"])
    def api_document(doc_id: str) -> dict[str, Any]:
        return graph.document(doc_id).to_record()

    @app.get(
        "/api/entities", response_model=Page[EntityItem], summary="Most mentioned entities", tags=["api"]
    )
    def api_entities(
        request: Request,
        type: Annotated[str | None, Query(max_length=8, description=", ".join(ENTITY_TYPES))] = None,
        lang: Lang = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = None,
    ) -> Any:
        return listing(request, graph.entities(type, lang, limit, offset), format, "entities")

    @app.get(
        "/api/entities/{entity_id:path}",
        response_model=EntityProfile,
        summary="An entity's profile",
        tags=["api"],
    )
    def api_entity(entity_id: str, limit: Limit = 50) -> EntityProfile:
        return graph.entity(entity_id, limit)

    @app.get("/api/quotes", response_model=QuotesPage, summary="Quotes and reported speech", tags=["api"])
    def api_quotes(
        request: Request,
        speaker: Text = None,
        about: Text = None,
        lang: Lang = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = None,
    ) -> Any:
        """Oldest first; speaker and about: a name in any language or script, or an entity id."""
        return listing(
            request, graph.quotes(speaker, about, lang, since, until, limit, offset), format, "quotes"
        )

    @app.get("/api/claims", response_model=Page[ClaimItem], summary="Numeric claims", tags=["api"])
    def api_claims(
        request: Request,
        kind: Annotated[str | None, Query(max_length=20, description=", ".join(CLAIM_KINDS))] = None,
        subject: Text = None,
        lang: Lang = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = None,
    ) -> Any:
        return listing(
            request, graph.claims(kind, subject, lang, since, until, limit, offset), format, "claims"
        )

    @app.get(
        "/api/timeline", response_model=TimelinePage, summary="Events of an actor or a pair", tags=["api"]
    )
    def api_timeline(
        request: Request,
        actor: Text = None,
        with_: Annotated[str | None, Query(alias="with", max_length=MAX_TEXT), AfterValidator(_text)] = None,
        type: Annotated[str | None, Query(max_length=20, description=", ".join(EVENT_TYPES))] = None,
        min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = None,
    ) -> Any:
        """One entry per event cluster, date order, planned ones last; min_confidence defaults to the
        server's timeline_min_confidence."""
        result = graph.timeline(actor, with_, type, since, until, min_confidence, limit, offset)
        return listing(request, result, format, "timeline")

    @app.get(
        "/api/clusters/{cluster_id:path}",
        response_model=ClusterView,
        summary="One event with its evidence",
        tags=["api"],
    )
    def api_cluster(cluster_id: str) -> ClusterView:
        return graph.cluster(cluster_id)

    @app.get("/api/stories", response_model=StoriesPage, summary="Stories, newest first", tags=["api"])
    def api_stories(
        request: Request,
        since: DateParam = None,
        until: DateParam = None,
        entity: Text = None,
        lang: Lang = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = None,
    ) -> Any:
        return listing(request, graph.stories(since, until, entity, lang, limit, offset), format, "stories")

    @app.get("/api/stories/{story_id:path}", response_model=StoryView, summary="One story", tags=["api"])
    def api_story(story_id: str) -> StoryView:
        return graph.story(story_id)

    # ------------------------------------------------------------------------------ web pages
    @app.get("/", include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return page(
            request,
            "home.html",
            graph.stats(),
            "/api/stats",
            entities=graph.entities(limit=HOME_LIMIT).model_dump()["items"],
            documents=_without_search_fields(graph.documents(limit=HOME_LIMIT).model_dump())["items"],
        )

    @app.get("/documents", include_in_schema=False)
    def documents_page(
        request: Request,
        q: Text = None,
        lang: Lang = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> HTMLResponse:
        data = graph.documents(q, lang, since, until, limit, offset)
        return page(
            request,
            "documents.html",
            _without_search_fields(data.model_dump()),
            api_link(request),
            facet_counts=graph.facets("documents", q, lang, since, until),
        )

    @app.get("/documents/{doc_id:path}", include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        doc = graph.document(doc_id)
        article = article_html(doc.text, document_marks(doc, entity_url))
        return page(request, "document.html", doc, "/api" + document_url(doc_id), article=article)

    @app.get("/entities", include_in_schema=False)
    def entities_page(
        request: Request,
        type: Annotated[str | None, Query(max_length=8)] = None,
        lang: Lang = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> HTMLResponse:
        return page(
            request,
            "entities.html",
            graph.entities(type, lang, limit, offset).model_dump(),
            api_link(request),
            facet_counts=graph.facets("entities", lang=lang),
        )

    @app.get("/entities/{entity_id:path}", include_in_schema=False)
    def entity_page(request: Request, entity_id: str, limit: Limit = 50) -> HTMLResponse:
        return page(
            request,
            "entity.html",
            graph.entity(entity_id, limit).model_dump(),
            "/api" + entity_url(entity_id),
        )

    @app.get("/quotes", include_in_schema=False)
    def quotes_page(
        request: Request,
        speaker: Text = None,
        about: Text = None,
        lang: Lang = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> HTMLResponse:
        data = graph.quotes(speaker, about, lang, since, until, limit, offset)
        return page(request, "quotes.html", data.model_dump(), api_link(request))

    @app.get("/claims", include_in_schema=False)
    def claims_page(
        request: Request,
        kind: Annotated[str | None, Query(max_length=20)] = None,
        subject: Text = None,
        lang: Lang = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> HTMLResponse:
        data = graph.claims(kind, subject, lang, since, until, limit, offset)
        return page(request, "claims.html", data.model_dump(), api_link(request))

    @app.get("/timeline", include_in_schema=False)
    def timeline_page(
        request: Request,
        actor: Text = None,
        with_: Annotated[str | None, Query(alias="with", max_length=MAX_TEXT), AfterValidator(_text)] = None,
        type: Annotated[str | None, Query(max_length=20)] = None,
        min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
        since: DateParam = None,
        until: DateParam = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> HTMLResponse:
        data = graph.timeline(actor, with_, type, since, until, min_confidence, limit, offset)
        return page(request, "timeline.html", data.model_dump(), api_link(request))

    @app.get("/clusters/{cluster_id:path}", include_in_schema=False)
    def cluster_page(request: Request, cluster_id: str) -> HTMLResponse:
        data = graph.cluster(cluster_id)
        return page(request, "cluster.html", data.model_dump(), "/api" + request.url.path)

    @app.get("/stories", include_in_schema=False)
    def stories_page(
        request: Request,
        since: DateParam = None,
        until: DateParam = None,
        entity: Text = None,
        lang: Lang = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> HTMLResponse:
        data = graph.stories(since, until, entity, lang, limit, offset)
        return page(request, "stories.html", data.model_dump(), api_link(request))

    @app.get("/stories/{story_id:path}", include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        data = graph.story(story_id)
        return page(request, "story.html", data.model_dump(), "/api" + request.url.path)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            raise NotFound(f"no file {name!r}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(
            STATIC_FILES[name].read_bytes(),
            media_type=f"{content_type}; charset=utf-8",
            headers={"Cache-Control": "max-age=3600"},
        )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI over /openapi.json, its script and style served by this server (the
        `fastapi-offline` package ships them), so the page works on a machine with no network."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="newsgraph API",
            swagger_js_url=f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_URL}/favicon.png",
        )

    @app.get(DOCS_ASSETS_URL + "/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        if name not in DOCS_ASSETS:
            raise NotFound(f"no file {name!r}")
        return Response(
            (DOCS_ASSET_DIR / name).read_bytes(),
            media_type=DOCS_ASSETS[name],
            headers={"Cache-Control": "max-age=86400"},
        )

    app.add_middleware(Guard, token=token, max_body=settings.max_bytes)
    return app


# Swagger UI's files, as the `fastapi-offline` package installs them; a fixed list, so no part of a
# request becomes a path
DOCS_ASSET_DIR = Path(fastapi_offline.__file__).parent / "static"
DOCS_ASSETS_URL = "/docs-assets"
DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
SEARCH_FIELDS = ("snippet", "highlights", "rank")


def _without_search_fields(page: dict[str, Any]) -> dict[str, Any]:
    """A documents page as the templates expect it: a listing's items have no search fields at all
    (the page tells a search from a listing by their presence)."""
    if page.get("query"):
        return page
    items = [{k: v for k, v in item.items() if k not in SEARCH_FIELDS} for item in page["items"]]
    return {**page, "items": items}


NUMBER_HINTS = {
    "limit": f"send a whole number from 1 to {MAX_LIMIT}",
    "offset": f"send a whole number from 0 to {MAX_OFFSET}",
    "min_confidence": "send a number from 0 to 1, e.g. 0.6",
}


def validation_message(exc: RequestValidationError) -> str:
    """The first problem of a request, as `name='value': what is wrong; what to send`."""
    first = exc.errors()[0] if exc.errors() else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(where) or "request"
    value = first.get("input")
    shown = f"={str(value)[:40]!r}" if isinstance(value, str | int | float) else ""
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    hint = NUMBER_HINTS.get(name)
    return f"{name}{shown}: {message}" + (f"; {hint}" if hint else "")
