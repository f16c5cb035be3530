"""What an inline ``style`` does to the text it styles, read from its declarations.

Removing a style is safe for the reader only when every declaration is presentational:
fonts and sizes, spacing, alignment, widths, the colours of backgrounds and borders.
Two kinds of declaration are more than that:

- ``hides``: the text is there but not seen (``display:none``, ``visibility:hidden``,
  ``opacity:0``, ``font-size:0``, text coloured like its own background or
  ``transparent``, moved off-screen with ``position:absolute`` and a large negative
  offset or ``text-indent``, clipped away, scaled to nothing, a zero height with
  ``overflow:hidden``). Removing the style reveals it: keyword stuffing, a spoiler.
- ``meaning``: the style says something (``text-decoration: line-through`` on an old
  price, ``underline``, bold or italic emphasis, ``vertical-align: super`` for an
  exponent, a text colour other than a neutral grey or black, as a red "Warning:").
  Removing it changes what the text says.

A property this module does not know is not taken for presentational either.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Properties that only change how the text looks, whatever their value (the values that
# hide are looked at before).
_PRESENTATIONAL = re.compile(
    r"(?:font-family|font-size|font-variant(?:-[a-z]+)?|font-stretch|font-kerning"
    r"|font-feature-settings|font-synthesis|line-height|letter-spacing|word-spacing"
    r"|text-align(?:-last)?|text-indent|text-justify|text-transform|text-shadow"
    r"|text-rendering|text-size-adjust|white-space|word-wrap|overflow-wrap|word-break"
    r"|hyphens|tab-size|orphans|widows|direction|unicode-bidi|writing-mode"
    r"|(?:margin|padding)(?:-(?:top|right|bottom|left|block|inline)(?:-start|-end)?)?"
    r"|(?:min-|max-)?(?:width|height)|box-sizing|box-shadow|outline(?:-[a-z]+)?"
    r"|background(?:-[a-z]+)?|border(?:-[a-z]+)*|float|clear|list-style(?:-[a-z]+)?"
    r"|vertical-align|cursor|caret-color|overflow(?:-[xy])?|object-fit|object-position"
    r"|display|visibility|opacity|position|top|right|bottom|left|z-index|zoom"
    r"|color|text-decoration(?:-[a-z]+)?|font-weight|font-style|transform|clip|clip-path"
    r"|(?:-webkit-|-moz-|-ms-|mso-)[a-z-]+)\Z"
)
_ZERO = re.compile(r"[+-]?0*(?:\.0*)?(?:[a-z]+|%)?\Z")
_OFF_SCREEN = re.compile(r"-\s*(?:\d{3,}(?:\.\d+)?(?:px)?|\d{2,}(?:\.\d+)?(?:em|rem|vw|vh|%))\Z")
_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})\Z")
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+%?)\s*)?\)\Z")
_NAMED = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "dimgray": (105, 105, 105),
    "dimgrey": (105, 105, 105),
    "darkgray": (169, 169, 169),
    "darkgrey": (169, 169, 169),
    "silver": (192, 192, 192),
}
_NEUTRAL_TEXT = frozenset({"inherit", "initial", "unset", "currentcolor", "windowtext"})


class Declaration(NamedTuple):
    """``property: value`` of a style, lower-case, ``!important`` removed."""

    property: str
    value: str


class StyleEffect(NamedTuple):
    """What a style does: ``kind`` is "presentational", "hides" or "meaning"; ``reason``
    the declaration that decided it (empty when presentational)."""

    kind: str
    reason: str = ""


PRESENTATIONAL = StyleEffect("presentational")


def declarations(style: str) -> list[Declaration]:
    """The declarations of a ``style`` attribute's value (entities decoded first)."""
    found: list[Declaration] = []
    for part in _split(style):
        name, colon, value = part.partition(":")
        if not colon:
            continue
        value = re.sub(r"\s*!\s*important\s*\Z", "", value.strip(), flags=re.IGNORECASE)
        found.append(Declaration(name.strip().lower(), " ".join(value.lower().split())))
    return found


def _split(style: str) -> list[str]:
    """``style`` split at the semicolons outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(style):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(style[start:index])
            start = index + 1
    parts.append(style[start:])
    return [part for part in parts if part.strip()]


def style_effect(style: str) -> StyleEffect:
    """What removing ``style`` would change: nothing the reader sees (presentational),
    hidden text shown, or meaning lost."""
    found = declarations(style)
    values = {declaration.property: declaration.value for declaration in found}
    hidden = _hides(values)
    if hidden:
        return StyleEffect("hides", hidden)
    for name, value in values.items():
        meant = _meaning(name, value)
        if meant:
            return StyleEffect("meaning", meant)
    return PRESENTATIONAL


def _hides(values: dict[str, str]) -> str:
    """The declaration that hides the text, or ""."""
    checks = (
        ("display", lambda v: v == "none"),
        ("visibility", lambda v: v in ("hidden", "collapse")),
        ("opacity", lambda v: _ZERO.match(v) is not None),
        ("font-size", lambda v: _ZERO.match(v) is not None),
        ("color", lambda v: v == "transparent"),
        ("text-indent", lambda v: _OFF_SCREEN.match(v) is not None),
        ("transform", lambda v: re.search(r"scale[xy]?\(\s*0(?:\.0*)?\s*[,)]", v) is not None),
        ("clip", lambda v: re.match(r"rect\(\s*0", v) is not None),
        ("clip-path", lambda v: re.match(r"inset\(\s*50%|circle\(\s*0", v) is not None),
    )
    for name, test in checks:
        value = values.get(name)
        if value is not None and test(value):
            return f"{name}: {value}"
    if values.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            value = values.get(side, "")
            if _OFF_SCREEN.match(value):
                return f"position: {values['position']}; {side}: {value}"
    if values.get("overflow") == "hidden":
        for side in ("height", "max-height", "width", "max-width"):
            value = values.get(side)
            if value is not None and _ZERO.match(value):
                return f"{side}: {value}; overflow: hidden"
    color = values.get("color")
    background = values.get("background-color", values.get("background"))
    if color and background and _rgb(color) is not None and _rgb(color) == _rgb(background):
        return f"color: {color} on background {background}"
    return ""


def _meaning(name: str, value: str) -> str:
    """The reason a declaration carries meaning, or "" (presentational), or the unknown
    property named."""
    if name.startswith("text-decoration") and re.search(r"line-through|underline|overline", value):
        return f"{name}: {value}"
    if name == "font-weight" and (value in ("bold", "bolder") or _at_least(value, 600)):
        return f"{name}: {value}"
    if name == "font-style" and value in ("italic", "oblique"):
        return f"{name}: {value}"
    if name == "vertical-align" and value in ("super", "sub"):
        return f"{name}: {value}"
    if name == "color" and value not in _NEUTRAL_TEXT and not _neutral(value):
        return f"{name}: {value}"
    if not _PRESENTATIONAL.match(name):
        return f"unknown property {name}"
    return ""


def _at_least(value: str, weight: int) -> bool:
    return value.isdigit() and int(value) >= weight


def _neutral(color: str) -> bool:
    """Whether a text colour is black or a dark-to-middle grey: how body text looks."""
    rgb = _rgb(color)
    if rgb is None:
        return False
    red, green, blue = rgb
    return max(rgb) - min(rgb) <= 16 and (red + green + blue) / 3 <= 160


def _rgb(color: str) -> tuple[int, int, int] | None:
    """A colour as (red, green, blue), for hex, ``rgb()`` and a few names; else None."""
    color = color.strip()
    if color in _NAMED:
        return _NAMED[color]
    hex_match = _HEX.match(color)
    if hex_match:
        digits = hex_match.group(1)
        if len(digits) == 3:
            digits = "".join(char * 2 for char in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    rgb_match = _RGB.match(color)
    if rgb_match:
        alpha = rgb_match.group(4)
        if alpha is not None and _ZERO.match(alpha):
            return None  # transparent: see _hides
        red, green, blue = (min(255, int(rgb_match.group(i))) for i in (1, 2, 3))
        return red, green, blue
    return None
