"""CSV / XLSX import and export of tables."""
