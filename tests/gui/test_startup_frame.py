"""The window paints its frame before the database opens; pages and their modules come when first shown."""

import json
import os
import subprocess
import sys

from desktop_app.gui.main_window import PAGES, MainWindow

PASSWORD = "frame-test-2026"

FRAME_ONLY = r"""
import json, sys
from desktop_app.gui.app import make_app, paint_frame
app = make_app()
w = paint_frame()
heavy = ("sqlalchemy", "reportlab", "openpyxl", "pypinyin", "qtawesome", "desktop_app.services", "desktop_app.store")
pages = sorted(m for m in sys.modules if m.startswith("desktop_app.gui.") and m.rsplit(".", 1)[0] in
               {"desktop_app.gui." + p for p in ("overview", "roster", "orgs", "meetings", "ledger", "cobuilding")})
print(json.dumps({"loaded": [m for m in heavy if m in sys.modules], "pages": pages, "visible": w.isVisible(),
                  "nav": [w.nav.item(i).text() for i in range(w.nav.count())]}))
"""


def test_every_page_line_says_what_its_class_says():
    for spec in PAGES:
        cls = spec.load()
        assert (cls.title, cls.icon, getattr(cls, "permission", None)) == (spec.title, spec.icon, spec.permission)
    assert len({spec.title for spec in PAGES}) == len(PAGES)


def test_the_frame_paints_before_sqlalchemy_the_services_or_any_page_module_are_imported():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", FRAME_ONLY], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["visible"]
    assert got["nav"] == [spec.title for spec in PAGES]  # the page names are there at once
    assert got["loaded"] == []
    assert got["pages"] == []


def test_a_page_chosen_before_the_database_opens_is_built_once_it_is_open(qtbot, app_ctx, wait_ops):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.pages.built() == {} and w.go_to("党员名册") is None  # nothing is built while the database opens
    built = []
    w.page_built.connect(built.append)
    with qtbot.waitSignal(w.ready):
        w.attach(app_ctx)
    wait_ops()
    page = w.pages.built()["党员名册"]
    assert built == [page] and w.stack.currentWidget() is page
    assert set(w.pages.built()) == {"党员名册"}  # the 概览 the window opens on by default was skipped
    assert "幸福里社区党委" in w.windowTitle() and "幸福里社区党委" in w.site_label.text()
    assert str(app_ctx.db.path) in w.db_label.text()
    w.skip_exit_backup = True


def test_pages_the_account_may_not_use_leave_the_navigation_when_it_opens(qtbot, app_ctx, wait_ops):
    from desktop_app.services import auth

    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    auth.logout(db)
    auth.login(db, "li", PASSWORD)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(len(PAGES) - 1)  # 操作记录, which a secretary may see
    w.attach(app_ctx)
    wait_ops()
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert "用户管理" not in titles and "用户管理" not in w.pages
    assert titles == list(w.pages) and w.stack.count() == len(titles)
    assert w.stack.currentWidget() is w.pages.built()[titles[w.nav.currentRow()]]
    assert not w.nav.item(0).icon().isNull()  # the icons arrived with the database
    w.skip_exit_backup = True


def test_the_file_check_started_beside_the_imports_stops_a_damaged_file_before_it_opens(app_ctx):
    import pytest

    from desktop_app.gui import app as gui_app
    from desktop_app.services.database import CorruptDatabase

    db = app_ctx.db
    path = db.path
    db.dispose()
    for suffix in ("-wal", "-shm"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)
    assert gui_app._check_early(path).result() == []  # a sound file
    assert gui_app._check_early(path.parent / "new.db") is None  # nothing to check yet
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # smash the first page's b-tree
    path.write_bytes(bytes(raw))
    checked = gui_app._check_early(path)
    assert checked.result()
    with pytest.raises(CorruptDatabase):
        gui_app.open_context(path, demo=False, checked=checked)


ROSTER_ONLY = r"""
import json, sys
import desktop_app.gui.roster.page
print(json.dumps([m for m in ("reportlab", "openpyxl", "desktop_app.services.memberlife", "desktop_app.store.models_cobuilding",
                              "desktop_app.gui.memberlife.member", "desktop_app.services.cobuilding") if m in sys.modules]))
"""


def test_the_roster_page_opens_without_printing_member_life_or_cobuilding_modules():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", ROSTER_ONLY], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
