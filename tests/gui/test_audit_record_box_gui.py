"""操作记录: the 记录编号 box says what it takes (the 记录编号 of an entry's detail, or a 身份证号) and a member's
身份证号 typed there lists that member's entries; the detail line shows the 记录编号 it speaks of."""

from __future__ import annotations

from tests.gui.test_audit_export_gui import page  # noqa: F401
from tests.integration.test_audit_record_box import people  # noqa: F401


def test_a_members_id_number_in_the_box_lists_their_entries(people, page, wait_ops, qtbot, shot):  # noqa: F811
    m, number, *_ = people
    p = page
    assert p.row_id.placeholderText() == "记录编号或身份证号（可不填）"
    assert "详情最后一行的“记录编号”" in p.row_id.toolTip() and "身份证号" in p.row_id.toolTip()
    qtbot.keyClicks(p.row_id, number.lower())
    qtbot.keyClick(p.row_id, "\r")
    wait_ops()
    qtbot.waitUntil(lambda: p.current is not None and p.current.total == 2, timeout=20_000)
    assert {r.row_id for r in p.current.rows} == {m}
    p.list.selectRow(0)
    wait_ops()
    assert f"记录编号 {m}" in p.header.text()
    shot(p, "audit_record_box.png")
