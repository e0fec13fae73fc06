"""三会一课 添加附件 with several files: the page says how many were added, or which file was refused and that none was."""

from datetime import date

import pytest

from desktop_app.domain import meetings as r
from desktop_app.gui.widgets import forms
from desktop_app.services import meetings as ms
from desktop_app.services import orgs
from desktop_app.settings import data_dir
from tests.gui.test_signin_scan_gui import open_page


@pytest.fixture
def page(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=date.today()))
    p = open_page(qtbot, app_ctx, wait_ops, m)
    wait_ops()
    p.meeting = m
    return p


def pick(monkeypatch, paths):
    monkeypatch.setattr(forms, "ask_open_paths", lambda *a, **k: list(paths))


def listed(page) -> list[str]:
    return [page.files.item(i).text() for i in range(page.files.count())]


def test_three_files_are_added_and_counted(page, tmp_path, wait_ops, monkeypatch):
    files = []
    for name in ("扫描1.jpg", "扫描2.jpg", "照片.png"):
        (tmp_path / name).write_bytes(b"\xff\xd8\xff\xe0 " + name.encode())
        files.append(tmp_path / name)
    pick(monkeypatch, files)
    page.attach_file()
    wait_ops()
    assert f"已为会议 {page.meeting.number} 添加 3 个附件" in page.message.text()
    assert sorted(listed(page)) == sorted(f.name for f in files)


def test_a_refused_third_file_is_named_and_nothing_is_added(page, tmp_path, wait_ops, monkeypatch, error_boxes):
    files = []
    for name in ("扫描1.jpg", "扫描2.jpg"):
        (tmp_path / name).write_bytes(b"\xff\xd8\xff\xe0 " + name.encode())
        files.append(tmp_path / name)
    pick(monkeypatch, [*files, tmp_path / "扫描3.jpg"])  # gone from the stick before 确定
    page.attach_file()
    wait_ops()
    (said,) = error_boxes
    assert "扫描3.jpg：文件不存在" in said and "所选的 3 个文件都没有添加" in said
    assert listed(page) == [] and ms.get(page.ctx.db, page.meeting.id).attachments == 0
    folder = data_dir() / "attachments"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_a_score_with_a_refused_file_stays_in_its_form_and_saves_nothing(qtbot, app_ctx, wait_ops, monkeypatch,
                                                                          tmp_path):
    from desktop_app.domain.evaluation_votes import usual_year
    from desktop_app.gui.assessment.dialogs import ScoreDialog
    from desktop_app.gui.assessment.page import AssessmentPage
    from desktop_app.services import assessment as asm

    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id
    year = usual_year(date.today())  # the year the page opens on
    asm.load_sample(db, year)
    page = AssessmentPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.panel.select_id(b)
    wait_ops()
    good = tmp_path / "换届批复.jpg"
    good.write_bytes(b"jpeg")
    said = []

    def exec_(dlg: ScoreDialog):
        dlg.score.setText("1.5")
        dlg.add_files([good, tmp_path / "补选记录.jpg"])  # the second gone before 保存
        dlg.accept()
        wait_ops()
        said.append(dlg.message.text())
        return dlg.result()

    monkeypatch.setattr(ScoreDialog, "exec", exec_)
    page.score()
    wait_ops()
    assert "补选记录.jpg：文件不存在" in said[0] and "2 个文件都没有添加" in said[0]
    assert next(r for r in page.panel.model.rows if r.branch_id == b).manual_tenths == 0
    folder = data_dir() / "attachments"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
