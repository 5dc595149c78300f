"""Mutation handlers, one module per workflow. Importing this package registers them all."""

from clerk.actions import audit, seat  # noqa: F401
