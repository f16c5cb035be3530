"""Linting archives on Dask (``pip install 'contentlint[dask]'``).

    import dask.bag as db
    import lint.dask

    paths = db.from_sequence(["s3://bucket/posts/a.md", ...], npartitions=64)
    findings = lint.dask.lint_bag(paths)               # a bag of the JSON report's objects
    frame = lint.dask.findings_frame(paths)            # a Dask DataFrame, a row per finding
    lint.dask.fix_bag(paths, "s3://bucket/fixed/", root="s3://bucket/posts/").compute()

A bag holds paths or URLs, read through fsspec (local paths, ``file://``,
``memory://``, and ``s3://``, ``gs://`` … where their filesystem package is installed),
or ``(name, text)`` pairs, linted as ``lint.lint_text(text, name)`` lints them. Local
files are linted as ``contentlint check`` lints them (site presets, images looked up
beside them); an article read from another store has its neighbours there, so its local
images are not looked up.

The configuration and its rules are loaded once, here in the client, and shipped to the
workers as one object of the graph (pickled once, sent once to each worker that needs
it, never reloaded per partition). Each partition is linted one text at a time: a
worker holds the texts of at most one partition (a bag of ``(name, text)`` pairs), or one
text (a bag of paths). A file that cannot be read, or whose fixes do not settle, raises
``lint.LintError`` with the command's error line.

This module imports dask and fsspec at its top: only programs that use it load them.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import dask.bag as db
import dask.dataframe as dd
import fsspec
import pandas as pd
from dask.delayed import delayed
from fsspec.implementations.local import LocalFileSystem

from lint.api import LintError, Settings, load_config, to_dict
from lint.document.source import Source, read_source
from lint.engine.findings import FileResult
from lint.files.cluster import Batch
from lint.files.stdin import process_stdin
from lint.files.walk import named_problem
from lint.run import file_error
from lint.runner import Mode, process_source, read_error

__all__ = ["FINDING_COLUMNS", "findings_frame", "fix_bag", "lint_bag"]

# The JSON report's keys, with the dtypes of ``findings_frame``'s columns.
FINDING_COLUMNS = {
    "path": "object",
    "rule": "object",
    "severity": "object",
    "message": "object",
    "line": "int64",
    "column": "int64",
    "end_line": "int64",
    "end_column": "int64",
    "fixable": "object",
}

Item = str | tuple[str, str | bytes]  # a path or URL, or a name and its text


def lint_bag(bag: db.Bag, config: Settings | str | None = None) -> db.Bag:
    """A bag of the findings of each path, URL or ``(name, text)`` of ``bag``, as the
    JSON report's objects, in the bag's order. ``config``: settings, a configuration
    file, or None (the defaults)."""
    findings: db.Bag = bag.map_partitions(_lint_partition, _shipped(config))
    return findings


def findings_frame(bag: db.Bag, config: Settings | str | None = None) -> dd.DataFrame:
    """``lint_bag`` as a Dask DataFrame: a row per finding, a column per key of the
    JSON report (``FINDING_COLUMNS``)."""
    meta = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in FINDING_COLUMNS.items()})
    frame: dd.DataFrame = lint_bag(bag, config).to_dataframe(meta=meta)
    return frame


def fix_bag(
    bag: db.Bag,
    output: str,
    unsafe: bool = False,
    config: Settings | str | None = None,
    root: str | None = None,
) -> db.Bag:
    """A bag that, computed, writes a fixed copy of each item of ``bag`` under
    ``output`` (a folder or URL), byte for byte what ``--fix`` (with ``unsafe``:
    ``--fix --unsafe-fixes``) would make of it; files with nothing to fix are copied.
    A copy's name is the item's name relative to ``root`` (default: the current folder
    for local paths, the URL's path for URLs). Nothing is written in place: an item
    whose copy would be itself raises ``LintError``. Each element of the result says
    ``{"path", "output", "fixed", "findings"}`` (the findings left, as the JSON
    report's objects)."""
    records: db.Bag = bag.map_partitions(_fix_partition, _shipped(config), output, unsafe, root)
    return records


def _shipped(config: Settings | str | None) -> Any:
    """The settings, loaded here, as one object of the graph (not traversed, no hash)."""
    settings = config if isinstance(config, Settings) else load_config(config)
    name = f"contentlint-settings-{uuid.uuid4().hex}"
    return delayed(settings, name=name, traverse=False)


def _lint_partition(items: Iterable[Item], settings: Settings) -> Batch:
    return Batch(
        to_dict(finding)
        for _, result, _ in _processed(items, settings, Mode.CHECK, False)
        for finding in result.findings
    )


def _fix_partition(
    items: Iterable[Item], settings: Settings, output: str, unsafe: bool, root: str | None
) -> Batch:
    records = Batch()
    for item, result, fixed in _processed(items, settings, Mode.FIX, unsafe):
        target = _copy_url(item, output, root)
        fs, path = fsspec.core.url_to_fs(target)
        fs.makedirs(posixpath.dirname(path), exist_ok=True)
        if fixed is not None:
            fs.pipe_file(path, fixed)
        elif isinstance(item, str):  # unchanged: copied as it is (an oversize file too)
            with fsspec.open(item, "rb") as source, fs.open(path, "wb") as copy:
                shutil.copyfileobj(source, copy)
        else:
            fs.pipe_file(path, _data(item[1]))
        records.append(
            {
                "path": result.path,
                "output": target,
                "fixed": result.fixed,
                "findings": [to_dict(finding) for finding in result.findings],
            }
        )
    return records


def _processed(
    items: Iterable[Item], settings: Settings, mode: Mode, unsafe: bool
) -> Iterator[tuple[Item, FileResult, bytes | None]]:
    """Each item linted (and fixed) one at a time: the item, its record, and the bytes a
    fix made of it (None when nothing changed). Local files are read as the command
    reads them; other URLs and ``(name, text)`` pairs as standard input is read."""
    for item in items:
        fs: Any = None  # a pair is read from no file system
        if isinstance(item, str):
            fs, path = fsspec.core.url_to_fs(item)
            local = isinstance(fs, LocalFileSystem)
            name = str(path) if local and "://" in item else item  # file://… as a path
        else:
            name, local = item[0], False
        linter = settings.linter_for(name)  # a pair's name may be local, as stdin's
        ignored = settings.config.ignored_rules(name)
        limit = linter.size_limit(name, ignored)
        problem = named_problem(name) if local else None
        if problem is not None:
            raise LintError(file_error(name, problem))
        try:
            if local:
                source = read_source(name, limit)
            elif fs is None:
                data = _data(item[1])
            else:
                data = fs.cat_file(path, 0, limit + 1)
        except OSError as error:
            raise LintError(read_error(name, error)) from error
        if local:
            fixed: list[bytes | None] = [None]

            def keep(source: Source, text: str, fixed: list[bytes | None] = fixed) -> None:
                fixed[0] = source.encode(text)

            result = process_source(source, linter, ignored, mode, unsafe, keep)
            output = fixed[0]
        else:
            outcome = process_stdin(data, name, linter, ignored, mode, unsafe, limit)
            result = outcome.result
            output = outcome.output if outcome.output is not data else None
        if result.errors:
            raise LintError("\n".join(result.errors))
        yield item, result, output


def _data(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def _copy_url(item: Item, output: str, root: str | None) -> str:
    """Where the fixed copy of ``item`` goes: its name relative to ``root`` (or to the
    current folder, for local files), under ``output``."""
    name = item if isinstance(item, str) else item[0]
    fs, path = fsspec.core.url_to_fs(name)
    if root is not None:
        base = fsspec.core.url_to_fs(root)[1]
    else:
        base = os.getcwd() if isinstance(fs, LocalFileSystem) else ""
    relative = posixpath.relpath(path, base) if base else path.lstrip("/")
    if relative == ".." or relative.startswith("../"):
        raise LintError(f"{name}: not under {root or base}; give fix_bag a root above it")
    target = f"{output.rstrip('/')}/{relative}"
    out_fs, out_path = fsspec.core.url_to_fs(target)
    if isinstance(item, str) and type(out_fs) is type(fs) and out_path == path:
        raise LintError(f"{name}: fix_bag never writes in place; give another output")
    return target
