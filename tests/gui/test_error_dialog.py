"""An unexpected error says what to do and copies its details for support in one click."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import __version__
from desktop_app.gui import errors


def _boom() -> Exception:
    try:
        {}["缺少的键"]
    except KeyError as exc:
        return exc
    raise AssertionError


def test_the_box_names_what_to_do_and_holds_the_trace(qapp):
    box = errors.error_box(None, _boom())
    assert "复制详情" in box.text() and "技术支持" in box.text()
    assert box.copy_button.text() == "复制详情"
    assert "Traceback" in box.details and __version__ in box.details and "dangqun.log" in box.details
    box.deleteLater()


def test_copy_details_puts_them_on_the_clipboard_and_the_box_stays_until_closed(qtbot, monkeypatch):
    clicks: list[str] = []
    monkeypatch.setattr(errors.log, "error", lambda *a, **k: None)
    monkeypatch.setattr(errors, "QMessageBox", QMessageBox)  # the real box: this test answers it itself

    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press)
            return
        if not clicks:
            clicks.append("copy")
            box.copy_button.click()
            QTimer.singleShot(20, press)
        else:
            clicks.append("close")
            assert "已复制" in box.informativeText()
            box.defaultButton().click()

    QTimer.singleShot(20, press)
    errors.show_error(None, _boom())
    assert clicks == ["copy", "close"]
    text = QApplication.clipboard().text()
    assert "KeyError" in text and "Traceback" in text
