"""三会一课 history import: meetings a center held before it used this program, as held meetings.

One row is one meeting: its kind, organisation (name, path or code), date
(实际会议时间, else 计划会议时间), place, host, recorder, topics, content and
decisions. When the sheet names who came (出席人员 / 请假人员 / 缺席人员, names
separated by 、，, or spaces) they become the meeting's attendance, matched to
members of the organisation by name; otherwise the 应到/实到/请假 counts are
kept on the meeting's note as the sheet gives them. Topics become the meeting's
议题 (a decision per topic when the sheet gives as many, else all on the first).
preview() writes nothing; apply() writes every meeting or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.exchange import history
from desktop_app.exchange import meeting_files as files
from desktop_app.services import imports, orgtree, revert_imported
from desktop_app.services import orgs as org_service
from desktop_app.services.database import Database
from desktop_app.services.meetings.lifecycle import check_holder, check_meeting, next_number
from desktop_app.services.roster import org_name_map
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.store.models_memberlife import MeetingTopic
from desktop_app.views.imports import HistoryPreview, Mapping
from desktop_app.views.meetings import MeetingInput
from desktop_app.views.roster import RowError

__all__ = ["PlannedMeeting", "apply", "preview"]

_SPLIT = re.compile(r"[、，,；;\s]+")
_LINES = re.compile(r"\s*(?:\n|；|;|(?<![0-9０-９])(?=[0-9０-９]{1,2}[、．]))\s*")


@dataclass(frozen=True)
class PlannedMeeting:
    row_number: int
    meeting: MeetingInput
    attendance: tuple[tuple[str, str], ...]  # (member id, 出席/请假/缺席)
    guests: tuple[str, ...]
    topics: tuple[tuple[str, str], ...]  # (议题, 决议)


def _names(text: str) -> list[str]:
    return [n for n in _SPLIT.split(text or "") if n]


def _topics(topics: str, decisions: str) -> list[tuple[str, str]]:
    titles = [t for t in _LINES.split(topics or "") if t]
    said = [d for d in _LINES.split(decisions or "") if d]
    if not titles:
        return [("会议决议", (decisions or "").strip())] if said else []
    if len(said) == len(titles):
        return list(zip(titles, said))
    return [(titles[0], (decisions or "").strip())] + [(t, "") for t in titles[1:]]


def preview(db: Database, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None,
            today: date | None = None) -> HistoryPreview:
    """Read a sheet of past meetings and check each against the organisations and the roster; writes nothing."""
    return imports.preview_history(db, "meetings", path, mapping, sheet, today, _checked)


def _checked(db: Database, parsed: history.Parsed, mapping: Mapping | None, today: date) -> HistoryPreview:
    lookup = org_name_map(db)
    unknown_org = history.unknown_org([n.name for n in org_service.list_tree(db)])
    items: list[PlannedMeeting] = []
    errors: list[RowError] = []
    with db.session() as s:
        orgs = orgtree.OrgTree(s)
        people: dict[str, dict[str, list[str]]] = {}  # org id -> name -> member ids

        def members_of(org_id: str) -> dict[str, list[str]]:
            if org_id not in people:
                by_name: dict[str, list[str]] = {}
                ids = orgtree.subtree_ids(s, org_id)
                for mid, name in s.execute(select(Member.id, Member.name).where(
                        Member.deleted.is_(False), Member.org_id.in_(ids))):
                    by_name.setdefault(name, []).append(mid)
                people[org_id] = by_name
            return people[org_id]

        for row in parsed.rows:
            v, n = row.values, row.row_number
            row_errors, fail = history.refusals(row)

            on = v["held"] or v["planned"]
            if on is None and not any(e.field in ("实际会议时间", "计划会议时间") for e in row_errors):
                fail("实际会议时间", "请填写会议日期")
            elif on is not None and on > today:
                fail("实际会议时间", "是将来的日期：导入的是已召开的会议，将来的会议请在三会一课中安排")
            org_id = lookup.get(v["org"]) if v["org"] else None
            if not v["org"]:
                fail("党组织", "请填写召开会议的党组织（名称、路径或组织代码）")
            elif org_id is None:
                fail("党组织", f"有多个党组织名为“{v['org']}”：{lookup.candidates(v['org'])}，请写明路径或组织代码"
                     if lookup.candidates(v["org"]) else unknown_org + lookup.near(v["org"]))
            inp = MeetingInput(org_id=org_id, kind=v["kind"], title=v["title"], meeting_date=on, place=v["place"],
                               host=v["host"], recorder=v["recorder"], lecturer=v["lecturer"],
                               minutes=v["minutes"], notes=v["notes"])
            if org_id and on is not None and not row_errors:
                try:
                    inp = check_meeting(inp)
                    check_holder(orgs, org_id, inp.kind)
                except ValidationError as exc:
                    column = {"会议类型": "会议类型", "党组织": "党组织"}.get(exc.field, exc.field)
                    fail(column if column in files.COLUMNS else "会议类型", exc.message)
            attendance: list[tuple[str, str]] = []
            if org_id and not row_errors:
                known = members_of(org_id)
                for column, key, status in (("出席人员", "present_names", rules.PRESENT),
                                            ("请假人员", "leave_names", rules.LEAVE),
                                            ("缺席人员", "absent_names", rules.ABSENT)):
                    for name in _names(v[key]):
                        ids = known.get(name, [])
                        if len(ids) == 1:
                            attendance.append((ids[0], status))
                        else:
                            fail(column, f"“{name}”{'不是本组织的党员' if not ids else '有同名的多名党员'}", name)
                if len({m for m, _ in attendance}) != len(attendance):
                    fail("出席人员", "同一人出现了两次")
            expected, present, leave = v["expected"], v["present"], v["leave"]
            if attendance:
                got = {st: sum(1 for _, x in attendance if x == st) for st in (rules.PRESENT, rules.LEAVE)}
                if present is not None and present != got[rules.PRESENT]:
                    fail("实到人数", f"与出席人员（{got[rules.PRESENT]} 人）不符")
                if leave is not None and leave != got[rules.LEAVE]:
                    fail("请假人数", f"与请假人员（{got[rules.LEAVE]} 人）不符")
            if expected is not None and present is not None and present > expected:
                fail("实到人数", f"多于应到人数（{expected}）")
            if expected is not None and present is not None and leave is not None and present + leave > expected:
                fail("请假人数", f"实到与请假之和多于应到人数（{expected}）")
            if row_errors:
                errors += row_errors
                continue
            counts = "，".join(f"{label} {x} 人" for label, x in (("应到", expected), ("实到", present),
                                                                 ("请假", leave)) if x is not None)
            if counts and not attendance:
                inp = MeetingInput(**{**inp.__dict__, "notes": "；".join(t for t in (f"导入的历史记录：{counts}",
                                                                                    inp.notes) if t)})
            items.append(PlannedMeeting(n, inp, tuple(attendance), tuple(_names(v["guests"])),
                                        tuple(_topics(v["topics"], v["decisions"]))))
    by_kind: dict[str, int] = {}
    for it in items:
        by_kind[it.meeting.kind] = by_kind.get(it.meeting.kind, 0) + 1
    lines = tuple(f"{k} {x} 次" for k, x in by_kind.items())
    return HistoryPreview.of_sheet("meetings", parsed, items, errors, lines, mapping)


@writes("meetings.write")
def apply(uow: UnitOfWork, plan: HistoryPreview) -> int:
    """Write the previewed meetings as held, with their attendance and topics, in one transaction."""
    plan.check_applicable("meetings", "三会一课")
    s = uow.session
    orgs = orgtree.OrgTree(s)
    wanted = {mid for it in plan.items for mid, _ in it.attendance}
    live = set(s.scalars(select(Member.id).where(Member.deleted.is_(False), Member.id.in_(wanted))))
    with revert_imported.tracking(s) as added:  # kept so 操作记录 can take the whole import back
        for it in plan.items:
            _write(s, orgs, live, it)
    revert_imported.record(s, "meeting", f"导入历史会议 {len(plan.items)} 次（{plan.file_name}）",
                           {"meetings": len(plan.items)}, added)
    return len(plan.items)


def _write(s: Session, orgs: orgtree.OrgTree, live: set[str], it: PlannedMeeting) -> None:
    """One previewed meeting with its attendance and topics."""
    check_holder(orgs, it.meeting.org_id, it.meeting.kind)  # still there, still allowed
    if gone := [mid for mid, _ in it.attendance if mid not in live]:
        raise DomainError(f"第 {it.row_number} 行：预览之后有 {len(gone)} 名党员已删除，未导入任何数据。请重新预览")
    m = Meeting(number=next_number(s, it.meeting.meeting_date.year), status=rules.HELD,
                **{k: getattr(it.meeting, k) for k in ("org_id", "kind", "title", "meeting_date", "place",
                                                       "host", "recorder", "lecturer", "minutes", "notes")})
    s.add(m)
    s.flush()
    order = 0
    for mid, status in it.attendance:
        order += 1
        s.add(Attendance(meeting_id=m.id, member_id=mid, status=status, sort_order=order))
    for name in it.guests:
        order += 1
        s.add(Attendance(meeting_id=m.id, guest_name=name[:40], is_guest=True, status=rules.GUEST,
                         sort_order=order))
    for seq, (title, decision) in enumerate(it.topics, start=1):
        s.add(MeetingTopic(meeting_id=m.id, seq=seq, title=title[:120], decision=decision))
    s.flush()
