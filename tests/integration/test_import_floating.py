"""A roster import's 是否为流动党员 = 是 registers the 流出 (流动与失联) in the same unit of work, as the preview
says it will; a 否 never ends an open 流出 (a row warning); 撤销这次导入 withdraws the 流出 it registered.

The register is the one truth of 流动: an imported 流动 member without a 流出 was missing from the 流出 list
and its counts, with no 活动证 and no way to record the 返回.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain import memberlife as life_rules
from desktop_app.services import memberlife as ml
from desktop_app.services import revert, roster
from desktop_app.store.models import Member
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_memberlife import FloatingRecord
from tests.integration.test_member_import import GOOD_ROWS, HEADER, branch, by_name, write_csv  # noqa: F401

TODAY = date(2026, 12, 6)
FLOW = [*HEADER, "是否为流动党员", "外出流向", "外出日期"]
WANG = idcard.make("320104", date(1980, 5, 1), 7, "男")
ZHAO = idcard.make("320104", date(1982, 6, 2), 8, "女")


def _row(seq, name, number, floating="", place="", since=""):
    return [seq, name, "第一网格党支部", number, "", "正式党员", "2001-07-01", "2002-07-01", "", floating, place, since]


def _preview(db, tmp_path, rows, name="f.csv"):
    return roster.preview_import(db, write_csv(tmp_path / name, FLOW, rows), today=TODAY)


def _outflows(db) -> dict[str, ml.FloatingRow]:
    return {r.name: r for r in ml.floating(db, life_rules.FLOW_OUT)}


def _status(db, name) -> str:
    return by_name(db)[name].status


def test_a_floating_row_registers_its_outflow_under_the_members_branch(db, branch, tmp_path):
    p = _preview(db, tmp_path, [_row(1, "王五", WANG, "是", "广东省深圳市", "2026-03-01"),
                                _row(2, "赵六", ZHAO, "是", "上海市")])
    assert not p.errors
    assert [(o.name, o.start_date, o.place) for o in p.outings] == [
        ("王五", date(2026, 3, 1), "广东省深圳市"), ("赵六", TODAY, "上海市")]  # no 外出日期: the import's day
    assert "将登记流出 2 人" in p.summary()
    assert any("赵六：将在“流动与失联”登记流出（2026-12-06 起，去向 上海市）" in w.reason for w in p.warnings)
    assert _outflows(db) == {}  # a preview writes nothing
    assert roster.apply_import(db, p, today=TODAY).outings == 2
    out = _outflows(db)
    assert {n: (r.start_date, r.place, r.branch_name, r.active) for n, r in out.items()} == {
        "王五": (date(2026, 3, 1), "广东省深圳市", "第一网格党支部", True),
        "赵六": (TODAY, "上海市", "第一网格党支部", True)}
    assert _status(db, "王五") == _status(db, "赵六") == "流动"
    # 返回 works on an imported 流出 as on one registered by hand: 正常 again
    ml.end_floating(db, out["赵六"].id, TODAY, today=TODAY)
    assert _status(db, "赵六") == "正常"


@pytest.mark.parametrize("row, column, reason", [
    (_row(1, "王五", WANG, "是", ""), "外出流向", "流动党员请填写外出流向"),
    (_row(1, "王五", WANG, "否", "", "2026-03-01"), "外出日期", "只有流动党员才填写外出日期"),
    (_row(1, "王五", WANG, "是", "上海市", "2027-01-05"), "外出日期", "不能晚于今天"),
])
def test_a_floating_row_the_register_cannot_take_is_refused_by_row(db, branch, tmp_path, row, column, reason):
    p = _preview(db, tmp_path, [row, _row(2, "赵六", ZHAO)])
    assert [(e.row_number, e.field, reason in e.reason) for e in p.errors] == [(2, column, True)]
    assert p.invalid_rows == 1 and len(p.to_add) == 1 and not p.outings


def test_no_on_a_member_with_an_open_outflow_is_a_warning_and_changes_nothing(db, branch, tmp_path):
    roster.apply_import(db, _preview(db, tmp_path, [_row(1, "王五", WANG, "是", "广东省深圳市", "2026-03-01")]),
                        today=TODAY)
    p = _preview(db, tmp_path, [_row(1, "王五", WANG, "否", "")], "again.csv")
    assert any(w.row_number == 2 and "已登记流出（2026-03-01 起，广东省深圳市），尚未返回" in w.reason
               for w in p.warnings)
    assert not p.to_update and p.unchanged == 1 and not p.outings
    roster.apply_import(db, p, update_existing=True, today=TODAY)
    assert _status(db, "王五") == "流动" and _outflows(db)["王五"].active
    # another 去向: a new 流出 (after the 返回 of this one), not a second truth on the record
    p = _preview(db, tmp_path, [_row(1, "王五", WANG, "是", "浙江省杭州市")], "moved.csv")
    assert any(w.field == "外出流向" and "去向为广东省深圳市：导入不改变它" in w.reason for w in p.warnings)
    assert not p.to_update and not p.outings
    assert by_name(db)["王五"].floating_to == "广东省深圳市"


def test_an_update_into_floating_registers_the_outflow_only_when_updating(db, branch, tmp_path):
    roster.apply_import(db, _preview(db, tmp_path, [_row(1, "王五", WANG)]), today=TODAY)
    p = _preview(db, tmp_path, [_row(1, "王五", WANG, "是", "江苏省苏州市", "2026-10-01")], "again.csv")
    assert [o.member_id for o in p.outings] == [by_name(db)["王五"].id]
    assert roster.apply_import(db, p, update_existing=False, today=TODAY).outings == 0
    assert _outflows(db) == {} and _status(db, "王五") == "正常"
    assert roster.apply_import(db, p, update_existing=True, today=TODAY).outings == 1
    assert _outflows(db)["王五"].place == "江苏省苏州市" and _status(db, "王五") == "流动"
    assert by_name(db)["王五"].history[0].changed_on == date(2026, 10, 1)  # 流动 from the 外出日期


def _import_entry(db) -> AuditEntry:
    with db.session() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                         .order_by(AuditEntry.at.desc())).first()


@pytest.fixture
def two_outings(db, branch, tmp_path):
    """王五 on the roster; one import adds 赵六 (流动) and updates 王五 into 流动: two 流出 registered."""
    roster.apply_import(db, _preview(db, tmp_path, [_row(1, "王五", WANG)]), today=TODAY)
    p = _preview(db, tmp_path, [_row(1, "王五", WANG, "是", "江苏省苏州市"), _row(2, "赵六", ZHAO, "是", "上海市")],
                 "again.csv")
    assert roster.apply_import(db, p, update_existing=True, today=TODAY).outings == 2
    return db


def test_undoing_the_import_withdraws_the_outflows_it_registered(two_outings):
    db = two_outings
    entry = _import_entry(db)
    check = revert.check_batch_of(db, entry.id, today=TODAY)
    assert "撤销导入时登记的 2 条流出" in check.summary() and "移除导入新增的 1 名党员" in check.summary()
    out = revert.revert_batch(db, check.batch, today=TODAY)
    assert out.done and out.withdrawn == 2
    assert _outflows(db) == {}
    assert set(by_name(db)) == {"王五"} and _status(db, "王五") == "正常"
    with db.session() as s:
        rows = s.scalars(select(FloatingRecord)).all()
        assert len(rows) == 2 and all(r.deleted and r.version == 2 for r in rows)  # tombstones: they sync


def test_one_update_alone_is_refused_while_its_outflow_stands(two_outings):
    db = two_outings
    with db.session() as s:
        wang = s.scalars(select(Member.id).where(Member.name == "王五")).one()
        update = s.scalars(select(AuditEntry.id).where(AuditEntry.action == "import_update",
                                                       AuditEntry.row_id == wang)).one()
    with pytest.raises(revert.RevertRefused, match="这次导入同时为“王五”登记了流出：请撤销整批导入"):
        revert.revert_entry(db, update)


def test_undo_is_refused_naming_an_outflow_ended_since(two_outings):
    db = two_outings
    ml.end_floating(db, _outflows(db)["赵六"].id, TODAY, today=TODAY)
    with pytest.raises(revert.RevertRefused, match="导入时为“赵六”登记的流出此后已办理返回或修改过"):
        revert.revert_batch(db, revert.check_batch_of(db, _import_entry(db).id, today=TODAY).batch, today=TODAY)
    assert _outflows(db)["王五"].active  # nothing was written
