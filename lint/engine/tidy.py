"""Edits that empty a line take the line with them, as ruff deletes a statement's line.

Removing an element, a comment or an attribute that stood alone on its line would leave
the line's indentation behind: a line of spaces, a run of them where a block of several
lines went. ``tidy_edits`` widens such edits over the rest of the line and its line break
(``\\n`` or ``\\r\\n``, whichever the file uses there), so the line goes.

One exception keeps what the reader sees: in Markdown an HTML block that may interrupt a
paragraph (a ``<div>``, a comment, a ``<style>``...) also separates the lines around it.
When the lines above and below are both text, its line is emptied but kept, so they do
not join into one paragraph.

Edits on one line are looked at together (an element's start and end tags, or the fixes
of two rules that the fixer applies in the same pass): the line goes when nothing but
white space is left between and around them.
"""

from __future__ import annotations

from collections.abc import Sequence

from lint.document.markdown import interrupts_paragraph
from lint.engine.findings import Edit

_BLANKS = " \t"


def tidy_edits(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """``edits`` (non-overlapping), where those that leave a line blank also remove it."""
    if len(edits) == 1 and _text_before(text, edits[0].start):
        return list(edits)  # the usual edit, inside a line: nothing can be left blank
    ordered = sorted(edits)
    runs: list[list[Edit]] = []
    for edit in ordered:  # runs of edits with only spaces or tabs between them
        if runs and _blank(text, runs[-1][-1].end, edit.start):
            runs[-1].append(edit)
        else:
            runs.append([edit])
    lines = [_emptied_line(text, run) for run in runs]
    if not any(lines):
        return ordered  # no line emptied: the edits as they are
    tidied: list[Edit] = []
    index = 0
    while index < len(runs):
        if lines[index] is None:
            tidied.extend(runs[index])
            index += 1
            continue
        # A group of whole lines removed one after the other.
        last = index
        while last + 1 < len(runs) and _follows(lines[last], lines[last + 1]):
            last += 1
        group = [line for line in lines[index : last + 1] if line is not None]
        starts = [_content_start(text, run[0].start) for run in runs[index : last + 1]]
        removed = [Edit(line_start, line_end) for line_start, line_end in group]
        first_start, last_end = group[0][0], group[-1][1]
        if _separates_paragraphs(text, first_start, last_end) and any(
            interrupts_paragraph(text, start) for start in starts
        ):
            # Keep the last line break, so the text above and below stays apart.
            kept = 2 if text.endswith("\r\n", 0, last_end) else 1
            removed[-1] = Edit(removed[-1].start, last_end - kept)
        tidied.extend(removed)
        index = last + 1
    return tidied


def _follows(line: tuple[int, int] | None, after: tuple[int, int] | None) -> bool:
    return line is not None and after is not None and after[0] == line[1]


def _content_start(text: str, start: int) -> int:
    """The first offset from ``start`` that is not a space or tab."""
    while start < len(text) and text[start] in _BLANKS:
        start += 1
    return start


def _text_before(text: str, start: int) -> bool:
    """Whether the character before ``start`` is on its line and not a space or tab."""
    return start > 0 and text[start - 1] not in " \t\r\n"


def _blank(text: str, start: int, end: int) -> bool:
    return start <= end and not text[start:end].strip(_BLANKS)


def _emptied_line(text: str, run: list[Edit]) -> tuple[int, int] | None:
    """The lines to remove, from a line start to after a line break (or the end of the
    text), when the ``run`` of edits leaves them blank; else None."""
    start, end = run[0].start, run[-1].end
    line_start = start
    while line_start > 0 and text[line_start - 1] in _BLANKS:
        line_start -= 1
    if line_start > 0 and text[line_start - 1] != "\n":
        return None  # text before the edits on their line (the usual case: looked at first)
    if any(edit.replacement for edit in run):
        return None
    if not any(text[edit.start : edit.end].strip() for edit in run):
        return None  # only white space removed: the line was blank before
    line_end = end
    if not (end > 0 and text[end - 1] == "\n"):  # not already up to a line break
        while line_end < len(text) and text[line_end] in _BLANKS:
            line_end += 1
        if text.startswith("\r\n", line_end):
            line_end += 2
        elif text.startswith("\n", line_end):
            line_end += 1
        elif line_end < len(text):
            return None  # text after the edits on their line
    return line_start, line_end


def _separates_paragraphs(text: str, line_start: int, line_end: int) -> bool:
    """Whether the lines ``text[line_start:line_end]`` stand between two lines of text."""
    if line_start == 0 or line_end >= len(text) or text[line_end - 1] != "\n":
        return False
    above_start = text.rfind("\n", 0, line_start - 1) + 1
    below_end = text.find("\n", line_end)
    above = text[above_start : line_start - 1]
    below = text[line_end : len(text) if below_end == -1 else below_end]
    return bool(above.strip() and below.strip())
