"""Site presets: detected per folder in generated site trees, and what each changes.

Each test builds a site skeleton in ``tmp_path`` (Hugo: ``hugo.toml`` beside ``content/``;
Jekyll: ``_config.yml`` beside ``_posts/``; Hexo: ``_config.yml`` beside
``source/_posts/``) and, where the corpus is there, puts real articles at the paths they
had in their site (``MANIFEST.tsv``): the corpus folders are bare article folders.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import corpus_dir

from lint.cli import main
from lint.engine import presets
from lint.engine.config import load_config
from lint.engine.presets import DUMP, HEXO, HUGO, JEKYLL, Site, detect, is_dump
from lint.files import cache as cache_module

CORPUS = corpus_dir()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def hugo_site(root: Path) -> Path:
    write(root / "hugo.toml", "baseURL = 'https://example.org/'\n")
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "static").mkdir(exist_ok=True)
    return root


def jekyll_site(root: Path, baseurl: str = "") -> Path:
    write(root / "_config.yml", f"title: news\nbaseurl: '{baseurl}'\n")
    (root / "_posts").mkdir(parents=True, exist_ok=True)
    return root


def hexo_site(root: Path) -> Path:
    write(root / "_config.yml", "title: blog\n")
    (root / "source" / "_posts").mkdir(parents=True, exist_ok=True)
    return root


def lint(*args: object) -> tuple[int, list[dict[str, Any]], str]:
    """Exit code, JSON findings and stderr of ``contentlint check``."""
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--output-format", "json", *map(str, args)]
    )
    findings = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, findings, result.stderr


def messages(findings: list[dict[str, Any]], *rules: str) -> list[str]:
    return [f["message"] for f in findings if f["rule"] in rules]


def counts(findings: list[dict[str, Any]]) -> Counter[str]:
    return Counter(f["rule"] for f in findings)


def copy_corpus(folder: str, site: Path, place: str = "") -> list[Path]:
    """The corpus folder's articles copied into ``site`` at their original paths (under
    ``place`` + their original file name where ``place`` is given)."""
    with open(CORPUS / folder / "MANIFEST.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    copied = []
    for row in rows:
        original = row.get("path") or row.get("repo_path") or row["name"]
        target = site / (place + original.rsplit("/", 1)[-1] if place else original)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / folder / row["name"], target)
        copied.append(target)
    return copied


# Detection


def test_each_generator_is_detected_from_its_markers_upward(tmp_path: Path) -> None:
    hugo = hugo_site(tmp_path / "hugo")
    jekyll = jekyll_site(tmp_path / "jekyll", "/blog/")
    hexo = hexo_site(tmp_path / "hexo")
    (hugo / "content" / "posts" / "a").mkdir(parents=True)
    assert detect(str(hugo / "content" / "posts" / "a")) == Site(HUGO, str(hugo))
    assert detect(str(jekyll / "_posts")) == Site(JEKYLL, str(jekyll), "/blog")
    # Hexo has a _config.yml too: source/_posts/ tells it from Jekyll.
    assert detect(str(hexo / "source" / "_posts")) == Site(HEXO, str(hexo))
    config_toml = tmp_path / "old-hugo"
    write(config_toml / "config.toml", "title = 'x'\n")
    (config_toml / "content").mkdir()
    assert detect(str(config_toml / "content")) == Site(HUGO, str(config_toml))
    # Markers without their folder are no site.
    write(tmp_path / "lonely" / "_config.yml", "title: x\n")
    write(tmp_path / "lonely" / "hugo.toml", "title = 'x'\n")
    assert detect(str(tmp_path / "lonely")) is None


def test_a_dump_is_a_folder_where_most_sampled_articles_have_no_front_matter(
    tmp_path: Path,
) -> None:
    dump = tmp_path / "dump"
    for index in range(40):
        body = "# Title\n\nText.\n" if index % 4 else "---\ntitle: t\n---\nText.\n"
        write(dump / f"{index:03}.md", body)
    assert is_dump(str(dump))
    assert detect(str(dump)) == Site(DUMP, str(dump))
    kept = tmp_path / "kept"
    for index in range(40):
        body = "+++\ntitle = 't'\n+++\n" if index % 4 else "Text.\n"
        write(kept / f"{index:03}.md", body)
    assert not is_dump(str(kept))
    assert detect(str(kept)) is None
    # One or two articles without front matter are defects, not a dump.
    write(tmp_path / "two" / "a.md", "Text.\n")
    write(tmp_path / "two" / "b.md", "Text.\n")
    assert not is_dump(str(tmp_path / "two"))


def test_the_dump_sample_reads_a_fixed_few_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(300):
        write(tmp_path / f"{index:04}.md", "Text.\n")
    opened: list[str] = []
    real = presets._has_front_matter

    def counting(path: str) -> bool:
        opened.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(presets, "_has_front_matter", counting)
    assert is_dump(str(tmp_path))
    first = list(opened)
    opened.clear()
    assert is_dump(str(tmp_path))
    assert opened == first  # the same files every run
    assert len(first) == presets.DUMP_SAMPLE
    assert first[0] == "0000.md"
    assert first[-1] == f"{14 * 300 // 15:04}.md"  # spread over the folder, in name order


# What each preset means


def test_hugo_reads_keys_without_regard_to_case(tmp_path: Path) -> None:
    site = hugo_site(tmp_path / "site")
    article = write(
        site / "content" / "post" / "moving.md",
        "---\nTitle: Moving to WordPress\nDate: Invalid Date\nlinktitle: Moving\n---\nText.\n",
    )
    found = lint(article)[1]
    assert messages(found, "missing-field", "misspelt-field", "invalid-field") == [
        "front-matter field Date is not a valid date: 'Invalid Date'"
    ]
    # Without the preset, the same file is read case-sensitively.
    write(site / ".contentlint.yaml", "preset: none\n")
    assert messages(lint(article)[1], "missing-field", "misspelt-field") == [
        "front-matter field title is missing",
        "front-matter field date is missing",
        "front-matter field Title is spelt differently from the known field 'title'",
        "front-matter field Date is spelt differently from the known field 'date'",
        "front-matter field linktitle is spelt differently from the known field 'linkTitle'",
    ]


def test_case_sensitive_false_works_in_a_configuration(tmp_path: Path) -> None:
    article = write(tmp_path / "a.md", "---\nTitle: T\nDATE: 2020-01-02\n---\nText.\n")
    write(
        tmp_path / ".contentlint.yaml",
        "rules:\n  missing-field: {case-sensitive: false}\n"
        "  misspelt-field: {case-sensitive: false}\n",
    )
    assert messages(lint(article)[1], "missing-field", "misspelt-field") == []


def test_hugo_section_pages_need_no_date(tmp_path: Path) -> None:
    site = hugo_site(tmp_path / "site")
    section = write(site / "content" / "docs" / "_index.md", "---\ntitle: Docs\n---\n")
    page = write(site / "content" / "docs" / "page.md", "---\ntitle: Page\n---\n")
    found = lint(section, page)[1]
    assert [(Path(f["path"]).name, f["message"]) for f in found] == [
        ("page.md", "front-matter field date is missing")
    ]


def test_jekyll_dates_a_post_by_its_file_name(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path / "site")
    dated = write(site / "_posts" / "2020-01-02-x.md", "---\ntitle: X\n---\nText.\n")
    undated = write(site / "_drafts" / "y.md", "---\ntitle: Y\nauthor: A\n---\nText.\n")
    assert messages(lint(dated)[1], "missing-field") == []
    # _drafts/ is not _posts/, but the site's preset still applies: no date is needed.
    assert messages(lint(undated)[1], "missing-field") == []
    write(site / ".contentlint.yaml", "preset: none\n")
    assert messages(lint(dated)[1], "missing-field") == ["front-matter field date is missing"]


def test_a_named_preset_applies_everywhere(tmp_path: Path) -> None:
    article = write(tmp_path / "posts" / "2020-01-02-x.md", "---\ntitle: X\n---\nText.\n")
    assert messages(lint(article)[1], "missing-field") == ["front-matter field date is missing"]
    write(tmp_path / ".contentlint.yaml", "preset: jekyll\n")
    _, found, stderr = lint("-v", article)
    assert messages(found, "missing-field") == []
    assert f"preset jekyll (site root {tmp_path})" in stderr


def test_an_unknown_preset_is_a_configuration_error(tmp_path: Path) -> None:
    write(tmp_path / ".contentlint.yaml", "preset: gatsby\n")
    article = write(tmp_path / "a.md", "---\ntitle: T\n---\n")
    code, _, stderr = lint(article)
    assert code == 2
    assert "'preset' must be one of auto, none, hugo, jekyll, hexo, dump" in stderr


def test_the_configuration_wins_over_the_preset(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path / "site")
    article = write(site / "_posts" / "2020-01-02-x.md", "---\ntitle: X\n---\nText.\n")
    write(site / ".contentlint.yaml", "rules:\n  missing-field: {required: [title, author]}\n")
    assert messages(lint(article)[1], "missing-field") == ["front-matter field author is missing"]


# Images and template expressions


def test_site_absolute_images_resolve_where_each_generator_serves_them(tmp_path: Path) -> None:
    hugo = hugo_site(tmp_path / "hugo")
    write(hugo / "static" / "images" / "a.png", "png")
    hexo = hexo_site(tmp_path / "hexo")
    write(hexo / "source" / "images" / "a.png", "png")
    jekyll = jekyll_site(tmp_path / "jekyll", "/blog")
    write(jekyll / "assets" / "a.png", "png")
    body = "![a](/images/a.png) ![b](/images/b.png)\n"
    front = "---\ntitle: T\ndate: 2020-01-02\n---\n"
    articles = [
        write(hugo / "content" / "post" / "index.md", front + body),
        write(hexo / "source" / "_posts" / "a.md", front + body),
        write(
            jekyll / "_posts" / "2020-01-02-a.md",
            front + "![a](/blog/assets/a.png) ![b](/assets/b.png)\n",
        ),
    ]
    found = lint(*articles)[1]
    assert [(f["line"], f["column"]) for f in found if f["rule"] == "broken-image"] == [
        (5, 26),
        (5, 26),
        (5, 31),
    ]


def test_template_expressions_are_resolved_for_jekyll_and_otherwise_skipped(
    tmp_path: Path,
) -> None:
    jekyll = jekyll_site(tmp_path / "jekyll", "/blog")
    write(jekyll / "assets" / "x.png", "png")
    post = write(
        jekyll / "_posts" / "2020-01-02-a.md",
        "---\ntitle: T\n---\n"
        '<img src="{{ site.baseurl }}/assets/x.png">\n'
        '<img src="{{ site.url }}{{ site.baseurl }}/assets/missing.png">\n'
        "![x]({{ '/assets/x.png' | relative_url }})\n"
        '![y]({{ "assets/gone.png" | relative_url }})\n'
        "![z]({% post_url 2020-01-01-b %})\n"
        '<img src="{{ page.image }}">\n',
    )
    found = lint(post)[1]
    assert [(f["line"], f["message"]) for f in found if f["rule"] == "broken-image"] == [
        (5, "broken image (<img>): local image file not found"),
        (7, "broken image (Markdown image): local image file not found"),
    ]
    hugo = hugo_site(tmp_path / "hugo")
    page = write(
        hugo / "content" / "p.md",
        '---\ntitle: T\ndate: 2020-01-02\n---\n![r]({{< ref "other.md" >}})\n'
        '<img src="{{ .Site.BaseURL }}/img/a.png">\n',
    )
    assert messages(lint(page)[1], "broken-image") == []
    # Outside any site the expression is not resolved, and never a malformed URL.
    plain = write(
        tmp_path / "plain" / "a.md",
        '---\ntitle: T\ndate: 2020-01-02\n---\n<img src="{{ site.baseurl }}/assets/x.png">\n',
    )
    assert messages(lint(plain)[1], "broken-image") == []


def test_angled_destination_with_spaces_is_a_valid_image(tmp_path: Path) -> None:
    write(tmp_path / "exists 5.png", "png")
    article = write(
        tmp_path / "a.md",
        "---\ntitle: T\ndate: 2020-01-02\n---\n![](<exists 5.png>) ![](<gone 6.png>)\n",
    )
    assert messages(lint(article)[1], "broken-image") == [
        "broken image (Markdown image): local image file not found"
    ]


# contentlint init and --verbose


def test_init_writes_the_detected_preset_and_refuses_to_overwrite(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path / "site", "/news")
    article = write(site / "_posts" / "2020-01-02-x.md", "---\ntitle: X\n---\n![](/a.png)\n")
    before = lint(article)[1]
    result = CliRunner().invoke(main, ["init", str(site)])
    assert result.exit_code == 0, result.output
    config = load_config(str(site / ".contentlint.yaml"))
    assert config.preset == "jekyll"
    assert config.rules["missing-field"] == {
        "required": ["title"],
        "case-sensitive": True,
        "file-name-date": True,
    }
    assert config.rules["broken-image"]["static-roots"] == ["."]
    assert config.rules["broken-image"]["baseurl"] == "/news"
    assert lint(article)[1] == before  # the settings spelled out are the preset's
    again = CliRunner().invoke(main, ["init", str(site)])
    assert again.exit_code == 2
    assert "exists; not overwritten" in again.stderr


def test_verbose_says_which_preset_applies_to_which_folder(tmp_path: Path) -> None:
    hugo = hugo_site(tmp_path / "hugo")
    page = write(hugo / "content" / "p.md", "---\ntitle: T\ndate: 2020-01-02\n---\n")
    plain = write(tmp_path / "plain" / "a.md", "---\ntitle: T\ndate: 2020-01-02\n---\n")
    _, _, stderr = lint("--verbose", page, plain)
    assert stderr.splitlines() == [
        f"contentlint: {hugo / 'content'}: preset hugo (site root {hugo})",
        f"contentlint: {tmp_path / 'plain'}: preset none (the rules' defaults)",
    ]
    assert lint(page)[2] == ""


# The preset decides cached results


def test_a_site_appearing_changes_cached_results(tmp_path: Path) -> None:
    posts = tmp_path / "site" / "_posts"
    article = write(posts / "2020-01-02-x.md", "---\ntitle: X\n---\nText.\n")
    time.sleep(cache_module.SETTLED_SECONDS + 0.2)  # so that the stamp is trusted

    def cached() -> list[str]:
        result = CliRunner().invoke(
            main,
            ["check", "--cache-dir", str(tmp_path / "c"), "--output-format", "json", str(article)],
        )
        return messages(json.loads(result.stdout or "[]"), "missing-field")

    assert cached() == ["front-matter field date is missing"]
    assert cached() == ["front-matter field date is missing"]
    write(tmp_path / "site" / "_config.yml", "title: x\n")  # now a Jekyll site
    assert cached() == []
    (tmp_path / "site" / "_config.yml").unlink()
    assert cached() == ["front-matter field date is missing"]


# Real articles in generated sites


@needs_corpus
def test_jekyll_news_in_a_jekyll_site(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path / "site")
    copy_corpus("jekyll-news", site, "_posts/")
    bare = counts(lint(CORPUS / "jekyll-news")[1])
    in_site = lint(site)[1]
    # The archive names no authors: not a defect, by default or in the site.
    assert bare["missing-field"] == 0
    assert counts(in_site)["missing-field"] == 0
    # Jekyll's theme reads image_feature: its misspelling is found once the preset knows it.
    assert messages(in_site, "misspelt-field") == [
        "front-matter field image_features looks like a misspelling of 'image_feature'"
    ]


@needs_corpus
def test_hugo_blog_in_a_hugo_site(tmp_path: Path) -> None:
    site = hugo_site(tmp_path / "site")
    copy_corpus("hugo-blog", site)
    bare = lint(CORPUS / "hugo-blog")[1]
    in_site = lint(site)[1]
    # Section pages (_index.md) had "date is missing"; in the site they need none.
    assert any(
        f["path"].endswith(".md") and f["message"] == "front-matter field date is missing"
        for f in bare
    )
    assert "front-matter field date is missing" not in messages(in_site, "missing-field")
    # Hugo reads linktitle as linkTitle; translaationKey is still a misspelling.
    assert messages(in_site, "misspelt-field") == [
        "front-matter field translaationKey looks like a misspelling of 'translationKey'"
    ]
    assert any("linktitle" in m for m in messages(bare, "misspelt-field"))


@needs_corpus
def test_wechat_dump_gets_no_missing_field() -> None:
    _, found, stderr = lint("-v", CORPUS / "wechat")
    assert counts(found)["missing-field"] == 0
    assert counts(found)["broken-image"] > 1000  # the dump's real defects stay
    assert f"{CORPUS / 'wechat'}: preset dump" in stderr


# Links as CommonMark reads them: what the URL rules now see


def test_url_rules_see_reference_definitions_and_links_over_two_lines(tmp_path: Path) -> None:
    article = write(
        tmp_path / "a.md",
        "---\ntitle: T\ndate: 2020-01-02\n---\n"
        "See [the report][r] and [the report again][r], and [a link whose text\n"
        "runs over two lines](https://example.com/b?id=1&utm_source=feed).\n\n"
        "![chart][c]\n\n"
        '[r]: https://example.com/a?utm_medium=rss "The report"\n'
        "[c]:\n    http://images.example.com/c.png\n",
    )
    found = lint(article)[1]
    assert [(f["rule"], f["line"]) for f in found] == [
        ("tracking-param", 6),
        ("tracking-param", 10),  # once, though two links use the definition
        ("insecure-image", 12),  # at the URL of ![chart][c], in its definition
    ]
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fix", str(article)])
    assert result.exit_code == 1  # the insecure image has no fix
    text = article.read_text(encoding="utf-8")
    assert "utm_" not in text
    assert '[r]: https://example.com/a "The report"' in text


def test_a_jekyll_config_that_cannot_be_read_gives_no_baseurl(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path / "site")
    write(site / "_config.yml", "a: &a [*a, *a]\nbaseurl: [unclosed\n")
    assert detect(str(site / "_posts")) == Site(JEKYLL, str(site), "")
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
    write(site / "_config.yml", "l0: &l0 [x]\n" + bomb + "baseurl: /blog\n")
    assert detect(str(site / "_posts")) == Site(JEKYLL, str(site), "")
