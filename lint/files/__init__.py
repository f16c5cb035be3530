"""The file-system side of a run: walking, .gitignore, the cache, workers, atomic writes."""
