"""The supervisor annotates and signs a shift (PRODUCT.md §7): notes, signatures, corrections."""
