"""The papers the counter prints, as plain data: what each one carries (NOTICES.md).

``clerk/`` fills these models (from a case, a ledger entry, a referral); ``printing/``
lays them out on A4. A notice's content is frozen when it is issued: the model's JSON is
stored in ``notice.body`` and every print and reprint is rendered from that body, so a
reprint shows exactly what the applicant was handed.
"""
