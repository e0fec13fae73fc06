"""三会一课 in the window: the meetings page, the compliance grid, 民主评议 and their dialogs.

    page.py               MeetingsPage: meetings, members' attendance, follow-up lists
    compliance.py         CompliancePage: a cell per branch, kind and period; cadence settings
    evaluations.py        EvaluationsPage: a branch's yearly grades
    meeting_dialog.py     plan or edit a meeting; the branch committee
    attendance_dialog.py  record who came
"""
