"""Accountability ledgers: the 首问负责 log, the 办不成事 ledger, 好差评 and its rectifications.

The three ledgers share one shape (clerk.ledgers.rules): register, classify, assign with a
deadline, handle, feed back, follow up, close, with an overdue flag. Ratings (clerk.ledgers
.ratings) open a rectification when they are bad.
"""
