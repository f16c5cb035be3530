"""The engine: YAML rules over generic kinds, configuration, the linter, suppressions, fixer."""
