"""The central store: a FastAPI app (``clerk serve``) on SQLite or PostgreSQL."""
