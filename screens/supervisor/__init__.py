"""The supervisor's screens: the live floor (and, from it, 潮汐窗口 and the ledger)."""
