"""党员名册: the roster page, its lazy table model, the member form and the import dialog."""
