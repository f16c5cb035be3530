"""The engine: YAML rules over generic kinds, configuration, the linter, suppressions, fixer.

Modules of ``lint`` import what they use at their top, except these heavy imports, loaded
on demand because most runs never need them (each weighed with ``python -X importtime``):

- ``multiprocessing``, from ``lint.files.pool``: only when worker processes start (a run
  over a few files lints them in its own process);
- ``email.utils``, from ``lint.engine.kinds.front_matter``: only for a date field that is
  not in one of the ISO forms (it brings sockets, random numbers and MIME charsets);
- ``tomllib``, from ``config`` and ``lint.document.frontmatter``: only for a
  ``pyproject.toml`` configuration or TOML front matter;
- ``lxml`` and ``cssselect``, from ``lint.document.tree``: only for the selectors the
  direct matcher does not handle;
- ``lint.files.cache`` (``sqlite3``), ``lint.remote``, ``lint.files.cluster`` (``distributed``,
  an optional dependency: ``--scheduler``) and each reporter other than the one asked for,
  from ``lint.run`` and ``lint.reporters``: only when the run uses them.
"""
