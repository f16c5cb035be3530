"""Hostile servers: ``--remote-timeout`` bounds a whole request, the pass has a deadline,
and connections are kept alive without losing the pinning to the checked address.

Servers listen on 127.0.0.1 only; the host names used resolve (through the checker's
resolver seam) to it. TLS tests make a throw-away certificate with ``openssl``.
"""

from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lint.remote import RemoteOptions, check_urls, outcome_problem

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 56
DRIP = 0.3  # seconds between two bytes of a trickling server


def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def options(**overrides: Any) -> RemoteOptions:
    settings: dict[str, Any] = {
        "allow_private_hosts": True,
        "cache_dir": None,
        "resolver": loopback,
        "retries": 0,
    }
    settings.update(overrides)
    return RemoteOptions(**settings)


@contextlib.contextmanager
def serve(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A raw TCP server on 127.0.0.1 running ``handle`` for each connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle_quietly, args=(client,), daemon=True).start()

    def handle_quietly(client: socket.socket) -> None:
        with client, contextlib.suppress(OSError):
            handle(client)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def trickle(client: socket.socket, data: bytes) -> None:
    for index in range(len(data)):
        client.sendall(data[index : index + 1])
        time.sleep(DRIP)


HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 64\r\n\r\n"
NO_HEAD = b"HTTP/1.1 405 No\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def slow_answer(where: str, client: socket.socket) -> None:
    """An answer slowed down at ``where``: over 20 s at one byte per DRIP."""
    request = client.recv(4096)
    if where == "status line":
        trickle(client, b"HTTP/1.1 200 OK" + b" " * 60 + b"\r\n")
    elif where == "headers":
        client.sendall(b"HTTP/1.1 200 OK\r\n")
        trickle(client, b"X-Slow: " + b"x" * 70 + b"\r\n\r\n")
    elif request.startswith(b"HEAD"):  # the body of the GET that follows is slow
        client.sendall(NO_HEAD)
    else:
        client.sendall(HEADERS)
        trickle(client, PNG)


@pytest.mark.parametrize("where", ["status line", "headers", "body"])
def test_a_trickling_server_cannot_keep_a_request_past_its_timeout(where: str) -> None:
    """Before, the timeout applied to each read: a byte every 0.3 s kept a 1 s request
    going for the whole answer (over 20 s here, without end in the attack)."""

    def handle(client: socket.socket) -> None:
        client.settimeout(30)
        slow_answer(where, client)

    with serve(handle) as port:
        url = f"http://images.test:{port}/a.png"
        started = time.monotonic()
        outcome = check_urls([url], options(timeout=1.0))[url]
        took = time.monotonic() - started
        assert outcome.error == "timeout after 1s"
        assert took < 4.0


def test_retries_and_waits_stop_at_the_deadline_of_the_pass() -> None:
    """Every request times out; with 3 retries each and a 1.5 s pass, the pass ends in
    time and the URLs it could not get to are "not checked", not cached as broken."""

    def handle(client: socket.socket) -> None:
        client.settimeout(30)
        client.recv(4096)
        time.sleep(5)

    with serve(handle) as port:
        urls = [f"http://images.test:{port}/{index}.png" for index in range(4)]
        started = time.monotonic()
        outcomes = check_urls(
            urls,
            options(timeout=1.0, retries=3, backoff=0.1, run_timeout=1.5, concurrency=1),
        )
        took = time.monotonic() - started
    assert took < 4.0  # without the deadline of the pass: 16 s
    problems = [outcome_problem(outcomes[url], False, frozenset()) or "" for url in urls]
    assert problems[0].startswith("timeout after 1s")
    assert all(problem.startswith("not checked") for problem in problems[1:])
    assert not any(outcomes[url].definitive for url in urls[1:])


class KeepAliveHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    peers: set[tuple[str, int]]
    lock: threading.Lock

    def do_HEAD(self) -> None:
        with self.lock:
            self.peers.add(self.client_address)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def keep_alive_server(context: ssl.SSLContext | None = None) -> Iterator[tuple[int, set[Any]]]:
    peers: set[tuple[str, int]] = set()
    handler = type("Handler", (KeepAliveHandler,), {"peers": peers, "lock": threading.Lock()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield httpd.server_address[1], peers
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=images.test",
            "-addext", "subjectAltName=DNS:images.test", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return key, cert


def tls_contexts(certificate: tuple[Path, Path]) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    key, cert = certificate
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_connections_to_a_host_are_kept_alive_up_to_the_per_host_limit(
    scheme: str, request: pytest.FixtureRequest
) -> None:
    server_tls = client_tls = None
    if scheme == "https":
        server_tls, client_tls = tls_contexts(request.getfixturevalue("certificate"))
    with keep_alive_server(server_tls) as (port, peers):
        urls = [f"{scheme}://images.test:{port}/{index}.png" for index in range(40)]
        outcomes = check_urls(urls, options(per_host=2, concurrency=8, tls_context=client_tls))
    assert {outcome.status for outcome in outcomes.values()} == {200}
    assert 1 <= len(peers) <= 2  # before: one connection per request, 40


def test_a_kept_connection_is_only_reused_for_its_checked_address() -> None:
    """Two names on one server port: each gets its own connection (the key is the host
    and the address the guard checked for it), and the connects go to those addresses."""
    resolved = {"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]}
    with keep_alive_server() as (port, peers):
        urls = [f"http://{host}:{port}/{i}.png" for host in resolved for i in range(6)]
        outcomes = check_urls(
            urls,
            options(per_host=1, concurrency=1, resolver=lambda host, _: resolved[host]),
        )
    assert {outcome.status for outcome in outcomes.values()} == {200}
    assert len(peers) == 2


def test_a_trickled_tls_handshake_is_bounded(certificate: tuple[Path, Path]) -> None:
    _, client_tls = tls_contexts(certificate)

    def handle(client: socket.socket) -> None:
        client.settimeout(30)
        trickle(client, b"\x16\x03\x01" + b"\x00" * 80)  # a TLS record that never ends

    with serve(handle) as port:
        url = f"https://images.test:{port}/a.png"
        started = time.monotonic()
        outcome = check_urls([url], options(timeout=1.0, tls_context=client_tls))[url]
        assert time.monotonic() - started < 4.0
    assert outcome.error == "timeout after 1s"
