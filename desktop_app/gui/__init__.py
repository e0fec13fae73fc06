"""PySide6 front end: main window frame, one page per module, dialogs, background jobs."""
