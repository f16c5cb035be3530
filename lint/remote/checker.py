"""The remote pass: check each distinct image URL of a run once, concurrently.

``run_remote_checks`` takes the remote image references of all linted files (from
``lint.remote.refs.remote_image_refs``), looks each distinct URL up in the cache,
requests the others with a global and a per-host concurrency limit, and turns failures
into ``broken-image`` findings at every place the URL is used.

Each request must be answered in full within ``timeout`` (``--remote-timeout``), from
the connection to the last byte; the whole pass ends at ``run_timeout``
(``--remote-run-timeout``): no request starts and no retry waits past it, and the URLs
left are "not checked" (not cached). Connections to a checked address are kept alive for
the next request to it (``lint.remote.session``).

Per URL: HEAD, or a ranged GET (``Range: bytes=0-…``) where the server refuses HEAD
(405, 501, 403, 400); redirects followed up to a limit, each hop resolved and checked by
the address guard again; 429 and 5xx retried with exponential backoff, honouring
``Retry-After`` up to a cap; a 2xx answer that is not an image (an HTML error page) is
broken, as are 404, 410 and every status not accepted.
"""

from __future__ import annotations

import email.utils
import ssl
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from urllib.parse import SplitResult, urljoin, urlsplit

from lint.engine.findings import Finding, Severity
from lint.engine.kinds.base import shorten
from lint.files.cachedir import DEFAULT_CACHE_DIR
from lint.remote.cache import Outcome, ResultCache
from lint.remote.fetch import USER_AGENT, ConnectionFailed, RequestTimeout, Response, request
from lint.remote.guard import (
    AddressPolicy,
    AddressRefused,
    IPAddress,
    ResolveError,
    Resolver,
    address_problem,
    checked_addresses,
    system_resolver,
)
from lint.remote.refs import RemoteImageRef
from lint.remote.session import Session

HEAD_REFUSED = frozenset({400, 403, 405, 501})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
BINARY_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})

OnProgress = Callable[[int, int], None]  # (requests done, requests in all)


@dataclass(frozen=True)
class RemoteOptions:
    """Settings of the remote pass. ``resolver``, ``address_policy``, ``sleep`` and
    ``clock`` are seams for tests (and for embedding); the defaults are the real ones."""

    timeout: float = 10.0
    run_timeout: float | None = None  # seconds the whole pass may take (None: no limit)
    concurrency: int = 16
    per_host: int = 4
    retries: int = 2
    backoff: float = 0.5
    max_retry_wait: float = 10.0
    max_redirects: int = 5
    accept: frozenset[int] = frozenset()
    max_body: int = 4096
    cache_dir: str | None = DEFAULT_CACHE_DIR  # None: no cache (--no-cache)
    cache_max_age: float = 24 * 3600.0
    allow_private_hosts: bool = False
    user_agent: str = USER_AGENT
    tls_context: ssl.SSLContext | None = None  # None: the system's certificates
    rule_id: str = "broken-image"
    severity: Severity = "error"
    message: str = "broken image ({source}): {problem}"
    resolver: Resolver = system_resolver
    address_policy: AddressPolicy = address_problem
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)


def run_remote_checks(
    refs: Iterable[RemoteImageRef], options: RemoteOptions, progress: OnProgress | None = None
) -> list[Finding]:
    """Check every distinct URL of ``refs`` once; a finding for each use of a broken one."""
    refs = list(refs)
    outcomes = check_urls([ref.url for ref in refs], options, progress)
    findings = []
    for ref in refs:
        problem = outcome_problem(outcomes[ref.url], ref.media, options.accept)
        if problem is None:
            continue
        values = {"url": shorten(ref.url), "problem": problem, "source": ref.source}
        findings.append(
            Finding(
                path=ref.path,
                rule=options.rule_id,
                severity=options.severity,
                message=options.message.format_map({**values, "target": ""}),
                start=ref.start,
                end=ref.end,
                line=ref.line,
                column=ref.column,
                end_line=ref.end_line,
                end_column=ref.end_column,
            )
        )
    findings.sort(key=lambda finding: finding.sort_key)
    return findings


def check_urls(
    urls: Iterable[str], options: RemoteOptions, progress: OnProgress | None = None
) -> dict[str, Outcome]:
    """The outcome of each distinct URL: from the cache, or requested (and then cached)."""
    unique = list(dict.fromkeys(urls))
    cache = None
    if options.cache_dir is not None:
        policy = "private-allowed" if options.allow_private_hosts else "public-only"
        cache = ResultCache(options.cache_dir, options.cache_max_age, options.clock, policy)
    outcomes: dict[str, Outcome] = {}
    pending: list[str] = []
    for url in unique:
        cached = cache.get(url) if cache is not None else None
        if cached is not None:
            outcomes[url] = cached
        else:
            pending.append(url)
    total, done = len(unique), len(outcomes)
    if progress is not None and total:
        progress(done, total)

    def finished(url: str, outcome: Outcome) -> None:
        nonlocal done
        outcomes[url] = outcome
        if cache is not None and outcome.definitive:
            cache.put(url, outcome)
        done += 1
        if progress is not None:
            progress(done, total)

    session = Session(options.per_host, options.run_timeout)
    try:
        _schedule(pending, options, finished, session)
    finally:
        session.close()
    return outcomes


def _schedule(
    urls: Sequence[str],
    options: RemoteOptions,
    finished: Callable[[str, Outcome], None],
    session: Session,
) -> None:
    """Run ``check_url`` on ``urls``: at most ``concurrency`` at once and ``per_host`` per
    host, taking hosts in turn so that one big host does not hold up the others."""
    if not urls:
        return
    queues: dict[str, deque[str]] = {}
    for url in urls:
        queues.setdefault(_host_key(url), deque()).append(url)
    active = dict.fromkeys(queues, 0)
    limit = max(1, options.concurrency)
    per_host = max(1, options.per_host)
    running: dict[Future[Outcome], tuple[str, str]] = {}
    with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="contentlint-remote") as pool:

        def fill() -> None:
            while len(running) < limit:
                started = False
                for host in list(queues):
                    if len(running) >= limit:
                        break
                    queue = queues[host]
                    if active[host] >= per_host or not queue:
                        continue
                    url = queue.popleft()
                    if not queue:
                        del queues[host]
                    active[host] += 1
                    running[pool.submit(check_url, url, options, session)] = (url, host)
                    started = True
                if not started:
                    return

        try:
            fill()
            while running:
                completed, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in completed:
                    url, host = running.pop(future)
                    active[host] -= 1
                    finished(url, future.result())
                fill()
        except BaseException:
            for future in running:
                future.cancel()
            raise


def _host_key(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def check_url(url: str, options: RemoteOptions, session: Session | None = None) -> Outcome:
    """Request ``url`` (retrying 429/5xx and broken connections); never raises.
    ``session``: the connections and deadline of the pass (default: a new one)."""
    if session is None:
        session = Session(options.per_host, options.run_timeout)
        try:
            return check_url(url, options, session)
        finally:
            session.close()
    attempt = 0
    while True:
        attempt += 1
        retry_after: str | None = None
        if _out_of_time(session):
            return _not_checked(options, attempt - 1)
        try:
            outcome, retry_after = _follow(url, options, session)
            transient = outcome.status in RETRY_STATUSES
        except ConnectionFailed as error:
            outcome, transient = Outcome(error=str(error)), "certificate" not in str(error)
        except Exception as error:  # a bug must not stop the run: report it on the URL
            return Outcome(error=f"internal error: {type(error).__name__}: {error}")
        if not transient or attempt > options.retries:
            return replace(outcome, attempts=attempt)
        wait_for = retry_after_seconds(retry_after, options.clock())
        if wait_for is None:
            wait_for = options.backoff * 2 ** (attempt - 1)
        wait_for = max(0.0, min(wait_for, options.max_retry_wait))
        left = session.left()
        if left is not None and wait_for >= left:  # the retry would end past the deadline
            return replace(outcome, attempts=attempt)
        options.sleep(wait_for)


def _out_of_time(session: Session) -> bool:
    left = session.left()
    return left is not None and left <= 0


def _not_checked(options: RemoteOptions, attempts: int) -> Outcome:
    return Outcome(
        error=f"not checked: the remote pass ran out of time ({options.run_timeout:g}s)",
        attempts=attempts,
    )


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


def _follow(url: str, options: RemoteOptions, session: Session) -> tuple[Outcome, str | None]:
    """Follow ``url`` through its redirects; the final outcome and its Retry-After."""
    seen: set[str] = set()
    current = url
    for hop in range(options.max_redirects + 1):
        if current in seen:
            return Outcome(error=f"redirect loop at {shorten(current)}", redirects=hop), None
        seen.add(current)
        try:
            parts = urlsplit(current)
            parts.port  # noqa: B018 - raises on an invalid port
        except ValueError as error:
            return Outcome(error=f"invalid redirect URL: {error}", redirects=hop), None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            what = f"unsupported scheme {scheme!r}" if scheme else "no host"
            return Outcome(error=f"redirect to {what}: {shorten(current)}", redirects=hop), None
        try:
            host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            return Outcome(error=f"invalid host name {parts.hostname!r}", redirects=hop), None
        parts = parts._replace(scheme=scheme)
        port = parts.port or (443 if scheme == "https" else 80)
        try:
            addresses = checked_addresses(
                host,
                port,
                options.resolver,
                options.allow_private_hosts,
                options.address_policy,
            )
        except (AddressRefused, ResolveError) as error:
            return Outcome(error=str(error), redirects=hop), None
        try:
            response = _request(addresses, "HEAD", parts, host, options, session)
            if response.status in HEAD_REFUSED:
                response = _request(addresses, "GET", parts, host, options, session)
        except RequestTimeout:
            if _out_of_time(session):
                return _not_checked(options, 0), None
            return Outcome(error=f"timeout after {options.timeout:g}s", redirects=hop), None
        if response.status in REDIRECTS and response.location:
            current = urljoin(current, response.location.strip())
            continue
        outcome = Outcome(
            status=response.status,
            reason=response.reason,
            content_type=response.content_type,
            final_url=current,
            body_bytes=response.body_bytes,
            redirects=hop,
        )
        return outcome, response.retry_after
    limit = options.max_redirects
    return Outcome(error=f"too many redirects (more than {limit})", redirects=limit), None


def _request(
    addresses: Sequence[IPAddress],
    method: str,
    parts: SplitResult,
    host: str,
    options: RemoteOptions,
    session: Session,
) -> Response:
    """``request`` to the first address that accepts a connection, each within
    ``options.timeout`` and all before the pass's deadline."""
    failure: ConnectionFailed | None = None
    for address in addresses:
        deadline = time.monotonic() + options.timeout
        if session.deadline is not None:
            deadline = min(deadline, session.deadline)
        try:
            return request(
                method,
                parts,
                host,
                address,
                deadline,
                options.max_body,
                options.user_agent,
                session.connections,
                options.tls_context,
            )
        except ConnectionFailed as error:
            failure = error
    assert failure is not None
    raise failure


def outcome_problem(outcome: Outcome, media: bool, accept: frozenset[int]) -> str | None:
    """Why an outcome means a broken image (None: the image is fine)."""
    if outcome.error:
        return outcome.error
    status = outcome.status
    where = f" at {shorten(outcome.final_url)}" if outcome.redirects else ""
    if status in accept:
        return None
    if 200 <= status < 300:
        kind = outcome.content_type
        types = ("image/", "video/", "audio/") if media else ("image/",)
        if not kind or kind in BINARY_TYPES or kind.startswith(types):
            return None
        return f"not an image: HTTP {status} with Content-Type {kind}{where}"
    tries = f" after {outcome.attempts} attempts" if outcome.attempts > 1 else ""
    return f"HTTP {status} {outcome.reason}".rstrip() + where + tries
