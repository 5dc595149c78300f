"""Offline-first sync between a counter's local store and the central store.

The protocol schemas in ``protocol`` are shared by the counter (``client``, ``agent``)
and the server (``clerk.central``).
"""
