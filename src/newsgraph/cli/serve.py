"""`newsgraph serve`: the store in a web browser and over the HTTP API (uvicorn serving
`newsgraph.api.app.create_app`)."""

from __future__ import annotations

import socket
from ipaddress import ip_address
from typing import Annotated

import typer
import uvicorn

from newsgraph.api.app import create_app
from newsgraph.api.protocol import Utf8RequestLine
from newsgraph.cli.shared import err, fail, out, settings_of, upgraded_store


def is_loopback(host: str) -> bool:
    """True when `host` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to a public address


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one), so a busy port is refused here, with advice."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


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
    """Browse the store (search, articles with their annotations, entities, quotes, claims, timelines,
    stories) and query it under /api (JSON or CSV; described at /openapi.json and /docs). Without a
    token nothing can be changed through the server; with one, POST /api/documents adds articles.

    **Example:** `newsgraph --db news.db serve --port 8000`, then open http://127.0.0.1:8000/; to let
    other machines in: `newsgraph serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"`
    """
    settings = settings_of(ctx)
    if not is_loopback(host) and not token and not insecure_public:
        fail(
            f"--host {host} lets other machines read the whole store: give a secret with --token (or "
            "NEWSGRAPH_TOKEN), or pass --insecure-public if that is really what you want"
        )
    upgraded_store(settings)  # the server then opens it read-only for each request
    try:
        sock = bind(host, port)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}): choose another --port or --host")
    app = create_app(settings, token=token or None)
    bound_host, bound_port = sock.getsockname()[:2]
    url = f"http://{bound_host}:{bound_port}/"
    opening = f"{url}?token={token}" if token else url
    mode = "reads and POST /api/documents with the token" if token else "read-only"
    out.print(f"serving {settings.db} ({mode}) at {opening} (API docs at {url}docs); Ctrl+C stops")
    config = uvicorn.Config(app, http=Utf8RequestLine, log_level="warning", proxy_headers=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        sock.close()
