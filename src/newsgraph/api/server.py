"""The HTTP server: the standard library's threading server in front of `app.App`.

Only GET and HEAD are served; any other method is answered 405, since nothing here writes.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsgraph.api.app import App, Response, json_response
from newsgraph.config import TIMELINE_MIN_CONFIDENCE

log = logging.getLogger(__name__)

ALLOWED = "GET, HEAD"
# no inline script or style is used, so the policy can forbid them: even a string that escaped
# escaping could not run
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class NewsgraphServer(ThreadingHTTPServer):
    daemon_threads = True  # a slow client never keeps the process from exiting

    def __init__(self, address: tuple[str, int], app: App):
        self.app = app
        super().__init__(address, RequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class RequestHandler(BaseHTTPRequestHandler):
    server: NewsgraphServer
    server_version = "newsgraph"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._send(self.server.app.handle(self.path))

    def do_HEAD(self) -> None:
        self._send(self.server.app.handle(self.path), with_body=False)

    def _refuse(self) -> None:
        response = json_response(
            {"error": f"{self.command} is not allowed: this server is read-only, use {ALLOWED}"},
            HTTPStatus.METHOD_NOT_ALLOWED,
        )
        # the request body is not read, so the connection cannot carry another request
        response.headers.update({"Allow": ALLOWED, "Connection": "close"})
        self.close_connection = True
        self._send(response)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def _send(self, response: Response, with_body: bool = True) -> None:
        self.send_response(response.status)
        headers = {
            **SECURITY_HEADERS,
            **response.headers,
            "Content-Type": response.content_type,
            "Content-Length": str(len(response.body)),
        }
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def make_server(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    min_confidence: float = TIMELINE_MIN_CONFIDENCE,
) -> NewsgraphServer:
    """A server (not yet serving: call `serve_forever()`) over the store at `db`; port 0 picks a free one.
    Timelines show events of at least `min_confidence` unless a request asks otherwise."""
    return NewsgraphServer((host, port), App(db, min_confidence))
