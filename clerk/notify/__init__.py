"""Telling the applicant: SMS and e-mail at acceptance and at the decision (002, 001).

``events`` decides, on the central store, which messages a pushed case mutation calls for
and queues them (``notification`` rows); ``messages`` writes their Chinese text;
``delivery`` claims and sends due rows through ``smtp`` and ``sms``; ``loop`` runs that in
``clerk serve``. Counters never send and never queue: the same mutation applied on two
counters and on the central store must tell the applicant once.
"""
