"""Every output format, on real findings: text, concise, json, json-lines, github, sarif,
junit, gitlab, plus ``--statistics`` and the progress line.

Reports are built from the linter's findings on the seed article and on small articles
made for one property (CJK and astral characters for SARIF's UTF-16 columns, special
characters for escaping). SARIF is validated against the SARIF 2.1.0 JSON schema and
JUnit against a small XSD, both in ``tests/data/``.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree
from support import JSON_KEYS, Report, build_rules

from lint.document.source import decode
from lint.engine.config import load_config
from lint.engine.findings import Edit, Finding, Fix
from lint.engine.fixer import apply_edits
from lint.engine.linter import Linter
from lint.reporters import FORMATS, Reporter, reporter
from lint.reporters.github import escape_data, escape_property
from lint.reporters.json_array import finding_dict, finding_rows
from lint.reporters.progress import Progress, render
from lint.reporters.statistics import rule_counts, write_statistics_json, write_statistics_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SEED = ROOT / "seeds" / "sina-finance-fuwuhui.md"
HEAD = "---\ntitle: T\ndate: 2021-09-01\nauthor: A\ncategories: [news]\n---\n\n"
# CJK (one UTF-16 unit each), then U+1F600 and U+20BB7 (two UTF-16 units each).
CJK = HEAD + '<p style="a">中文新闻</p>\n<p>😀𠮷 <span style="b">股票</span></p>\n'
CLEAN = HEAD + "<p>Plain.</p>\n"


@cache
def linter() -> Linter:
    return Linter(build_rules(load_config(None)))


def lint(path: str, text: str) -> list[Finding]:
    return linter().lint(decode(path, text.encode("utf-8")))


def sarif_log(rep: Report) -> Any:
    return json.loads(render_format("sarif", rep))


def issues(rep: Report) -> Any:
    return json.loads(render_format("gitlab", rep))


def report(*files: tuple[str, str], **options: Any) -> Report:
    findings = [finding for path, text in files for finding in lint(path, text)]
    rules = {rule.id: rule for rule in build_rules(load_config(None))}
    texts = dict(files)
    return Report.of(findings, rules, texts, [path for path, _ in files], **options)


def findings_of(rep: Report) -> list[Finding]:
    return [finding for result in rep.results for finding in result.findings]


@cache
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_report(**options: Any) -> Report:
    return report(("seeds/seed.md", seed_text()), ("clean.md", CLEAN), **options)


def render_format(name: str, rep: Report) -> str:
    """The report as the format writes it, file by file."""
    out = io.StringIO()
    rep.write(reporter(name)(out, rep.rules, rep.colour, rep.quiet))
    return out.getvalue()


def make_finding(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "path": "a.md",
        "rule": "inline-style",
        "severity": "warning",
        "message": "m",
        "start": 0,
        "end": 1,
        "line": 1,
        "column": 1,
        "end_line": 1,
        "end_column": 2,
    }
    values.update(changes)
    return Finding(**values)


# --- every format ---------------------------------------------------------------------


def test_the_registry_holds_every_documented_format() -> None:
    expected = {
        "text",
        "concise",
        "json",
        "json-lines",
        "github",
        "sarif",
        "junit",
        "gitlab",
        "html",
    }
    assert set(FORMATS) == expected
    assert all(issubclass(reporter(name), Reporter) for name in FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_handles_no_findings_and_many(name: str) -> None:
    empty = render_format(name, report(("clean.md", CLEAN)))
    full = render_format(name, seed_report())
    assert full != empty
    assert "\x1b[" not in full  # no colour unless asked for


# --- text and concise -----------------------------------------------------------------


def test_text_shows_location_excerpt_caret_and_summary() -> None:
    out = render_format("text", seed_report()).splitlines()
    first = out.index(next(line for line in out if ": inline-style [*] " in line))
    match = re.match(r".+?:(\d+):(\d+): ", out[first])
    assert match is not None
    line, column = match.groups()
    excerpt, caret = out[first + 1], out[first + 2]
    source_line = seed_text().splitlines()[int(line) - 1]
    assert excerpt.strip() in source_line
    assert excerpt[caret.index("^")] == source_line[int(column) - 1] == "c"  # cms-style
    assert out[-1] == (
        "Found 66 problems in 1 file. 65 fixable with --fix ([*]). "
        "1 more with --unsafe-fixes ([**])."
    )


def test_concise_is_one_line_per_finding_and_the_summary() -> None:
    rep = seed_report()
    out = render_format("concise", rep).splitlines()
    assert len(out) == len(findings_of(rep)) + 1
    finding = findings_of(rep)[0]
    assert out[0] == (
        f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} [*] {finding.message}"
    )


@pytest.mark.parametrize("name", ["text", "concise"])
def test_quiet_drops_the_summary(name: str) -> None:
    loud = render_format(name, seed_report())
    quiet = render_format(name, seed_report(quiet=True))
    assert loud.startswith(quiet)
    assert loud[len(quiet) :].startswith("Found 66 problems")
    assert render_format(name, report(("clean.md", CLEAN), quiet=True)) == ""


def test_colour_only_when_asked() -> None:
    plain = render_format("text", seed_report())
    coloured = render_format("text", seed_report(colour=True))
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# --- json and json-lines --------------------------------------------------------------


def test_json_keeps_the_contract() -> None:
    rep = seed_report()
    rows = json.loads(render_format("json", rep))
    assert [list(row) for row in rows] == [list(JSON_KEYS)] * len(findings_of(rep))
    assert rows[0] == {key: getattr(findings_of(rep)[0], key) for key in JSON_KEYS}
    assert json.loads(render_format("json", report(("clean.md", CLEAN)))) == []


def test_json_lines_is_the_json_array_one_object_a_line() -> None:
    rep = seed_report()
    lines = render_format("json-lines", rep).splitlines()
    assert [json.loads(line) for line in lines] == json.loads(render_format("json", rep))
    assert render_format("json-lines", report(("clean.md", CLEAN))) == ""


@pytest.mark.parametrize(
    "message",
    ["plain", 'quote " and \\ backslash', "tab\tnew\nline\x00\x1f", "é 中 😀", "lone \ud800"],
)
@pytest.mark.parametrize("fix", [None, Fix((Edit(0, 1),), True), Fix((Edit(0, 1),), False)])
def test_json_rows_equal_json_dumps(message: str, fix: Fix | None) -> None:
    findings = [
        make_finding(path='dir/"ü".md', message=message, fix=fix),
        make_finding(line=12, column=345, end_line=6789, end_column=0),
    ]
    expected = [json.dumps(finding_dict(f), ensure_ascii=False) for f in findings]
    assert finding_rows(findings) == expected


# --- github ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "escaped"),
    [
        (escape_data, "100% done\r\nnext", "100%25 done%0D%0Anext"),
        (escape_data, "a: b, c", "a: b, c"),
        (escape_property, "dir:a,b/x.md", "dir%3Aa%2Cb/x.md"),
        (escape_property, "%\r\n:,", "%25%0D%0A%3A%2C"),
        (escape_property, "%3A", "%253A"),  # % first: no double meaning
    ],
)
def test_github_escaping(function: Any, value: str, escaped: str) -> None:
    assert function(value) == escaped


@pytest.mark.parametrize(
    ("severity", "command"), [("error", "error"), ("warning", "warning"), ("info", "notice")]
)
def test_github_command_exact_line(severity: str, command: str) -> None:
    finding = make_finding(
        path="./posts/a:b,c.md",
        severity=severity,
        message="50% off\nnow",
        line=3,
        column=5,
        end_line=4,
        end_column=9,
    )
    out = render_format("github", Report.of([finding]))
    assert out == (
        f"::{command} file=posts/a%3Ab%2Cc.md,line=3,col=5,endLine=4,endColumn=9,"
        f"title=contentlint (inline-style)::50%25 off%0Anow\n"
    )


def test_github_lines_have_githubs_syntax() -> None:
    """Each line is one workflow command: ``::name k=v,k=v::data`` with nothing unescaped."""
    syntax = re.compile(
        r"::(error|warning|notice) "
        r"file=[^,:\r\n]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^,:\r\n]+"
        r"::[^\r\n]*"
    )
    out = render_format("github", seed_report())
    lines = out.splitlines()
    assert len(lines) == 66
    assert all(syntax.fullmatch(line) for line in lines)


# --- sarif ----------------------------------------------------------------------------


@cache
def sarif_validator() -> Any:
    schema = json.loads((DATA / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    "files",
    [
        (("seeds/seed.md", None), ("clean.md", CLEAN)),
        (("cjk.md", CJK),),
        (("clean.md", CLEAN),),
    ],
    ids=["seed", "cjk", "clean"],
)
def test_sarif_validates_against_the_schema(files: tuple[tuple[str, str | None], ...]) -> None:
    rep = report(*((path, text if text is not None else seed_text()) for path, text in files))
    log = json.loads(render_format("sarif", rep))
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["columnKind"] == "utf16CodeUnits"


def test_sarif_rules_metadata_and_levels() -> None:
    rep = seed_report()
    run = sarif_log(rep)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(rep.rules)
    by_id = {rule["id"]: rule for rule in rules}
    inline = by_id["inline-style"]
    assert inline["fullDescription"]["text"] == rep.rules["inline-style"].description
    assert inline["help"]["markdown"] == rep.rules["inline-style"].description
    assert inline["defaultConfiguration"]["level"] == "warning"
    assert by_id["encoding"]["defaultConfiguration"]["level"] == "error"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert (
            result["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[
                rep.rules[result["ruleId"]].severity
            ]
        )


def test_sarif_regions_count_utf16_code_units_on_a_cjk_line() -> None:
    rep = report(("cjk.md", CJK))
    results = sarif_log(rep)["runs"][0]["results"]
    lines = CJK.split("\n")
    spans = [(finding, result) for finding, result in zip(findings_of(rep), results, strict=True)]
    assert [f.rule for f, _ in spans] == ["inline-style", "inline-style"]
    astral_shifted = False
    for finding, result in spans:
        region = result["locations"][0]["physicalLocation"]["region"]
        line_text = lines[finding.line - 1]
        assert region["startLine"] == finding.line
        assert region["startColumn"] == utf16(line_text[: finding.column - 1]) + 1
        assert region["endColumn"] == utf16(line_text[: finding.end_column - 1]) + 1
        assert region["charOffset"] == utf16(CJK[: finding.start])
        assert region["charLength"] == utf16(CJK[finding.start : finding.end])
        astral_shifted |= region["startColumn"] == finding.column + 2
    # CJK characters are one UTF-16 unit (columns as in JSON); 😀 and 𠮷 are two each.
    first_region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert first_region["startColumn"] == findings_of(rep)[0].column
    assert astral_shifted


@pytest.mark.parametrize("files", [("cjk.md", CJK), ("seeds/seed.md", None)], ids=["cjk", "seed"])
def test_sarif_fixes_reproduce_the_edits(files: tuple[str, str | None]) -> None:
    path, text = files[0], files[1] if files[1] is not None else seed_text()
    rep = report((path, text))
    results = sarif_log(rep)["runs"][0]["results"]
    units = text.encode("utf-16-le")
    checked = 0
    for finding, result in zip(findings_of(rep), results, strict=True):
        if finding.fix is None:
            assert "fixes" not in result
            continue
        (change,) = result["fixes"][0]["artifactChanges"]
        assert change["artifactLocation"]["uri"] == path
        fixed = bytearray(units)
        for replacement in reversed(change["replacements"]):
            region = replacement["deletedRegion"]
            start, length = 2 * region["charOffset"], 2 * region["charLength"]
            fixed[start : start + length] = replacement["insertedContent"]["text"].encode(
                "utf-16-le"
            )
        assert fixed.decode("utf-16-le") == apply_edits(text, finding.fix.edits)
        checked += 1
    assert checked == sum(1 for finding in findings_of(rep) if finding.fix is not None) > 0


def test_sarif_uris_are_relative_references_or_file_uris() -> None:
    finding = make_finding(path="./posts/a b#1.md")
    absolute = make_finding(path="/srv/posts/x.md")
    results = sarif_log(Report.of([finding, absolute]))["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["posts/a%20b%231.md", "file:///srv/posts/x.md"]


# --- junit ----------------------------------------------------------------------------


@cache
def junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "junit.xsd")))


def parse_junit(rep: Report) -> etree._Element:
    data = render_format("junit", rep).encode("utf-8")
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    schema = junit_schema()
    assert schema.validate(root), schema.error_log
    return root


def test_junit_one_suite_per_file_one_failing_case_per_finding() -> None:
    rep = seed_report()
    root = parse_junit(rep)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("67", "66")
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["seeds/seed.md", "clean.md"]
    seed_cases, clean_cases = (suite.findall("testcase") for suite in suites)
    assert len(seed_cases) == 66
    assert all(case.find("failure") is not None for case in seed_cases)
    assert [case.find("failure") for case in clean_cases] == [None]
    first, finding = seed_cases[0], findings_of(rep)[0]
    assert first.get("file") == "seeds/seed.md"
    assert first.get("line") == str(finding.line)
    failure = first.find("failure")
    assert failure is not None
    assert failure.get("type") == finding.rule
    assert failure.get("message") == finding.message
    assert f"{finding.line}:{finding.column}: {finding.rule}" in (failure.text or "")


def test_junit_escapes_what_xml_cannot_carry() -> None:
    message = "a <b> & \"c\" 'd'\nnext\ttab \x01\x1b"
    rep = Report.of([make_finding(path="x&y.md", message=message)], files=["x&y.md"])
    root = parse_junit(rep)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "a <b> & \"c\" 'd'\nnext\ttab "
    assert root.find("testsuite").get("name") == "x&y.md"  # type: ignore[union-attr]


# --- gitlab ---------------------------------------------------------------------------


def test_gitlab_code_quality_fields() -> None:
    rep = seed_report()
    rows = json.loads(render_format("gitlab", rep))
    assert len(rows) == 66
    for row, finding in zip(rows, findings_of(rep), strict=True):
        assert set(row) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert row["check_name"] == finding.rule
        assert finding.message in row["description"]
        assert (
            row["severity"]
            == {"error": "major", "warning": "minor", "info": "info"}[finding.severity]
        )
        assert row["location"] == {
            "path": "seeds/seed.md",
            "lines": {"begin": finding.line, "end": finding.end_line},
        }
    fingerprints = [row["fingerprint"] for row in rows]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_fingerprints_are_stable_and_survive_line_shifts() -> None:
    text = seed_text()
    first = issues(report(("seeds/seed.md", text)))
    again = issues(report(("seeds/seed.md", text)))
    assert first == again
    body = text.index("<p")
    shifted_text = text[:body] + "<p>A new paragraph.</p>\n\n" + text[body:]
    shifted = issues(report(("seeds/seed.md", shifted_text)))
    assert [row["location"]["lines"]["begin"] for row in shifted] != [
        row["location"]["lines"]["begin"] for row in first
    ]
    assert sorted(row["fingerprint"] for row in shifted) == sorted(
        row["fingerprint"] for row in first
    )
    other_file = issues(report(("seeds/other.md", text)))
    assert not {row["fingerprint"] for row in other_file} & {row["fingerprint"] for row in first}


# --- statistics -----------------------------------------------------------------------


def test_statistics_counts_per_rule_sorted() -> None:
    rep = seed_report()
    rows = rule_counts(rep.tally)
    assert [(row.rule, row.count) for row in rows[:2]] == [
        ("inline-style", 49),
        ("tracking-comment", 11),
    ]
    assert [row.count for row in rows] == sorted((row.count for row in rows), reverse=True)
    ones = [row.rule for row in rows if row.count == 1]
    assert ones == sorted(ones)
    promo = next(row for row in rows if row.rule == "promo-block")
    assert (promo.fixable, promo.unsafe_fixable) == (0, 1)

    out = io.StringIO()
    write_statistics_text(out, rep.tally)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["49", "inline-style", "[*]", "49", "fixable"]
    assert lines[-1].split()[:2] == ["1", "tracking-attribute"]

    out = io.StringIO()
    write_statistics_json(out, rep.tally)
    data = json.loads(out.getvalue())
    assert data[0] == {"rule": "inline-style", "count": 49, "fixable": 49, "unsafe_fixable": 0}
    assert sum(row["count"] for row in data) == 66


# --- progress -------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_draws_on_a_terminal_after_a_moment_and_erases_itself() -> None:
    stream, clock = FakeTerminal(), Clock()
    progress = Progress(stream, 10, clock=clock, delay=0.5, interval=0.1)
    progress.update(1, 3)
    assert stream.getvalue() == ""  # a quick run shows nothing
    clock.now += 1.0
    progress.update(4, 7)
    assert (
        stream.getvalue() == "\r\x1b[K[########------------]  4/10 files  7 findings  4.0 files/s"
    )
    clock.now += 0.05
    progress.update(5, 7)  # too soon to redraw
    assert stream.getvalue().count("\r") == 1
    progress.update(10, 9)  # the last file is always drawn
    assert stream.getvalue().endswith(" 10/10 files  9 findings  9.5 files/s")
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


@pytest.mark.parametrize("enabled", [None, False])
def test_progress_is_silent_off_a_terminal_or_when_disabled(enabled: bool | None) -> None:
    stream = FakeTerminal() if enabled is False else io.StringIO()
    clock = Clock()
    progress = Progress(stream, 3, clock=clock, delay=0, enabled=enabled)
    clock.now += 5
    progress.update(3, 1)
    progress.close()
    assert stream.getvalue() == ""


def test_progress_line() -> None:
    assert render(0, 0, 1, 0) == "[####################] 0/0 files  1 finding  0.0 files/s"
