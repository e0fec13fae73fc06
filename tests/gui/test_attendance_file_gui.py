"""导入出勤's picker offers Excel/WPS workbooks and CSV; its template is saved as .xlsx first (offscreen)."""

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtWidgets import QFileDialog

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings import attendance_file
from desktop_app.gui.meetings.page import MeetingsPage
from desktop_app.gui.widgets import common, forms
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from desktop_app.services.meetings import attendance_import


@pytest.fixture
def page(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    roster.create(db, MemberInput(name="王芳", org_id=b.id, id_number=idcard.make("320102", date(1950, 3, 1), 0, idcard.MALE),
                                  joined_date=date(1980, 7, 1), confirmed_date=date(1981, 7, 1)))
    meeting = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, meeting_date=date(2025, 5, 8)),
                      today=date(2025, 5, 20))
    p = MeetingsPage(app_ctx)
    qtbot.addWidget(p)
    wait_ops()
    return p, meeting


def _sheet_picked(meeting, monkeypatch, tmp_path) -> list[str]:
    """A workbook marking 王芳 present at `meeting`, picked in the open-file box; the filters it was offered."""
    wb = Workbook()
    wb.active.append(["会议编号", "姓名", "出勤情况"])
    wb.active.append([meeting.number, "王芳", "出席"])
    wb.save(tmp_path / "签到.xlsx")
    offered = []

    def pick(parent, title, folder, filters, *a, **k):
        offered.append(filters)
        return str(tmp_path / "签到.xlsx"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    return offered


def test_the_picker_offers_workbooks_and_csv_and_the_picked_xlsx_imports(page, monkeypatch, tmp_path):
    p, meeting = page
    offered = _sheet_picked(meeting, monkeypatch, tmp_path)
    path = attendance_file.ask_file(p)
    first = offered[0].split(";;")[0]
    assert set(first[first.index("(") + 1:first.index(")")].split()) == {"*.xlsx", "*.xls", "*.ods", "*.csv"}
    assert "Excel 97-2003 工作簿 (*.xls)" in offered[0].split(";;")
    res = attendance_import.import_file(p.ctx.db, path, today=date(2025, 5, 20))
    assert res.rows == 1 and ms.get(p.ctx.db, meeting.id).present == 1


@pytest.mark.parametrize(("chosen", "suffix"), [(forms.XLSX, ".xlsx"), (forms.CSV, ".csv")])
def test_the_template_is_offered_as_xlsx_first_and_saved_as_chosen(page, monkeypatch, tmp_path, wait_ops, chosen,
                                                                   suffix):
    p, meeting = page
    asked = []

    def save(parent, title, default, filters, *a, **k):
        asked.append((default, filters))
        return str(tmp_path / "五月签到"), chosen  # typed without an extension

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    said = []
    monkeypatch.setattr(p, "show_message", said.append)
    attendance_file.save_template(p, meeting.id)
    wait_ops()
    default, filters = asked[0]
    assert default.endswith("出勤导入模板.xlsx") and filters.split(";;")[0] == forms.XLSX
    saved = tmp_path / f"五月签到{suffix}"
    assert saved.is_file() and said == [f"出勤导入模板已保存到 {saved}"]
    if suffix == ".xlsx":
        ws = load_workbook(saved)["出勤"]
        assert [c.value for c in ws[2]][:2] == [meeting.number, "王芳"]
    else:
        assert saved.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_page_s_buttons_import_a_workbook_and_save_the_selected_meeting_s_template(page, monkeypatch, tmp_path,
                                                                                     wait_ops, qtbot):
    p, meeting = page
    offered = _sheet_picked(meeting, monkeypatch, tmp_path)
    monkeypatch.setattr(common, "ask", lambda *a, **k: True)
    assert "Excel" in p.act_import.toolTip()
    p.act_import.trigger()
    wait_ops()
    assert "*.xls" in offered[0] and ms.get(p.ctx.db, meeting.id).present == 1

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "模板.xlsx"), forms.XLSX)))
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    p.apply_filter(year=2025)
    p.load_meetings()  # a page not shown loads when asked
    qtbot.waitUntil(lambda: p.model.find(meeting.id) >= 0)
    assert p.select(meeting.id)
    p.act_template.trigger()
    wait_ops()
    ws = load_workbook(tmp_path / "模板.xlsx")["出勤"]
    assert [c.value for c in ws[2]][:2] == [meeting.number, "王芳"]
