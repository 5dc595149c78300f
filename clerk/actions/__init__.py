"""Mutation handlers, one module per workflow. Importing this package registers them all."""

from clerk.actions import audit, seat, staff, tickets, windows  # noqa: F401
