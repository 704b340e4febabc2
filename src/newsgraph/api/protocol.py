"""The HTTP/1.1 protocol `newsgraph serve` runs: uvicorn's h11 protocol, except that a request line
carrying raw UTF-8 (`GET /api/timeline?actor=Блинкен`, as curl and scripts send it) is accepted.

h11 follows RFC 9112 to the letter and answers such a request 400 before any application sees it;
browsers percent-encode, command-line clients often do not. The bytes from 0x80 up in the request
line are percent-encoded before h11 parses it, which is what the client meant: the application then
decodes the query string as UTF-8 (`guard.ascii_query` does the same for other servers).
"""

from __future__ import annotations

from urllib.parse import quote

from uvicorn.protocols.http.h11_impl import H11Protocol

# every printable ASCII character, the space that separates method, target and version included
_LINE_SAFE = "".join(chr(c) for c in range(0x20, 0x7F))


def encode_request_line(data: bytes) -> bytes:
    """`data` (the start of a request) with the non-ASCII bytes of its first line percent-encoded."""
    if data.isascii():
        return data
    line, separator, rest = data.partition(b"\r\n")
    if not separator:
        line, separator, rest = data.partition(b"\n")
    return quote(line, safe=_LINE_SAFE).encode("ascii") + separator + rest


class Utf8RequestLine(H11Protocol):
    """uvicorn's h11 protocol with `encode_request_line` applied to each request's first bytes."""

    def data_received(self, data: bytes) -> None:
        pending, _ = self.conn.trailing_data
        if not pending:  # nothing buffered: these bytes start a request line
            data = encode_request_line(data)
        super().data_received(data)
