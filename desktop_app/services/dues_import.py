"""党费 history import: a branch's 党费收缴登记表 of the years before the program.

A WIDE register (one row per member, 1月 … 12月) or a LONG list (one row per
member and month) becomes one DuesRecord per month paid. The member is found
by ID number, else by name (within the row's 所在党支部 when the sheet has
one); a name nobody or several members bear is a row error. A cell with an
amount records that amount; a mark (√, 已交) records the row's 月缴纳额, else
the month's due by the member's 党费基数 and the rate table, else it is a row
error. The year comes from the title (2025年度…), the sheet or file name, or
the user.

A month already recorded with the same amount is 无变化, so the same register
imports twice harmlessly. A different amount is refused, not updated: a month
paid in the program was posted to the 党费 account and the ledger must agree
with it (correct it by 撤销交纳 on the 党费 page), and a month from an earlier
import is corrected by taking that import back in 操作记录 and importing the
corrected sheet, so that each import stays revertable as a whole. Imported
records carry no ledger entry: the money of past years comes through the 经费
import, so no ledger month is touched and a closed month does not hold them (the
street holds 党费 by the voucher they were booked on: sync.ownership.DATED). preview() writes nothing; apply() re-checks inside its transaction and writes every month or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import dues as rules
from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict, DomainError, ValidationError
from desktop_app.exchange import dues_files as files
from desktop_app.exchange import history
from desktop_app.services import imports, orgtree, revert_imported
from desktop_app.services.database import Database
from desktop_app.services.dues.facts import DuesCalculator, chunks, facts_of
from desktop_app.services.dues.rates import ensure_rate_rules, rate_rules_in
from desktop_app.services.records import writes
from desktop_app.services.roster import org_name_map
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_ledger import DuesRecord
from desktop_app.views.imports import HistoryPreview, Mapping
from desktop_app.views.roster import RowError

__all__ = ["NO_LEDGER", "PlannedMonth", "apply", "preview"]

NO_LEDGER = "导入的是以前的交纳记录，不生成账目、不影响已结账的月份：以前年度的党费收入请用“经费收支明细”导入"
_NOTE = "导入的历史记录"


@dataclass(frozen=True)
class PlannedMonth:
    row_number: int
    member_id: str
    name: str
    org_id: str | None
    month: date
    paid_fen: int
    due_fen: int
    category: str
    base_fen: int
    rate_bp: int | None
    paid_on: date | None
    collected_by: str
    note: str
    reuse: str | None  # a record of this month with nothing paid (taken back, 撤销): written again


@dataclass(frozen=True)
class _Known:
    id: str
    name: str
    org_id: str | None


def preview(db: Database, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None,
            today: date | None = None, year: int | None = None) -> HistoryPreview:
    """Read a 党费收缴登记表 and check every month against the roster and the records; writes nothing.
    `year`: the register's year when its title, sheet and file name do not say it (or say it wrong)."""
    ensure_rate_rules(db)
    return imports.preview_history(db, "dues", path, mapping, sheet, today, partial(_checked, year=year))


def _year(parsed: history.Parsed, given: int | None) -> int | None:
    t = parsed.table
    return given or files.year_in(t.title, t.sheet, t.name) or files.header_year(t.header)


def _members(db: Database) -> tuple[dict[str, _Known], dict[str, list[_Known]]]:
    with db.session() as s:
        rows = s.execute(select(Member.id, Member.name, Member.id_number, Member.org_id)
                         .where(Member.deleted.is_(False))).all()
    by_number = {n: _Known(i, name, org) for i, name, n, org in rows if n}
    by_name: dict[str, list[_Known]] = {}
    for i, name, _n, org in rows:
        by_name.setdefault(name, []).append(_Known(i, name, org))
    return by_number, by_name


def _checked(db: Database, parsed: history.Parsed, mapping: Mapping | None, today: date,
             year: int | None) -> HistoryPreview:
    columns = parsed.table.columns
    wide = [k for k, m in enumerate(files.MONTHS, start=1) if m in columns]
    if not wide and "月份" not in columns:
        raise DomainError(f"{parsed.table.name}：找不到月份：党费收缴登记表应有“1月”至“12月”各列，"
                          "或每行一个月的“月份”列（可用列映射说明）")
    year = _year(parsed, year)
    if wide and year is None:
        raise DomainError(f"{parsed.table.name}：看不出是哪一年的登记表：标题、工作表名和文件名中都没有年度"
                          "（如“2025年度党费收缴登记表”），请填写年度后重新读取（命令行：--year 2025）")
    by_number, by_name = _members(db)
    lookup = org_name_map(db) if any(r.values["branch"] for r in parsed.rows) else None
    this_month = rules.month_of(today)
    with db.session() as s:
        table = rate_rules_in(s)
        in_branch: dict[str, set[str]] = {}
        # only the members the file names: a community's years of dues are tens of thousands of records
        ids = sorted({k.id for r in parsed.rows for k in by_name.get(r.values["name"], [])}
                     | {by_number[r.values["id_number"]].id for r in parsed.rows
                        if r.values["id_number"] in by_number})
        member_rows, on_record, taken_back = [], {}, {}
        for part in chunks(ids):
            member_rows += s.execute(select(Member.id, Member.seq, Member.name, Member.org_id, Member.status,
                                            Member.party_status, Member.joined_date)
                                     .where(Member.id.in_(part))).all()
            # a tombstone too: (member, month) is unique, so a month taken back is written again on its record
            for m, mo, rid, paid, on, entry, gone in s.execute(
                    select(DuesRecord.member_id, DuesRecord.month, DuesRecord.id, DuesRecord.paid_fen,
                           DuesRecord.paid_on, DuesRecord.ledger_entry_id, DuesRecord.deleted)
                    .where(DuesRecord.member_id.in_(part))):
                if gone:
                    taken_back[(m, mo)] = rid
                else:
                    on_record[(m, mo)] = (rid, paid, on, entry)
        facts = {f.id: f for f in facts_of(s, member_rows)}

        def branch_of(name: str, fail) -> set[str] | None:
            org = lookup.get(name) if lookup is not None else None
            if org is None:
                fail("所在党支部", f"有多个党组织名为“{name}”，请写明路径或组织代码" if lookup.candidates(name)
                     else "没有这个党组织" + lookup.near(name))
                return None
            if org not in in_branch:
                in_branch[org] = set(orgtree.subtree_ids(s, org))
            return in_branch[org]

        calc = DuesCalculator(table)
        items: list[PlannedMonth] = []
        errors: list[RowError] = []
        first: dict[tuple[str, date], int] = {}
        unchanged = marks = 0
        for row in parsed.rows:
            v, n = row.values, row.row_number
            row_errors, fail = history.refusals(row)
            orgs = branch_of(v["branch"], fail) if v["branch"] else None
            who = _match(v, by_number, by_name, orgs, fail) if orgs is not None or not v["branch"] else None
            months = _paid_months(v, wide, "实交" in columns, year, fail)
            if v["paid_on"] and v["paid_on"] > today:
                fail("交纳日期", "不能晚于今天")
            if who is None:
                errors += row_errors
                continue
            f = facts.get(who.id)
            planned: list[PlannedMonth] = []
            row_sum = 0  # a register's 全年合计 is checked against its months: a slip of the pen shows
            for column, month, fen in months:
                if month > this_month:
                    fail(column, f"{rules.month_label(month)}还没到，不能登记为已交")
                    continue
                base = f.base_for(month) if f else None
                due = None
                if base is not None:
                    try:
                        due = calc.calc(base, month)
                    except ValidationError:
                        due = None
                due_fen = v["due"] if v["due"] is not None else (due.due_fen if due else None)
                if fen is None:
                    if due_fen is None:
                        fail(column, f"只写了已交，没有金额：表中没有月缴纳额，{who.name}在本程序中也没有"
                             f"{rules.month_label(month)}适用的党费基数。请填写金额，或先登记党费基数")
                        continue
                    fen, marks = due_fen, marks + 1
                row_sum += fen
                key = (who.id, month)
                if key in first:
                    fail(column, f"{who.name}{rules.month_label(month)}与第 {first[key]} 行重复")
                    continue
                first[key] = n
                known = on_record.get(key)
                if known is not None and (known[1] > 0 or known[2] is not None):
                    if known[1] == fen:
                        unchanged += 1
                    elif known[3]:
                        fail(column, f"本程序已登记{who.name}{rules.month_label(month)}交纳 {files.yuan(known[1])} 元"
                             f"（已入账），与表中 {files.yuan(fen)} 元不符：如本程序的登记有误，请在“党费”页"
                             "撤销那次交纳后重新导入")
                    else:
                        fail(column, f"以前导入过{who.name}{rules.month_label(month)}交纳 {files.yuan(known[1])} 元，"
                             f"与表中 {files.yuan(fen)} 元不符：如表格已改正，请在“操作记录”中撤销那次导入后重新导入")
                    continue
                planned.append(PlannedMonth(
                    n, who.id, who.name, who.org_id, month, fen, due_fen if due_fen is not None else fen,
                    due.category if due else "", due.income_fen if due else 0, due.rate_bp if due else None,
                    v["paid_on"], v["collector"], "；".join(t for t in (_NOTE, v["notes"]) if t),
                    known[0] if known is not None else taken_back.get(key)))
            if wide and v["total"] is not None and not row_errors and v["total"] != row_sum:
                fail("全年合计", f"与各月合计 {files.yuan(row_sum)} 元不符，请核对各月金额")
            if row_errors:
                errors += row_errors
                continue
            items += planned
    people = len({it.member_id for it in items})
    lines = [f"党费交纳记录 {len(items)} 个月（{people} 名党员" + (f"，{year}年）" if year else "）"),
             f"无变化（已登记同样金额）{unchanged} 个月"]
    if marks:
        lines.append(f"其中只写了已交的 {marks} 个月按月缴纳额或党费基数计")
    lines.append(NO_LEDGER)
    return HistoryPreview.of_sheet("dues", parsed, items, errors, lines, mapping)


def _paid_months(v: dict, wide: list[int], has_paid: bool, year: int | None,
                 fail) -> list[tuple[str, date, int | None]]:
    """The months a row says were paid: (its column, the month, fen or None for a mark without an amount)."""
    months = []
    for k in wide:
        column = files.MONTHS[k - 1]
        try:
            read = files.month_cell(v[f"m{k}"])
        except ValueError as exc:
            fail(column, str(exc))
            continue
        if read is not None:
            months.append((column, date(year, k, 1), read[1]))
    if wide:
        return months
    try:  # one row a month; without a 实交 column, a 交纳日期 says it was paid
        read = files.month_cell(v["paid"]) if has_paid else ((files.PAID, None) if v["paid_on"] else None)
    except ValueError as exc:
        fail("实交", str(exc))
        return months
    if read is not None:
        try:
            months.append(("实交", files.month_of(v["month"], year), read[1]))
        except ValueError as exc:
            fail("月份", str(exc))
    return months


def _match(v: dict, by_number: dict[str, _Known], by_name: dict[str, list[_Known]], orgs: set[str] | None,
           fail) -> _Known | None:
    """The member a row names: by ID number, else by name within the branch; None with the refusal added."""
    number = v["id_number"]
    if number:
        found = by_number.get(number)
        if found is None:
            fail("公民身份号码", f"{v['name']}不在党员名册中（按身份证号找不到）：请先导入或登记党员", idcard.mask(number))
        elif v["name"] and found.name != v["name"]:
            fail("姓名", f"与身份证号对应的党员{found.name}不符")
            return None
        return found
    if not v["name"]:
        return None  # the required cell's own error is already there
    known = [k for k in by_name.get(v["name"], []) if orgs is None or k.org_id in orgs]
    if not known:
        fail("姓名", f"{v['name']}不在党员名册中" + ("（该党支部）" if orgs is not None else "")
             + "：请核对姓名，或先导入或登记党员")
        return None
    if len(known) > 1:
        fail("姓名", f"有 {len(known)} 名党员叫{v['name']}：请填写身份证号或所在党支部以区分")
        return None
    return known[0]


@writes("dues.write")
def apply(uow: UnitOfWork, plan: HistoryPreview) -> int:
    """Write the previewed months in one transaction, after checking nobody recorded them meanwhile."""
    plan.check_applicable("dues", "党费收缴")
    s = uow.session
    wanted = {(it.member_id, it.month): it for it in plan.items}
    ids = sorted({it.member_id for it in plan.items})
    live = {m for part in chunks(ids) for m in s.scalars(select(Member.id).where(Member.deleted.is_(False),
                                                                              Member.id.in_(part)))}
    rows = {}
    for part in chunks(ids):
        for rec in s.scalars(select(DuesRecord).where(DuesRecord.member_id.in_(part))):
            if (rec.member_id, rec.month) in wanted:
                rows[(rec.member_id, rec.month)] = rec
    for key, it in wanted.items():
        rec = rows.get(key)
        if it.member_id not in live:
            raise Conflict(f"第 {it.row_number} 行：预览之后{it.name}已从党员名册删除，未导入任何数据。请重新预览")
        if rec is not None and (rec.id != it.reuse or (not rec.deleted and (rec.paid_fen > 0 or rec.paid_on))):
            raise Conflict(f"预览之后{it.name}{rules.month_label(it.month)}的党费已登记，未导入任何数据。请重新预览")
        if rec is None and it.reuse:
            raise Conflict("预览之后党费记录有变动，未导入任何数据。请重新预览")
    reused: list[str] = []
    with revert_imported.tracking(s) as added:  # kept so 操作记录 can take the whole import back
        for key, it in wanted.items():
            rec = rows.get(key)
            if rec is None:
                rec = DuesRecord(member_id=it.member_id, month=it.month)
                s.add(rec)
            else:
                reused.append(rec.id)
            rec.org_id, rec.category, rec.base_fen, rec.rate_bp = it.org_id, it.category, it.base_fen, it.rate_bp
            rec.due_fen, rec.paid_fen, rec.paid_on = it.due_fen, it.paid_fen, it.paid_on
            rec.collected_by, rec.note = it.collected_by[:20], it.note
            rec.quarterly_consent, rec.ledger_entry_id, rec.deleted = False, None, False
        s.flush()
    added.setdefault("dues_record", []).extend(reused)  # its revert takes these back again, at their version
    members = len({it.member_id for it in plan.items})
    revert_imported.record(s, "dues_record", f"导入党费交纳记录 {len(plan.items)} 个月，{members} 名党员（{plan.file_name}）",
                           {"months": len(plan.items), "members": members}, added)
    return len(plan.items)
