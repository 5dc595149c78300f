"""The supervisor's ledger (PRODUCT.md §7): periods, scopes and a registry of sections.

Each record kind (queue, cases, sign-offs, ledgers, reviews) adds its own section module
and registers it (clerk.reports.registry); the ledger builder, the screens and the exports
only walk the registry, so a new kind never touches the others.
"""
