"""The service-item catalogue: search and the item guide."""
