"""经费台账 service on a real SQLite file: accounts, vouchers, reversals, closing months, budgets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import ledger, site
from desktop_app.settings import data_dir


def acc(db, name="服务群众专项经费"):
    return next(a for a in ledger.list_accounts(db) if a.name == name)


def post(db, d, amount, direction=rules.EXPENSE, account=None, category="活动", **kw):
    account = account or acc(db)
    return ledger.post_entry(
        db, ledger.EntryInput(d, account.id, direction, amount, category, handler="王芳", entered_by="李明", **kw)
    )


def count_rows(db, table="ledger_entry"):
    """Rows as stored, read past the services (an SQLite file or a PostgreSQL server)."""
    with db.engine.connect() as con:
        return con.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_four_default_accounts_are_seeded_once_and_centers_add_their_own(db):
    names = [a.name for a in ledger.list_accounts(db)]
    assert names == ["服务群众专项经费", "党建工作经费", "党组织活动经费", "党费"]
    assert [a.name for a in ledger.list_accounts(db)] == names  # not seeded twice
    assert [a.is_dues for a in ledger.list_accounts(db)] == [False, False, False, True]
    extra = ledger.add_account(db, "共建单位捐赠")
    assert ledger.list_accounts(db)[-1] == extra
    with pytest.raises(ValidationError) as exc:
        ledger.add_account(db, "党费")
    assert exc.value.field == "账户名称"
    renamed = ledger.rename_account(db, extra.id, "共建单位资助")
    assert renamed.name == "共建单位资助" and renamed.id == extra.id


def test_voucher_numbers_run_per_year_and_never_repeat(db):
    assert ledger.suggest_voucher_no(db, 2024) == "2024-0001"
    numbers = [post(db, date(2024, 1, d), 1000).entry.voucher_no for d in (3, 4, 5)]
    assert numbers == ["2024-0001", "2024-0002", "2024-0003"]
    assert post(db, date(2025, 1, 2), 1000).entry.voucher_no == "2025-0001"  # a new year starts again
    # A number typed by hand is normalised, and must be free and of the entry's year.
    assert post(db, date(2024, 2, 1), 500, voucher_no="9").entry.voucher_no == "2024-0009"
    assert post(db, date(2024, 2, 2), 500, voucher_no="记字第12号").entry.voucher_no == "2024-0012"
    assert ledger.suggest_voucher_no(db, 2024) == "2024-0013"
    before = count_rows(db)
    with pytest.raises(ValidationError) as exc:
        post(db, date(2024, 2, 3), 500, voucher_no="2024-0002")
    assert exc.value.field == "凭证号" and "已被" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        post(db, date(2024, 2, 3), 500, voucher_no="2023-0100")
    assert "2024-" in exc.value.message
    assert count_rows(db) == before  # refused posts leave nothing behind
    all_numbers = [e.voucher_no for e in ledger.list_entries(db)]
    assert len(all_numbers) == len(set(all_numbers))


def test_a_posted_entry_is_kept_as_entered_and_attributable(db):
    info = site.get_site(db)
    e = post(db, date(2024, 3, 8), 12345, memo="三八节活动用品", counterparty="惠民超市").entry
    assert e.amount_fen == 12345 and e.direction == "支出"
    assert (e.handler, e.entered_by, e.counterparty) == ("王芳", "李明", "惠民超市")
    assert e.updated_by_site == info.id
    assert ledger.get_entry(db, e.id) == e
    # The service has no way to edit or delete an entry: only reversal corrects it.
    assert not any(hasattr(ledger, n) for n in ("update_entry", "edit_entry", "delete_entry"))


@pytest.mark.parametrize(
    "amount, field",
    [(0, "金额"), (-100, "金额"), (rules.MAX_ENTRY_FEN + 1, "金额")],
)
def test_bad_amounts_are_refused(db, amount, field):
    with pytest.raises(ValidationError) as exc:
        post(db, date(2024, 1, 1), amount)
    assert exc.value.field == field
    with pytest.raises(TypeError):
        post(db, date(2024, 1, 1), 12.5)


def test_unknown_account_and_direction(db):
    with pytest.raises(ValidationError) as exc:
        ledger.post_entry(db, ledger.EntryInput(date(2024, 1, 1), "no-such-id", "支出", 100))
    assert exc.value.field == "账户"
    with pytest.raises(ValidationError) as exc:
        ledger.post_entry(db, ledger.EntryInput(date(2024, 1, 1), acc(db).id, "转账", 100))
    assert exc.value.field == "收支"


def test_reversal_points_to_its_entry_and_nets_to_zero(db):
    a = acc(db)
    post(db, date(2024, 1, 2), 1_000_000, rules.INCOME, category="上级拨款")
    wrong = post(db, date(2024, 1, 10), 80000, memo="慰问品").entry
    result = ledger.reverse_entry(db, wrong.id, "金额录错，应为 800 元", date(2024, 1, 11), entered_by="李明")
    rev = result.entry
    assert rev.reversal_of == wrong.id and rev.reversal_of_voucher == wrong.voucher_no
    assert rev.amount_fen == -80000 and rev.direction == wrong.direction and rev.account_id == a.id
    assert rev.memo == f"红字冲销 {wrong.voucher_no}：金额录错，应为 800 元"
    original = ledger.get_entry(db, wrong.id)
    assert original.amount_fen == 80000  # untouched
    assert original.reversed_by == rev.id and original.reversed_by_voucher == rev.voucher_no
    assert ledger.balance(db, a.id, date(2024, 1, 31)) == 1_000_000
    right = post(db, date(2024, 1, 11), 800_00, memo="慰问品").entry
    assert ledger.balance(db, a.id, date(2024, 1, 31)) == 1_000_000 - 80000
    shown = ledger.list_entries(db, ledger.EntryFilter(hide_reversed=True))
    assert [e.id for e in shown] == [shown[0].id, right.id]

    with pytest.raises(Conflict) as exc:
        ledger.reverse_entry(db, wrong.id, "再冲一次", date(2024, 1, 12))
    assert rev.voucher_no in str(exc.value)
    with pytest.raises(Conflict):
        ledger.reverse_entry(db, rev.id, "冲销冲销", date(2024, 1, 12))
    with pytest.raises(ValidationError) as exc:
        ledger.reverse_entry(db, right.id, "日期倒挂", date(2024, 1, 10))
    assert exc.value.field == "冲销日期"
    with pytest.raises(ValidationError) as exc:
        ledger.reverse_entry(db, right.id, "  ", date(2024, 1, 12))
    assert exc.value.field == "冲销原因"
    with pytest.raises(NotFound):
        ledger.reverse_entry(db, "missing", "x", date(2024, 1, 12))


def test_closing_a_month_freezes_it(db):
    a = acc(db)
    jan = post(db, date(2024, 1, 15), 5000).entry
    post(db, date(2024, 2, 3), 7000)
    with pytest.raises(ValidationError) as exc:  # January has not ended yet on the 30th
        ledger.close_month(db, date(2024, 1, 1), today=date(2024, 1, 30))
    assert exc.value.field == "结账月份"
    with pytest.raises(Conflict) as exc:  # months close in order
        ledger.close_month(db, date(2024, 2, 1), today=date(2024, 3, 5))
    assert "2024年1月" in str(exc.value)
    assert ledger.next_month_to_close(db, today=date(2024, 3, 5)) == date(2024, 1, 1)
    assert ledger.close_month(db, date(2024, 1, 20), closed_by="王芳", today=date(2024, 1, 31)) == date(2024, 1, 1)
    assert ledger.closed_months(db) == [date(2024, 1, 1)]
    assert ledger.next_month_to_close(db, today=date(2024, 3, 5)) == date(2024, 2, 1)
    with pytest.raises(Conflict):
        ledger.close_month(db, date(2024, 1, 1), today=date(2024, 3, 5))

    before = count_rows(db)
    with pytest.raises(Conflict) as exc:
        post(db, date(2024, 1, 31), 100)
    assert "2024年1月已结账" in str(exc.value)
    with pytest.raises(Conflict):  # a reversal dated inside the closed month
        ledger.reverse_entry(db, jan.id, "错", date(2024, 1, 31))
    assert count_rows(db) == before
    # The correction goes into an open month and points back.
    rev = ledger.reverse_entry(db, jan.id, "发票作废", date(2024, 2, 10)).entry
    assert ledger.get_entry(db, jan.id).month_closed
    assert not rev.month_closed
    assert ledger.balance(db, a.id, date(2024, 1, 31)) == -5000  # January's figures stay as closed
    assert ledger.balance(db, a.id, date(2024, 2, 29)) == -7000
    jan_statement = ledger.monthly_statement(db, 2024, 1)
    assert jan_statement.closed
    assert next(x for x in jan_statement.lines if x.account_id == a.id).expense_fen == 5000

    ledger.close_month(db, date(2024, 2, 1), today=date(2024, 3, 1))
    with pytest.raises(Conflict):
        ledger.reverse_entry(db, rev.id, "x", date(2024, 2, 20))
    # An empty month after the last entry closes too; a future one does not.
    ledger.close_month(db, date(2024, 3, 1), today=date(2024, 4, 1))
    with pytest.raises(ValidationError):
        ledger.close_month(db, date(2024, 4, 1), today=date(2024, 4, 1))


def test_budget_warnings_as_spending_nears_the_budget(db):
    a = acc(db)
    ledger.set_budget(db, a.id, 2024, 100_000)  # the account: 1000 元
    ledger.set_budget(db, a.id, 2024, 50_000, "慰问")  # its 慰问: 500 元
    assert post(db, date(2024, 1, 5), 30_000, category="活动").warnings == ()
    warned = post(db, date(2024, 1, 6), 40_000, category="慰问").warnings  # 慰问 80%, account 70%
    assert warned == ("服务群众专项经费·慰问2024年预算已用 80%，剩余 100.00 元",)
    warned = post(db, date(2024, 1, 7), 10_000, category="慰问").warnings  # 慰问 100%, account 80%
    assert warned == (
        "服务群众专项经费2024年预算已用 80%，剩余 200.00 元",
        "服务群众专项经费·慰问2024年预算 500.00 元已全部用完",
    )
    warned = post(db, date(2024, 1, 8), 30_000, category="办公").warnings  # account 110%
    assert warned == ("服务群众专项经费2024年预算 1,000.00 元，已支出 1,100.00 元，超出 100.00 元",)
    assert post(db, date(2024, 1, 9), 1, rules.INCOME, category="上级拨款").warnings == ()

    lines = {(x.category): x for x in ledger.budget_report(db, 2024)}
    assert lines[""].spent_fen == 110_000 and lines[""].state.level == rules.OVER
    assert lines["慰问"].state.level == rules.REACHED and lines["慰问"].remaining_fen == 0
    # Spending outside any category line is shown too (budget None), for the auditor.
    assert lines["活动"].budget_fen is None and lines["活动"].spent_fen == 30_000
    assert lines["办公"].budget_fen is None
    # A reversal takes the spending back out of the budget.
    office = next(e for e in ledger.list_entries(db) if e.category == "办公")
    ledger.reverse_entry(db, office.id, "不属本账户", date(2024, 1, 10))
    assert {x.category: x for x in ledger.budget_report(db, 2024)}[""].state.level == rules.NEAR
    # Changing a budget replaces the figure (no second line).
    ledger.set_budget(db, a.id, 2024, 200_000)
    assert [x.budget_fen for x in ledger.budget_report(db, 2024) if x.category == ""] == [200_000]


def test_statements(db):
    a, b = acc(db), acc(db, "党建工作经费")
    post(db, date(2023, 12, 20), 500_000, rules.INCOME, a, category="上级拨款")
    post(db, date(2024, 1, 5), 200_000, rules.INCOME, a, category="上级拨款")
    post(db, date(2024, 1, 10), 30_000, rules.EXPENSE, a, category="活动")
    post(db, date(2024, 1, 20), 12_000, rules.EXPENSE, b, category="培训")
    post(db, date(2024, 2, 3), 8_000, rules.EXPENSE, a, category="慰问")

    jan = ledger.monthly_statement(db, 2024, 1)
    la = next(x for x in jan.lines if x.account_id == a.id)
    assert (la.opening_fen, la.income_fen, la.expense_fen, la.closing_fen) == (500_000, 200_000, 30_000, 670_000)
    assert jan.total.closing_fen == 670_000 - 12_000
    assert jan.entry_count == 3
    assert {(c.account_name, c.category): c.amount_fen for c in jan.categories} == {
        ("服务群众专项经费", "上级拨款"): 200_000, ("服务群众专项经费", "活动"): 30_000, ("党建工作经费", "培训"): 12_000,
    }

    year = ledger.yearly_statement(db, 2024)
    assert year.center_name == "幸福里社区党委"
    ya = next(x for x in year.lines if x.account_id == a.id)
    assert (ya.opening_fen, ya.income_fen, ya.expense_fen) == (500_000, 200_000, 38_000)
    assert year.months[0].income_fen == 200_000 and year.months[0].expense_fen == 42_000
    assert year.months[1].expense_fen == 8_000 and year.months[2].expense_fen == 0
    assert year.entry_count == 4

    book = ledger.account_ledger(db, a.id, date(2024, 1, 1), date(2024, 1, 31))
    assert book.opening_fen == 500_000
    assert [bal for _, bal in book.running()] == [700_000, 670_000]
    assert book.closing_fen == 670_000

    at = {x.account_id: x for x in ledger.balances(db, date(2024, 1, 31))}
    assert at[a.id].balance_fen == 670_000 and at[b.id].balance_fen == -12_000
    assert ledger.balance(db, a.id, date(2023, 12, 31)) == 500_000


def test_filters(db):
    post(db, date(2024, 1, 5), 100, memo="党员活动室灯具", counterparty="五金店")
    post(db, date(2024, 2, 5), 200, category="培训", memo="书记培训资料")
    post(db, date(2024, 3, 5), 300, rules.INCOME, category="上级拨款")
    got = lambda **kw: [e.amount_fen for e in ledger.list_entries(db, ledger.EntryFilter(**kw))]
    assert got() == [100, 200, 300]
    assert got(direction="支出") == [100, 200]
    assert got(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29)) == [200]
    assert got(category="培训") == [200]
    assert got(text="五金") == [100]
    assert got(text="2024-0002") == [200]
    assert got(account_id=acc(db, "党费").id) == []
    assert "培训" in ledger.categories(db, "支出")


def test_accounts_can_be_stopped_only_when_empty(db):
    a, dues_acc = acc(db), acc(db, "党费")
    post(db, date(2024, 1, 5), 100, rules.INCOME, category="上级拨款")
    with pytest.raises(Conflict):
        ledger.set_account_active(db, a.id, False)
    with pytest.raises(Conflict):
        ledger.set_account_active(db, dues_acc.id, False)
    spare = ledger.add_account(db, "临时账户")
    ledger.set_account_active(db, spare.id, False)
    assert spare.id not in [x.id for x in ledger.list_accounts(db, include_inactive=False)]
    with pytest.raises(ValidationError) as exc:
        post(db, date(2024, 1, 6), 100, account=spare)
    assert "停用" in exc.value.message


def test_attachments_are_copied_into_the_data_folder(db, tmp_path):
    e = post(db, date(2024, 1, 5), 100).entry
    scan = tmp_path / "发票 扫描件.jpg"
    scan.write_bytes(b"\xff\xd8\xff fake jpeg" * 100)
    info = ledger.add_attachment(db, e.id, scan, note="发票")
    scan.unlink()  # the copy does not depend on the original
    assert info.path.is_file() and info.path.is_relative_to(data_dir() / "attachments")
    assert info.path.read_bytes().startswith(b"\xff\xd8\xff")
    assert info.file_name == "发票 扫描件.jpg" and info.size == 1300 and len(info.sha256) == 64
    assert ledger.get_entry(db, e.id).attachments == 1
    assert [a.id for a in ledger.list_attachments(db, e.id)] == [info.id]
    with pytest.raises(ValidationError):
        ledger.add_attachment(db, e.id, tmp_path / "missing.pdf")
    ledger.close_month(db, date(2024, 1, 1), today=date(2024, 2, 1))
    other = tmp_path / "补.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(Conflict):
        ledger.add_attachment(db, e.id, other)
    assert ledger.get_entry(db, e.id).attachments == 1
    assert len(list((data_dir() / "attachments").rglob("*.pdf"))) == 0  # nothing left behind


def test_vouchers_carry_the_amount_in_capitals(db, tmp_path):
    e = post(db, date(2024, 1, 5), 12345).entry
    scan = tmp_path / "receipt.png"
    scan.write_bytes(b"png")
    ledger.add_attachment(db, e.id, scan)
    (v,) = ledger.vouchers(db, [e.id])
    assert v.capitals == "壹佰贰拾叁元肆角伍分"
    assert v.center_name == "幸福里社区党委" and v.attachment_names == ("receipt.png",)


def test_xlsx_export_keeps_amounts_as_yuan_numbers(db, tmp_path):
    from decimal import Decimal

    from openpyxl import load_workbook

    from desktop_app.exchange.ledger_xlsx import YUAN_FORMAT, export_entries

    post(db, date(2024, 1, 2), 1_000_000, rules.INCOME, category="上级拨款", memo="第一批")
    e = post(db, date(2024, 1, 5), 12345, memo="慰问品").entry
    ledger.reverse_entry(db, e.id, "录错", date(2024, 1, 6))
    for _ in range(10):
        post(db, date(2024, 1, 7), 10, category="办公", memo="一角钱的十笔")
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"old file")
    assert export_entries(ledger.list_entries(db), out) == 13
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:9] == ["凭证号", "日期", "账户", "收支", "类别", "摘要", "收/付款方", "收入（元）", "支出（元）"]
    row2 = [c.value for c in ws[2]]
    assert row2[0] == "2024-0001" and row2[1].date() == date(2024, 1, 2) and Decimal(str(row2[7])) == Decimal("10000.00")
    assert ws.cell(3, 9).number_format == YUAN_FORMAT and Decimal(str(ws.cell(3, 9).value)) == Decimal("123.45")
    assert Decimal(str(ws.cell(4, 9).value)) == Decimal("-123.45") and ws.cell(4, 12).value == "冲销 2024-0002"
    assert ws.cell(3, 12).value == "已被 2024-0003 冲销"
    total = ws.cell(15, 1)
    assert total.value == "合计"
    assert Decimal(str(ws.cell(15, 8).value)) == Decimal("10000.00")
    assert Decimal(str(ws.cell(15, 9).value)) == Decimal("1.00")  # ten dimes are one yuan exactly
    assert not list(tmp_path.glob(".*.tmp"))


def test_find_account_for_the_cli(db):
    assert ledger.find_account(db, "党费").is_dues
    assert ledger.find_account(db, "服务群众").name == "服务群众专项经费"
    with pytest.raises(ValidationError) as exc:
        ledger.find_account(db, "经费")
    assert "多个账户" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        ledger.find_account(db, "房租")
    assert "党建工作经费" in exc.value.message


def test_first_loads_from_several_threads_seed_the_accounts_once(db):
    from concurrent.futures import ThreadPoolExecutor

    from desktop_app.services import dues

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _i: (ledger.list_accounts(db), dues.rate_rules(db)), range(8)))
    assert all(len(accounts) == 4 for accounts, _ in results)
    assert len(dues.rate_rules(db)) == 10
    assert count_rows(db, "account") == 4 and count_rows(db, "dues_rate_rule") == 10


def test_export_ledger_for_the_command_line(db, tmp_path):
    from openpyxl import load_workbook

    post(db, date(2024, 1, 2), 100, rules.INCOME, category="上级拨款", memo="一")
    post(db, date(2024, 2, 2), 200, account=acc(db, "党建工作经费"), memo="二")
    assert ledger.export_entries_xlsx(db, tmp_path / "all.xlsx") == 2
    assert ledger.export_entries_xlsx(db, tmp_path / "one.xlsx", account="党建", date_from=date(2024, 2, 1)) == 1
    assert load_workbook(tmp_path / "one.xlsx").active.cell(2, 6).value == "二"


def test_the_account_ledger_prints_dates_amounts_and_reversal_links_as_the_entries_hold_them(db):
    # The book's lines come from the driver's rows (no per-row processing): each day must still be a date,
    # read once for the day's several entries, and a 红字冲销 must still link both ways.
    a = acc(db)
    post(db, date(2024, 3, 4), 50_000, rules.INCOME, category="上级拨款")
    first = post(db, date(2024, 3, 4), 1_200, memo="灯具").entry
    post(db, date(2024, 3, 5), 800)
    rev = ledger.reverse_entry(db, first.id, "金额录错", on=date(2024, 3, 6)).entry
    book = ledger.account_ledger(db, a.id, date(2024, 3, 1), date(2024, 3, 31))
    assert [x.entry_date for x in book.lines] == [date(2024, 3, 4)] * 2 + [date(2024, 3, 5), date(2024, 3, 6)]
    assert {type(x.entry_date) for x in book.lines} == {date}
    assert [(x.income_fen, x.expense_fen, x.balance_fen) for x in book.lines] == [
        (50_000, 0, 50_000), (0, 1_200, 48_800), (0, 800, 48_000), (0, -1_200, 49_200)]
    assert [(x.is_reversal, x.reversed_by_voucher) for x in book.lines] == [
        (False, ""), (False, rev.voucher_no), (False, ""), (True, "")]
    assert book.lines[1].summary == "活动：灯具"
    assert book.lines[3].voucher_no == rev.voucher_no
