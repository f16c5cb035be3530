"""contentlint: a rule-driven linter and fixer for scraped Markdown articles."""

from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The Python API (``lint.api``), loaded on first use (PEP 562): the command imports this
# package first, and a one-file run must not pay for modules it does not use. Type
# checkers read the names from the import below, so ``lint.lint_text`` has its types.
if TYPE_CHECKING:
    from lint.api import (
        FileResult,
        Finding,
        Fixed,
        LintError,
        Settings,
        fix_text,
        lint_paths,
        lint_text,
        load_config,
        to_dict,
    )

__all__ = [
    "FileResult",
    "Finding",
    "Fixed",
    "LintError",
    "Settings",
    "fix_text",
    "lint_paths",
    "lint_text",
    "load_config",
    "to_dict",
]


def __getattr__(name: str) -> object:
    if name in __all__:
        from lint import api

        return getattr(api, name)
    raise AttributeError(f"module 'lint' has no attribute {name!r}")
