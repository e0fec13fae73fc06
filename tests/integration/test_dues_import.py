"""党费 history import: a branch's 党费收缴登记表, wide or long, matched to the roster, once, all or nothing."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain.dues import RETIRED
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.exchange import safety
from desktop_app.services import auth, dues, dues_import, orgs, revert, roster
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.revert_added import after_of
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_ledger import ClosedMonth, DuesRecord, LedgerEntry
from desktop_app.views.dues import OWED, PAID

PASSWORD = "xingfuli2026"
WIDE = ["序号", "姓名", "身份证号", "所在支部", "人员类别", "月缴纳额", *[f"{k}月" for k in range(1, 13)], "合计"]


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def _id(seq: int, gender: str = "男") -> str:
    return idcard.make("320102", date(1960 + seq, 1, 2), seq, gender)


@pytest.fixture
def people(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一党支部", "B1", "branch", c.id).id
    b2 = orgs.create(db, "第二党支部", "B2", "branch", c.id).id
    out = {}
    for key, name, seq, gender, org in (("zhang", "张建国", 1, "男", b1), ("li", "李秀兰", 2, "女", b2),
                                        ("wang1", "王芳", 3, "女", b1), ("wang2", "王芳", 4, "女", b2)):
        born = date(1960 + seq, 1, 2)
        out[key] = roster.create(db, MemberInput(name=name, org_id=org, id_number=_id(seq, gender), gender=gender,
                                                 birth_date=born, joined_date=date(1990, 7, 1),
                                                 confirmed_date=date(1991, 7, 1))).id
    dues.set_base(db, out["zhang"], date(2024, 1, 1), RETIRED, income_fen=600_000)  # 1% → 60 元
    return out


def register(path, rows, title="2025年度党费收缴登记表", total=True):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(WIDE)
    for r in rows:
        ws.append(r)
    if total:
        ws.append([None, "合计", None, None, None, None, *[None] * 12, 999])
    wb.save(path)
    return path


def months(*cells):
    return list(cells) + [None] * (12 - len(cells))


GOOD = [
    [1, "张建国", _id(1), "第一党支部", "离退休", None, *months("√", "已交", 60, "¥60", "60.00元"), 300],
    [2, "李秀兰", None, "第二党支部", "在职", "12.5", *months("12.5", "√", None, "-")],
    [3, "王芳", None, "第一党支部", "在职", 30, *months("1,030.50")],
]


def records(db):
    with db.session() as s:
        return {(r.member_id, r.month): r for r in s.scalars(select(DuesRecord).where(DuesRecord.deleted.is_(False)))}


def test_a_wide_register_comes_in_month_by_month_and_a_second_time_changes_nothing(db, people, tmp_path):
    path = register(tmp_path / "2025党费.xlsx", GOOD)
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    assert plan.errors == () and [k.reason for k in plan.skipped] == ["合计行"]
    assert plan.lines[:3] == ("党费交纳记录 8 个月（3 名党员，2025年）", "无变化（已登记同样金额）0 个月",
                              "其中只写了已交的 3 个月按月缴纳额或党费基数计")
    assert "不生成账目" in plan.lines[-1]
    assert dues_import.apply(db, plan) == 8
    got = records(db)
    zhang, li, wang = people["zhang"], people["li"], people["wang1"]
    # √ and 已交 without an amount: 张建国's base says 60 元, 李秀兰's row says 12.5
    assert [got[(zhang, date(2025, k, 1))].paid_fen for k in range(1, 6)] == [6000] * 5
    assert got[(zhang, date(2025, 1, 1))].due_fen == 6000 and got[(zhang, date(2025, 1, 1))].category == RETIRED
    assert [got[(li, date(2025, k, 1))].paid_fen for k in (1, 2)] == [1250, 1250] and (li, date(2025, 3, 1)) not in got
    assert got[(wang, date(2025, 1, 1))].paid_fen == 103050 and got[(wang, date(2025, 1, 1))].due_fen == 3000
    assert all(r.ledger_entry_id is None and r.note == "导入的历史记录" for r in got.values())
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 0  # the 经费 import brings the money
        assert s.scalar(select(AuditEntry.note).where(AuditEntry.action == "import",
                                                      AuditEntry.table_name == "dues_record")).startswith(
            "导入党费交纳记录 8 个月，3 名党员（2025党费.xlsx［Sheet］，导入批次 ")
    again = dues_import.preview(db, path, today=date(2026, 1, 10))
    assert again.items == () and again.lines[1] == "无变化（已登记同样金额）8 个月"
    # the grid reads them as paid
    cells = dues.member_year(db, zhang, 2025, today=date(2026, 1, 10))
    assert [c.state for c in cells[:6]] == [PAID] * 5 + [OWED]


def test_a_long_list_with_months_in_several_spellings(db, people, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["党员姓名", "所属月份", "应交金额", "实交金额", "交纳日期", "收缴人"])
    ws.append(["李秀兰", "2024-03", 12.5, 12.5, "2024-03-05", "赵书记"])
    ws.append(["李秀兰", "2024年4月", 12.5, "12.50", "2024/4/6", "赵书记"])
    ws.append(["李秀兰", "5月", 12.5, None, None, None])  # not paid: nothing to record
    ws.append(["张建国", "6月", None, "√", "2024.6.30", "赵书记"])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    plan = dues_import.preview(db, path)
    assert [(e.row_number, e.field) for e in plan.errors] == [(5, "月份")]
    assert "年度" in plan.errors[0].reason
    plan = dues_import.preview(db, path, year=2024)
    assert plan.errors == () and len(plan.items) == 3
    dues_import.apply(db, plan)
    got = records(db)
    r = got[(people["li"], date(2024, 4, 1))]
    assert (r.paid_fen, r.paid_on, r.collected_by) == (1250, date(2024, 4, 6), "赵书记")
    assert got[(people["zhang"], date(2024, 6, 1))].paid_fen == 6000


def test_bad_rows_are_named_and_nothing_is_written(db, people, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2025年度党费收缴登记表"])
    ws.append(WIDE)
    ws.append([1, "张建国", 4.4e17, None, None, None, *months(60)])  # Excel made the ID number a number
    ws.append([2, "钱多多", None, None, None, None, *months(10)])
    ws.append([3, "王芳", None, None, None, None, *months(10)])  # two 王芳, no branch to tell them apart
    ws.append([4, "李秀兰", None, "第九党支部", None, None, *months(10)])
    ws.append([5, "王芳", None, "第二党支部", None, None, *months("√")])  # no amount, no base
    ws.append([6, "李秀兰", None, None, None, None, *months(10, "十元")])
    ws.append([7, "李秀兰", _id(1), None, None, None, *months(10)])  # the number is 张建国's
    ws.append([8, "李秀兰", None, None, None, None, *months(None, None, None, 10), 20])  # 全年合计 is not the sum
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    got = {(e.row_number, e.field): e.reason for e in plan.errors}
    assert set(got) == {(3, "公民身份号码"), (4, "姓名"), (5, "姓名"), (6, "所在党支部"), (7, "1月"), (8, "2月"),
                        (9, "姓名"), (10, "全年合计")}
    assert got[(10, "全年合计")] == "与各月合计 10.00 元不符，请核对各月金额"
    assert "数字格式" in got[(3, "公民身份号码")] and "钱多多不在党员名册中" in got[(4, "姓名")]
    assert "有 2 名党员叫王芳" in got[(5, "姓名")] and "没有这个党组织" in got[(6, "所在党支部")]
    assert "没有金额" in got[(7, "1月")] and "与身份证号对应的党员张建国不符" in got[(9, "姓名")]
    with pytest.raises(DomainError, match="未导入任何数据"):
        dues_import.apply(db, plan)
    assert records(db) == {}


def test_a_month_on_record_with_another_amount_is_refused_not_overwritten(db, people, tmp_path):
    dues.record_payment(db, people["zhang"], [date(2025, 1, 1)], date(2025, 1, 8), "赵书记")  # 60 元, on the ledger
    plan = dues_import.preview(db, register(tmp_path / "a.xlsx", [GOOD[0][:6] + months(60)]), today=date(2026, 1, 10))
    assert plan.items == () and plan.lines[1] == "无变化（已登记同样金额）1 个月"
    plan = dues_import.preview(db, register(tmp_path / "b.xlsx", [GOOD[0][:6] + months(50)]), today=date(2026, 1, 10))
    assert [(e.row_number, e.field) for e in plan.errors] == [(3, "1月")]
    assert "已登记张建国2025年1月交纳 60.00 元（已入账），与表中 50.00 元不符" in plan.errors[0].reason
    # a month an earlier import brought: taken back with that import, not overwritten by this one
    dues_import.apply(db, dues_import.preview(db, register(tmp_path / "c.xlsx", [GOOD[1]]), today=date(2026, 1, 10)))
    changed = GOOD[1][:6] + months("13", "√")
    plan = dues_import.preview(db, register(tmp_path / "d.xlsx", [changed]), today=date(2026, 1, 10))
    assert [(e.row_number, e.field) for e in plan.errors] == [(3, "1月")] and plan.lines[1] == "无变化（已登记同样金额）1 个月"
    assert "以前导入过李秀兰2025年1月交纳 12.50 元，与表中 13.00 元不符" in plan.errors[0].reason
    assert "撤销那次导入" in plan.errors[0].reason


def test_a_dues_import_is_taken_back_whole_and_can_come_again(db, people, tmp_path):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.login(db, "admin", PASSWORD)
    path = register(tmp_path / "r.xlsx", GOOD)
    dues_import.apply(db, dues_import.preview(db, path, today=date(2026, 1, 10)))
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.at.desc()))
        batch = after_of(entry)["batch"]
    out = revert.check_batch_of(db, entry.id)
    assert out.deleting == ((8, "个月的党费交纳记录"),)
    revert.revert_batch(db, batch)
    assert records(db) == {}
    # the months taken back are tombstones of the same (member, month): importing again writes them again
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    assert len(plan.items) == 8 and dues_import.apply(db, plan) == 8 and len(records(db)) == 8
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.at.desc()))
    revert.revert_batch(db, after_of(entry)["batch"])
    assert records(db) == {}


def test_a_viewer_is_refused_the_preview_and_the_write(db, people, tmp_path):
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    path = register(tmp_path / "r.xlsx", GOOD)
    auth.login(db, "admin", PASSWORD)
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    auth.login(db, "street", PASSWORD)
    with pytest.raises(PermissionDenied):
        dues_import.preview(db, path)
    with pytest.raises(PermissionDenied):
        dues_import.apply(db, plan)
    assert records(db) == {}


def test_a_gbk_csv_register_with_the_year_in_the_file_name(db, people, tmp_path):
    path = tmp_path / "第二党支部2025年党费.csv"
    lines = [",".join(["姓名", "交纳标准", "一月", "二月", "三月"]), "李秀兰,12.5,12.5,√,", "合计,,12.5,12.5,"]
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    assert plan.errors == () and [(it.month, it.paid_fen) for it in plan.items] == [
        (date(2025, 1, 1), 1250), (date(2025, 2, 1), 1250)]


def test_a_register_without_a_year_asks_for_it_and_a_future_month_is_refused(db, people, tmp_path):
    path = register(tmp_path / "r.xlsx", GOOD[:1], title=None)
    with pytest.raises(DomainError, match="看不出是哪一年"):
        dues_import.preview(db, path)
    plan = dues_import.preview(db, path, today=date(2025, 3, 10), year=2025)
    assert [(e.row_number, e.field) for e in plan.errors] == [(2, "4月"), (2, "5月")]
    assert "还没到" in plan.errors[0].reason


def test_hostile_files_read_no_formula_and_refuse_junk_and_bombs(db, people, tmp_path, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.append(["2025年度党费收缴登记表"])
    ws.append(WIDE)
    ws.append([1, "张建国", _id(1), None, None, None, "=1+1", '=HYPERLINK("http://x","60")', 60])
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    # a formula is never evaluated: without a value Excel cached, its cell reads as empty
    assert plan.errors == () and [(it.month, it.paid_fen) for it in plan.items] == [(date(2025, 3, 1), 6000)]
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00junk" * 2_000_000)
    with pytest.raises(DomainError):
        dues_import.preview(db, junk)
    monkeypatch.setattr(safety, "MAX_INFLATED_BYTES", 1024 * 1024)  # the guard, not 400 MB of this machine's memory
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (4 * 1024 * 1024))
    with pytest.raises(DomainError, match="解压后"):
        dues_import.preview(db, bomb)
    assert records(db) == {}


def test_cli_imports_a_register_with_a_dry_run_first(db, people, tmp_path, capsys):
    where = str(db.path or db.url)
    bad = register(tmp_path / "bad.xlsx", GOOD + [[4, "钱多多", None, None, None, None, *months(10)]])
    assert main(["import", "dues", str(bad), "--db", where]) == 2
    out, err = capsys.readouterr()
    assert "第 6 行，姓名“钱多多”：钱多多不在党员名册中" in out and "未导入任何数据" in err
    good = register(tmp_path / "good.xlsx", GOOD, title="党费收缴登记表")
    assert main(["import", "dues", str(good), "--db", where, "--dry-run"]) == 2
    assert "看不出是哪一年" in capsys.readouterr().err
    assert main(["import", "dues", str(good), "--db", where, "--year", "2025", "--dry-run"]) == 0
    assert "党费交纳记录 8 个月" in capsys.readouterr().out
    assert main(["import", "dues", str(good), "--db", where, "--year", "2025"]) == 0
    assert "已导入 8 个月的党费交纳记录" in capsys.readouterr().out
    assert main(["import", "dues", str(good), "--db", where, "--year", "2025"]) == 0
    assert "已导入 0 个月的党费交纳记录" in capsys.readouterr().out
    assert len(records(db)) == 8


def test_a_month_closed_in_the_community_s_books_still_takes_past_dues_they_carry_no_voucher(db, people, tmp_path):
    """A closed month holds 党费 booked on its vouchers (sync.ownership.DATED: by the day paid, on a voucher);
    imported history carries none, so a 1月 closed after the ledger import does not turn its dues away."""
    community = next(n for n in orgs.list_tree(db) if n.kind == "community").id
    born = date(1965, 1, 2)
    roster.create(db, MemberInput(name="周直属", org_id=community, id_number=_id(5), gender="男", birth_date=born,
                                  joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)))
    with db.session() as s:
        s.add(ClosedMonth(org_id=community, month=date(2025, 1, 1), closed_by="王会计"))
        s.commit()
    path = register(tmp_path / "r.xlsx", [[1, "周直属", None, None, None, None, *months(10, 10)],
                                          [2, "李秀兰", None, None, None, None, *months(10, 10)]])
    plan = dues_import.preview(db, path, today=date(2026, 1, 10))
    assert not plan.errors
    assert {(it.name, it.month) for it in plan.items} >= {("周直属", date(2025, 1, 1)), ("李秀兰", date(2025, 1, 1))}
