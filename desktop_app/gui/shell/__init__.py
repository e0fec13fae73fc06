"""The program around the pages: first-run set-up and the backup dialogs the main window opens."""
