"""Costs of activities and 项目清单 items, kept as links to ledger vouchers (费用关联).

The money lives in the ledger: a cost is posted there as an expense through the
ledger's own posting function (`ledger.post_in`, in this transaction, so the
voucher and its link are written together or not at all), or an expense
already posted is linked. A voucher for a 项目清单 item tied to a 微实事 is booked
to that project too (its `project_id`, the project's 已记账), whether posted or
linked, before the item was tied or after (`rebook_item`: untying or re-tying moves it
too); unlinking takes it off again. A closed month (结账) takes no new voucher and no
change of what its vouchers paid for. A reversed voucher (红字冲销) counts for
nothing in the totals; its link stays visible, marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.ledger import EXPENSE
from desktop_app.services import auth, ledger
from desktop_app.services.cobuilding.common import ACTIVITY_LABEL, PROJECT_LABEL, cost_rows, live
from desktop_app.services.records import chunked, settle, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_cobuilding import Activity, CostLink, ListItem
from desktop_app.store.models_ledger import LedgerEntry
from desktop_app.store.models_service import Project
from desktop_app.views.cobuilding import CostRow


def _target(s: Session, activity_id: str | None, item_id: str | None) -> tuple[Activity | None, ListItem | None]:
    if bool(activity_id) == bool(item_id):
        raise ValidationError("关联", "请选择一个活动或一个项目")
    if activity_id:
        a = live(s, Activity, activity_id, "该活动不存在或已删除")
        return a, None
    i = live(s, ListItem, item_id, "该项目不存在或已删除")
    if i.list_kind != rules.PROJECT:
        raise ValidationError("关联", "只有项目清单的条目能关联费用")
    return None, i


def _label(a: Activity | None, i: ListItem | None) -> str:
    return f"{ACTIVITY_LABEL}：{a.title}" if a is not None else f"{PROJECT_LABEL}：{i.title}"


def _link(s: Session, entry, a: Activity | None, i: ListItem | None) -> CostRow:
    """The link row; the voucher's number, date and amount are copied (a posted entry never changes)."""
    link = CostLink(entry_id=entry.id, activity_id=a.id if a is not None else None,
                    item_id=i.id if i is not None else None, voucher_no=entry.voucher_no,
                    entry_date=entry.entry_date, amount_fen=entry.amount_fen)
    s.add(link)
    s.flush()
    return CostRow(link.id, entry.id, entry.voucher_no, entry.entry_date, entry.amount_fen, False, _label(a, i),
                   link.activity_id, link.item_id)


def _may_book(db: Database) -> None:
    # A voucher's 微实事 changes: the project's 已记账 and the voucher, both modules' write rights, as project_costs.
    auth.require(db, "projects.write")
    auth.require(db, "ledger.write")


def _book(db: Database, s: Session, entry: LedgerEntry, i: ListItem | None) -> None:
    """Book the voucher to the 微实事 the item is tied to, as record_cost posts it; refused when booked elsewhere."""
    if i is None or not i.project_id or entry.project_id == i.project_id:
        return
    if entry.project_id:
        other, own = s.get(Project, entry.project_id), s.get(Project, i.project_id)
        raise Conflict(f"凭证 {entry.voucher_no} 已记在微实事项目“{other.name if other else '其他项目'}”，"
                       f"而“{i.title}”关联的是微实事项目“{own.name if own else ''}”；请先在那个项目中取消费用关联")
    _may_book(db)
    entry.project_id = i.project_id


def _unbook(db: Database, s: Session, c: CostLink) -> None:
    """Take the voucher (with its reversal) off the item's 微实事 unless another live link still needs it."""
    i = s.get(ListItem, c.item_id) if c.item_id else None
    entry = s.get(LedgerEntry, c.entry_id)
    if i is None or not i.project_id or entry is None or entry.project_id != i.project_id:
        return
    needed = s.scalar(select(CostLink.id).join(ListItem, ListItem.id == CostLink.item_id).where(
        CostLink.entry_id == entry.id, CostLink.deleted.is_(False), CostLink.id != c.id,
        ListItem.project_id == entry.project_id))
    if needed is not None:
        return
    _may_book(db)
    pair = _with_reversals(s, entry)
    ledger.check_costs_open(s, *(x.entry_date for x in pair))
    for x in pair:
        x.project_id = None


def _with_reversals(s: Session, entry: LedgerEntry) -> list[LedgerEntry]:
    # a reversed voucher's project goes with its reversal, so the project's figure stays netted
    return [entry, *s.scalars(select(LedgerEntry).where(LedgerEntry.reversal_of == entry.id))]


def rebook_item(db: Database, s: Session, item: ListItem, project_id: str | None) -> None:
    """Before a 项目清单 item is tied to a 微实事, untied or tied to another: its vouchers follow it.

    A voucher booked to no project or to the item's old one moves to `project_id` (off it when
    untied), as linking it to a tied item would have booked it; one booked to yet another project
    refuses the tie by name, as linking refuses it. A closed month refuses; nothing is written then.
    """
    old = item.project_id
    links = s.scalars(select(CostLink).where(CostLink.item_id == item.id, CostLink.deleted.is_(False)))
    entries = sorted((e for e in (s.get(LedgerEntry, c.entry_id) for c in links) if e is not None and not e.deleted),
                     key=lambda e: (e.entry_date, e.voucher_no))
    elsewhere = [e for e in entries if e.project_id not in (None, old, project_id)]
    if project_id and elsewhere:
        names = dict(s.execute(select(Project.id, Project.name).where(
            Project.id.in_({e.project_id for e in elsewhere} | {project_id}))).all())
        held = "；".join(f"凭证 {'、'.join(e.voucher_no for e in elsewhere if e.project_id == pid)} "
                        f"已记在微实事项目“{names.get(pid, '其他项目')}”"
                        for pid in dict.fromkeys(e.project_id for e in elsewhere))
        raise Conflict(f"{held}；“{item.title}”关联微实事项目“{names.get(project_id, '')}”后，它的费用凭证都记入该项目。"
                       "请先在那个项目中取消费用关联，或在本条目中取消这些凭证的费用关联")
    moving = [x for e in entries if e.project_id != project_id and e.project_id in (None, old)
              for x in _with_reversals(s, e)]
    if not moving:
        return
    _may_book(db)
    for x in moving:
        try:
            ledger.check_costs_open(s, x.entry_date)
        except Conflict as closed:
            raise Conflict(f"“{item.title}”的费用凭证 {x.voucher_no} 会随之改变所记的微实事项目，但{closed}") from None
        x.project_id = project_id


def linked_cost_in(s: Session, start: date, end: date, orgs=None) -> int:
    """Linked, unreversed voucher amounts dated in [start, end] (in the books of `orgs`, a select of org ids)."""
    rev = aliased(LedgerEntry)
    q = (select(func.coalesce(func.sum(CostLink.amount_fen), 0))
         .join(LedgerEntry, LedgerEntry.id == CostLink.entry_id)
         .where(CostLink.deleted.is_(False), CostLink.entry_date.between(start, end),
                ~select(rev.id).where(rev.reversal_of == CostLink.entry_id).exists()))
    if orgs is not None:
        q = q.where(LedgerEntry.org_id.in_(orgs))
    return int(s.scalar(q) or 0)


def costs_of(db: Database, activity_id: str | None = None, item_id: str | None = None) -> list[CostRow]:
    """The vouchers linked to an activity or a project."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        _target(s, activity_id, item_id)
        return cost_rows(s, [activity_id] if activity_id else [], [item_id] if item_id else [])


def cost_of_entry(db: Database, entry_id: str) -> list[CostRow]:
    """The other way round: what a ledger voucher paid for (empty when it is linked to nothing)."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        links = list(s.scalars(select(CostLink).where(CostLink.entry_id == entry_id, CostLink.deleted.is_(False))))
        return cost_rows(s, [c.activity_id for c in links if c.activity_id], [c.item_id for c in links if c.item_id])


def linked_entries(db: Database, entry_ids: Sequence[str]) -> set[str]:
    """Which of these ledger vouchers are already linked to an activity or a project."""
    auth.require(db, "cobuilding.read")
    out: set[str] = set()
    with db.session() as s:
        for chunk in chunked(entry_ids):
            out.update(s.scalars(select(CostLink.entry_id).where(CostLink.entry_id.in_(chunk),
                                                                 CostLink.deleted.is_(False))))
    return out


def record_cost(db: Database, inp: rules.CostInput, *, activity_id: str | None = None, item_id: str | None = None,
                entered_by: str = "", today: date | None = None) -> CostRow:
    """Post the cost as a ledger expense and link it, in one transaction; refused into a closed month."""
    auth.require(db, "cobuilding.write")
    auth.require(db, "ledger.write")
    clean = rules.check_cost(inp, today or date.today())
    with UnitOfWork(db) as uow:
        s = uow.session
        a, i = _target(s, activity_id, item_id)
        if i is not None and i.project_id:
            _may_book(db)  # posted straight to the item's 微实事
        ledger.check_costs_open(s, clean.entry_date)
        entry = ledger.post_in(s, ledger.EntryInput(
            entry_date=clean.entry_date, account_id=clean.account_id, direction=EXPENSE, amount_fen=clean.amount_fen,
            category=clean.category, counterparty=clean.counterparty, handler=clean.handler, entered_by=entered_by,
            memo=rules.cost_memo(*_label(a, i).split("：", 1), clean.memo), voucher_no=clean.voucher_no,
            activity_id=a.id if a is not None else None, project_id=i.project_id if i is not None else None))
        return settle(uow, lambda s: _link(s, entry, a, i))


def link_cost(db: Database, entry_id: str, *, activity_id: str | None = None,
              item_id: str | None = None) -> CostRow:
    """Link an expense already in the ledger (not reversed, not linked elsewhere, in an open month).

    For an item tied to a 微实事 the voucher is booked to that project too (see `_book`).
    """
    auth.require(db, "cobuilding.write")
    entry = ledger.get_entry(db, entry_id)  # checks ledger.read
    if entry.direction != EXPENSE or entry.is_reversal or entry.is_dues:
        raise ValidationError("凭证", f"凭证 {entry.voucher_no} 不是支出，不能作为费用关联")
    if entry.reversed_by:
        raise ValidationError("凭证", f"凭证 {entry.voucher_no} 已冲销，不能再关联")
    with UnitOfWork(db) as uow:
        s = uow.session
        a, i = _target(s, activity_id, item_id)
        ledger.check_costs_open(s, entry.entry_date)
        taken = s.scalar(select(CostLink).where(CostLink.entry_id == entry.id, CostLink.deleted.is_(False)))
        if taken is not None:
            where = cost_rows(s, [taken.activity_id or ""], [taken.item_id or ""])
            raise Conflict(f"凭证 {entry.voucher_no} 已关联到“{where[0].target if where else '其他记录'}”，"
                           "请先取消那个关联")
        _book(db, s, s.get(LedgerEntry, entry.id), i)
        return settle(uow, lambda s: _link(s, entry, a, i))


@writes("cobuilding.write")
def unlink_cost(uow: UnitOfWork, link_id: str) -> None:
    """Take a voucher off what it paid for; the voucher stays in the ledger (reverse it there to cancel it)."""
    s = uow.session
    c = live(s, CostLink, link_id, "该费用关联不存在或已取消")
    ledger.check_costs_open(s, c.entry_date)
    c.deleted = True
    _unbook(uow.db, s, c)
