"""The supervisor's ledger as an A4 PDF with its charts."""
