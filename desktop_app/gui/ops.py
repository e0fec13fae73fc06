"""Run a service call off the GUI thread; deliver its result or error on the GUI thread.

    run_op(parent, lambda job: services.x(db, ...), on_done, label="正在导入…",
           changes=changes(Change.MEMBERS))

A write declares what it changes (`changes`): once it has succeeded, the bus
carries that set and every page showing any of it refreshes. Reads declare nothing.

The callable gets a Job: `job.report(done, total)` updates the progress dialog
and raises Cancelled once the user pressed 取消; `job.report(done, total, text)`
also puts `text` over the bar (第 2 / 5 个数据包 over that package's bar), in the
same dialog. Signals cross threads as queued connections, so the callbacks
always run on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from desktop_app.gui.bus import bus
from desktop_app.views.changes import Changes

log = logging.getLogger(__name__)


class Cancelled(Exception):
    pass


class Job:
    def __init__(self, signals: "_Signals"):
        self._signals = signals
        self.cancel_requested = False
        self._text: str | None = None

    def report(self, done: int, total: int, text: str | None = None) -> None:
        if self.cancel_requested:
            raise Cancelled()
        if text is not None and text != self._text:  # sent when it changes, not with every row count
            self._text = text
            self._signals.text.emit(text)
        self._signals.progress.emit(int(done), int(total))


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)
    text = Signal(str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[Job], Any], signals: _Signals, job: Job):
        super().__init__()
        self.fn, self.signals, self.job = fn, signals, job
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.job)
        except BaseException as exc:  # noqa: BLE001 - every error goes back to the GUI
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


_running: set[_Signals] = set()  # keep signal objects alive until their task ends


def pending() -> int:
    """How many background operations have not delivered yet (tests wait on this)."""
    return len(_running)


def run_op(
    parent: QWidget | None,
    fn: Callable[[Job], Any],
    on_success: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    *,
    label: str | None = None,
    changes: Changes | None = None,
) -> Job:
    signals = _Signals()
    job = Job(signals)
    dialog: QProgressDialog | None = None
    if label:
        dialog = QProgressDialog(label, "取消", 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(lambda: setattr(job, "cancel_requested", True))

        def on_progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)

        signals.progress.connect(on_progress)
        signals.text.connect(dialog.setLabelText)

    def finish() -> None:
        _running.discard(signals)
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()

    def alive() -> bool:
        # The page that asked may be gone (window closed) before the result arrives.
        return parent is None or isValid(parent)

    def succeeded(result: Any) -> None:
        finish()
        if changes:
            bus.announce_set(changes)
        if on_success and alive():
            on_success(result)

    def failed(exc: BaseException) -> None:
        finish()
        if isinstance(exc, Cancelled):
            return
        if changes and getattr(exc, "committed", False):  # saved, its file kept aside (files.LeftBeside)
            bus.announce_set(changes)
        if not alive():
            log.error("background operation failed after its page closed", exc_info=exc)
            return
        if on_error:
            on_error(exc)
        else:
            from desktop_app.gui.errors import show_error

            show_error(parent, exc)

    signals.succeeded.connect(succeeded)
    signals.failed.connect(failed)
    _running.add(signals)
    QThreadPool.globalInstance().start(_Task(fn, signals, job))
    return job
