"""`newsgraph serve`: the store in a web browser and over a read-only JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from newsgraph.api.server import make_server
from newsgraph.cli.shared import err, fail, open_store, out, settings_of


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 to let other machines connect.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on; 0 picks a free one.")
    ] = 8000,
) -> None:
    """Browse the store (search, articles with their annotations, entities, quotes, claims, timelines)
    and query it as JSON under /api. Nothing can be changed through the server.

    **Example:** `newsgraph --db news.db serve --port 8000`, then open http://127.0.0.1:8000/
    """
    settings = settings_of(ctx)
    # opened once as every command opens it (missing file, foreign file, older schema upgraded);
    # the server then opens it read-only for each request
    with open_store(settings):
        pass
    try:
        server = make_server(settings.db, host, port, settings.timeline_min_confidence)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}): choose another --port or --host")
    out.print(f"serving {settings.db} read-only at {server.url} (JSON API at {server.url}api); Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        server.server_close()
