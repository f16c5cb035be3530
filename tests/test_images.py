"""Offline image checks (the ``image`` kind) beyond the rule fixtures: srcset parsing,
site static roots, Hexo asset folders, option validation and the limits of the fixes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lint.document.document import Document
from lint.document.images import MissingSrc, UrlRef
from lint.document.source import Source
from lint.engine.kinds.base import OptionError
from lint.engine.kinds.images import ImageKind
from lint.engine.kinds.urls import host_matches


def kind(fix: str | None = None, **options: Any) -> ImageKind:
    created = ImageKind.create(options, fix)
    assert isinstance(created, ImageKind)
    return created


def problems(image_kind: ImageKind, text: str, path: str = "doc.md") -> list[str]:
    return [hit.values["problem"] for hit in image_kind.check(Document(Source(path, text)))]


@pytest.mark.parametrize(
    ("srcset", "expected"),
    [
        ("a.png", [("a.png", "<img srcset>")]),
        ("a.png 1x, b.png 2x", [("a.png", "<img srcset>"), ("b.png", "<img srcset>")]),
        ("a.png,b.png 2x", [("a.png,b.png", "<img srcset>")]),  # a comma inside a URL
        ("a.png, b.png 2x", [("a.png", "<img srcset>"), ("b.png", "<img srcset>")]),
        (
            "https://x.test/w_300,h_200/s.jpg 300w",
            [("https://x.test/w_300,h_200/s.jpg", "<img srcset>")],
        ),
        ("  a.png   640w  ,\n b.png 1.5x", [("a.png", "<img srcset>"), ("b.png", "<img srcset>")]),
        ("a.png big", [("a.png", "<img srcset>, malformed descriptor 'big'")]),
        ("a&amp;b.png 2x", [("a&b.png", "<img srcset>")]),
        (" , ", []),
    ],
)
def test_srcset_candidates(srcset: str, expected: list[tuple[str, str]]) -> None:
    text = f'<img src="https://x.test/main.png" srcset="{srcset}">\n'
    refs = [ref for ref in Document(Source("d.md", text)).image_refs(()) if isinstance(ref, UrlRef)]
    assert [(ref.url, ref.source) for ref in refs[1:]] == expected
    for ref in refs[1:]:
        if "&" not in ref.url:
            assert text[ref.start : ref.end] == ref.url


def test_img_with_srcset_only_has_a_source() -> None:
    refs = list(Document(Source("d.md", '<img srcset="a.png 2x"><img>\n')).image_refs(()))
    assert [type(ref) for ref in refs] == [UrlRef, MissingSrc]
    assert isinstance(refs[1], MissingSrc)
    assert refs[1].start == len('<img srcset="a.png 2x">')


@pytest.fixture
def hexo_site(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text("title: blog\n")
    posts = tmp_path / "source" / "_posts"
    (posts / "first-post").mkdir(parents=True)
    (posts / "first-post" / "asset.png").write_bytes(b"png")
    (tmp_path / "source" / "images").mkdir()
    (tmp_path / "source" / "images" / "logo.png").write_bytes(b"png")
    return tmp_path


def test_static_roots_and_the_post_asset_folder(hexo_site: Path) -> None:
    """Site-absolute paths are looked up under the static roots (the Hexo preset's
    source/, ``lint.engine.presets``); relative ones next to the article or in Hexo's
    post asset folder."""
    post = hexo_site / "source" / "_posts" / "first-post.md"
    text = "![a](/images/logo.png) ![b](/images/missing.png) ![c](asset.png) ![d](gone.png)\n"
    hexo = ImageKind.create({"static-roots": ["source"]}, None, str(hexo_site))
    assert isinstance(hexo, ImageKind)
    hits = list(hexo.check(Document(Source(str(post), text))))
    assert [text[hit.start : hit.end] for hit in hits] == ["/images/missing.png", "gone.png"]
    # Without static roots, site-absolute paths are not checked.
    assert problems(kind(), text, str(post)) == ["local image file not found"]


def test_static_roots_that_do_not_exist_are_skipped(hexo_site: Path) -> None:
    post = str(hexo_site / "source" / "_posts" / "first-post.md")
    configured = ImageKind.create({"static-roots": ["elsewhere"]}, None, str(hexo_site))
    assert isinstance(configured, ImageKind)
    # "elsewhere" does not exist: no root, so site-absolute paths are not checked.
    assert problems(configured, "![](/images/missing.png)\n", post) == []


@pytest.mark.parametrize(
    ("options", "fix", "message"),
    [
        ({"check": "proxy"}, None, "check 'proxy' needs 'wrappers'"),
        ({"check": "proxy", "wrappers": ["https://p.test/(.*)"]}, None, "no group named 'url'"),
        ({"check": "broken"}, "https", "check 'broken' cannot 'https'"),
        ({"check": "insecure"}, "unwrap", "check 'insecure' cannot 'unwrap'"),
        ({"check": "placeholder", "lazy-attributes": []}, None, "needs 'patterns'"),
        ({"check": "nonsense"}, None, "must be one of"),
    ],
)
def test_invalid_options(options: dict[str, Any], fix: str | None, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        ImageKind.create(options, fix)


@pytest.mark.parametrize(
    ("host", "patterns", "expected"),
    [
        ("n.sinaimg.cn", ("*.sinaimg.cn",), True),
        ("sinaimg.cn", ("*.sinaimg.cn",), True),
        ("N.SINAIMG.CN.", ("*.sinaimg.cn",), True),
        ("evilsinaimg.cn", ("*.sinaimg.cn",), False),
        ("sinaimg.cn.evil.test", ("*.sinaimg.cn",), False),
        ("wx.qlogo.cn", ("wx.qlogo.cn",), True),
        ("wx.qlogo.cn", (), False),
    ],
)
def test_https_hosts(host: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert host_matches(host, patterns) is expected


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ('<img src="http://a.test/x.png">', '<img src="https://a.test/x.png">'),
        ("<img src=http://a.test/x.png>", "<img src=https://a.test/x.png>"),
        ('<img src=" http://a.test/x.png ">', '<img src=" https://a.test/x.png ">'),
        ('<img src="http&#58;//a.test/x.png">', None),  # entity: reported, not fixed
        ('---\nimage: "http://a.test/\\u0078.png"\n---\n', None),  # YAML escape: not fixed
        ("---\nimage: http://a.test/x.png\n---\n", "---\nimage: https://a.test/x.png\n---\n"),
    ],
)
def test_https_fix_only_where_written_literally(text: str, fixed: str | None) -> None:
    insecure = kind("https", check="insecure", **{"https-hosts": ["a.test"]})
    (hit,) = insecure.check(Document(Source("d.md", text)))
    if fixed is None:
        assert hit.edits is None
    else:
        assert hit.edits is not None
        (edit,) = hit.edits
        assert text[: edit.start] + edit.replacement + text[edit.end :] == fixed


def test_insecure_without_fix_action_reports_only() -> None:
    insecure = kind(check="insecure", **{"https-hosts": ["a.test"]})
    (hit,) = insecure.check(Document(Source("d.md", "![](http://a.test/x.png)\n")))
    assert hit.edits is None
    assert hit.values["target"] == "https://a.test/x.png"


@pytest.mark.parametrize(
    ("url", "fixable"),
    [
        ("https://p.test/?http://a.test/x.png", True),
        ("https://p.test/?http%3A%2F%2Fa.test%2Fx.png", True),
        ("https://p.test/?a.test/x.png", False),  # no scheme: cannot stand alone
        ("https://p.test/?http://a.test/x(1).png", False),  # would break a Markdown link
    ],
)
def test_unwrap_fix(url: str, fixable: bool) -> None:
    proxy = kind("unwrap", check="proxy", wrappers=[r"https://p\.test/\?(?P<url>.+)"])
    text = f"![]({url})\n"
    hits = list(proxy.check(Document(Source("d.md", text))))
    assert len(hits) == 1
    assert (hits[0].edits is not None) is fixable
    if hits[0].edits:
        (edit,) = hits[0].edits
        assert edit.replacement == "http://a.test/x.png"


def test_new_checks_skip_broken_urls() -> None:
    text = '<img src="//"> <img src="http://a b.png"> <img src="">\n'
    for check in ("protocol-relative", "insecure"):
        assert list(kind(check=check).check(Document(Source("d.md", text)))) == []
