"""The store over HTTP: a read-only JSON API and a small server-rendered web view.

`newsgraph serve` (see `newsgraph.cli.serve`) runs `server.make_server`; `app.App` maps a request
target to a response and is what the tests drive. Every request opens the SQLite file read-only
(`readonly.open_readonly`), so the server can run beside an ingest and can never change the store.
"""
