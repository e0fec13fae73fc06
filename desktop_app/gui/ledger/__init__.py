"""The 经费台账 page, its table models and dialogs; the form helpers the 党费 page shares."""
