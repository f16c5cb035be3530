"""contentlint: a rule-driven linter and fixer for scraped Markdown articles."""

__version__ = "0.1.0"
