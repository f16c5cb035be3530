"""A cached result follows the file system: runs of the command with the result cache on,
in a fresh process each (as a person runs it), while images and static folders come and
go. Each run must report what a run without the cache reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ARTICLE = "---\ntitle: T\n---\n\nText.\n\n{image}\n"


def lint(folder: Path, *args: str, cache: bool = True) -> tuple[int, list[dict[str, Any]]]:
    """Exit code and findings of ``contentlint check`` on ``folder``, in its own process."""
    command = [sys.executable, "-m", "lint", "check", "--output-format", "json", "-j", "1"]
    command += ["--select", "broken-image", *args]
    command += ["--cache-dir", str(folder / ".cache")] if cache else ["--no-cache"]
    done = subprocess.run(
        [*command, "site"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CONTENTLINT_CACHE_DIR": ""},
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def problems(folder: Path) -> list[str]:
    """The broken-image messages of a cached run, checked against an uncached one."""
    code, findings = lint(folder)
    assert (code, findings) == lint(folder, cache=False)
    assert code == (1 if findings else 0)
    return [finding["message"] for finding in findings]


def write_article(folder: Path, name: str, image: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(ARTICLE.format(image=image), encoding="utf-8")


MISSING = ["broken image (Markdown image): local image file not found"]


def test_an_image_added_then_deleted(tmp_path: Path) -> None:
    write_article(tmp_path / "site", "a.md", "![pic](img.png)")
    assert problems(tmp_path) == MISSING
    assert problems(tmp_path) == MISSING  # served from the cache
    (tmp_path / "site" / "img.png").touch()
    assert problems(tmp_path) == []
    assert problems(tmp_path) == []
    (tmp_path / "site" / "img.png").unlink()
    assert problems(tmp_path) == MISSING


def test_an_image_in_the_hexo_asset_folder(tmp_path: Path) -> None:
    write_article(tmp_path / "site", "a.md", "![pic](img.png)")
    assert problems(tmp_path) == MISSING
    (tmp_path / "site" / "a").mkdir()
    (tmp_path / "site" / "a" / "img.png").touch()
    assert problems(tmp_path) == []


def test_a_configured_static_root_created(tmp_path: Path) -> None:
    """A site-absolute path is looked up under the configured static roots that exist: a
    root created later makes the missing image a finding, and the image in it clears it."""
    (tmp_path / ".contentlint.yaml").write_text(
        "rules:\n  broken-image:\n    static-roots: [static]\n", encoding="utf-8"
    )
    write_article(tmp_path / "site", "a.md", "![pic](/images/img.png)")
    assert problems(tmp_path) == []  # no static root: nothing to look in
    (tmp_path / "static" / "images").mkdir(parents=True)
    assert problems(tmp_path) == MISSING
    (tmp_path / "static" / "images" / "img.png").touch()
    assert problems(tmp_path) == []


@pytest.mark.parametrize("marker", ["_config.yml", "config.toml"])
def test_a_detected_site_root_created(tmp_path: Path, marker: str) -> None:
    """The site's static folder comes from its preset, detected from its markers
    (Jekyll's _config.yml beside _posts/, Hugo's config beside content/): creating the
    marker or the folder re-judges the site-absolute images."""
    site = tmp_path / "site"
    articles = site / ("_posts" if marker == "_config.yml" else "content/post")
    write_article(articles, "a.md", "![pic](/images/img.png)")
    assert problems(tmp_path) == []  # no site found: nothing to look in
    (site / marker).write_text("title: x\n" if marker.endswith("yml") else "", encoding="utf-8")
    if marker == "config.toml":  # Hugo: the images live in static/
        assert problems(tmp_path) == []  # a Hugo site without static/
        (site / "static").mkdir()
        assert problems(tmp_path) == MISSING
        (site / "static" / "images").mkdir()
        (site / "static" / "images" / "img.png").touch()
    else:  # Jekyll: the site root itself
        assert problems(tmp_path) == MISSING
        (site / "images").mkdir()
        (site / "images" / "img.png").touch()
    assert problems(tmp_path) == []
