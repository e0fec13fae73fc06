"""Errors shown as plain messages; the full trace goes to the rotating log file."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.domain.errors import DomainError
from desktop_app.settings import log_dir

log = logging.getLogger("desktop_app")


def setup_logging() -> str:
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
    return f"程序遇到意外错误：{type(exc).__name__}: {exc}\n\n详情已写入日志：{log_dir() / 'dangqun.log'}"


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, DomainError):
        QMessageBox.warning(parent, "无法完成", plain_message(exc))
        return
    log.error("error", exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.critical(parent, "出错了", plain_message(exc))


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
