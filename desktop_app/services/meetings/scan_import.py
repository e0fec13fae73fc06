"""Signed sign-in sheets back in: read a scan or photo into a proposed attendance, then record what a person confirms.

The reading itself is the scan adapter's (desktop_app.scan, no database). Here each page's QR
code is matched to its meeting, the page's rows to the attendees in the order the sheet
printed them (views.meetings.signin_lines), and a page that belongs elsewhere — another
meeting than the one asked for, a meeting this machine does not know, a list that changed
after printing — is refused with the reason. Nothing is saved by reading: apply_scan records
the entries a person confirmed and keeps the scan with each meeting, in one transaction.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.files import sha256_of
from desktop_app.services import attachments, auth
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _live_meeting, _site_code, _today
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.records import unchanged_since
from desktop_app.services.meetings.attendance import _apply_entries
from desktop_app.services.meetings.lifecycle import _check_can_hold
from desktop_app.services.meetings.printing import signin_sheet_of
from desktop_app.services.meetings.queries import _detail, get, resolve
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import scope
from desktop_app.store.models import Organization
from desktop_app.store.models_meetings import Attendance, MeetingAttachment
from desktop_app.store.models_sync import SyncPeer
from desktop_app.views import signin_scan as layout
from desktop_app.views.meetings import AttendanceEntry, MeetingDetail
from desktop_app.views.signin_scan import (
    BLANK, LEAVE_MARK, SIGNED, UNSURE, PageReading, ProposedLine, RefusedPage, ScanProposal, SheetProposal,
    UnnamedRow,
)

SCAN_NOTE = "签到表扫描件"
SURE = 0.5  # a cell read with less confidence than this is shown as 不确定


def _line_state(reading, printed_leave: str, is_guest: bool, excused: str = "") -> tuple[str, str, float]:
    """(state, proposed status, confidence) of one named row.

    A member excused from 应到 that day (the sheet prints why) who did not sign is
    proposed as 请假, never as 缺席: they were not expected.
    """
    sign, leave = reading.sign, reading.leave
    present = rules.GUEST if is_guest else rules.PRESENT
    away = rules.LEAVE if excused and not is_guest else rules.ABSENT
    if sign.confidence < SURE:
        return UNSURE, present if sign.marked else away, sign.confidence
    if sign.marked:
        if leave.marked and not printed_leave and not is_guest:
            return UNSURE, present, min(sign.confidence, leave.confidence) / 2  # signed and wrote 请假
        return SIGNED, present, sign.confidence
    if is_guest:
        return BLANK, rules.GUEST, sign.confidence  # a guest who did not come stays listed as invited
    if printed_leave or excused:
        return LEAVE_MARK, rules.LEAVE, sign.confidence
    if leave.confidence < SURE:
        return UNSURE, rules.LEAVE if leave.marked else rules.ABSENT, leave.confidence
    if leave.marked:
        return LEAVE_MARK, rules.LEAVE, leave.confidence
    return BLANK, rules.ABSENT, min(sign.confidence, leave.confidence)


def _propose_page(db: Database, page: PageReading, meeting_id: str) -> SheetProposal | str:
    """The page's rows as proposed lines, or why the page cannot be trusted."""
    code = page.code
    sheet = signin_sheet_of(db, meeting_id)
    detail = get(db, meeting_id)
    guests = {a.id for a in detail.attendees if a.is_guest}
    start = code.first - 1
    printed = sheet.lines[start:start + code.rows]
    if layout.names_hash([line.name for line in printed]) != code.names:
        return (f"第 {page.index} 页打印后参会名单有变动（{code.number}），按行对不上人："
                "请重新打印签到表，或在“登记出勤”里手工登记")
    lines = []
    unnamed = []
    for i, row in enumerate(page.rows):
        if i < len(printed):
            line = printed[i]
            excused = "" if line.attendance_id in guests else line.excused_reason
            state, status, confidence = _line_state(row, line.leave_reason, line.attendance_id in guests, excused)
            lines.append(ProposedLine(line.attendance_id, line.name, state, status, confidence, row.serial,
                                      line.attendance_id in guests, line.leave_reason, excused, row.image))
        elif row.sign.marked or row.name_cell.marked:
            unnamed.append(UnnamedRow(row.serial, row.image))  # a walk-in on a blank row: a person must say who
    return SheetProposal(meeting_id, code.number, sheet.title, code.page, code.pages, page.index, tuple(lines),
                         len(unnamed), tuple(unnamed))


def read_scan(db: Database, path: str | Path, meeting_ref: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> ScanProposal:
    """Read a scanned file (PDF with any number of sheets, or a photo) into a proposal; nothing is saved.

    With `meeting_ref`, pages of any other meeting are refused. Raises ValidationError when no page at all
    can be used, naming each page's reason. `progress(pages read, pages in all or 0)` after each page.
    """
    auth.require(db, "meetings.write")
    from desktop_app.scan import read_file  # OpenCV loads on the first scan, not at start-up

    expected = resolve(db, meeting_ref) if meeting_ref else None
    expected_number = get(db, expected).number if expected else ""
    _check_keepable(Path(path))
    reading = read_file(path, progress=progress)
    refused = []
    # pages refused for one same reason are named in one line: a duplex feeder's every other page blank, all
    # three pages of another meeting's sheet, would otherwise push the people off the confirming dialog
    alike: dict[str, list[int]] = {}
    for u in reading.unreadable:
        alike.setdefault(f"：{u.reason}", []).append(u.index)
    sheets = []
    seen: dict[tuple[str, int], int] = {}  # (meeting, sheet page) -> the scan page it was read from
    for page in reading.pages:
        number = page.code.number
        try:
            meeting_id = resolve(db, number)
        except DomainError:
            refused.append(RefusedPage(page.index, _not_here(db, page.index, number)))
            continue
        if expected and meeting_id != expected:
            # the worker chose the wrong meeting in the list (or scanned the wrong sheet): say which one it is
            theirs = get(db, meeting_id)
            # worded for the window (pick it in the list) and the command line (--meeting) alike
            alike.setdefault(f"是会议 {number} 的签到表，不是本次会议（{expected_number}）的，未读取：请改按会议 "
                             f"{number}（{theirs.meeting_date:%Y-%m-%d} {theirs.kind} {theirs.title}）读取",
                             []).append(page.index)
            continue
        first = seen.get((meeting_id, page.code.page))
        if first is not None:
            # a feeder's double pull or a page scanned again: read once, or its people and walk-ins count twice
            refused.append(RefusedPage(page.index, f"第 {page.index} 页与第 {first} 页是同一页签到表（会议 {number} "
                                                   f"第 {page.code.page} 页），只按第 {first} 页读取"))
            continue
        proposed = _propose_page(db, page, meeting_id)
        if isinstance(proposed, str):
            refused.append(RefusedPage(page.index, proposed))
        else:
            sheets.append(proposed)
            seen[(meeting_id, page.code.page)] = page.index
    refused += [RefusedPage(pages[0], f"第 {'、'.join(map(str, pages))} 页{why}") for why, pages in alike.items()]
    refused.sort(key=lambda r: r.scan_page)
    if not sheets:
        reasons = "；".join(r.reason for r in refused) or "文件里没有页面"
        raise ValidationError("扫描件", f"没有读出可用的签到表。{reasons}")
    return ScanProposal(str(path), tuple(sheets), tuple(refused))


def _check_keepable(path: Path) -> None:
    """A scan too big to keep with the meeting is refused before it is read: refused only on saving, the
    worker would have checked every row of a long feeder scan for nothing."""
    size = path.stat().st_size if path.is_file() else 0  # a missing file: the reader names it
    if size > attachments.MAX_BYTES:
        raise ValidationError("扫描件", f"“{path.name}”有 {size / 1024 / 1024:.1f} MB，超过会议附件的上限 "
                                       f"{attachments.MAX_BYTES // 1024 // 1024} MB（读出的出勤保存时扫描件要存为附件），"
                                       "未读取：请分成几个文件扫描，或改用 200 dpi 灰度、黑白扫描后再读取")


def _not_here(db: Database, index: int, number: str) -> str:
    """Why a page's meeting is not in this database (or not in the account's reach), naming the unit that printed
    it where the account may see that name, and what to do: another community's sheet (its number begins with
    the printing site's code) is named as such, so nobody looks for a deleted meeting of their own."""
    code = number.rsplit("-", 2)[0] if number.count("-") >= 2 else ""
    with db.session() as s:
        own = _site_code(s)
        mine = scope.confined_to(s)  # (the account's organisation, the one above) or None: not confined
        reached = scope.reach(s)
        # a scoped read: a confined account finds only its own subtree's names
        printer = s.scalar(select(Organization.name).where(Organization.code == code, Organization.deleted.is_(False))
                           .limit(1)) if code else None
        # the street's register of its communities, narrowed as the sync pages narrow it
        peer = s.execute(select(SyncPeer.org_name, SyncPeer.org_id).where(SyncPeer.org_code == code)
                         .limit(1)).first() if code and not printer else None
    if peer is not None and (reached is None or peer.org_id in reached):
        printer = peer.org_name
    head = f"第 {index} 页是会议 {number} 的签到表"
    if mine is not None and not printer and code != own:
        return (f"{head}，它不是当前账户所管的{mine[0]}打印的（打印单位代码 {code}），本账户看不到这次会议："
                f"请用管理该单位的账户（或不限单位的账户）读取")
    if printer and code != own:
        return (f"第 {index} 页是{printer}（代码 {code}）打印的签到表（会议 {number}），本机还没有这次会议："
                f"请在{printer}打印它的那台电脑上读取")
    if code and own and code != own:
        return (f"第 {index} 页是其他单位（代码 {code}）打印的签到表（会议 {number}），本机没有这次会议："
                "请在打印它的那台电脑上读取")
    if mine is not None:
        return (f"{head}，当前账户只管{mine[0]}的数据，看不到这次会议（可能属于其他单位，或已删除）："
                "若是其他单位的会议，请用管理它的账户读取")
    return f"{head}，本机没有这次会议（可能是在别处打印的，或会议已删除）"


def confirmed_entries(proposal: ScanProposal, meeting_id: str | None = None) -> list[AttendanceEntry]:
    """The entries the reader is sure of (what the command line records without asking)."""
    return [
        AttendanceEntry(line.proposed_status,
                        (line.printed_leave or line.excused) if line.proposed_status == rules.LEAVE else "",
                        attendance_id=line.attendance_id)
        for sheet in proposal.sheets if meeting_id is None or sheet.meeting_id == meeting_id
        for line in sheet.lines if not line.unsure
    ]


def apply_scan(db: Database, proposal: ScanProposal, decisions: Sequence[AttendanceEntry],
               today: date | None = None, read_at: Mapping[str, int] | None = None) -> list[MeetingDetail]:
    """Record the confirmed entries, mark each meeting held and keep the scan with it, all in one transaction.

    Entries name people by attendance id; each must be on one of the proposal's meetings. A meeting of the
    proposal that gets no entry is left as it was. `read_at`: meeting id -> the detail's version the
    confirming dialog showed; a meeting changed since (someone recorded it meanwhile) is refused.
    """
    auth.require(db, "meetings.write")
    today = _today(today)
    owner: dict[str, str] = {}
    for sheet in proposal.sheets:
        for line in sheet.lines:
            owner[line.attendance_id] = sheet.meeting_id
    by_meeting: dict[str, list[AttendanceEntry]] = {}
    for e in decisions:
        meeting_id = owner.get(e.attendance_id or "")
        if meeting_id is None:
            # someone on a page not scanned, or a guest added in the dialog: the proposal's only meeting
            # (whether they belong to it is checked with the meeting's own list below)
            if len(proposal.meeting_ids) != 1:
                raise ValidationError("出勤情况", f"“{e.guest_name or e.attendance_id}”不在扫描的签到表上")
            meeting_id = proposal.meeting_ids[0]
        by_meeting.setdefault(meeting_id, []).append(e)
    if not by_meeting:
        raise ValidationError("出勤情况", "没有要登记的出勤")
    source = attachments.check_source(proposal.source, attachments.MAX_BYTES)
    digest = sha256_of(source)
    stored = []
    try:
        with UnitOfWork(db) as uow:
            s = uow.session
            details = []
            for meeting_id, entries in by_meeting.items():
                m = _live_meeting(s, meeting_id)
                unchanged_since(s, m, (read_at or {}).get(m.id), f"会议 {m.number}", Attendance.meeting_id)
                _check_can_hold(m, today)
                try:
                    _apply_entries(s, m, entries)
                except ValidationError as exc:
                    raise ValidationError(exc.field, f"会议 {m.number}：{exc.message}") from None
                if m.status != rules.HELD:
                    m.status = rules.HELD
                kept_before = s.scalar(select(MeetingAttachment.id).where(
                    MeetingAttachment.meeting_id == m.id, MeetingAttachment.sha256 == digest,
                    MeetingAttachment.deleted.is_(False)).limit(1))
                if kept_before is None:  # the same scan read again (a correction, the command run twice): kept once
                    folder = re.sub(r"[^0-9A-Za-z_-]", "_", m.number) or m.id
                    kept = attachments.store(
                        source, f"{folder}/{uuid.uuid4().hex[:8]}-{attachments.safe_name(source.name)}",
                        attachments.MAX_BYTES)
                    stored.append(kept)
                    s.add(MeetingAttachment(meeting_id=m.id, file_name=source.name[:200], stored_name=kept.relative,
                                            size=kept.size, sha256=kept.sha256, note=SCAN_NOTE))
                s.flush()
                details.append(_detail(s, m, OrgTree(s)))
            uow.commit()
            return details
    except BaseException:
        for kept in stored:  # nothing half-kept: a file without its record would never be found again
            attachments.discard(kept)
        raise
