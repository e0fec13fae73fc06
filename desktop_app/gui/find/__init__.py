"""查找: the window's one search over people and records (Ctrl+K); see popup.py."""
