"""Mutation handlers, one module per workflow. Importing this package registers them all."""

from clerk.actions import audit, seat, tickets, windows  # noqa: F401
