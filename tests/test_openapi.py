"""The API as its description says: schemathesis generates requests from `/openapi.json` (bounded
examples, so the suite stays quick) against the app over a small store, and no answer may be a
server error, nor break the status codes and the response schema the description gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from newsgraph.api.app import create_app
from newsgraph.store import Store
from test_api import english, french, russian


def _app() -> FastAPI:
    """The app over a store of the API tests' three articles (built once, at collection)."""
    db = Path(tempfile.mkdtemp(prefix="newsgraph-openapi-")) / "news.db"
    with Store(db) as store:
        store.add_documents([french(), english(), russian()])
    return create_app(db)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_the_description_allows_is_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance]
    )


def test_the_description_covers_every_list_with_paging() -> None:
    paths = schema.raw_schema["paths"]
    for path in (
        "/api/documents",
        "/api/entities",
        "/api/quotes",
        "/api/claims",
        "/api/timeline",
        "/api/stories",
    ):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"limit", "offset", "format"} <= names, path
