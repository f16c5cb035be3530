"""The engine: YAML rules over generic kinds, configuration, the linter, suppressions, fixer.

Modules import what they use at their top, except these heavy imports, loaded on demand:

- ``lint.document.document`` and ``lint.engine.kinds`` (the document model, and the kinds
  built on it), from ``linter`` and ``rules``: a run whose files all come from the result
  cache builds no document and no kind;
- ``yaml``, from ``rules``: only when rule files are read;
- ``tomllib``, from ``config``: only for a ``pyproject.toml`` configuration;
- ``lxml`` and ``cssselect``, from ``lint.document.tree``: only for the selectors the
  direct matcher does not handle.
"""
