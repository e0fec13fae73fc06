"""经费 history import: a year's opening balances and entries, posted and the months closed.

A center's 收支明细账 of a past year becomes posted entries through the
ledger's own posting (services.ledger.post_in: accounts, amounts, voucher
numbers, open months, as a typed entry is checked), and every month of that
year that has ended is then closed (结账) in order, so the past cannot be
changed afterwards, as the books it comes from. The entries and the closings
are kept (revert_imported) so an import done by mistake can be taken back. A 期初余额 / 上年结转 row is the
account's opening balance (an income entry of 上年结转 on 1 January). When the
sheet has a 余额 column, each row's balance must agree with the running
balance of its account, which catches a row typed wrong or left out.
A voucher number (凭证号) the books already hold is a row error of the
preview, and apply checks the plan's numbers again inside its transaction.
preview() writes nothing; apply() posts and closes everything or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.money import format_yuan
from desktop_app.exchange import history
from desktop_app.exchange import ledger_files as files
from desktop_app.services import auth, revert_imported
from desktop_app.services.database import Database
from desktop_app.services.ledger import EntryInput, book_org_id, closed_set_in, list_accounts, post_in
from desktop_app.services.ledger.books import balance_at, in_book
from desktop_app.services.ledger.month_balances import build_closed_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_ledger import ClosedMonth, LedgerEntry
from desktop_app.views.imports import HistoryPreview, Mapping
from desktop_app.views.roster import RowError

__all__ = ["apply", "preview"]

_OPENING = re.compile(r"期初|上年结转|年初余额|承前|上期结转|上年结余")
# A 红字冲销 as the ledger's own export writes it (rules.reversal_memo, a negative amount): it reverses that voucher.
_REVERSAL = re.compile(r"^红字冲销\s*(\d{4}-\d+)")
CLOSED_BY = "导入"


@dataclass(frozen=True)
class PlannedEntries:
    year: int
    entries: tuple[tuple[int, EntryInput], ...]  # (row number, entry), in date order
    months: tuple[date, ...]  # months to close, in order
    reverses: tuple[tuple[int, str], ...] = ()  # (row number, the voucher it reverses): the 红字冲销 rows


def _held_original(db: Database, voucher: str) -> tuple[str, str, int, bool] | None:
    """(account id, direction, amount, already reversed) of a voucher in the books, None when there is none."""
    with db.session() as s:
        book = book_org_id(s)
        row = s.execute(select(LedgerEntry.id, LedgerEntry.account_id, LedgerEntry.direction, LedgerEntry.amount_fen)
                        .where(in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no == voucher,
                               LedgerEntry.deleted.is_(False), LedgerEntry.reversal_of.is_(None))).first()
        if row is None:
            return None
        reversed_ = s.scalar(select(LedgerEntry.id).where(LedgerEntry.reversal_of == row[0]).limit(1)) is not None
        return row[1], row[2], row[3], reversed_


def _held_vouchers(s: Session, book: str | None, year: int) -> dict[str, date]:
    """The year's voucher numbers the books already hold -> the date of the entry that holds each.

    Deleted entries count, as at posting: a number once given is never given again."""
    return dict(s.execute(select(LedgerEntry.voucher_no, LedgerEntry.entry_date)
                          .where(in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no.like(f"{year}-%"))).all())


def preview(db: Database, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None,
            today: date | None = None) -> HistoryPreview:
    """Read a year's ledger sheet and check every row as posting would; writes nothing."""
    auth.require(db, "ledger.write")
    today = today or date.today()
    parsed = history.parse(files.SPEC, files.FIELDS, path, mapping, sheet)
    accounts = [a for a in list_accounts(db) if a.active]  # before the moment: it may add the default accounts
    with db.one_moment():  # balances, closed months and the vouchers on the books as of one moment
        return _check(db, parsed, accounts, mapping, today)


def _check(db: Database, parsed: history.Parsed, accounts: list, mapping: Mapping | None,
           today: date) -> HistoryPreview:
    by_name = {a.name: a for a in accounts}
    years = sorted({r.values["on"].year for r in parsed.rows if r.values["on"]})
    year = years[0] if years else None
    with db.session() as s:
        book = book_org_id(s)
        closed = closed_set_in(s, book)
        first_held = s.scalar(select(func.min(LedgerEntry.entry_date)).where(in_book(LedgerEntry.org_id, book)))
        start = {a.id: balance_at(s, a.id, date(year - 1, 12, 31)) if year else 0 for a in accounts}
        held = _held_vouchers(s, book, year) if year else {}
    running = dict(start)
    planned: list[tuple[int, EntryInput]] = []
    errors: list[RowError] = []
    vouchers: dict[str, int] = {}
    originals: dict[str, tuple[str, str, int, bool]] = {}  # the file's vouchers, as _held_original gives them
    reverses: list[tuple[int, str]] = []
    for row in parsed.rows:
        v, n = row.values, row.row_number
        row_errors, fail = history.refusals(row)

        opening = bool(_OPENING.search(v["memo"]))
        on = v["on"] or (date(year, 1, 1) if opening and year else None)
        if on is None and not any(e.field == "日期" for e in row_errors):
            fail("日期", "请填写日期")
        elif on is not None and year is not None and on.year != year:
            fail("日期", f"一个文件只能导入一年的账目（本文件从 {year} 年开始）")
        elif on is not None and on > today:
            fail("日期", "不能晚于今天")
        elif on is not None and rules.month_of(on) in closed:
            fail("日期", f"{on.year} 年 {on.month} 月已经结账，不能再导入")
        if not v["account"] and len(accounts) == 1:
            account = accounts[0]
        elif not v["account"]:
            account = None
            fail("账户", f"请填写账户（{'、'.join(by_name)}）")
        else:
            matches = [a for a in accounts if v["account"] in a.name]
            account = by_name.get(v["account"]) or (matches[0] if len(matches) == 1 else None)
            if account is None:
                fail("账户", f"没有这个账户（现有：{'、'.join(by_name)}）")
        income, expense, amount = v["income"], v["expense"], v["amount"]
        direction = v["direction"]
        if direction and direction not in rules.DIRECTIONS:
            fail("收支", "应为 收入 或 支出")
        if income and expense:
            fail("支出金额", "同一行不能既有收入又有支出")
        if income or expense:
            direction = direction or (rules.INCOME if income else rules.EXPENSE)
            amount = income or expense
        elif amount is not None:
            direction = direction or (rules.EXPENSE if amount < 0 else rules.INCOME)
            amount = abs(amount)
        elif opening and v["balance"] is not None:
            direction, amount = rules.INCOME, v["balance"] - (running.get(account.id, 0) if account else 0)
        if opening:
            direction = rules.INCOME
        reversal = _REVERSAL.match(v["memo"]) if amount is not None and amount < 0 and account else None
        if reversal:
            original = originals.get(reversal[1]) or _held_original(db, reversal[1])
            if original is None:
                fail("摘要", f"冲销的凭证 {reversal[1]} 不在本文件中，也不在账上")
            elif original[3]:
                fail("摘要", f"凭证 {reversal[1]} 已被冲销过")
            elif original[:3] != (account.id, direction, -amount):
                fail("金额", f"与所冲销的凭证 {reversal[1]} 的账户、收支或金额不符")
        if not amount and not row_errors:
            fail("金额", "请填写金额（收入、支出或金额列）")
        if row_errors:
            errors += row_errors
            continue
        category = v["category"] or (rules.CARRIED_FORWARD if opening else "")
        entry = EntryInput(entry_date=on, account_id=account.id, direction=direction, amount_fen=amount,
                           category=category, counterparty=v["counterparty"], handler=v["handler"],
                           entered_by=CLOSED_BY, memo=v["memo"], voucher_no=v["voucher"])
        try:
            rules.check_amount(-amount if reversal else amount)
            if entry.voucher_no:
                rules.normalize_voucher(entry.voucher_no, on)
        except (ValidationError, TypeError) as exc:
            fail("凭证号" if "凭证" in str(exc) else "金额", getattr(exc, "message", str(exc)))
            errors += row_errors
            continue
        if entry.voucher_no:
            number = rules.normalize_voucher(entry.voucher_no, on)
            if number in vouchers:
                fail("凭证号", f"与第 {vouchers[number]} 行的凭证号相同")
                errors += row_errors
                continue
            if number in held:
                fail("凭证号", f"{number} 已被账上 {held[number].isoformat()} 的凭证使用")
                errors += row_errors
                continue
            vouchers[number] = n
            originals[number] = (account.id, direction, amount, False)
        if reversal:
            reverses.append((n, reversal[1]))
            target = originals.get(reversal[1])
            if target is not None:
                originals[reversal[1]] = (*target[:3], True)
        running[account.id] = running.get(account.id, 0) + (amount if direction == rules.INCOME else -amount)
        if v["balance"] is not None and v["balance"] != running[account.id]:
            fail("余额", f"与逐笔计算的余额（{format_yuan(running[account.id])} 元）不符：请核对本行及以前各行")
            errors += row_errors
            running[account.id] = v["balance"]  # report each wrong row once, not every later one
            continue
        planned.append((n, entry))
    planned.sort(key=lambda p: (p[1].entry_date, p[0]))
    months: list[date] = []
    if year is not None and planned:
        m, last = date(year, 1, 1), rules.month_of(max(e.entry_date for _, e in planned))
        last = max(last, date(year, 12, 1)) if date(year, 12, 31) < today else last
        while m <= last and rules.month_end(m) <= today:
            if m not in closed:
                months.append(m)
            m = rules.next_month(m)
    if months:
        first = min(rules.month_of(first_held), months[0]) if first_held else months[0]
        done = set(closed)
        for m in months:  # closing must go month by month: earlier months of the books first
            try:
                rules.check_close(m, done, first, today)
            except DomainError as exc:
                raise DomainError(f"{parsed.table.name}：导入后要结账到 {m.year} 年 {m.month} 月，但{exc}"
                                  "（请先在经费台账中结清以前的月份）") from None
            done.add(m)
    income = sum(e.amount_fen for _, e in planned if e.direction == rules.INCOME)
    expense = sum(e.amount_fen for _, e in planned if e.direction == rules.EXPENSE)
    lines = (f"{year or ''} 年 {len(planned)} 笔", f"收入 {format_yuan(income)} 元", f"支出 {format_yuan(expense)} 元",
             f"导入后结账 {len(months)} 个月")
    plan = PlannedEntries(year or 0, tuple(planned), tuple(months), tuple(reverses))
    return HistoryPreview.of_sheet("ledger", parsed, (plan,) if planned else (), errors, lines, mapping)


def apply(db: Database, plan: HistoryPreview) -> int:
    """Post the previewed entries and close the year's ended months, in one transaction."""
    auth.require(db, "ledger.write")
    plan.check_applicable("ledger", "经费账目")
    if not plan.items:
        return 0
    entries: PlannedEntries = plan.items[0]
    with UnitOfWork(db) as uow:
        s = uow.session
        book = book_org_id(s)
        reverses = dict(entries.reverses)
        # Another operator may have posted since the preview: a number taken now refuses the whole file.
        held = _held_vouchers(s, book, entries.year)
        taken = [(n, number) for n, e in entries.entries if e.voucher_no
                 and (number := rules.normalize_voucher(e.voucher_no, e.entry_date)) in held]
        if taken:
            rows = "；".join(f"第 {n} 行 {number} 已被 {held[number].isoformat()} 的凭证使用" for n, number in taken)
            raise DomainError(f"{plan.file_name}：{rows}（未导入任何数据，请重新预览）")
        # Numbered vouchers first: a blank one then takes the next number after them, never theirs;
        # a 红字冲销 after every entry, so what it reverses is posted before it.
        ordered = sorted(entries.entries, key=lambda p: (p[0] in reverses, not p[1].voucher_no))
        posted: dict[str, str] = {}
        with revert_imported.tracking(s) as added:  # kept so 操作记录 can take the whole import back
            for row_number, entry in ordered:
                try:
                    if row_number in reverses:
                        voucher = reverses[row_number]
                        target = posted.get(voucher) or s.scalar(select(LedgerEntry.id).where(
                            in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no == voucher,
                            LedgerEntry.deleted.is_(False)))
                        if target is None:
                            raise DomainError(f"冲销的凭证 {voucher} 已不在账上")
                        done = post_in(s, entry, reversal_of=target, allow_negative=True)
                    else:
                        done = post_in(s, entry)
                except DomainError as exc:
                    raise DomainError(f"{plan.file_name} 第 {row_number} 行：{exc}（未导入任何数据）") from None
                posted[done.voucher_no] = done.id
            s.flush()
            # The closings are kept too: a revert takes them back while nothing else depends on them.
            closed = set(closed_set_in(s, book))
            for month in entries.months:
                rules.check_close(month, closed, None, date.today())  # the order was checked by the preview
                s.add(ClosedMonth(org_id=book, month=month, closed_by=CLOSED_BY,
                                  note=f"导入历史账目（{plan.file_name}）"))
                closed.add(month)
            s.flush()
        build_closed_in(s, book, entries.months)  # as close_month does: the year's figures read these rows
        revert_imported.record(s, "ledger_entry", f"导入 {entries.year} 年账目 {len(entries.entries)} 笔，"
                               f"结账 {len(entries.months)} 个月（{plan.file_name}）",
                               {"entries": len(entries.entries), "months_closed": len(entries.months)}, added)
        uow.commit()
    return len(entries.entries)
