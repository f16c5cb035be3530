"""The remote image check (``lint.remote``) against a real HTTP server on 127.0.0.1.

The server is started by these tests (stdlib ``http.server`` in a thread) and records
every request, so the tests can prove what was (not) requested: the cache by counting
requests, the address guard by a server that received nothing. Nothing here addresses
anything but 127.0.0.1 or ::1: host names are resolved by injected resolvers, and an
autouse fixture makes any other connection fail the test. Waits between retries go
through an injected ``sleep`` that records them (no test waits for real, no timing
assertions).
"""

from __future__ import annotations

import email.utils
import http.server
import io
import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from lint import __version__
from lint.document.document import Document
from lint.document.source import Source
from lint.remote import (
    Outcome,
    RemoteOptions,
    ResultCache,
    address_problem,
    check_urls,
    outcome_problem,
    run_remote_checks,
)
from lint.remote import checker as checker_module
from lint.remote import fetch as fetch_module
from lint.remote.checker import retry_after_seconds
from lint.remote.guard import AddressRefused, ResolveError, checked_addresses
from lint.remote.refs import RemoteImageRef, remote_image_refs
from lint.reporters.progress import Progress

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 56
HUGE = 64 * 1024 * 1024


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection the checker tries to open to an address that is not loopback."""
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] in ("127.0.0.1", "::1"), f"test tried to connect to {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(fetch_module.socket, "create_connection", guarded)


@dataclass
class Server:
    """The test server: its base URL and what it received."""

    port: int
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    bytes_written: dict[str, int] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.hits.clear()


def make_handler(server: Server) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_HEAD(self) -> None:
            self.answer(head=True)

        def do_GET(self) -> None:
            self.answer(head=False)

        def send(self, status: int, content_type: str, body: bytes, head: bool, **headers: str):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def redirect(self, location: str, status: int = 302) -> None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def answer(self, head: bool) -> None:
            path = self.path
            with server.lock:
                server.requests.append((self.command, path, dict(self.headers.items())))
                count = server.hits[path] = server.hits.get(path, 0) + 1
            if path.startswith(("/img", "/n/")):
                self.send(200, "image/png", PNG, head)
            elif path == "/octet":
                self.send(200, "application/octet-stream", PNG, head)
            elif path == "/missing.png":
                self.send(404, "text/html", b"<h1>Not Found</h1>", head)
            elif path == "/gone.png":
                self.send(410, "text/html", b"<h1>Gone</h1>", head)
            elif path == "/html.png":
                self.send(200, "text/html; charset=utf-8", b"<html>error</html>" * 500, head)
            elif path in ("/nohead.png", "/forbidden-head.png", "/not-implemented-head.png"):
                status = {"/nohead.png": 405, "/forbidden-head.png": 403}.get(path, 501)
                if head:
                    self.send(status, "text/plain", b"", head)
                else:
                    self.send(206, "image/jpeg", PNG, head, Content_Range="bytes 0-63/64")
            elif path == "/redirect.png":
                self.redirect("/img.png", 301)
            elif path == "/redirect-relative.png":
                self.redirect("img/deeper.png")
            elif path.startswith("/loop-"):
                self.redirect("/loop-b.png" if path == "/loop-a.png" else "/loop-a.png")
            elif path.startswith("/chain/"):
                self.redirect(f"/chain/{int(path.rsplit('/', 1)[1]) + 1}")
            elif path == "/redirect-private.png":
                self.redirect(f"http://internal.test:{server.port}/img.png")
            elif path == "/redirect-ftp.png":
                self.redirect("ftp://example.invalid/a.png")
            elif path == "/slow.png":
                server.release.wait(10)
                self.send(200, "image/png", PNG, head)
            elif path == "/busy.png":
                if count == 1:
                    self.send(429, "text/plain", b"slow down", head, Retry_After="1")
                else:
                    self.send(200, "image/png", PNG, head)
            elif path == "/always-busy.png":
                self.send(429, "text/plain", b"slow down", head, Retry_After="3600")
            elif path == "/flaky.png":
                if count <= 2:
                    self.send(503, "text/plain", b"try later", head)
                else:
                    self.send(200, "image/png", PNG, head)
            elif path == "/huge.png":
                if head:
                    self.send(405, "text/plain", b"", head)
                    return
                self.send_response(200)  # ignores Range, sends 64 MiB
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(HUGE))
                self.end_headers()
                chunk = b"\0" * 65536
                written = 0
                try:
                    while written < HUGE:
                        self.wfile.write(chunk)
                        written += len(chunk)
                except OSError:
                    pass
                with server.lock:
                    server.bytes_written[path] = written
            else:
                self.send(500, "text/plain", b"unknown test path", head)

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(0)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Sleeps:
    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def options(**overrides: Any) -> RemoteOptions:
    """Options for the test server: private hosts allowed, no cache, recorded sleeps."""
    settings: dict[str, Any] = {
        "allow_private_hosts": True,
        "cache_dir": None,
        "timeout": 5.0,
        "sleep": Sleeps(),
    }
    settings.update(overrides)
    return RemoteOptions(**settings)


def problem_of(server: Server, path: str, **overrides: Any) -> str | None:
    url = server.url(path)
    settings = options(**overrides)
    return outcome_problem(check_urls([url], settings)[url], False, settings.accept)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/img.png", None),
        ("/octet", None),
        ("/missing.png", "HTTP 404 Not Found"),
        ("/gone.png", "HTTP 410 Gone"),
        ("/html.png", "not an image: HTTP 200 with Content-Type text/html"),
        ("/nohead.png", None),
        ("/forbidden-head.png", None),
        ("/not-implemented-head.png", None),
        ("/redirect.png", None),
        ("/redirect-relative.png", None),
        ("/loop-a.png", "redirect loop at "),
        ("/chain/0", "too many redirects (more than 5)"),
        ("/redirect-ftp.png", "redirect to unsupported scheme 'ftp'"),
    ],
)
def test_status_policy(server: Server, path: str, expected: str | None) -> None:
    problem = problem_of(server, path)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None
        assert problem.startswith(expected)


def test_head_first_then_ranged_get_when_head_is_refused(server: Server) -> None:
    assert problem_of(server, "/img.png") is None
    assert problem_of(server, "/nohead.png") is None
    methods = [(method, path, headers.get("Range")) for method, path, headers in server.requests]
    assert methods == [
        ("HEAD", "/img.png", None),
        ("HEAD", "/nohead.png", None),
        ("GET", "/nohead.png", "bytes=0-4095"),
    ]


def test_redirects_are_followed_and_counted(server: Server) -> None:
    outcome = check_urls([server.url("/redirect-relative.png")], options())
    (result,) = outcome.values()
    assert result.final_url == server.url("/img/deeper.png")
    assert result.redirects == 1
    assert server.paths() == ["/redirect-relative.png", "/img/deeper.png"]
    assert problem_of(server, "/chain/0", max_redirects=2) == "too many redirects (more than 2)"


def test_redirect_to_missing_names_the_final_url(server: Server) -> None:
    server_url = server.url("/missing.png")
    outcome = replace(Outcome(status=404, reason="Not Found"), final_url=server_url, redirects=1)
    assert outcome_problem(outcome, False, frozenset()) == f"HTTP 404 Not Found at {server_url}"


def test_honest_user_agent(server: Server) -> None:
    problem_of(server, "/img.png")
    (_, _, headers), *_ = server.requests
    assert headers["User-Agent"] == f"contentlint/{__version__} (+link checker)"


def test_timeout(server: Server) -> None:
    assert problem_of(server, "/slow.png", timeout=0.2) == "timeout after 0.2s"


def test_429_is_retried_after_retry_after(server: Server) -> None:
    sleeps = Sleeps()
    assert problem_of(server, "/busy.png", sleep=sleeps) is None
    assert server.hits["/busy.png"] == 2
    assert sleeps.waits == [1.0]


def test_retry_after_is_capped_and_retries_are_bounded(server: Server) -> None:
    sleeps = Sleeps()
    problem = problem_of(server, "/always-busy.png", sleep=sleeps, retries=2, max_retry_wait=7)
    assert problem == "HTTP 429 Too Many Requests after 3 attempts"
    assert server.hits["/always-busy.png"] == 3
    assert sleeps.waits == [7, 7]


def test_5xx_backs_off_exponentially(server: Server) -> None:
    sleeps = Sleeps()
    assert problem_of(server, "/flaky.png", sleep=sleeps, retries=2, backoff=0.25) is None
    assert server.hits["/flaky.png"] == 3
    assert sleeps.waits == [0.25, 0.5]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("120", 120.0),
        (email.utils.formatdate(1_000_060, usegmt=True), 60.0),
        (email.utils.formatdate(999_000, usegmt=True), 0.0),  # in the past
        ("soon", None),
    ],
)
def test_retry_after_header(header: str | None, expected: float | None) -> None:
    assert retry_after_seconds(header, 1_000_000.0) == expected


def test_only_a_few_kilobytes_of_a_huge_body_are_read(server: Server) -> None:
    url = server.url("/huge.png")
    outcome = check_urls([url], options(max_body=2048))[url]
    assert outcome.status == 200
    assert outcome.body_bytes == 2048
    # The server stops writing when the checker closes the connection: far less than the
    # 64 MiB it tried to send went out (only what socket buffers hold).
    for _ in range(400):  # wait for the server's handler to notice the closed connection
        if "/huge.png" in server.bytes_written:
            break
        threading.Event().wait(0.025)
    assert server.bytes_written["/huge.png"] < HUGE // 4


def test_each_url_is_checked_once_per_run(server: Server) -> None:
    url = server.url("/missing.png")
    refs = [ref_for(url, path, line) for path, line in (("a.md", 3), ("a.md", 9), ("b.md", 1))]
    findings = run_remote_checks(refs, options())
    assert server.hits == {"/missing.png": 1}
    assert [(f.path, f.line, f.rule, f.severity) for f in findings] == [
        ("a.md", 3, "broken-image", "error"),
        ("a.md", 9, "broken-image", "error"),
        ("b.md", 1, "broken-image", "error"),
    ]
    assert findings[0].message == "broken image (<img>): HTTP 404 Not Found"
    assert findings[0].fix is None


def test_accept_list(server: Server) -> None:
    assert problem_of(server, "/missing.png", accept=frozenset({404})) is None
    url = server.url("/missing.png")
    refs = [ref_for(url, "a.md", 1)]
    assert run_remote_checks(refs, options(accept=frozenset({404}))) == []


def test_media_sources_accept_video(server: Server) -> None:
    outcome = Outcome(status=200, content_type="video/mp4")
    assert outcome_problem(outcome, True, frozenset()) is None
    assert outcome_problem(outcome, False, frozenset()) == (
        "not an image: HTTP 200 with Content-Type video/mp4"
    )


def ref_for(url: str, path: str = "a.md", line: int = 1) -> RemoteImageRef:
    return RemoteImageRef(path, url, "<img>", 0, 10, line, 1, line, 11)


# --- the cache -------------------------------------------------------------------------


def test_second_run_uses_the_cache(server: Server, tmp_path: Any) -> None:
    urls = [server.url(f"/n/{index}.png") for index in range(5)] + [server.url("/missing.png")]
    refs = [ref_for(url) for url in urls]
    cached = options(cache_dir=str(tmp_path / "cache"))
    first = run_remote_checks(refs, cached)
    assert len(server.requests) == 6
    server.clear()
    assert run_remote_checks(refs, cached) == first
    assert server.requests == []  # warm cache: not a single request
    run_remote_checks(refs, replace(cached, cache_dir=None))  # --no-cache
    assert len(server.requests) == 6
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f")
    assert (tmp_path / "cache" / ".gitignore").read_text() == "*\n"


def test_cache_entries_expire(server: Server, tmp_path: Any) -> None:
    now = [1_000_000.0]
    cached = options(cache_dir=str(tmp_path / "c"), cache_max_age=3600, clock=lambda: now[0])
    refs = [ref_for(server.url("/img.png"))]
    run_remote_checks(refs, cached)
    now[0] += 3599
    run_remote_checks(refs, cached)
    assert server.hits["/img.png"] == 1
    now[0] += 2
    run_remote_checks(refs, cached)
    assert server.hits["/img.png"] == 2


def test_transient_failures_are_not_cached(server: Server, tmp_path: Any) -> None:
    cached = options(cache_dir=str(tmp_path / "c"), retries=0)
    refs = [ref_for(server.url("/always-busy.png")), ref_for(server.url("/slow.png"))]
    run_remote_checks(refs, replace(cached, timeout=0.2))
    run_remote_checks(refs, replace(cached, timeout=0.2))
    assert server.hits == {"/always-busy.png": 2, "/slow.png": 2}


def test_cache_ignores_damaged_entries_and_survives_unwritable_folders(tmp_path: Any) -> None:
    cache = ResultCache(str(tmp_path / "c"), 60)
    cache.put("https://a.test/x.png", Outcome(status=200, content_type="image/png"))
    assert cache.get("https://a.test/x.png") == Outcome(status=200, content_type="image/png")
    (entry,) = (tmp_path / "c" / "remote-v1").glob("*/*.json")
    entry.write_text("{not json")
    assert cache.get("https://a.test/x.png") is None
    blocked = tmp_path / "file"
    blocked.write_text("")
    ResultCache(str(blocked), 60).put("https://a.test/x.png", Outcome(status=200))  # no raise
    assert not list((tmp_path / "c" / "remote-v1").glob("*/*.tmp"))


def test_cache_keeps_address_policies_apart_and_refuses_future_dates(tmp_path: Any) -> None:
    """An answer got with --allow-private-hosts is never served to a run without it, and
    an entry dated in the future (a clock set back, a crafted file) is a miss."""
    url, outcome = "http://10.0.0.5/x.png", Outcome(status=200, content_type="image/png")
    ResultCache(str(tmp_path / "c"), 60, policy="private-allowed").put(url, outcome)
    assert ResultCache(str(tmp_path / "c"), 60, policy="private-allowed").get(url) == outcome
    assert ResultCache(str(tmp_path / "c"), 60, policy="public-only").get(url) is None
    now = 1_000_000.0
    ResultCache(str(tmp_path / "f"), 60, clock=lambda: now + 3600).put(url, outcome)
    assert ResultCache(str(tmp_path / "f"), 60, clock=lambda: now).get(url) is None
    assert ResultCache(str(tmp_path / "f"), 60, clock=lambda: now + 3601).get(url) == outcome


def test_cache_is_safe_with_concurrent_writers(tmp_path: Any) -> None:
    cache = ResultCache(str(tmp_path / "c"), 60)
    outcomes = [Outcome(status=200 + index % 3, content_type="image/png") for index in range(40)]
    threads = [
        threading.Thread(target=cache.put, args=("https://a.test/same.png", outcome))
        for outcome in outcomes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("https://a.test/same.png") in outcomes
    assert not list(tmp_path.rglob("*.tmp"))


# --- the address guard -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "private"),
        ("100.64.0.1", "not globally routable"),
        ("::ffff:127.0.0.1", "loopback (embedded in ::ffff:7f00:1)"),
        ("::ffff:169.254.169.254", "cloud metadata (embedded in ::ffff:a9fe:a9fe)"),
        ("2002:a00:1::", "private (embedded in 2002:a00:1::)"),
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_classification(address: str, expected: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == expected


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"resolver called for {host}")


def test_guard_on_literals_and_resolved_names() -> None:
    assert checked_addresses("8.8.8.8", 80, no_dns, False) == [ipaddress.ip_address("8.8.8.8")]
    with pytest.raises(AddressRefused, match=r"refused address ::1 \(loopback\)"):
        checked_addresses("[::1]", 80, no_dns, False)
    mixed = {"rebind.test": ["93.184.216.34", "10.0.0.1"]}
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.1"):
        checked_addresses("rebind.test", 80, lambda host, port: mixed[host], False)
    assert len(checked_addresses("rebind.test", 80, lambda h, p: mixed[h], True)) == 2
    with pytest.raises(ResolveError):
        checked_addresses("nothing.test", 80, lambda host, port: [], False)


def test_loopback_server_gets_no_request_without_allow_private(server: Server) -> None:
    refs = [ref_for(server.url("/img.png")), ref_for(f"http://images.test:{server.port}/img.png")]
    resolver = {"images.test": ["127.0.0.1"]}
    findings = run_remote_checks(
        refs, options(allow_private_hosts=False, resolver=lambda host, port: resolver[host])
    )
    assert server.requests == []
    assert [f.message for f in findings] == [
        "broken image (<img>): refused address 127.0.0.1 (loopback) for 127.0.0.1",
        "broken image (<img>): refused address 127.0.0.1 (loopback) for images.test",
    ]


def test_every_redirect_hop_is_guarded(server: Server) -> None:
    """The first hop is allowed (a policy that admits 127.0.0.1 only); the redirect goes to
    a name that resolves to ::1, which the guard refuses: no connection is made to it."""

    def policy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if str(address) == "127.0.0.1" else address_problem(address)

    connects: list[tuple[str, int]] = []
    real = fetch_module.socket.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        connects.append(address)
        return real(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetch_module.socket, "create_connection", spy)
        problem = problem_of(
            server,
            "/redirect-private.png",
            allow_private_hosts=False,
            address_policy=policy,
            resolver=lambda host, port: {"internal.test": ["::1"]}[host],
        )
    assert problem == "refused address ::1 (loopback) for internal.test"
    assert server.paths() == ["/redirect-private.png"]
    assert connects == [("127.0.0.1", server.port)]


def test_connects_to_the_checked_address_with_the_host_name_in_host(server: Server) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    url = f"http://images.test:{server.port}/img.png"
    outcome = check_urls([url], options(resolver=resolver))[url]
    assert outcome.status == 200
    assert calls == ["images.test"]  # resolved once, by the guard; never again
    (_, _, headers), *_ = server.requests
    assert headers["Host"] == f"images.test:{server.port}"


# --- scheduling, references, progress ---------------------------------------------------


def test_global_and_per_host_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    lock = threading.Lock()
    running: dict[str, int] = {}
    peaks: dict[str, int] = {}
    total = [0, 0]  # running, peak
    gate = threading.Barrier(2, timeout=5)

    def fake_check(url: str, options: RemoteOptions, session: object = None) -> Outcome:
        host = url.split("/")[2]
        with lock:
            running[host] = running.get(host, 0) + 1
            peaks[host] = max(peaks.get(host, 0), running[host])
            total[0] += 1
            total[1] = max(total[1], total[0])
        if host == "solo.test":
            gate.wait()  # proves two requests of one host do run at once
        threading.Event().wait(0.002)
        with lock:
            running[host] -= 1
            total[0] -= 1
        return Outcome(status=200, content_type="image/png")

    monkeypatch.setattr(checker_module, "check_url", fake_check)
    urls = [f"https://{host}.test/{index}.png" for host in "abcdef" for index in range(6)]
    urls += [f"https://solo.test/{index}.png" for index in range(2)]
    outcomes = check_urls(urls, options(concurrency=5, per_host=2))
    assert len(outcomes) == len(urls)
    assert max(peaks.values()) <= 2
    assert peaks["solo.test"] == 2
    assert total[1] <= 5


def test_remote_refs_of_a_document() -> None:
    text = (
        "---\ntitle: t\nheadimg: '//cdn.test/head.jpg'\ncover: ''\n---\n"
        '<img src="https://a.test/1.png" srcset="https://a.test/1x.png 1x, /local.png 2x">\n'
        '<picture><source srcset="https://a.test/s.webp"><source src="http://a.test/v.mp4">'
        "</picture>\n"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="> <img src="java script:x">\n'
        '![a](https://a.test/md.png "title") ![b][ref] ![c](images/local.png)\n\n'
        "[ref]: <https://a.test/ref.png>\n"
        "`![code](https://a.test/code.png)`\n"
    )
    refs = remote_image_refs(Document(Source("doc.md", text)))
    assert [(ref.url, ref.source, ref.line, ref.column, ref.media) for ref in refs] == [
        ("https://cdn.test/head.jpg", "front-matter field 'headimg'", 3, 10, False),
        ("https://a.test/1.png", "<img>", 6, 6, False),
        ("https://a.test/1x.png", "<img srcset>", 6, 41, False),
        ("https://a.test/s.webp", "<source srcset>", 7, 26, False),
        ("http://a.test/v.mp4", "<source>", 7, 57, True),
        ("https://a.test/md.png", "Markdown image", 9, 6, False),
        ("https://a.test/ref.png", "Markdown image", 11, 9, False),
    ]


def test_run_remote_checks_reports_progress(server: Server) -> None:
    seen: list[tuple[int, int]] = []
    refs = [ref_for(server.url(f"/n/{index}.png")) for index in range(3)]
    run_remote_checks(refs, options(), progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3)
    assert seen[-1] == (3, 3)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_of_the_remote_pass_only_on_a_terminal() -> None:
    plain = io.StringIO()
    Progress(plain, 0, unit="remote images", delay=0).advance(1, 2)
    assert plain.getvalue() == ""
    stream = FakeTerminal()
    progress = Progress(stream, 0, unit="remote images", delay=0)
    progress.advance(0, 2)
    progress.advance(2, 2)
    progress.close()
    output = stream.getvalue()
    assert "0/2 remote images" in output
    assert "2/2 remote images" in output
    assert "finding" not in output
    assert output.endswith("\r\x1b[K")


def test_internal_errors_become_outcomes(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(checker_module, "_follow", broken)
    url = "https://a.test/x.png"
    assert check_urls([url], options())[url].error == "internal error: RuntimeError: boom"


def test_connection_refused_is_retried_then_reported(server: Server) -> None:
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    url = f"http://127.0.0.1:{port}/a.png"
    outcome = check_urls([url], options(sleep=sleeps, retries=1))[url]
    assert outcome.error.startswith("connection failed")
    assert outcome.attempts == 2
    assert sleeps.waits == [0.5]


def test_cli_check_remote(server: Server, tmp_path: Any) -> None:
    """``--check-remote`` end to end: guarded by default, then findings with their lines,
    honouring suppressions, and the cache on the second run."""
    from click.testing import CliRunner

    from lint.cli import main

    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: t\ndate: 2021-01-01\nauthor: a\ncategories: [x]\n---\n\n"
        f'<img src="{server.url("/img.png")}">\n'
        f'<img src="{server.url("/missing.png")}">\n'
        "<!-- contentlint-disable-next-line broken-image -->\n"
        f'<img src="{server.url("/gone.png")}">\n',
        encoding="utf-8",
    )
    cache = str(tmp_path / "cache")
    base = ["check", str(article), "--select", "broken-image", "--output-format", "json"]
    runner = CliRunner()

    guarded = runner.invoke(main, [*base, "--check-remote", "--no-cache"])
    assert server.requests == []
    assert guarded.exit_code == 1
    assert "refused address 127.0.0.1" in guarded.stdout

    allowed = [*base, "--check-remote", "--allow-private-hosts", "--cache-dir", cache]
    first = runner.invoke(main, allowed)
    assert first.exit_code == 1, first.output
    assert [(f["line"], f["message"]) for f in json.loads(first.stdout)] == [
        (9, "broken image (<img>): HTTP 404 Not Found")
    ]
    asked = len(server.requests)
    assert asked >= 3
    second = runner.invoke(main, allowed)
    assert second.stdout == first.stdout
    assert len(server.requests) == asked  # every answer came from the cache

    accepting = runner.invoke(main, [*allowed, "--no-cache", "--remote-accept", "404"])
    assert accepting.exit_code == 0, accepting.output
    assert runner.invoke(main, [*allowed, "--remote-accept", "4o4"]).exit_code == 2

    offline = runner.invoke(main, base)
    assert offline.exit_code == 0


def test_cli_check_remote_reports_under_broken_image_rules_only(
    server: Server, tmp_path: Any
) -> None:
    """With every bundled rule on, a broken remote image is one finding of the rule that
    looks for broken images: the other image rules (insecure, placeholder, proxied...)
    are not remote checks, so they do not report it again under their own ids."""
    from click.testing import CliRunner

    from lint.cli import main

    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: t\ndate: 2021-01-01\nauthor: a\ncategories: [x]\n---\n\n"
        f'<img src="{server.url("/missing.png")}">\n',
        encoding="utf-8",
    )
    base = ["check", str(article), "--output-format", "json", "--no-cache"]
    offline = CliRunner().invoke(main, base)
    remote = CliRunner().invoke(main, [*base, "--check-remote", "--allow-private-hosts"])
    offline_rules = [finding["rule"] for finding in json.loads(offline.stdout)]
    remote_rules = [finding["rule"] for finding in json.loads(remote.stdout)]
    assert sorted(remote_rules) == sorted([*offline_rules, "broken-image"]), remote.output
