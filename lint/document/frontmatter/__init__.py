"""Finding and parsing the front matter, in every form the site generators accept, with
the position of every key.

The forms, looked for at the top of the text (blank lines before it are tolerated here, as
feed robots write them, and recorded so that a rule can report them):

- YAML between ``---`` lines (the closing one may be ``...``): Jekyll, Hugo, Hexo;
- TOML between ``+++`` lines: Hugo;
- JSON: an object starting at the top (``{`` then ``"`` or ``}``), Hugo; or the members
  of an object between ``;;;`` lines, Hexo;
- Hexo's YAML or JSON with only the closing ``---`` or ``;;;`` line: taken when the text
  above that line reads as front matter (its first line is a ``key:``; and it parses as
  a mapping, or every line of it looks like YAML), so that an article without front
  matter but with a thematic break is not taken for one.

Each form is parsed by its own module (``yaml_form``, ``toml_form``, ``json_form``) and
reports its own problems at the offset its parser names.
"""

from __future__ import annotations

import re

from lint.document.frontmatter.json_form import parse_json
from lint.document.frontmatter.model import (
    Extent,
    FrontMatter,
    FrontMatterProblem,
    KeyEntry,
    KeySpan,
    refused,
    value_regions,
)
from lint.document.frontmatter.yaml_form import parse_yaml, yaml_graph_problem

__all__ = [
    "FrontMatter",
    "FrontMatterProblem",
    "KeyEntry",
    "KeySpan",
    "find_front_matter",
    "value_regions",
    "yaml_graph_problem",
]

_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_OPEN = re.compile(r"(---|\+\+\+|;;;)[ \t]*\r?(?:\n|\Z)")
_CLOSE = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE),
    "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE),
    ";;;": re.compile(r"^;;;[ \t]*\r?$", re.MULTILINE),
}
_FORMS = {"---": "yaml", "+++": "toml", ";;;": "json"}
_JSON_OBJECT = re.compile(r'\{\s*["}]')
# Hexo's front matter without the opening line: the first line is a key.
_KEY_LINE = re.compile(r'(?:[A-Za-z_][\w-]*|"[^"\n]+")[ \t]*:(?:[ \t]|\r?$)', re.MULTILINE)
_CLOSING_ONLY = re.compile(r"^(---|;;;)[ \t]*\r?$", re.MULTILINE)
# A line of block YAML: a key, a list item, an indented continuation or a comment.
_YAML_LINE = re.compile(r"[ \t]*(?:$|#|- |-$)|[ \t]+\S|(?:[A-Za-z_][\w-]*|\"[^\"]+\")[ \t]*:")


def find_front_matter(text: str) -> FrontMatter | None:
    """Locate and parse the front matter; ``None`` when the text has none."""
    start = _BLANK_LINES.match(text).end()  # type: ignore[union-attr]
    opening = _OPEN.match(text, start)
    if opening is not None:
        fence = opening.group(1)
        content_start = opening.end()
        closing = _CLOSE[fence].search(text, content_start)
        if closing is None:
            # Everything after the opening fence may be meant as front matter: no body to fix.
            extent = Extent(_FORMS[fence], start, len(text), content_start, len(text))
            message = f"front matter is not closed (no closing '{fence}' line)"
            return refused(extent, message, start)
        end = closing.end()
        if text.startswith("\n", end):
            end += 1
        return _parse(text, Extent(_FORMS[fence], start, end, content_start, closing.start()))
    if _JSON_OBJECT.match(text, start):
        return _hugo_json(text, start)
    if text.startswith(("---", "+++", ";;;"), start) or not _KEY_LINE.match(text, start):
        return None
    return _closing_only(text, start)


def _parse(text: str, extent: Extent, braces: bool = False) -> FrontMatter:
    if extent.form == "toml":
        from lint.document.frontmatter.toml_form import parse_toml  # only for TOML files

        return parse_toml(text, extent)
    if extent.form == "json":
        return parse_json(text, extent, braces)
    return parse_yaml(text, extent)


def _hugo_json(text: str, start: int) -> FrontMatter:
    """Hugo's JSON front matter: the object from ``start`` to its matching brace (found as
    Hugo finds it: braces counted outside strings), then the rest of that line."""
    depth, inside, position = 0, False, start
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 1
        elif char == '"':
            inside = not inside
        elif not inside and char == "{":
            depth += 1
        elif not inside and char == "}":
            depth -= 1
            if depth == 0:
                break
        position += 1
    else:
        extent = Extent("json", start, len(text), start, len(text))
        return refused(extent, "front matter is not closed (no closing '}')", start)
    content_end = position + 1
    end = text.find("\n", content_end)
    end = len(text) if end == -1 or text[content_end:end].strip() else end + 1
    return _parse(text, Extent("json", start, end, start, content_end), braces=True)


def _closing_only(text: str, start: int) -> FrontMatter | None:
    """Hexo's front matter that has only its closing line, or None when the text above
    the first ``---``/``;;;`` line does not read as front matter."""
    closing = _CLOSING_ONLY.search(text, start)
    if closing is None:
        return None
    end = closing.end()
    if text.startswith("\n", end):
        end += 1
    form = "yaml" if closing.group(1) == "---" else "json"
    front_matter = _parse(text, Extent(form, start, end, start, closing.start()))
    if front_matter.problem is None:
        return front_matter if front_matter.data else None
    lines = text[start : closing.start()].splitlines()
    if form == "yaml" and all(_YAML_LINE.match(line) for line in lines):
        return front_matter
    return None
