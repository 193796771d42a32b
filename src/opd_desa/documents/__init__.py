"""Documents people print and sign: one module per document, sharing a page model."""
