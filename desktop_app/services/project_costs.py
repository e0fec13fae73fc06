"""微实事 spending booked in the 经费台账 (已记账): the vouchers whose `project_id` names the project.

A cost is posted for a project through the ledger's own posting (`ledger.post_in`, in
this transaction), or an expense already posted is booked to it (its `project_id` set;
unlinking clears it, unless a 项目清单 item tied to the project carries it: that is undone in
the 三单). What a voucher paid for is not its money: the sync lets
`project_id` change (sync.ownership.POSTED leaves it out) while number, date and
amount never do. A closed month (结账) refuses both, as co-building's costs do. A
reversed voucher (红字冲销) stays listed, marked, and counts for nothing.

实际支出 stays typed on the project: some spending is never booked here (the street's
funds), so the pages show both figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.ledger import EXPENSE
from desktop_app.services import auth, ledger
from desktop_app.services.records import chunked, live, settle
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_cobuilding import CostLink, ListItem
from desktop_app.store.models_ledger import LedgerEntry
from desktop_app.store.models_service import Project
from desktop_app.views.cobuilding import CostRow

LABEL = "微实事"


def _label(p: Project) -> str:
    return f"{LABEL}：{p.name}"


def booked_rows(s: Session, project_ids: Sequence[str]) -> dict[str, list[CostRow]]:
    """Each project's vouchers (reversals not listed: their voucher is marked 已冲销), by date."""
    entries: list[LedgerEntry] = []
    for chunk in chunked(project_ids):
        entries += s.scalars(select(LedgerEntry).where(
            LedgerEntry.project_id.in_(chunk), LedgerEntry.deleted.is_(False), LedgerEntry.reversal_of.is_(None)))
    gone: set[str] = set()
    for chunk in chunked([e.id for e in entries]):
        gone.update(s.scalars(select(LedgerEntry.reversal_of).where(LedgerEntry.reversal_of.in_(chunk))))
    names = {}
    for chunk in chunked(list({e.project_id for e in entries})):
        names.update(s.execute(select(Project.id, Project.name).where(Project.id.in_(chunk))).all())
    out: dict[str, list[CostRow]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: (e.entry_date, e.voucher_no)):
        out[e.project_id].append(CostRow(e.id, e.id, e.voucher_no, e.entry_date, e.amount_fen, e.id in gone,
                                         f"{LABEL}：{names.get(e.project_id, '')}"))
    return out


def booked_totals(s: Session, project_ids: Sequence[str]) -> dict[str, int]:
    """已记账 per project: its vouchers' amounts, reversed ones left out."""
    return {pid: sum(c.amount_fen for c in rows if not c.reversed)
            for pid, rows in booked_rows(s, project_ids).items()}


def _row(s: Session, e: LedgerEntry, p: Project) -> CostRow:
    return CostRow(e.id, e.id, e.voucher_no, e.entry_date, e.amount_fen, False, _label(p))


def _may_write(db: Database) -> None:
    # Booking changes the project and the ledger's voucher: both modules' write rights.
    auth.require(db, "projects.write")
    auth.require(db, "ledger.write")


def costs_of(db: Database, project_id: str) -> list[CostRow]:
    auth.require(db, "projects.read")
    with db.session() as s:
        p = live(s, Project, project_id, "项目")
        return booked_rows(s, [p.id]).get(p.id, [])


def record_cost(db: Database, project_id: str, inp: rules.CostInput, *, entered_by: str = "",
                today: date | None = None) -> CostRow:
    """Post the cost as a ledger expense booked to the project, in one transaction; refused into a closed month."""
    _may_write(db)
    clean = rules.check_cost(inp, today or date.today())
    with UnitOfWork(db) as uow:
        s = uow.session
        p = live(s, Project, project_id, "项目")
        ledger.check_costs_open(s, clean.entry_date)
        entry = ledger.post_in(s, ledger.EntryInput(
            entry_date=clean.entry_date, account_id=clean.account_id, direction=EXPENSE, amount_fen=clean.amount_fen,
            category=clean.category, counterparty=clean.counterparty, handler=clean.handler, entered_by=entered_by,
            memo=rules.cost_memo(LABEL, p.name, clean.memo), voucher_no=clean.voucher_no, project_id=p.id))
        return settle(uow, _row, entry, p)


def link_cost(db: Database, project_id: str, entry_id: str) -> CostRow:
    """Book an expense already in the ledger to the project (not reversed, booked to no other, open month)."""
    _may_write(db)
    row = ledger.get_entry(db, entry_id)  # a posted entry's kind never changes: read before the transaction
    if row.direction != EXPENSE or row.is_reversal or row.is_dues:
        raise ValidationError("凭证", f"凭证 {row.voucher_no} 不是支出，不能记为项目费用")
    with UnitOfWork(db) as uow:
        s = uow.session
        p = live(s, Project, project_id, "项目")
        e = live(s, LedgerEntry, entry_id, "凭证")
        if s.scalar(select(LedgerEntry.id).where(LedgerEntry.reversal_of == e.id)) is not None:
            raise ValidationError("凭证", f"凭证 {e.voucher_no} 已冲销，不能再记为项目费用")
        if e.project_id:
            other = s.get(Project, e.project_id)
            where = "本项目" if e.project_id == p.id else f"项目“{other.name if other else '其他项目'}”"
            raise Conflict(f"凭证 {e.voucher_no} 已记在{where}，请先取消那个关联")
        item = _carrier(s, e)
        if item is not None and item.project_id != p.id:
            own = s.get(Project, item.project_id)
            raise Conflict(f"凭证 {e.voucher_no} 是项目清单“{item.title}”的费用，该条目关联的是微实事项目"
                           f"“{own.name if own else ''}”，凭证应记在那个项目；请先在“三单”中取消这笔费用关联")
        ledger.check_costs_open(s, e.entry_date)
        e.project_id = p.id
        return settle(uow, _row, e, p)


def _carrier(s: Session, e: LedgerEntry) -> ListItem | None:
    """The 项目清单 item tied to a 微实事 whose cost link carries the voucher: it names the voucher's project."""
    return s.scalar(select(ListItem).join(CostLink, CostLink.item_id == ListItem.id).where(
        CostLink.entry_id == e.id, CostLink.deleted.is_(False), ListItem.deleted.is_(False),
        ListItem.project_id.is_not(None)).limit(1))


def unlink_cost(db: Database, project_id: str, entry_id: str) -> None:
    """Take a voucher off the project; it stays in the ledger (reverse it there to cancel it).

    A reversed voucher goes with its reversal, so the project's figure stays netted. A voucher
    the project carries through a 项目清单 item tied to it is refused, naming the item.
    """
    _may_write(db)
    with UnitOfWork(db) as uow:
        s = uow.session
        p = live(s, Project, project_id, "项目")
        e = s.get(LedgerEntry, entry_id)
        if e is None or e.deleted or e.project_id != p.id:
            raise Conflict("该凭证已不在本项目的费用中")
        item = _carrier(s, e)
        if item is not None and item.project_id == p.id:
            # Refused rather than also unlinking the item: the 三单 may be kept by someone else,
            # and its 取消费用关联 takes the voucher off both at once (cobuilding.costs._unbook).
            raise Conflict(f"凭证 {e.voucher_no} 是项目清单“{item.title}”的费用，该条目关联了本微实事，所以记在本项目。"
                           f"请先在“三单”的项目清单“{item.title}”中取消这笔费用关联，它会同时从本项目取消")
        pair = [e, *s.scalars(select(LedgerEntry).where(LedgerEntry.reversal_of == e.id))]
        ledger.check_costs_open(s, *(x.entry_date for x in pair))
        for x in pair:
            x.project_id = None
        uow.commit()
