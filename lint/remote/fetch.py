"""One HTTP request to an address the guard checked: status, headers, a few body bytes.

``http.client`` is used with connections pinned to the checked address: the socket is
opened to that IP while the ``Host`` header, TLS server name (SNI) and certificate check
use the URL's host name. Only the status line and headers are read, plus at most
``max_body`` bytes of a GET's body (the buffered reader may take one more buffer of
8 KiB from the socket); then the connection is closed without draining it.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import SplitResult, quote

from lint import __version__
from lint.remote.guard import IPAddress

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
    """No answer within the timeout."""


class ConnectionFailed(Exception):
    """The connection could not be made or broke before a response."""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


_TLS_CONTEXT: ssl.SSLContext | None = None


def _tls_context() -> ssl.SSLContext:
    global _TLS_CONTEXT
    if _TLS_CONTEXT is None:
        _TLS_CONTEXT = ssl.create_default_context()
    return _TLS_CONTEXT


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
    timeout: float,
    max_body: int,
    user_agent: str,
) -> Response:
    """Send ``method`` for the URL ``parts`` to ``address``; raise RequestTimeout or
    ConnectionFailed when no response comes."""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, str(address), timeout, _tls_context())
    else:
        connection = _PinnedHTTPConnection(host, port, str(address), timeout)
    headers = {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    if method == "GET":
        headers["Range"] = f"bytes=0-{max_body - 1}"
    try:
        connection.request(method, request_target(parts), headers=headers)
        response = connection.getresponse()
        body = b""
        if method == "GET":
            body = response.read(max_body)
        return Response(
            response.status,
            response.reason,
            (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower(),
            response.getheader("Location"),
            response.getheader("Retry-After"),
            len(body),
        )
    except TimeoutError as error:
        raise RequestTimeout(f"timeout after {timeout:g}s") from error
    except ssl.SSLCertVerificationError as error:
        raise ConnectionFailed(f"TLS certificate not valid: {error.verify_message}") from error
    except (OSError, http.client.HTTPException) as error:
        detail = str(error) or type(error).__name__
        raise ConnectionFailed(f"connection failed: {detail}") from error
    finally:
        connection.close()
