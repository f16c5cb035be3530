"""Benchmark of the remote image check against a local HTTP server.

Checks 1,000 distinct image URLs (spread over 50 host names that an injected resolver
maps to 127.0.0.1, so the per-host limit works as on real archives) with a fresh cache,
then again with the warm cache. Prints requests per second of the cold run and the time
of the warm run, as the median of ``--runs`` runs::

    python bench/remote.py [--urls 1000] [--hosts 50] [--runs 3] [--concurrency 16] [--per-host 4]

Nothing leaves the machine: the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.server
import statistics
import tempfile
import threading
import time
from typing import Any

from lint.remote import RemoteOptions, check_urls

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 56


class Handler(http.server.BaseHTTPRequestHandler):
    requests = 0
    lock = threading.Lock()

    def log_message(self, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        with Handler.lock:
            Handler.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=RemoteOptions.concurrency)
    parser.add_argument("--per-host", type=int, default=RemoteOptions.per_host)
    args = parser.parse_args()

    http.server.ThreadingHTTPServer.request_queue_size = 256
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    port = server.server_address[1]
    urls = [
        f"http://h{index % args.hosts}.bench.test:{port}/images/{index}.png"
        for index in range(args.urls)
    ]
    cold_rates: list[float] = []
    warm_times: list[float] = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="contentlint-bench-") as cache_dir:
            options = RemoteOptions(
                allow_private_hosts=True,
                cache_dir=cache_dir,
                concurrency=args.concurrency,
                per_host=args.per_host,
                resolver=lambda host, port: ["127.0.0.1"],
            )
            before = Handler.requests
            start = time.perf_counter()
            outcomes = check_urls(urls, options)
            cold = time.perf_counter() - start
            requests = Handler.requests - before
            assert all(o.status == 200 for o in outcomes.values()), "a check failed"
            start = time.perf_counter()
            check_urls(urls, options)
            warm = time.perf_counter() - start
            assert Handler.requests - before == requests, "the warm run sent requests"
        cold_rates.append(requests / cold)
        warm_times.append(warm)
        print(
            f"run {run + 1}: cold {cold:.2f} s ({requests} requests, {requests / cold:.0f}/s), "
            f"warm {warm * 1000:.0f} ms (0 requests)"
        )
    print(
        f"median of {args.runs}: cold {statistics.median(cold_rates):.0f} requests/s "
        f"({args.urls} URLs, {args.hosts} hosts, concurrency {args.concurrency}, "
        f"per host {args.per_host}); warm cache {statistics.median(warm_times) * 1000:.0f} ms"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
