"""A roster import's 流动 rows and the 流出 register (流动与失联), its one truth of 流动.

A row marked 是否为流动党员 = 是 registers the member's 流出 (外出流向 its 去向, the file's 外出日期 or the
import's day its start, under the member's own branch) in the import's unit of work; the preview lists
each as a note. A 否 never ends an open 流出 (only its 返回 does, with its day): importing.py keeps the
member 流动 and says so as a row warning. Reverting the import withdraws the 流出 it registered
(services/revert_added.py finds them by the import's instant and batch).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import members as rules
from desktop_app.domain.errors import Conflict
from desktop_app.exchange import members as member_files
from desktop_app.services.roster._common import _chunks
from desktop_app.store.models import Member
from desktop_app.views.roster import ImportPreview, PlannedOuting, RowError

OUT = "流出"  # domain.memberlife.FLOW_OUT: its rules are not loaded to read a file without 流动 rows


def goes_out(clean: dict[str, list], i: int) -> bool:
    """Whether row i leaves the member 流动 (not 失联 or 停止党籍, which the status puts first)."""
    return bool(clean["is_floating"][i]) and not clean["is_lost"][i] and clean["party_status"][i] != rules.SUSPENDED


def check_cells(sheet: member_files.MemberSheet, clean: dict[str, list], since: list | None,
                good: list[int], errors: list[RowError], bad_rows: int, today: date) -> tuple[list[int], int]:
    """A 流动 row registers a 流出, whose 去向 must be written; a 外出日期 belongs to a 流动 row and is not
    ahead of today. The rows failing it leave `good` (their errors go to `errors`)."""
    floating, place = clean["is_floating"], clean["floating_to"]
    if since is None and not any(floating):
        return good, bad_rows  # no 流动 row (the common file): no pass over the rows
    failed: dict[int, RowError] = {}
    for i in good:
        day = since[i] if since is not None else None
        if floating[i] and not place[i]:
            failed[i] = RowError(sheet.row_numbers[i], "外出流向", "",
                                 "流动党员请填写外出流向：导入时为其登记流出，要写明去向")
        elif day is not None and not floating[i]:
            failed[i] = RowError(sheet.row_numbers[i], member_files.OUTING_COLUMN, day.isoformat(),
                                 "只有流动党员才填写外出日期")
        elif day is not None and day > today:
            failed[i] = RowError(sheet.row_numbers[i], member_files.OUTING_COLUMN, day.isoformat(), "不能晚于今天")
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


def planned(i: int, member_id: str | None, clean: dict[str, list], since: list | None, row_numbers: list[int],
            today: date) -> PlannedOuting:
    day = since[i] if since is not None and since[i] is not None else today
    return PlannedOuting(row_numbers[i], clean["name"][i], clean["id_number"][i], member_id, day,
                         clean["floating_to"][i])


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
    items = [(o.member_id or found[o.id_number], o.start_date, o.place) for o in wanted]
    return register_imported(s, items, f"导入党员名册时登记（导入批次 {batch}）", now)
