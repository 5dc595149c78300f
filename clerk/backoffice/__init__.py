"""The back office: a case from acceptance to 办结 (PRODUCT.md §4)."""
