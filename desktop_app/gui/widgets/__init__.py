"""The GUI kit every page is built from: the page base, the column table model,
the saving dialog, pickers, the declarative record-list page and small helpers."""
