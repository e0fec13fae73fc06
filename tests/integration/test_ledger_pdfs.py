"""收支明细账, 记账凭证, 年度汇总 and 党费收缴登记表 PDFs: the text read back, capitals included."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain import ledger as rules
from desktop_app.domain.dues import EMPLOYED, RETIRED
from desktop_app.domain.money import amount_in_capitals, format_yuan
from desktop_app.reports.dues import render_dues_registry
from desktop_app.reports.fonts import ENV_VAR, register_cjk_font, shipped_font_path
from desktop_app.reports.ledger import render_account_ledger
from desktop_app.reports.ledger_annual import render_annual_ledger
from desktop_app.reports.voucher import render_vouchers
from desktop_app.services import dues, ledger, orgs
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member


@pytest.fixture
def shipped_font(monkeypatch):
    # The worst case: the shipped font has no Latin glyphs, so digits come from the companion font.
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    info = register_cjk_font()
    assert Path(info.path).samefile(shipped_font_path())
    return info


def text_of(data: bytes) -> tuple[str, int]:
    """All the text, with whitespace removed: table cells wrap wherever the column ends."""
    reader = PdfReader(BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    return re.sub(r"\s+", "", text), len(reader.pages)


def has(text: str, *parts: str) -> bool:
    return all(re.sub(r"\s+", "", p) in text for p in parts)


@pytest.fixture
def books(db):
    acc = {a.name: a for a in ledger.list_accounts(db)}
    service = acc["服务群众专项经费"]

    def post(d, fen, direction=rules.EXPENSE, category="活动", memo="", account=service, counterparty="惠民超市"):
        return ledger.post_entry(db, ledger.EntryInput(
            d, account.id, direction, fen, category, counterparty, "王芳", "李明", memo,
        )).entry

    post(date(2023, 12, 20), 5_000_000, rules.INCOME, "上级拨款", "2023年专项经费", counterparty="梅园街道办事处")
    grant = post(date(2024, 1, 3), 12_000_000, rules.INCOME, "上级拨款", "2024年第一批", counterparty="梅园街道办事处")
    items = [post(date(2024, 1 + i % 3, 1 + i % 28), 12345 + 1000 * i, memo=f"春节走访慰问第{i}批") for i in range(60)]
    wrong = post(date(2024, 3, 20), 100503, category="慰问", memo="重阳节慰问品")
    rev = ledger.reverse_entry(db, wrong.id, "金额录错", date(2024, 3, 21), entered_by="李明").entry
    ledger.set_budget(db, service.id, 2024, 1_000_000, "活动")
    ledger.close_month(db, date(2023, 12, 1), today=date(2024, 3, 31))
    ledger.close_month(db, date(2024, 1, 1), today=date(2024, 3, 31))
    return {"service": service, "grant": grant, "items": items, "wrong": wrong, "rev": rev}


def test_account_ledger_with_running_balance_and_capitals(db, books, shipped_font, tmp_path):
    data = ledger.account_ledger(db, books["service"].id, date(2024, 1, 1), date(2024, 3, 31))
    out = tmp_path / "明细账.pdf"
    pdf = render_account_ledger(data, out, printed_on=date(2024, 4, 1))
    assert out.read_bytes() == pdf
    text, pages = text_of(pdf)
    assert pages > 1 and has(text, f"共 {pages} 页")
    assert has(text, "幸福里社区党委收支明细账") and has(text, "服务群众专项经费")
    assert has(text, "2024年1月1日至2024年3月31日")
    assert has(text, "期初余额") and has(text, format_yuan(5_000_000))
    for e in books["items"]:
        assert has(text, e.voucher_no) and has(text, format_yuan(e.amount_fen))
    assert has(text, "2024年1月 本月合计") and has(text, "2024年3月 本月合计") and has(text, "本期累计")
    assert has(text, f"红字冲销 {books['wrong'].voucher_no}：金额录错")
    assert "-1,005.03" in text  # the reversal prints its negative amount
    assert has(text, f"已被 {books['rev'].voucher_no} 冲销")
    assert data.closing_fen == ledger.balance(db, books["service"].id, date(2024, 3, 31))
    assert has(text, format_yuan(data.closing_fen))
    assert has(text, f"期末余额（大写）：{amount_in_capitals(data.closing_fen)}")
    assert "2024年2月、2024年3月尚未结账" in text  # January is closed


def test_vouchers_show_the_amount_in_capitals(db, books, shipped_font, tmp_path):
    wrong, rev = books["wrong"], books["rev"]
    scan = tmp_path / "fapiao.jpg"
    scan.write_bytes(b"jpg")
    ledger.add_attachment(db, wrong.id, scan)
    data = ledger.vouchers(db, [books["grant"].id, wrong.id, rev.id])
    pdf = render_vouchers(data, tmp_path / "凭证.pdf", printed_on=date(2024, 4, 1))
    text, pages = text_of(pdf)
    assert pages == 1  # several vouchers to a page, each kept whole
    assert text.count("单位：幸福里社区党委") == 3 and has(text, "记账凭证（红字冲销）")
    assert has(text, "壹拾贰万元整") and has(text, "¥120,000.00")
    assert has(text, "壹仟零伍元零叁分")
    assert has(text, "负壹仟零伍元零叁分") and has(text, "-¥1,005.03")
    assert has(text, f"本凭证红字冲销凭证 {wrong.voucher_no}")
    assert has(text, f"本凭证已被凭证 {rev.voucher_no} 冲销")
    assert has(text, "附件：1 张（fapiao.jpg）")
    assert has(text, "经办人：王芳") and has(text, "记账：李明")
    assert has(text, "2024年3月20日") and has(text, wrong.voucher_no)


def test_annual_summary(db, books, shipped_font):
    year = ledger.yearly_funds(db, 2024)
    summary = year.summary
    pdf = render_annual_ledger(year, printed_on=date(2025, 1, 5))
    text, _ = text_of(pdf)
    assert has(text, "幸福里社区党委2024年度经费收支汇总表")
    line = next(x for x in summary.lines if x.account_name == "服务群众专项经费")
    assert line.opening_fen == 5_000_000
    for fen in (line.opening_fen, line.income_fen, line.expense_fen, line.closing_fen):
        assert has(text, format_yuan(fen))
    assert has(text, f"经费年末余额合计（不含党费，大写）：{amount_in_capitals(year.funds_total.closing_fen)}")
    assert has(text, "上级拨款") and has(text, "活动")
    assert "慰问" not in text.split("二、收支分类")[1].split("三、")[0]  # reversed to nothing
    assert has(text, "已结账") and has(text, "未结账")
    spent = sum(e.amount_fen for e in books["items"])
    assert has(text, format_yuan(spent)) and has(text, "超出预算")
    assert has(text, "其中红字冲销 1 张")


def test_annual_summary_totals_funds_without_dues_as_the_desk_does(db, books, shipped_font, tmp_path):
    # The 工作台 counts 经费 without the 党费 account (不含党费); the PDF's 合计 added it in, so the two disagreed.
    dues_account = next(a for a in ledger.list_accounts(db) if a.is_dues)
    for d, fen, direction, category in ((date(2024, 2, 10), 90_000, rules.INCOME, "党费收入"),
                                        (date(2024, 3, 1), 50_000, rules.EXPENSE, "上缴党费")):
        ledger.post_entry(db, ledger.EntryInput(d, dues_account.id, direction, fen, category, "", "王芳", "李明", ""))
    year = ledger.yearly_funds(db, 2024)
    funds, apart = year.funds_total, year.dues_total
    assert apart.income_fen == 90_000 and apart.expense_fen == 50_000
    assert funds.income_fen == year.summary.total.income_fen - 90_000  # the one rule: every account but 党费
    assert all(x.account_id != dues_account.id for x in year.funds)
    pdf = render_annual_ledger(year, tmp_path / "年度.pdf", printed_on=date(2025, 1, 5))
    text, _ = text_of(pdf)
    table = text.split("一、各账户收支及结余")[1].split("二、收支分类")[0]
    assert has(table, "合计（不含党费）", format_yuan(funds.opening_fen), format_yuan(funds.income_fen),
               format_yuan(funds.expense_fen), format_yuan(funds.closing_fen))
    assert table.index("合计（不含党费）") < table.index("党费") < table.index("总计（含党费）")
    assert has(table, format_yuan(apart.income_fen), format_yuan(apart.closing_fen))
    assert has(table, f"经费年末余额合计（不含党费，大写）：{amount_in_capitals(funds.closing_fen)}")
    assert has(text, "三、月度收支（含党费）")
    line = ledger.print_annual_ledger(db, 2024, tmp_path / "y.pdf")
    assert line.startswith(f"2024年 经费收入 {format_yuan(funds.income_fen)} 元") and "不含党费" in line


def _member(db, name, org_id, seq):
    with UnitOfWork(db) as uow:
        m = Member(seq=seq, name=name, org_id=org_id, id_number=f"1101011970010100{seq:02d}", gender="男",
                   joined_date=date(2000, 1, 1))
        uow.session.add(m)
        uow.commit()
        return m.id


def test_dues_registry(db, shipped_font):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", community.id)
    names = ["张建国", "李秀英", "王小明", "赵桂兰"]
    ids = [_member(db, n, branch.id, i) for i, n in enumerate(names, start=1)]
    dues.set_base(db, ids[0], date(2024, 1, 1), EMPLOYED, 450_000)  # 45.00
    dues.set_base(db, ids[1], date(2024, 1, 1), RETIRED, 300_000)  # 15.00
    dues.set_base(db, ids[2], date(2024, 1, 1), RETIRED, 300_000, 0, note="经党委批准免交")
    for m in range(1, 4):
        dues.record_payments(db, [dues.PaymentInput(ids[0], (date(2024, m, 1),)),
                                  dues.PaymentInput(ids[1], (date(2024, m, 1),))], date(2024, m, 8), "赵书记")
    dues.record_payment(db, ids[0], [date(2024, 4, 1)], date(2024, 4, 8), "赵书记", amount_fen=3000)  # short
    grid = dues.branch_grid(db, branch.id, 2024, today=date(2024, 6, 20))
    pdf = render_dues_registry([grid], printed_on=date(2024, 6, 20))
    text, _ = text_of(pdf)
    assert has(text, "2024年度党费收缴登记表") and has(text, "第一网格党支部")
    for n in names:
        assert has(text, n)
    assert has(text, "未登记") and has(text, "免交") and has(text, "免")
    assert has(text, "4,500.00") and has(text, "1%") and has(text, "0.5%")
    assert has(text, "45.00") and has(text, "15.00") and has(text, "30.00#")
    assert has(text, "欠")
    total = 3 * 4500 + 3 * 1500 + 3000
    assert grid.paid_fen == total
    assert has(text, f"全年已收缴 {format_yuan(total)} 元（大写：{amount_in_capitals(total)}）")
    assert has(text, "收缴人") and has(text, "党支部书记")


def test_command_line_writers(db, books, shipped_font, tmp_path):
    """What `dangqun report ledger` / `report dues` call: by account name, voucher number, branch."""
    from desktop_app.domain.errors import ValidationError

    out = tmp_path / "a.pdf"
    line = ledger.print_account_ledger(db, "服务群众", out, date(2024, 1, 1), date(2024, 3, 31))
    assert line.startswith("服务群众专项经费 2024-01-01 至 2024-03-31，凭证 63 张")
    assert has(text_of(out.read_bytes())[0], "收支明细账")
    with pytest.raises(ValidationError):
        ledger.print_account_ledger(db, "不存在的账户", tmp_path / "b.pdf")
    assert not (tmp_path / "b.pdf").exists()

    assert ledger.print_vouchers(db, tmp_path / "v.pdf", ["2024-1", books["rev"].voucher_no]) == "凭证 2 张"
    text, _ = text_of((tmp_path / "v.pdf").read_bytes())
    assert has(text, "壹拾贰万元整", "负壹仟零伍元零叁分")
    with pytest.raises(ValidationError):
        ledger.print_vouchers(db, tmp_path / "w.pdf", ["2024-9999"])
    assert ledger.print_vouchers(db, tmp_path / "m.pdf", date_from=date(2024, 3, 1), date_to=date(2024, 3, 31)).startswith("凭证 ")

    assert ledger.print_annual_ledger(db, 2024, tmp_path / "y.pdf").startswith("2024年 经费收入 120,000.00 元")
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "32010200101", "branch", community.id)
    assert dues.print_dues_registry(db, 2024, tmp_path / "d.pdf").startswith("2024年 1 个党支部")
    with pytest.raises(ValidationError):
        dues.print_dues_registry(db, 2024, tmp_path / "e.pdf", branch="第九")
