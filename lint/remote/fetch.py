"""One HTTP request to an address the guard checked: status, headers, a few body bytes.

``http.client`` is used with connections pinned to the checked address: the socket is
opened to that IP while the ``Host`` header, TLS server name (SNI) and certificate check
use the URL's host name. Only the status line and headers are read, plus at most
``max_body`` bytes of a GET's body (the buffered reader may take one more buffer of
8 KiB from the socket).

Every request has a deadline for all of it, from the connection to the last byte: the
TLS handshake runs under the time left (``ssl`` counts it across the whole handshake),
and every read of the response waits at most the time left, so a server that trickles
one byte at a time cannot hold a request past its timeout. Connections are kept alive
for the next request to the same checked address (``lint.remote.session``) when the
response was read to the end; a kept connection that the server closed meanwhile is
replaced by a new one, once.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, quote

from lint import __version__
from lint.remote.guard import IPAddress
from lint.remote.session import Connections, Key

USER_AGENT = f"contentlint/{__version__} (+link checker)"
ACCEPT = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Response:
    """The parts of an HTTP response a link check needs."""

    status: int
    reason: str
    content_type: str
    location: str | None
    retry_after: str | None
    body_bytes: int


class RequestTimeout(Exception):
    """No complete answer before the deadline."""


class ConnectionFailed(Exception):
    """The connection could not be made or broke before a response."""


def _left(deadline: float) -> float:
    """Seconds until ``deadline``; raises TimeoutError when it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's input, each read waiting at most until the deadline. It holds the
    socket's own reader (``makefile``) until closed: that keeps the socket open while
    the response is read, as ``http.client`` expects."""

    def __init__(self, plain: Any, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._plain = plain
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(_left(self._deadline))
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        self._plain.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    """A response whose status line, headers and body are read before ``deadline``."""

    def __init__(
        self,
        sock: socket.socket,
        debuglevel: int = 0,
        method: str | None = None,
        url: str | None = None,
        *,
        deadline: float,
    ) -> None:
        super().__init__(sock, debuglevel, method, url)
        self.fp = io.BufferedReader(_DeadlineReader(self.fp, sock, deadline))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port)
        self._address = address
        self.deadline = 0.0

    def _socket(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port), _left(self.deadline))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect(self) -> None:
        self.sock = self._socket()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def __init__(self, host: str, port: int, address: str, context: ssl.SSLContext) -> None:
        super().__init__(host, port, address)
        self._tls = context

    def connect(self) -> None:
        sock = self._tls.wrap_socket(
            self._socket(), server_hostname=self.host, do_handshake_on_connect=False
        )
        sock.settimeout(_left(self.deadline))
        sock.do_handshake()
        self.sock = sock


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def request_target(parts: SplitResult) -> str:
    """The request target of a URL: path and query, percent-encoded to ASCII."""
    target = quote(parts.path or "/", safe=_SAFE_PATH)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE_PATH + "?")
    return target


def request(
    method: str,
    parts: SplitResult,
    host: str,
    address: IPAddress,
    deadline: float,
    max_body: int,
    user_agent: str,
    connections: Connections | None = None,
    tls: ssl.SSLContext | None = None,
) -> Response:
    """Send ``method`` for the URL ``parts`` to ``address`` and read the answer before
    ``deadline`` (``time.monotonic``); raise RequestTimeout or ConnectionFailed when no
    response comes. With ``connections``, a kept-alive connection is reused and kept
    again; ``tls``: the TLS context (default: the system's certificates)."""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    key: Key = (parts.scheme, host, port, str(address))
    kept = connections.take(key) if connections is not None else None
    if kept is not None:
        try:
            return _exchange(kept, key, method, parts, deadline, max_body, user_agent, connections)
        except ConnectionFailed:
            pass  # the server closed the kept connection meanwhile: once more, on a new one
    connection: _PinnedHTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, str(address), tls or _tls_context())
    else:
        connection = _PinnedHTTPConnection(host, port, str(address))
    return _exchange(connection, key, method, parts, deadline, max_body, user_agent, connections)


def _exchange(
    connection: http.client.HTTPConnection,
    key: Key,
    method: str,
    parts: SplitResult,
    deadline: float,
    max_body: int,
    user_agent: str,
    connections: Connections | None,
) -> Response:
    """One request and response on ``connection``, which is then kept or closed."""
    headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if connections is None:
        headers["Connection"] = "close"
    if method == "GET":
        headers["Range"] = f"bytes=0-{max_body - 1}"
    keep = False
    try:
        if isinstance(connection, _PinnedHTTPConnection):
            connection.deadline = deadline
        # http.client calls response_class(sock, method=...): a partial that makes one.
        connection.response_class = functools.partial(  # type: ignore[assignment]
            _DeadlineResponse, deadline=deadline
        )
        if connection.sock is not None:
            connection.sock.settimeout(_left(deadline))
        connection.request(method, request_target(parts), headers=headers)
        response = connection.getresponse()
        # A HEAD answer has no body: reading it marks the response done (for reuse).
        body = response.read(max_body) if method == "GET" else response.read()
        keep = response.isclosed() and not response.will_close and connections is not None
        return Response(
            response.status,
            response.reason,
            (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower(),
            response.getheader("Location"),
            response.getheader("Retry-After"),
            len(body),
        )
    except TimeoutError as error:
        raise RequestTimeout("no complete answer before the deadline") from error
    except ssl.SSLCertVerificationError as error:
        raise ConnectionFailed(f"TLS certificate not valid: {error.verify_message}") from error
    except (OSError, http.client.HTTPException) as error:
        detail = str(error) or type(error).__name__
        raise ConnectionFailed(f"connection failed: {detail}") from error
    finally:
        if keep and connections is not None:
            connections.give(key, connection)
        else:
            connection.close()
