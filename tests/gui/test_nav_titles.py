"""The navigation shows every page's title whole at its fixed width (no 联系户与兼… for 联系户与兼职委员)."""

from desktop_app.gui.main_window import MainWindow

BORDER, PADDING, SPACING = 4, 10, 4  # resources/style.qss: the item's left border and padding; icon-text gap


def room_for_text(window: MainWindow, row: int) -> int:
    nav = window.nav
    return (nav.visualItemRect(nav.item(row)).width() - BORDER - 2 * PADDING - nav.iconSize().width() - SPACING)


def test_every_title_fits_in_the_navigation(qtbot, app_ctx, wait_ops):
    window = MainWindow(app_ctx)
    qtbot.addWidget(window)
    window.skip_exit_backup = True
    window.resize(1366, 728)
    window.show()
    wait_ops()
    metrics = window.nav.fontMetrics()
    assert metrics.height() >= 15  # the style sheet's 15px font is on the navigation
    clipped = [window.nav.item(row).text() for row in range(window.nav.count())
               if metrics.horizontalAdvance(window.nav.item(row).text()) > room_for_text(window, row)]
    assert clipped == []
    window.nav.setFixedWidth(170)  # the width it had: the check sees the longest title cut
    qtbot.wait(10)
    assert any(metrics.horizontalAdvance(window.nav.item(row).text()) > room_for_text(window, row)
               for row in range(window.nav.count()))
