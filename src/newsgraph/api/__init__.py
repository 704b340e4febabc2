"""The store over HTTP: the web pages and the HTTP API (JSON and CSV, described at /openapi.json),
one FastAPI application over `newsgraph.application.NewsGraph`.

`app.create_app(settings, token=None)` builds it; `newsgraph serve` (`newsgraph.cli.serve`) runs it
on uvicorn. Reads open the SQLite file read-only, so the server can run beside an ingest; only a
server started with a token accepts articles (`POST /api/documents`).
"""
