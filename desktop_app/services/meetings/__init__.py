"""三会一课 and organisation life: plan, hold, cancel, attendance, attachments, compliance, follow-up.

Every write is one UnitOfWork and returns plain read models (desktop_app.views.meetings).
Cadence rules come from domain.meetings with the center's overrides. The modules
follow the feature's seams:

    kinds             meeting kinds and their cadence per community
    branch_committee  the branch committee (支委会) with dates of service
    lifecycle         plan, edit, attendees and guests, cancel, reopen, hold, delete
    attendance        recording attendance, one meeting or many
    attendance_import preview and apply of the attendance CSV
    queries           lists, one meeting in detail, lookup by number
    compliance_grid   the compliance grid per branch and period
    followup          members' history, rates, absence streaks, lost contact
    attachments       a meeting's files
    printing          sign-in sheets and meeting records (print_*)
    scan_import       signed sheets read back from a scan or photo, then confirmed

`from desktop_app.services import meetings as ms; ms.plan(...)` reaches all of it.
"""

from desktop_app.services.meetings._common import EXPECTED_STATUSES
from desktop_app.services.meetings.attachments import (
    ATTACHMENTS_DIR, MAX_ATTACHMENT_BYTES, add_attachment, add_attachments, attachment_path, attachments_dir,
    remove_attachment,
)
from desktop_app.services.meetings.attendance import all_present, people_index, record_attendance, record_many
from desktop_app.services.meetings.branch_committee import committee, set_committee
from desktop_app.services.meetings.cadence import branch_cadence, set_branch_cadence
from desktop_app.services.meetings.compliance_grid import compliance, compliance_summary, overdue_count
from desktop_app.services.meetings.compliance_sheet import compliance_sheet, export_compliance, print_compliance
from desktop_app.services.meetings.followup import absent_streaks, lost_contact_risk, member_history, member_rates
from desktop_app.services.meetings.kinds import kind_settings, reset_kind_settings, set_kind_setting, set_kind_settings
from desktop_app.services.meetings.lifecycle import (
    add_guest, branch_people, cancel, default_attendees, delete, hold, plan, reopen, set_attendees, update,
)
from desktop_app.services.meetings.printing import (
    meeting_record_of, print_meeting_record, print_signin_sheet, print_signin_sheets, signin_batch, signin_sheet_of,
    signin_sheets_of,
)
from desktop_app.services.meetings.queries import (
    PeriodTwins, get, holders, list_meetings, resolve, same_day, same_period,
)
from desktop_app.services.meetings.scan_import import apply_scan, confirmed_entries, read_scan
from desktop_app.views.meetings import (
    AbsenceStreak, AttachmentRow, AttendanceCheck, AttendanceEntry, AttendanceImportResult, Attendee,
    BulkAttendance, CommitteeSeat, ComplianceCell, ComplianceGrid, ComplianceRow, ComplianceSummary, ExpectedPerson,
    Guest, KindSetting, LostContactRisk, MeetingDetail, MeetingFilter, MeetingInput, MeetingRecord, MeetingRow,
    MemberHistory, MemberMeetingLine, MemberRate, PersonRef, RowError, SigninLine, SigninSheet,
)
from desktop_app.views.cadence import BranchCadenceRow
from desktop_app.views.signin_scan import ProposedLine, RefusedPage, ScanProposal, SheetProposal

__all__ = [
    "ATTACHMENTS_DIR", "EXPECTED_STATUSES", "MAX_ATTACHMENT_BYTES",
    "AbsenceStreak", "AttachmentRow", "AttendanceCheck", "AttendanceEntry", "AttendanceImportResult", "Attendee",
    "BulkAttendance", "CommitteeSeat", "ComplianceCell", "ComplianceGrid", "ComplianceRow", "ComplianceSummary",
    "ExpectedPerson", "Guest", "KindSetting", "LostContactRisk", "MeetingDetail", "MeetingFilter", "MeetingInput",
    "MeetingRecord", "MeetingRow", "MemberHistory", "MemberMeetingLine", "MemberRate", "PersonRef", "RowError",
    "ProposedLine", "RefusedPage", "ScanProposal", "SheetProposal", "SigninLine", "SigninSheet",
    "branch_cadence", "set_branch_cadence", "BranchCadenceRow", "compliance_sheet", "export_compliance",
    "print_compliance",
    "absent_streaks", "add_attachment", "add_attachments", "apply_scan", "confirmed_entries", "read_scan", "add_guest", "all_present", "attachment_path", "attachments_dir",
    "branch_people", "cancel", "committee", "compliance", "compliance_summary", "default_attendees",
    "delete", "get", "hold", "holders", "kind_settings", "list_meetings", "lost_contact_risk", "meeting_record_of",
    "member_history", "member_rates", "overdue_count", "people_index", "plan", "print_meeting_record",
    "print_signin_sheet", "record_attendance", "record_many", "remove_attachment", "reopen", "reset_kind_settings",
    "resolve", "same_day", "same_period", "PeriodTwins", "set_attendees", "set_committee", "set_kind_setting", "set_kind_settings", "signin_sheet_of",
    "print_signin_sheets", "signin_batch", "signin_sheets_of", "update",
]
