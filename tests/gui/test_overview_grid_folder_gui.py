"""概览 shows 年度党建工作台账… (and 附照片) to whoever may make the folder: not to a 网格员, whom the service
refuses; the 书记 keeps it."""

from __future__ import annotations

import pytest

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site
from tests.integration.test_overview_grid_scope import grids  # noqa: F401
from tests.integration.test_roles import as_user, fast_kdf, town, world  # noqa: F401


def overview_as(qtbot, app_ctx, wait_ops, login):
    """The main window at 1366x768 as `login`, and its 概览 page."""
    as_user(app_ctx.db, login)
    w = MainWindow(AppContext(db=app_ctx.db, site=site.get_site(app_ctx.db)))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait_ops()
    return w, w.pages["概览"]


@pytest.mark.parametrize("login, shown", [("grid1", False), ("grid12", False), ("sec", True)])
def test_the_folder_button_is_for_who_may_make_it(qtbot, app_ctx, wait_ops, grids, shot, login, shown):  # noqa: F811
    w, page = overview_as(qtbot, app_ctx, wait_ops, login)
    assert page.folder_button.isVisible() is shown
    assert page.folder_photos.isVisible() is shown
    assert page.folder_button.parent() is not None and not page.folder_button.isWindow()
    shot(w, f"overview_folder_{login}.png")
