"""The back office and the 出件 window."""
