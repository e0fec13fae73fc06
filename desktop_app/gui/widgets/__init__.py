"""The GUI kit every page is built from: the page base, the column table model,
the saving dialog, pickers, the declarative record-list page and small helpers.

    page.py         Page, AppContext
    table.py        Column, ColumnModel (and the row colours)
    list_panel.py   ListPanel: a table beside a details pane
    record_list.py  RecordListPage with Table, Search, Choice, Act, Loaded
    dialog.py       SavingDialog, DateNoteDialog
    picker.py       SearchPicker
    items.py        list items standing for a value (VALUE_ROLE), checklists
    forms.py        DateEdit, TimeEdit, combos, money fields, ask_save_path, ask_month
    bars.py         toolbar, search_box, heading, refill, debounced
"""
