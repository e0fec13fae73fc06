"""设置: this PC's settings dialog (paper, font, backups, masking default, idle lock)."""
