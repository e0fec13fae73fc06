"""走访台账 import: visits to registered residents, by whom and how, all or nothing, and not twice."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import service_flow as flow
from desktop_app.services.auth import PermissionDenied
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import VisitInput
from desktop_app.services import auth, orgs, roster, visits, visits_import
from desktop_app.services import residents as res
from desktop_app.services.database import open_database
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_service import Visit, VisitMember

PASSWORD = "xingfuli2026"
HEADER = ["序号", "日期", "居民姓名", "地址/网格", "电话", "走访人员", "方式", "事由", "诉求", "办理结果", "办结时间"]


def serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def sheet(path, rows, title="第一网格走访台账"):
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    ws.append(["填表说明：每次走访填写一行。"])
    wb.save(path)
    return path


GOOD = [
    [1, "2025-03-02", "王秀英", "梅园新村3栋", None, "张建国、网格员小刘", "入户", "独居老人，身体尚好", None, None, None],
    [2, "2025/3/5", "赵德明", None, None, "李秀兰", "电话", "询问", "楼道路灯不亮", None, None],
    [3, serial(date(2025, 3, 9)), "李桂芳", "桂花苑1栋1单元101", "13900001111", "张建国", "上门",
     "", "水管漏水", "已联系物业更换", "2025年3月12日"],
]


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def _town(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", c.id).id
    g2 = orgs.create(db, "第二网格党支部", "G2", "branch", c.id).id
    for name, gender, seq, org in (("张建国", "男", 1, g1), ("李秀兰", "女", 2, g2)):
        born = date(1960 + seq, 1, 2)
        roster.create(db, MemberInput(name=name, org_id=org, id_number=idcard.make("320102", born, seq, gender),
                                      gender=gender, birth_date=born, joined_date=date(1990, 7, 1),
                                      confirmed_date=date(1991, 7, 1)))
    h1 = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    h2 = res.create_household(db, res.HouseholdInput(grid_id=g2, building="桂花苑1栋", unit="1单元", room="101"))
    today = date(2025, 4, 1)
    res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h1.id), today)
    res.create_resident(db, res.ResidentInput(name="赵德明", household_id=h2.id), today)
    # two 李桂芳: the phone and the address tell them apart
    res.create_resident(db, res.ResidentInput(name="李桂芳", household_id=h2.id, phone="13900001111"), today)
    res.create_resident(db, res.ResidentInput(name="李桂芳", household_id=h1.id, phone="13900002222"), today)
    return g1, g2


@pytest.fixture
def town(db):
    return _town(db)


def count(db, model=Visit) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def test_a_visit_log_comes_in_with_its_visitors_and_follow_up_and_not_twice(db, town, tmp_path):
    path = sheet(tmp_path / "走访台账.xlsx", GOOD)
    plan = visits_import.preview(db, path)
    assert plan.errors == () and [s.row_number for s in plan.skipped] == [6]
    assert plan.lines == ("新增走访记录 3 条（其中待处理 1 条）", "无变化（已有同一次走访）0 条")
    assert visits_import.apply(db, plan) == 3
    rows = {r.visitee: r for r in visits.list_visits(db, today=date(2025, 4, 1))}
    wang, zhao, li = rows["王秀英"], rows["赵德明"], rows["李桂芳"]
    assert (wang.visit_date, wang.form, wang.follow_state) == (date(2025, 3, 2), "走访", flow.NO_ACTION)
    assert wang.visitors == "张建国、网格员小刘" and wang.address == "梅园新村3栋2单元302室"
    assert (zhao.form, zhao.follow_state, zhao.category, zhao.content) == ("电话", flow.PENDING, "其他", "询问；楼道路灯不亮")
    assert (li.follow_state, li.resolved_on, li.resolution) == (flow.SOLVED, date(2025, 3, 12), "已联系物业更换")
    assert li.address == "桂花苑1栋1单元101" and li.visitors == "张建国"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(VisitMember)) == 3
        assert s.scalar(select(AuditEntry.note).where(
            AuditEntry.action == "import", AuditEntry.table_name == "visit")).startswith(
            "导入走访记录 3 条（走访台账.xlsx［Sheet］，导入批次 ")  # the batch 撤销这次导入 takes back
    # the same 台账 again, with one new visit added at its end: only that one is new
    more = sheet(tmp_path / "走访台账2.xlsx", GOOD + [[4, "2025-03-20", "王秀英", None, None, "张建国", "来访", "", "",
                                                     None, None]])
    again = visits_import.preview(db, more)
    assert again.lines == ("新增走访记录 1 条（其中待处理 0 条）", "无变化（已有同一次走访）3 条")
    assert visits_import.apply(db, again) == 1 and count(db) == 4


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(db, town, tmp_path):
    rows = [r[:] for r in GOOD] + [
        [4, "2025-02-30", "王秀英", None, None, "张建国", None, None, None, None, None],
        [5, "2025-03-02", "钱多多", None, None, "张建国", None, None, None, None, None],
        [6, "2025-03-02", "李桂芳", None, None, "张建国", None, None, None, None, None],
        [7, "2025-03-02", "李桂芳", None, "13700000000", "张建国", None, None, None, None, None],
        [8, "2025-03-02", "王秀英", None, None, None, None, "送温暖", None, None, None],
        [9, "2025-03-02", "王秀英", None, None, "张建国", "视频", "送温暖", None, None, None],
        [10, "2025-03-09", "赵德明", None, None, "李秀兰", None, None, "漏水", "已修好", "2025-03-01"],
        [11, "2025-03-02", "王秀英", "梅园新村3栋", None, "张建国", "入户", "独居老人，身体尚好", None, None, None],
    ]
    plan = visits_import.preview(db, sheet(tmp_path / "bad.xlsx", rows))
    got = {(e.row_number, e.field): e.reason for e in plan.errors}
    assert set(got) == {(6, "走访日期"), (7, "走访对象"), (8, "走访对象"), (9, "联系电话"), (10, "走访人"),
                        (11, "走访形式"), (12, "办结日期"), (13, "走访对象")}
    assert "不是已登记的居民" in got[(7, "走访对象")] and "2 名同名的居民" in got[(8, "走访对象")]
    assert "与第 3 行是同一次走访" in got[(13, "走访对象")]
    assert got[(12, "办结日期")] == "不能早于走访日期（2025-03-09）" and got[(10, "走访人")] == "请填写走访人的姓名"
    assert "走访、民情恳谈、来访、电话" in got[(11, "走访形式")] and "电话不符" in got[(9, "联系电话")]
    with pytest.raises(Exception, match="未导入任何数据"):
        visits_import.apply(db, plan)
    assert count(db) == 0


def test_a_grid_worker_imports_visits_of_their_own_grid_only_and_a_viewer_none(db, town, tmp_path):
    g1, _g2 = town
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "grid1", "李网格", "grid", PASSWORD, grid_ids=[g1])
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    path = sheet(tmp_path / "走访台账.xlsx", GOOD)
    auth.login(db, "grid1", PASSWORD)
    plan = visits_import.preview(db, path)
    assert {(e.row_number, e.field) for e in plan.errors} == {(4, "走访对象"), (5, "走访对象")}
    assert "自己负责的网格" in plan.errors[0].reason
    auth.login(db, "street", PASSWORD)
    with pytest.raises(PermissionDenied):
        visits_import.preview(db, path)
    auth.login(db, "admin", PASSWORD)
    plan = visits_import.preview(db, path)
    auth.login(db, "street", PASSWORD)
    with pytest.raises(PermissionDenied):
        visits_import.apply(db, plan)
    assert count(db) == 0


def test_a_visit_logged_by_hand_is_not_imported_again(db, town, tmp_path):
    wang = next(r for r in res.search_residents(db) if r.name == "王秀英")
    zhang = next(m for m in visits.member_choices(db, "张建国"))
    visits.log_visit(db, VisitInput(visit_date=date(2025, 3, 2), member_ids=(zhang.id,), resident_id=wang.id,
                                    raised_issue=False, content="独居老人，身体尚好"), today=date(2025, 4, 1))
    plan = visits_import.preview(db, sheet(tmp_path / "t.xlsx", GOOD[:1]))
    assert plan.items == () and plan.lines[1] == "无变化（已有同一次走访）1 条"


def test_cli_imports_a_visit_log_with_a_dry_run_first(tmp_path, capsys):
    path = tmp_path / "c.db"
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    db, _ = open_database(path)
    _town(db)
    db.dispose()
    bad = sheet(tmp_path / "bad.xlsx", GOOD + [[4, "2025-03-02", "钱多多", None, None, "张建国", None, None, None,
                                                None, None]])
    assert main(["import", "visits", str(bad), "--db", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "第 6 行，走访对象“钱多多”：不是已登记的居民" in out and "未导入任何数据" in err
    good = sheet(tmp_path / "good.xlsx", GOOD)
    assert main(["import", "visits", str(good), "--db", str(path), "--dry-run"]) == 0
    assert "新增走访记录 3 条" in capsys.readouterr().out
    assert main(["import", "visits", str(good), "--db", str(path)]) == 0
    assert "已导入 3 条走访记录" in capsys.readouterr().out
    assert main(["import", "visits", str(good), "--db", str(path)]) == 0
    assert "已导入 0 条走访记录" in capsys.readouterr().out
    db, _ = open_database(path)
    assert count(db) == 3
    db.dispose()
