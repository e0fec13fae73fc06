"""Import dialogs' shared steps: the column and value mapping of other systems' spreadsheets."""
