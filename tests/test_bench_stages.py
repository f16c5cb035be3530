"""The stage benchmark (``bench/stages.py``) runs and reports every stage: it is the
evidence for where a cold run's time goes, so it must not rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STAGES = Path(__file__).resolve().parent.parent / "bench" / "stages.py"


def test_stage_benchmark_reports_every_stage_per_article() -> None:
    done = subprocess.run(
        [sys.executable, str(STAGES), "--count", "4", "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("4 articles, ")
    stages = [line[:24].strip() for line in lines[2:]]
    assert stages == [
        "read and decode",
        "front matter",
        "Markdown code",
        "HTML tokens",
        "element tree",
        "all rules, findings",
        "render JSON",
        "render text",
    ]
    assert float(lines[2].split()[-1]) > 0  # milliseconds per article to read
    for line in lines[2:]:
        float(line[24:33])  # a number (a stage's own cost may round to 0 or below)
