"""The local store: SQLModel tables, the engine factory and migrations."""
