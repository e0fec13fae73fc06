"""A roster import's 流动 rows and the 流出 register (流动与失联), its one truth of 流动.

A row marked 是否为流动党员 = 是 registers the member's 流出 (外出流向 its 去向, the file's 外出日期 or the
import's day its start, under the member's own branch; 活动证编号, 外出联系方式 and 流入地党组织 where another
system's register has them) in the import's unit of work; the preview lists each as a note. The row is
checked by the rule the 登记流出 form applies (domain.memberlife.check_floating), so a file says in the
form's words what the form would refuse: a contact that is not a phone number, a card number too long. A 否 never ends an open 流出 (only its 返回 does, with its day): importing.py keeps the
member 流动 and says so as a row warning. Reverting the import withdraws the 流出 it registered
(services/revert_added.py finds them by the import's instant and batch).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import members as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.exchange import members as member_files
from desktop_app.services.roster._common import _chunks
from desktop_app.store.models import Member
from desktop_app.views.roster import ImportPreview, PlannedOuting, RowError

OUT = "流出"  # domain.memberlife.FLOW_OUT: its rules are not loaded to read a file without 流动 rows


@dataclass(frozen=True)
class Cells:
    """A file's cells of the 流出 (each a column of values, None when the file has no such column)."""

    since: list | None  # 外出日期
    extra: dict[str, list]  # OUTING_EXTRA column -> its values, for the columns the file has

    def of(self, column: str, i: int) -> str:
        got = self.extra.get(column)
        return got[i] if got is not None and got[i] else ""


def cells(sheet: member_files.MemberSheet) -> Cells | None:
    """The 流出 columns of the sheet; None for the common file that has none."""
    since = sheet.values.get(member_files.OUTING_KEY)
    extra = {c: got for c, key in member_files.OUTING_EXTRA.items() if (got := sheet.values.get(key)) is not None}
    return Cells(since, extra) if since is not None or extra else None


# The 登记流出 form's labels (check_floating names them) -> the file's columns
_FORM_COLUMN = {"外出日期": member_files.OUTING_COLUMN, "外出流向": "外出流向", "活动证编号": "活动证编号",
                "联系方式": "外出联系方式", "参加活动的党组织": "流入地党组织"}


def _outing(clean: dict[str, list], at: Cells | None, i: int, today: date):
    """Row i's 流出 as the 登记流出 form would take it (ValidationError naming the form's field when not)."""
    from desktop_app.domain import memberlife as life  # member life's rules: only for 流动 rows

    day = at.since[i] if at is not None and at.since is not None and at.since[i] is not None else today
    of = at.of if at is not None else (lambda _c, _i: "")
    return life.check_floating(life.FloatingInput(
        life.FLOW_OUT, None, day, member_id=clean["id_number"][i] or "import", place=clean["floating_to"][i],
        card_no=of("活动证编号", i), contact=of("外出联系方式", i), other_org=of("流入地党组织", i)), today)


def goes_out(clean: dict[str, list], i: int) -> bool:
    """Whether row i leaves the member 流动 (not 失联 or 停止党籍, which the status puts first)."""
    return bool(clean["is_floating"][i]) and not clean["is_lost"][i] and clean["party_status"][i] != rules.SUSPENDED


def check_cells(sheet: member_files.MemberSheet, clean: dict[str, list], at: Cells | None,
                good: list[int], errors: list[RowError], bad_rows: int, today: date) -> tuple[list[int], int]:
    """A 流动 row registers a 流出, whose 去向 must be written, and which the 登记流出 form's rule must take;
    a 外出日期 (or another 流出 detail) belongs to a 流动 row and is not ahead of today. The rows failing it
    leave `good` (their errors go to `errors`)."""
    floating, place = clean["is_floating"], clean["floating_to"]
    since = at.since if at is not None else None
    if at is None and not any(floating):
        return good, bad_rows  # no 流动 row (the common file): no pass over the rows
    failed: dict[int, RowError] = {}
    for i in good:
        day = since[i] if since is not None else None
        stray = next((c for c in (at.extra if at is not None else ()) if at.of(c, i)), None) if not floating[i] else None
        if floating[i] and not place[i]:
            failed[i] = RowError(sheet.row_numbers[i], "外出流向", "",
                                 "流动党员请填写外出流向：导入时为其登记流出，要写明去向")
        elif day is not None and not floating[i]:
            failed[i] = RowError(sheet.row_numbers[i], member_files.OUTING_COLUMN, day.isoformat(),
                                 "只有流动党员才填写外出日期")
        elif day is not None and day > today:
            failed[i] = RowError(sheet.row_numbers[i], member_files.OUTING_COLUMN, day.isoformat(), "不能晚于今天")
        elif stray is not None:
            failed[i] = RowError(sheet.row_numbers[i], stray, at.of(stray, i), f"只有流动党员才填写{stray}")
        elif goes_out(clean, i):
            try:
                _outing(clean, at, i, today)
            except ValidationError as e:
                column = _FORM_COLUMN.get(e.field, "外出流向")
                failed[i] = RowError(sheet.row_numbers[i], column, sheet.shown(column, i), e.message)
    if not failed:
        return good, bad_rows
    errors.extend(failed.values())
    errors.sort(key=lambda e: e.row_number)
    return [i for i in good if i not in failed], bad_rows + len(failed)


def open_outings(s: Session) -> dict[str, tuple[date, str]]:
    """Members with an open 流出 (few: a register, not the roster), with its start and 去向."""
    from desktop_app.store.models_memberlife import FloatingRecord  # member life's models: only when the file has 流动

    return {mid: (start, place) for mid, start, place in s.execute(
        select(FloatingRecord.member_id, FloatingRecord.start_date, FloatingRecord.place).where(
            FloatingRecord.direction == OUT, FloatingRecord.member_id.is_not(None),
            FloatingRecord.end_date.is_(None), FloatingRecord.deleted.is_(False)))}


def planned(i: int, member_id: str | None, clean: dict[str, list], at: Cells | None, row_numbers: list[int],
            today: date) -> PlannedOuting:
    out = _outing(clean, at, i, today)  # passed by check_cells: its values as the form keeps them
    return PlannedOuting(row_numbers[i], clean["name"][i], clean["id_number"][i], member_id, out.start_date,
                         clean["floating_to"][i], out.card_no, out.contact, out.other_org)


def notes(outings: Sequence[PlannedOuting]) -> list[RowError]:
    return [RowError(o.row_number, "", "", f"{o.name}：将在“流动与失联”登记流出（{o.start_date.isoformat()} 起，"
                     f"去向 {o.place}）{'' if o.member_id is None else '（选择更新已有党员时）'}") for o in outings]


def register(s: Session, preview: ImportPreview, updated: Collection[str], batch: str, now: datetime,
             stale: str) -> int:
    """The preview's 流出 for the members just added and the updated ones it planned them for, in the import's
    unit of work; stamped with its instant and batch, which is how reverting the import finds them."""
    wanted = [o for o in preview.outings if o.member_id is None or o.member_id in updated]
    if not wanted:
        return 0
    from desktop_app.services.memberlife.floating import register_imported  # member life: only for 流动 rows

    numbers = [o.id_number for o in wanted if o.member_id is None]
    found: dict[str, str] = {}
    for chunk in _chunks(numbers):
        found.update(s.execute(select(Member.id_number, Member.id).where(
            Member.id_number.in_(chunk), Member.deleted.is_(False), Member.created_at == now)).all())
    if held := set(open_outings(s)).intersection(o.member_id for o in wanted if o.member_id):
        name = next(o.name for o in wanted if o.member_id in held)
        raise Conflict(stale.format(what=f"{name} 已登记流出"))
    from desktop_app.domain import memberlife as life

    items = [(o.member_id or found[o.id_number], life.FloatingInput(
        life.FLOW_OUT, None, o.start_date, o.member_id, o.name, o.id_number, o.card_no, o.place, o.other_org,
        o.contact)) for o in wanted]
    return register_imported(s, items, f"导入党员名册时登记（导入批次 {batch}）", now)
