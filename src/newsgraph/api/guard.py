"""What stands between the network and the application (an ASGI middleware, outermost of ours):

- the token: a server started with one answers only requests that carry it (`?token=` once, after
  which a cookie carries it; or `Authorization: Bearer`), compared in constant time; a write
  (`POST /api/documents`) must send it in the `Authorization` header;
- the security headers on every response, errors and crashes included: no inline script or style
  is used, so the content policy forbids them, and even a string that escaped escaping could not
  run (`/docs`, which only loads the API description, runs Swagger UI's one inline script);
- a raw UTF-8 query string (`?actor=Блинкен` sent unencoded) is percent-encoded before parsing,
  so it reads as the client meant it rather than as Latin-1;
- HEAD is answered as GET without the body;
- a request body over `max_body` bytes is refused with 413 before it is read;
- an exception is logged and answered 500 with the headers, never a dropped connection.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from markupsafe import escape
from starlette.datastructures import Headers, MutableHeaders

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Swagger UI (served by this server) starts from one inline script; nothing comes from elsewhere
DOCS_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
TOKEN_PARAM = "token"
TOKEN_COOKIE = "newsgraph_token"
# every printable ASCII character stays as sent; only bytes from 0x80 up are percent-encoded
_ASCII_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))


def ascii_query(raw: bytes) -> bytes:
    """A query string with its raw non-ASCII bytes percent-encoded (UTF-8 sent unencoded)."""
    if raw.isascii():
        return raw
    return quote(raw, safe=_ASCII_SAFE).encode("ascii")


def split_token(query: bytes) -> tuple[bytes, str | None]:
    """The query string without its `token` parameter, and that parameter's value."""
    if b"token=" not in query:
        return query, None
    pairs = parse_qsl(query.decode("ascii"), keep_blank_values=True)
    token = next((value for key, value in pairs if key == TOKEN_PARAM), None)
    if token is None:
        return query, None
    kept = urlencode([(key, value) for key, value in pairs if key != TOKEN_PARAM])
    return kept.encode("ascii"), token


def _bearer(headers: Headers) -> str | None:
    scheme, _, value = (headers.get("authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _cookie(headers: Headers) -> str | None:
    for part in (headers.get("cookie") or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == TOKEN_COOKIE:
            return value
    return None


def _replay(body: bytes) -> Receive:
    """A `receive` that gives `body` as one message, then says the client is done."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


class Guard:
    """The middleware (module docstring) around an ASGI application."""

    def __init__(self, app: App, token: str | None = None, max_body: int = 20_000_000):
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        query, given = split_token(ascii_query(scope.get("query_string", b"")))
        scope["query_string"] = query
        head = scope["method"] == "HEAD"
        if head:
            scope["method"] = "GET"
        headers = Headers(scope=scope)
        path = scope.get("path", "")
        policy = DOCS_POLICY if path == "/docs" else SECURITY_HEADERS["Content-Security-Policy"]
        cookie = None
        if self.token is not None:
            # a write needs the header: a browser sends the cookie (or a link's token) by itself,
            # so they open reading only, and no other page can make a browser write for its user
            reading = scope["method"] in ("GET", "HEAD")
            candidates = (given, _bearer(headers), _cookie(headers)) if reading else (_bearer(headers),)
            if not any(c and hmac.compare_digest(c.encode(), self.token.encode()) for c in candidates):
                message = (
                    "this server needs its token: open the link with ?token=... that serve printed, "
                    "or send the header Authorization: Bearer <token>"
                )
                status = 403 if any(candidates) else 401
                await self._answer(
                    send,
                    status,
                    path,
                    message,
                    policy,
                    head,
                    {"WWW-Authenticate": 'Bearer realm="newsgraph"'},
                )
                return
            if given:
                cookie = f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._answer(send, 413, path, self._too_large(), policy, head, {"Connection": "close"})
            return
        if length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            # a body sent without a length (chunked) is read here, up to the limit, then replayed
            body = await self._read_bounded(receive)
            if body is None:
                await self._answer(send, 413, path, self._too_large(), policy, head, {"Connection": "close"})
                return
            receive = _replay(body)
        started = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    out[name] = value
                out["Content-Security-Policy"] = policy
                if cookie:
                    out.append("Set-Cookie", cookie)
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except Exception:
            log.exception("request %s failed", path)
            if started:
                raise
            message = "internal error: the server log has the details; try again or report it"
            await self._answer(send, 500, path, message, policy, head, {})

    async def _read_bounded(self, receive: Receive) -> bytes | None:
        """The whole request body, or None as soon as it passes `max_body`."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    def _too_large(self) -> str:
        return (
            f"the request body is larger than {self.max_body:,} bytes (max_bytes): "
            "send fewer or smaller articles"
        )

    @staticmethod
    async def _answer(
        send: Send, status: int, path: str, message: str, policy: str, head: bool, extra: dict[str, str]
    ) -> None:
        """An error answered here (the application never saw the request): JSON for the API, else HTML."""
        if path.startswith("/api") or path == "/openapi.json":
            body, content_type = (
                json.dumps({"error": message}, ensure_ascii=False).encode(),
                "application/json",
            )
        else:
            body = f"<!doctype html><title>{status}</title><p>{escape(message)}</p>".encode()
            content_type = "text/html; charset=utf-8"
        headers = {
            **SECURITY_HEADERS,
            "Content-Security-Policy": policy,
            **extra,
            "Content-Type": content_type,
            "Content-Length": str(len(body)),
        }
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": b"" if head else body})
