"""A4 papers (notices, receipts, slips) from clerk.papers.content.Paper, and their printer."""

from printing.papers.document import render_paper

__all__ = ["render_paper"]
