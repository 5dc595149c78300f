"""The chief representative's sign-off: authorisations, signed decisions, the chief's queue."""
