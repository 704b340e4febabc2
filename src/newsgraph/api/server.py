"""The HTTP server: the standard library's threading server in front of `app.App`.

Only GET and HEAD are served; any other method is answered 405, since nothing here writes.
"""

from __future__ import annotations

import hmac
import logging
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsgraph.api.app import App, Response, json_response
from newsgraph.config import TIMELINE_MIN_CONFIDENCE

log = logging.getLogger(__name__)

ALLOWED = "GET, HEAD"
# no inline script or style is used, so the policy can forbid them: even a string that escaped
# escaping could not run; the page scripts read JSON from this server only (connect-src)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


TOKEN_PARAM = "token"  # ?token=... in a link opens the site once; a cookie carries it after that
TOKEN_COOKIE = "newsgraph_token"


class NewsgraphServer(ThreadingHTTPServer):
    daemon_threads = True  # a slow client never keeps the process from exiting

    def __init__(self, address: tuple[str, int], app: App, token: str | None = None):
        self.app = app
        self.token = token
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
        self._send(self._respond())

    def do_HEAD(self) -> None:
        self._send(self._respond(), with_body=False)

    def _respond(self) -> Response:
        """The app's response, once the request carries the token (when the server has one)."""
        target, given = split_token(self.path)
        token = self.server.token
        if token is not None and not any(
            hmac.compare_digest(candidate.encode(), token.encode())
            for candidate in (given, self._bearer(), self._cookie())
            if candidate
        ):
            response = json_response(
                {
                    "error": "this server needs its token: open the link with ?token=... that serve printed, "
                    "or send the header Authorization: Bearer <token>"
                },
                HTTPStatus.UNAUTHORIZED,
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="newsgraph"'
            return response
        try:
            response = self.server.app.handle(target)
        except Exception:  # a bug must not leave the client without an answer (or the headers)
            log.exception("request %s failed", target)
            response = json_response(
                {"error": "internal error; see the server's log"}, HTTPStatus.INTERNAL_SERVER_ERROR
            )
        if token is not None and given:
            response.headers["Set-Cookie"] = f"{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
        return response

    def _bearer(self) -> str | None:
        scheme, _, value = (self.headers.get("Authorization") or "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def _cookie(self) -> str | None:
        cookies = SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie") or "")
        except CookieError:
            return None
        morsel = cookies.get(TOKEN_COOKIE)
        return morsel.value if morsel else None

    def end_headers(self) -> None:
        """Every response carries the security headers, errors the standard library sends included."""
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

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


def split_token(target: str) -> tuple[str, str | None]:
    """The request target without its `token` query parameter, and that parameter's value."""
    url = urlsplit(target)
    if not url.query:
        return target, None
    pairs = parse_qsl(url.query, keep_blank_values=True)
    token = next((value for key, value in pairs if key == TOKEN_PARAM), None)
    if token is None:
        return target, None
    query = urlencode([(key, value) for key, value in pairs if key != TOKEN_PARAM])
    return urlunsplit(url._replace(query=query)), token


def is_loopback(host: str) -> bool:
    """True when `host` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to a public address


def make_server(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    min_confidence: float = TIMELINE_MIN_CONFIDENCE,
) -> NewsgraphServer:
    """A server (not yet serving: call `serve_forever()`) over the store at `db`; port 0 picks a free one.

    With a `token`, every request must carry it (see `RequestHandler._respond`). Timelines show
    events of at least `min_confidence` unless a request asks otherwise."""
    return NewsgraphServer((host, port), App(db, min_confidence), token)
