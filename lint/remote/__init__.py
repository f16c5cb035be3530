"""Opt-in remote checks of image URLs (``contentlint --check-remote``).

A cross-document pass that runs after linting: the remote image URLs of all files
(``lint.remote.refs.remote_image_refs``) are checked once each, concurrently, through
the address guard (``guard``), with a persistent cache (``cache``), and failures become
``broken-image`` findings. Modules: ``checker`` (scheduling, redirects, retries, status
policy), ``fetch`` (one pinned HTTP request), ``guard``, ``cache``.
"""

from __future__ import annotations

from lint.files.cachedir import DEFAULT_CACHE_DIR
from lint.remote.cache import Outcome, ResultCache
from lint.remote.checker import (
    RemoteOptions,
    check_url,
    check_urls,
    outcome_problem,
    run_remote_checks,
)
from lint.remote.fetch import USER_AGENT
from lint.remote.guard import AddressRefused, address_problem
from lint.remote.refs import RemoteImageRef, remote_image_refs

__all__ = [
    "DEFAULT_CACHE_DIR",
    "USER_AGENT",
    "AddressRefused",
    "Outcome",
    "RemoteImageRef",
    "RemoteOptions",
    "ResultCache",
    "address_problem",
    "check_url",
    "check_urls",
    "outcome_problem",
    "remote_image_refs",
    "run_remote_checks",
]
