"""A roster import's 流动 rows pass the rule the 登记流出 form applies (domain.memberlife.check_floating): a
流动党员 register from another system brings 活动证编号, 外出联系方式 and 流入地党组织 with the 流出, and what
the form refuses by hand (a contact that is no phone number, a card number too long) is refused on import in
the same words, by row and column, with nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain import memberlife as life_rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import memberlife as ml
from desktop_app.services import roster
from desktop_app.store.models import Member
from tests.integration.test_history_imports import workbook
from tests.integration.test_member_import import HEADER, branch  # noqa: F401

TODAY = date(2026, 12, 6)
# another system's 流动党员 register: its own headers for the 流出's details
FLOW = [*HEADER[:-1], "是否流动党员", "流入地", "外出时间", "流动党员活动证号", "外出联系电话", "流入地党组织"]
WANG = idcard.make("320104", date(1980, 5, 1), 7, "男")
ZHAO = idcard.make("320104", date(1982, 6, 2), 8, "女")
SUN = idcard.make("320104", date(1975, 3, 9), 9, "男")


def _row(seq, name, number, floating="是", place="广东省深圳市", card="", contact="", host=""):
    return [seq, name, "第一网格党支部", number, "", "正式党员", "2001-07-01", "2002-07-01", floating, place,
            "2026-03-01" if floating == "是" else "", card, contact, host]


def _file(tmp_path, rows):
    return workbook(tmp_path / "流动党员.xlsx", FLOW, rows)


def _by_hand(db, branch, **cells) -> str:  # noqa: F811
    """What 登记流出 says of the same cells, for a member already on the roster."""
    m = roster.create(db, MemberInput(name="孙七", org_id=branch.id, id_number=SUN, joined_date=date(2001, 7, 1),
                                      confirmed_date=date(2002, 7, 1)))
    with pytest.raises(ValidationError) as refused:
        ml.add_floating(db, life_rules.FloatingInput(life_rules.FLOW_OUT, branch.id, date(2026, 3, 1), m.id,
                                                     place="广东省深圳市", **cells), today=TODAY)
    return refused.value.message


@pytest.mark.parametrize("cells, column, value", [
    ({"contact": "12345"}, "外出联系方式", "12345"),
    ({"card_no": "深流" + "9" * 60}, "活动证编号", "深流" + "9" * 60),
])
def test_a_floating_row_the_form_would_refuse_is_refused_in_the_forms_words(db, branch, tmp_path,  # noqa: F811
                                                                             cells, column, value):
    words = _by_hand(db, branch, **cells)
    row = _row(1, "王五", WANG, card=cells.get("card_no", ""), contact=cells.get("contact", ""))
    p = roster.preview_import(db, _file(tmp_path, [row, _row(2, "赵六", ZHAO)]), today=TODAY)
    assert [(e.row_number, e.field, e.value, e.reason) for e in p.errors] == [(2, column, value, words)]
    assert "第 2 行" in p.errors[0].message(p.file_name) and column in p.errors[0].message(p.file_name)
    assert len(p.to_add) == 1 and [o.name for o in p.outings] == ["赵六"]
    with pytest.raises(DomainError, match="未导入任何数据|有误"):
        roster.apply_import(db, p, today=TODAY)  # a refused import writes nothing
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Member).where(Member.name.in_(["王五", "赵六"]))) == 0


def test_the_registers_details_go_to_the_outflow_it_registers(db, branch, tmp_path):  # noqa: F811
    row = _row(1, "王五", WANG, card="深流0001", contact="138 1234 5678", host="深圳市南山区某街道党工委")
    p = roster.preview_import(db, _file(tmp_path, [row]), today=TODAY)
    assert not p.errors, p.errors
    assert roster.apply_import(db, p, today=TODAY).outings == 1
    [out] = ml.floating(db, life_rules.FLOW_OUT)
    assert (out.name, out.start_date, out.place, out.card_no, out.other_org) == (
        "王五", date(2026, 3, 1), "广东省深圳市", "深流0001", "深圳市南山区某街道党工委")
    assert out.contact == "13812345678"  # as the form keeps it


def test_a_floating_detail_on_a_member_who_is_not_floating_is_a_row_error(db, branch, tmp_path):  # noqa: F811
    row = _row(1, "王五", WANG, floating="否", place="", card="深流0001")
    p = roster.preview_import(db, _file(tmp_path, [row]), today=TODAY)
    assert [(e.row_number, e.field, e.reason) for e in p.errors] == [(2, "活动证编号", "只有流动党员才填写活动证编号")]
