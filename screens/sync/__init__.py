"""The central store: the conflicts list."""
