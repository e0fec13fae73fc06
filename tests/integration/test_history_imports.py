"""History imports from other systems' sheets: 发展党员 (and the others as they come), all or nothing, with dry runs."""

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import development, development_import, orgs, roster
from desktop_app.services.database import open_database
from desktop_app.store.models_development import Applicant, DevelopmentStep

P1 = idcard.make("320102", date(1998, 5, 6), 11, "男")
P2 = idcard.make("320102", date(1995, 3, 2), 12, "女")
P3 = idcard.make("320104", date(1990, 1, 9), 13, "男")


def serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def workbook(path, header, rows, title=None, notes=()):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    for line in notes:
        ws.append([line])
    wb.save(path)
    return path


@pytest.fixture
def world(tmp_path):
    path = tmp_path / "c.db"
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    db, _ = open_database(path)
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", community.id)
    roster.create(db, MemberInput(name="郑三", org_id=branch.id, id_number=P3, category="预备党员",
                                  joined_date=date(2025, 9, 1)))
    db.dispose()
    return path, branch


DEV_HEADER = ["序号", "申请人姓名", "性别", "身份证号码", "所在党支部编码", "申请入党时间", "确定积极分子时间",
              "确定发展对象时间", "入党志愿书编号", "入党日期", "发展阶段"]


def dev_rows(bad: bool = False):
    return [
        [1, "周一", "1", P1, "32010200101", serial(date(2025, 3, 1)), None, None, None, None, "申请人"],
        [2, "吴二", "2", P2, "32010200101", "2023-01-05", "2023.6.1",
         "2022-07-01" if bad else "2024年7月1日", None, None, "发展对象"],
        [3, "郑三", "男", P3, "第一网格党支部", serial(date(2022, 3, 1)), serial(date(2022, 9, 1)),
         serial(date(2024, 3, 1)), "NO.2025-001", serial(date(2025, 9, 1)), "预备党员"],
    ]


def test_development_history_goes_into_the_pipeline_all_or_nothing(world, tmp_path, capsys):
    path, branch = world
    notes = ("填写注意事项：1、红色字段为必填；2、日期格式为年-月-日。", "1、红色字段为必填")
    bad = workbook(tmp_path / "发展党员.xlsx", DEV_HEADER, dev_rows(bad=True), "发展党员信息表", notes)
    assert main(["import", "development", str(bad), "--db", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "第 4 行，确定为发展对象时间“2022-07-01”：早于确定为入党积极分子时间" in out
    assert "第 6 行是说明行" in out and "未导入任何数据" in err
    good = workbook(tmp_path / "发展党员2.xlsx", DEV_HEADER, dev_rows(), "发展党员信息表", notes)
    assert main(["import", "development", str(good), "--db", str(path), "--show-columns"]) == 0
    out = capsys.readouterr().out
    assert "F 列“申请入党时间” → 提交申请书时间" in out and "A 列“序号” → （不导入）" in out
    assert main(["import", "development", str(good), "--db", str(path), "--dry-run"]) == 0
    assert "入党申请人 1 名，发展对象 1 名，预备党员 1 名" in capsys.readouterr().out
    db, _ = open_database(path)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Applicant)) == 0
    db.dispose()
    assert main(["import", "development", str(good), "--db", str(path)]) == 0
    assert "已导入 3 名" in capsys.readouterr().out
    db, _ = open_database(path)
    rows = {r.name: r for r in development.pipeline(db)}
    assert {n: r.stage for n, r in rows.items()} == {"周一": "入党申请人", "吴二": "发展对象", "郑三": "预备党员"}
    detail = development.get(db, rows["郑三"].id)
    assert [(st.step, st.done_on) for st in detail.steps] == [
        ("递交入党申请书", date(2022, 3, 1)), ("确定入党积极分子", date(2022, 9, 1)),
        ("确定发展对象", date(2024, 3, 1)), ("支部大会讨论接收", date(2025, 9, 1)),
        ("上级党委审批", date(2025, 9, 1))]
    with db.session() as s:
        assert s.scalar(select(DevelopmentStep.document_no).where(DevelopmentStep.step == "支部大会讨论接收")) \
            == "NO.2025-001"
        assert s.scalar(select(Applicant.member_id).where(Applicant.name == "郑三")) is not None
    # The same sheet again: everyone is already in the pipeline.
    again = development_import.preview(db, good)
    assert {e.reason for e in again.errors} == {"已在发展党员名单中"}
    db.dispose()


def test_a_probationary_member_off_the_roster_and_a_disagreeing_stage_are_row_errors(world, tmp_path):
    path, _branch = world
    db, _ = open_database(path)
    rows = dev_rows()
    rows[0][-1] = "发展对象"  # the dates say 入党申请人
    rows[2][3] = idcard.make("320104", date(1991, 1, 9), 14, "男")  # not on the roster
    plan = development_import.preview(db, workbook(tmp_path / "d.xlsx", DEV_HEADER, rows))
    assert {(e.row_number, e.field) for e in plan.errors} == {(2, "当前发展阶段"), (4, "公民身份号码")}
    with pytest.raises(Exception, match="未导入任何数据"):
        development_import.apply(db, plan)
    db.dispose()


MEET_HEADER = ["会议类别", "所在党支部", "会议名称", "计划时间", "实际召开时间", "会议地点", "主持人", "记录人",
               "应到人数", "实到人数", "请假人数", "列席人员", "会议议题", "会议记录", "会议决定", "参会人员", "请假人员"]


def meeting_rows(bad: bool = False):
    return [
        ["党员大会", "第一网格党支部", "第一季度党员大会", "2025-03-01", "2025年3月5日", "党群服务中心", "张三", "李四",
         3, 2, 1, "王社区", "1、学习新党章；2、讨论发展对象", "传达学习了……", "1、全体党员自学；2、同意吴二列为发展对象",
         "张三、郑三" if not bad else "张三、赵六", "李四"],
        ["支委会会议", "32010200101", None, None, serial(date(2025, 4, 2)), "会议室", "张三", "郑三",
         5, 4, 1, None, "研究发展党员工作", None, "同意", None, None],
        ["党课学习", "幸福里社区党委 / 第一网格党支部", "学习贯彻党的二十大精神", None,
         "2099-01-01" if bad else "2025-05-10", "会议室", "张三", "李四", None, None, None, None, None, None, None,
         None, None],
    ]


def test_past_meetings_with_counts_topics_and_named_attendance(world, tmp_path, capsys):
    path, branch = world
    db, _ = open_database(path)
    for i, name in enumerate(("张三", "李四"), start=20):
        roster.create(db, MemberInput(name=name, org_id=branch.id, id_number=idcard.make("320102", date(1970, 1, 1), i,
                                                                                        "男"),
                                      joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1)))
    db.dispose()
    notes = ("填写注意事项：会议类型请从下拉列表选择，日期写成 2025-03-05。",)
    bad = workbook(tmp_path / "会议.xlsx", MEET_HEADER, meeting_rows(bad=True), "三会一课台账", notes)
    assert main(["import", "meetings", str(bad), "--db", str(path)]) == 2
    out = capsys.readouterr().out
    assert "第 3 行，出席人员“赵六”：“赵六”不是本组织的党员" in out
    assert "第 5 行，实际会议时间“2099-01-01”：是将来的日期" in out
    good = workbook(tmp_path / "会议2.xlsx", MEET_HEADER, meeting_rows(), "三会一课台账", notes)
    assert main(["import", "meetings", str(good), "--db", str(path), "--dry-run"]) == 0
    assert "支部党员大会 1 次，支委会 1 次，党课 1 次" in capsys.readouterr().out
    assert main(["import", "meetings", str(good), "--db", str(path)]) == 0
    assert "已导入 3 次会议" in capsys.readouterr().out
    db, _ = open_database(path)
    from desktop_app.store.models_meetings import Attendance, Meeting
    from desktop_app.store.models_memberlife import MeetingTopic
    with db.session() as s:
        congress = s.scalar(select(Meeting).where(Meeting.kind == "支部党员大会"))
        assert (congress.status, congress.meeting_date, congress.host, congress.recorder) == (
            "held", date(2025, 3, 5), "张三", "李四")
        statuses = sorted(s.scalars(select(Attendance.status).where(Attendance.meeting_id == congress.id)))
        assert statuses == sorted(["出席", "出席", "请假", "列席"])
        topics = s.execute(select(MeetingTopic.title, MeetingTopic.decision).where(
            MeetingTopic.meeting_id == congress.id).order_by(MeetingTopic.seq)).all()
        assert [tuple(t) for t in topics] == [("1、学习新党章", "1、全体党员自学"), ("2、讨论发展对象", "2、同意吴二列为发展对象")]
        committee = s.scalar(select(Meeting).where(Meeting.kind == "支委会"))
        assert committee.meeting_date == date(2025, 4, 2) and "应到 5 人，实到 4 人，请假 1 人" in committee.notes
    db.dispose()


def test_residents_and_their_households_from_a_grid_roll(world, tmp_path, capsys):
    path, _branch = world
    r1 = idcard.make("320102", date(1950, 2, 3), 31, "女")
    r2 = idcard.make("320102", date(1948, 8, 9), 32, "男")
    header = ["序号", "居民姓名", "性别", "证件号码", "手机号", "楼号", "单元号", "门牌号", "户主姓名", "人员类别"]
    rows = [[1, "孙奶奶", "2", r1, "13900001111", "梅园新村3栋", "2", "301", "孙奶奶", "独居老人、低保户"],
            [2, "钱爷爷", "1", r2, None, "梅园新村3栋", "2", "301", "孙奶奶", "高龄老人"],
            [3, "周阿姨", None, None, "025-83330000", None, None, None, None, None]]
    bad_rows = [r[:] for r in rows]
    bad_rows[1][2] = "2"  # the ID number says 男
    notes = ("说明：1、证件号码请填写 18 位公民身份号码；2、同一住户的居民填写相同的楼号、单元号、门牌号。",)
    bad = workbook(tmp_path / "居民.xlsx", header, bad_rows, "第一网格居民花名册", notes)
    assert main(["import", "residents", str(bad), "--db", str(path)]) == 2
    assert "第 4 行，性别" in capsys.readouterr().out
    good = workbook(tmp_path / "居民2.xlsx", header, rows, "第一网格居民花名册", notes)
    assert main(["import", "residents", str(good), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "居民 3 人，新建住户 1 户" in out and "已导入 3 名居民" in out
    db, _ = open_database(path)
    from desktop_app.store.models import Household, Resident
    with db.session() as s:
        homes = s.scalars(select(Household)).all()
        assert [(h.building, h.unit, h.room, h.head_name) for h in homes] == [("梅园新村3栋", "2", "301", "孙奶奶")]
        people = {r.name: r for r in s.scalars(select(Resident))}
        assert people["孙奶奶"].household_id == people["钱爷爷"].household_id == homes[0].id
        assert people["周阿姨"].household_id is None and people["钱爷爷"].gender == "男"
        assert "独居老人" in people["孙奶奶"].tags and "低保户" in people["孙奶奶"].tags
    db.dispose()
    assert main(["import", "residents", str(good), "--db", str(path), "--dry-run"]) == 2
    assert "已登记为居民" in capsys.readouterr().out


def test_a_year_of_ledger_entries_with_its_opening_balance_is_posted_and_closed(world, tmp_path, capsys):
    from desktop_app.services import ledger

    path, _branch = world
    header = ["记账日期", "凭证编号", "科目", "摘要", "收入(元)", "支出(元)", "结余", "经手人"]
    rows = [
        [None, None, "党建工作经费", "上年结转", None, None, "5,000.00", None],
        ["2025-01-10", "2025-1", "党建工作经费", "街道拨付党建经费", 10000, None, 15000, "王会计"],
        [serial(date(2025, 3, 5)), None, "党建工作经费", "七一慰问老党员", None, "1200.50", "13799.5", "张三"],
        [None, None, None, "合计", 10000, 1200.5, None, None],
    ]
    notes = ("填表说明：金额以元为单位，保留两位小数；结余列可不填。",)
    bad = [r[:] for r in rows]
    bad[2][6] = "13800"
    assert main(["import", "ledger", str(workbook(tmp_path / "账.xlsx", header, bad, "2025年党建经费明细账", notes)),
                 "--db", str(path)]) == 2
    out = capsys.readouterr().out
    assert "第 5 行，余额“13800”：与逐笔计算的余额（13,799.50 元）不符" in out and "第 6 行是合计行" in out
    good = workbook(tmp_path / "账2.xlsx", header, rows, "2025年党建经费明细账", notes)
    assert main(["import", "ledger", str(good), "--db", str(path), "--dry-run"]) == 0
    assert "2025 年 3 笔，收入 15,000.00 元，支出 1,200.50 元，导入后结账 12 个月" in capsys.readouterr().out
    assert main(["import", "ledger", str(good), "--db", str(path)]) == 0
    assert "已导入 3 笔账目" in capsys.readouterr().out
    db, _ = open_database(path)
    account = ledger.find_account(db, "党建工作经费")
    assert ledger.balance(db, account.id, date(2025, 12, 31)) == 1_379_950
    assert len(ledger.closed_months(db)) == 12
    with pytest.raises(Exception, match="结账"):
        ledger.post_entry(db, ledger.EntryInput(entry_date=date(2025, 6, 1), account_id=account.id,
                                                direction="支出", amount_fen=100, memo="补记"))
    db.dispose()


def test_a_history_import_takes_a_value_mapping_from_a_file(world, tmp_path, capsys):
    import json

    path, _branch = world
    header = ["姓名", "党支部", "申请时间", "所处阶段"]
    sheet = workbook(tmp_path / "d.xlsx", header, [["周一", "第一网格党支部", "2025-03-01", "S"]])
    assert main(["import", "development", str(sheet), "--db", str(path), "--show-columns"]) == 0
    assert "D 列“所处阶段” → （不导入）［未识别］" in capsys.readouterr().out
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"columns": {"所处阶段": "当前发展阶段"},
                                   "values": {"当前发展阶段": {"S": "停止培养"}}}, ensure_ascii=False), "utf-8")
    assert main(["import", "development", str(sheet), "--db", str(path), "--map", str(mapping)]) == 0
    assert "已导入 1 名" in capsys.readouterr().out
    db, _ = open_database(path)
    with db.session() as s:
        assert s.scalar(select(Applicant.stage)) == "停止培养"
    db.dispose()


def test_a_ledger_year_after_unclosed_months_of_the_books_is_refused_whole(world, tmp_path):
    from desktop_app.domain.errors import DomainError
    from desktop_app.services import ledger, ledger_import

    path, _branch = world
    db, _ = open_database(path)
    account = ledger.find_account(db, "党建工作经费")
    ledger.post_entry(db, ledger.EntryInput(entry_date=date(2024, 5, 6), account_id=account.id,
                                            direction="收入", amount_fen=100, memo="拨款"))
    sheet = workbook(tmp_path / "账.xlsx", ["日期", "账户", "摘要", "收入"],
                     [["2025-01-10", "党建工作经费", "拨款", 100]])
    with pytest.raises(DomainError, match="请先结账2024年5月"):
        ledger_import.preview(db, sheet, today=date(2026, 1, 15))
    db.dispose()


def test_a_voucher_number_the_books_hold_is_a_row_error_of_the_preview(world, tmp_path):
    from desktop_app.services import ledger, ledger_import

    path, _branch = world
    db, _ = open_database(path)
    account = ledger.find_account(db, "党建工作经费")
    ledger.post_entry(db, ledger.EntryInput(entry_date=date(2025, 1, 5), account_id=account.id, direction="收入",
                                            amount_fen=100, memo="拨款", voucher_no="2025-3"))
    header = ["日期", "凭证号", "账户", "摘要", "收入", "支出"]
    rows = [["2025-01-10", "2025-1", "党建工作经费", "街道拨付党建经费", 10000, None],
            ["2025-02-10", "记字第3号", "党建工作经费", "七一慰问老党员", None, 120],
            ["2025-03-10", "2025-0003", "党建工作经费", "购买学习资料", None, 80]]
    xlsx = workbook(tmp_path / "账.xlsx", header, rows)
    csv = tmp_path / "账.csv"
    csv.write_text("\n".join(",".join("" if c is None else str(c) for c in r) for r in [header, *rows]) + "\n",
                   encoding="utf-8-sig")
    for sheet in (xlsx, csv):
        got = ledger_import.preview(db, sheet, today=date(2026, 1, 15))
        assert [(e.row_number, e.field, e.value) for e in got.errors] == [(3, "凭证号", "记字第3号"),
                                                                          (4, "凭证号", "2025-0003")]
        assert got.errors[0].reason == "2025-0003 已被账上 2025-01-05 的凭证使用"
        assert got.errors[0].message() == "第 3 行，凭证号“记字第3号”：2025-0003 已被账上 2025-01-05 的凭证使用"
        with pytest.raises(Exception, match="有 2 行数据有误"):
            ledger_import.apply(db, got)
    db.dispose()


def test_apply_refuses_a_voucher_number_posted_after_the_preview(world, tmp_path):
    from desktop_app.domain.errors import DomainError
    from desktop_app.services import ledger, ledger_import
    from desktop_app.store.models_ledger import ClosedMonth, LedgerEntry

    path, _branch = world
    db, _ = open_database(path)
    account = ledger.find_account(db, "党建工作经费")
    sheet = workbook(tmp_path / "账.xlsx", ["日期", "凭证号", "账户", "摘要", "收入"],
                     [["2025-01-10", "2025-1", "党建工作经费", "拨款", 100],
                      ["2025-01-20", "2025-2", "党建工作经费", "拨款", 200]])
    plan = ledger_import.preview(db, sheet, today=date(2026, 1, 15))
    assert not plan.errors
    ledger.post_entry(db, ledger.EntryInput(entry_date=date(2025, 1, 12), account_id=account.id, direction="收入",
                                            amount_fen=100, memo="另一台电脑记的账", voucher_no="2025-2"))
    with pytest.raises(DomainError, match=r"账.xlsx［Sheet］：第 3 行 2025-0002 已被 2025-01-12 的凭证使用（未导入任何数据"):
        ledger_import.apply(db, plan)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 1
        assert s.scalar(select(func.count()).select_from(ClosedMonth)) == 0
    db.dispose()


def test_a_probationary_row_of_a_member_the_roster_calls_full_is_a_row_error(world, tmp_path):
    # A roster imported with no 人员类别 once read a recent joiner as 正式党员; the pipeline saying 预备党员 must not
    # go in beside it (转正 would confirm a 正式党员 again).
    path, branch = world
    db, _ = open_database(path)
    p4 = idcard.make("320102", date(1995, 4, 4), 21, "男")
    roster.create(db, MemberInput(name="周伟", org_id=branch.id, id_number=p4, joined_date=date(2025, 10, 10)),
                  date(2026, 1, 15))
    rows = dev_rows()
    rows.append([4, "周伟", "男", p4, "第一网格党支部", "2023-03-01", "2023-09-01", "2024-09-01", "NO.2025-002",
                 "2025-10-10", "预备党员"])
    plan = development_import.preview(db, workbook(tmp_path / "d.xlsx", DEV_HEADER, rows), today=date(2026, 1, 15))
    assert [(e.row_number, e.field) for e in plan.errors] == [(5, "转正时间")]
    assert "周伟在党员名册中是正式党员" in plan.errors[0].reason
    db.dispose()
