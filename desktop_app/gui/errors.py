"""Errors shown as plain messages; the full trace goes to the rotating log file."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app import APP_NAME, __version__
from desktop_app.domain.errors import DomainError, SavedButNotPlaced
from desktop_app.settings import log_dir

log = logging.getLogger("desktop_app")


def _platform():
    import platform  # 15 ms at start; only an error report needs it

    return platform


def setup_logging() -> str:
    from logging.handlers import RotatingFileHandler  # not before the window's frame has painted

    path = log_dir() / "dangqun.log"
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return str(path)


def plain_message(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return str(exc)
    if isinstance(exc, PermissionError):
        return f"没有权限读写文件：{exc.filename or exc}"
    if isinstance(exc, OSError):
        return f"无法读写文件 {exc.filename or ''}：{exc.strerror or exc}"
    return (
        f"程序遇到意外错误：{type(exc).__name__}: {exc}\n\n"
        "刚才的操作可能没有完成，请检查后再试一次。如果再次出现，请点“复制详情”，"
        f"把详情粘贴发给技术支持。详情也已写入日志：{log_dir() / 'dangqun.log'}"
    )


def error_details(exc: BaseException) -> str:
    """What support needs, as text to paste into a chat or an e-mail."""
    return "\n".join([
        f"{APP_NAME} {__version__}",
        f"时间：{datetime.now():%Y-%m-%d %H:%M:%S}",
        f"系统：{_platform().platform()}，Python {_platform().python_version()}",
        f"日志：{log_dir() / 'dangqun.log'}",
        "",
        plain_message(exc),
        "",
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip(),
    ])


def error_box(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """The 出错了 box: the plain message, the details folded away, a 复制详情 button."""
    box = QMessageBox(QMessageBox.Icon.Critical, "出错了", plain_message(exc), parent=parent)
    box.details = error_details(exc)
    box.setDetailedText(box.details)
    box.copy_button = box.addButton("复制详情", QMessageBox.ButtonRole.ActionRole)
    box.copy_button.setToolTip("复制到剪贴板，可粘贴到微信或邮件里发给技术支持")
    box.setDefaultButton(box.addButton("关闭", QMessageBox.ButtonRole.RejectRole))
    return box


def copy_details(box: QMessageBox) -> None:
    QApplication.clipboard().setText(box.details)
    box.setInformativeText("详情已复制，可粘贴发给技术支持。")


SAVED_NOT_PLACED_TITLE = "已保存，文件待改名"


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, SavedButNotPlaced):  # the record and the file both exist: not 无法完成
        QMessageBox.warning(parent, SAVED_NOT_PLACED_TITLE, plain_message(exc))
        return
    if isinstance(exc, DomainError):
        QMessageBox.warning(parent, "无法完成", plain_message(exc))
        return
    log.error("error", exc_info=(type(exc), exc, exc.__traceback__))
    box = error_box(parent, exc)
    # A QMessageBox closes on any button: after 复制详情, show it again until 关闭.
    while True:
        box.exec()
        if box.clickedButton() is not box.copy_button:
            break
        copy_details(box)
    box.deleteLater()


def install_excepthook() -> None:
    """Uncaught exceptions in slots reach the user as a dialog instead of killing the program."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("uncaught: %s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if QApplication.instance() is not None:
            show_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook
