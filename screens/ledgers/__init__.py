"""Screens of the accountability ledgers: the ledger list, first-contact and rating dialogs."""
