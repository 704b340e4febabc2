"""`newsgraph serve`: the store in a web browser and over a read-only JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from newsgraph.api.server import is_loopback, make_server
from newsgraph.cli.shared import err, fail, open_store, out, settings_of


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 to let other machines connect.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on; 0 picks a free one.")
    ] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="NEWSGRAPH_TOKEN",
            show_default=False,
            help="A secret every request must carry (?token= once, then a cookie; or Authorization: "
            "Bearer). Required to listen on an address other machines reach.",
        ),
    ] = None,
    insecure_public: Annotated[
        bool,
        typer.Option(
            "--insecure-public",
            help="Listen on a public address without a token: anyone who reaches it reads the store.",
        ),
    ] = False,
) -> None:
    """Browse the store (search, articles with their annotations, entities, quotes, claims, timelines)
    and query it as JSON under /api. Nothing can be changed through the server.

    **Example:** `newsgraph --db news.db serve --port 8000`, then open http://127.0.0.1:8000/; to let
    other machines in: `newsgraph serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"`
    """
    settings = settings_of(ctx)
    if not is_loopback(host) and not token and not insecure_public:
        fail(
            f"--host {host} lets other machines read the whole store: give a secret with --token (or "
            "NEWSGRAPH_TOKEN), or pass --insecure-public if that is really what you want"
        )
    # opened once as every command opens it (missing file, foreign file, older schema upgraded);
    # the server then opens it read-only for each request
    with open_store(settings):
        pass
    try:
        server = make_server(
            settings.db, host, port, token or None, min_confidence=settings.timeline_min_confidence
        )
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}): choose another --port or --host")
    opening = f"{server.url}?token={token}" if token else server.url
    out.print(f"serving {settings.db} read-only at {opening} (JSON API at {server.url}api); Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        server.server_close()
