"""The workflows of this build: the one place that loads every mutation handler.

Each workflow package holds its rules, its handlers and its service; its handlers register
themselves when their module is imported. ``install()`` imports them all. The composition
roots call it (the counter's ``open_desk``, the central store's ``create_app``, the CLI,
the tests), so the mutation core itself depends on no workflow.
"""

from __future__ import annotations


def install() -> None:
    """Register every workflow's mutations (idempotent: a module is imported once)."""
    import clerk.backoffice.handlers  # noqa: F401
    import clerk.cases.handlers  # noqa: F401
    import clerk.ledgers.handlers  # noqa: F401
    import clerk.shifts.handlers  # noqa: F401
    import clerk.signoff.handlers  # noqa: F401
    from clerk import audit  # noqa: F401
    from clerk.floor import handlers as floor_handlers  # noqa: F401
    from clerk.ledgers import paper_handlers, rate_code, ratings, rectification  # noqa: F401
    from clerk.papers import print_handlers  # noqa: F401
    from clerk.queue import line_handlers, ticket_handlers  # noqa: F401
    from clerk.staff import seat_handlers, session_handlers  # noqa: F401
