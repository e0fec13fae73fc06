"""五好党支部 assessment pages and dialogs."""
