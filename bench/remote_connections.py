"""Per-request cost of the remote check on loopback, plain HTTP and TLS.

One host, ``--urls`` distinct image URLs checked one at a time (``concurrency=1``) against
a local HTTP/1.1 server that keeps connections alive, so the time per request is the
cost of a request on its connection (plus, without reuse, the TCP and TLS set-up). The
TLS run uses a throw-away certificate made with ``openssl``. Prints milliseconds per
request (median of ``--runs``) and the connections the server saw::

    python bench/remote_connections.py [--urls 300] [--runs 3]

Nothing leaves the machine: the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.server
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from lint.remote import RemoteOptions, check_urls

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 56


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    peers: ClassVar[set[tuple[str, int]]] = set()

    def log_message(self, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        Handler.peers.add(self.client_address)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()


def certificate(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """Server and client TLS contexts for ``bench.test`` with a new certificate."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=bench.test",
            "-addext", "subjectAltName=DNS:bench.test", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    return server, ssl.create_default_context(cafile=str(cert))


def measure(scheme: str, urls: int, runs: int, contexts: tuple[ssl.SSLContext, ssl.SSLContext]):
    server_tls, client_tls = contexts
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if scheme == "https":
        httpd.socket = server_tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    port = httpd.server_address[1]
    options = RemoteOptions(
        allow_private_hosts=True,
        cache_dir=None,
        concurrency=1,
        resolver=lambda host, port: ["127.0.0.1"],
        tls_context=client_tls if scheme == "https" else None,
    )
    times: list[float] = []
    for run in range(runs):
        Handler.peers.clear()
        batch = [f"{scheme}://bench.test:{port}/{run}/{index}.png" for index in range(urls)]
        start = time.perf_counter()
        outcomes = check_urls(batch, options)
        times.append((time.perf_counter() - start) / urls * 1000)
        assert all(outcome.status == 200 for outcome in outcomes.values()), "a check failed"
    httpd.shutdown()
    httpd.server_close()
    return statistics.median(times), len(Handler.peers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contentlint-bench-") as folder:
        contexts = certificate(Path(folder))
        for scheme in ("http", "https"):
            per_request, connections = measure(scheme, args.urls, args.runs, contexts)
            print(
                f"{scheme:5}: {per_request:.2f} ms per request, "
                f"{connections} connections for {args.urls} requests"
            )


if __name__ == "__main__":
    main()
