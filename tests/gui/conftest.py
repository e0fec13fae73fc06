import sys
import time
import traceback

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from desktop_app.gui import errors, ops

# Offscreen nobody clicks a modal box: a test that opens one it did not ask for would wait until
# pytest-timeout kills it, 15 minutes later. The guards below make such a test fail within seconds,
# with what the box said and where it was opened. What users see is unchanged: only tests swap these.

UNANSWERED_MODAL_S = 30.0  # a modal dialog open this long with no one answering it fails the test


class _ErrorBoxes:
    """The 出错了 / 无法完成 boxes of one test: recorded, and a failure unless the test expects them."""

    current: "_ErrorBoxes | None" = None

    def __init__(self) -> None:
        self.expected = False
        self.shown: list[str] = []
        self.unexpected: list[str] = []

    def present(self, text: str, exc: BaseException | None) -> None:
        self.shown.append(text)
        if self.expected:
            return
        trace = "".join(traceback.format_exception(exc)) if exc is not None else _stack()
        # Not raised here: inside a Qt slot pytest-qt would report it a second time. The box returns
        # at once instead, the test runs on (a wait for what the failed operation never gave ends in
        # seconds) and pytest_runtest_call below fails it with this.
        self.unexpected.append(
            "an error box was shown that this test does not expect (take the error_boxes fixture if it should):\n"
            f"{text}\n\n{trace}"
        )


class _GuardedBox(QMessageBox):
    """errors.py's QMessageBox during a test: the boxes show_error opens return at once."""

    def exec(self) -> int:
        _ErrorBoxes.current.present(self.text(), getattr(self, "exc", None))
        return int(QMessageBox.StandardButton.Close)

    @staticmethod
    def warning(parent, title, text, *args, **kwargs):
        # show_error passes only the message; its caller's frame holds the exception and its stack.
        exc = sys._getframe(1).f_locals.get("exc")
        _ErrorBoxes.current.present(text, exc if isinstance(exc, BaseException) else None)
        return QMessageBox.StandardButton.Ok


def _error_box(parent, exc):
    box = _real_error_box(parent, exc)
    box.exc = exc
    return box


_real_error_box = errors.error_box


@pytest.fixture(autouse=True)
def _error_box_guard(monkeypatch):
    guard = _ErrorBoxes()
    monkeypatch.setattr(errors, "QMessageBox", _GuardedBox)
    monkeypatch.setattr(errors, "error_box", _error_box)
    monkeypatch.setattr(_ErrorBoxes, "current", guard)
    return guard


@pytest.fixture
def error_boxes(_error_box_guard):
    """For a test that expects error boxes: the messages they showed (no box opens)."""
    _error_box_guard.expected = True
    return _error_box_guard.shown


@pytest.fixture(autouse=True)
def _modal_watchdog(request):
    """Any other modal dialog (exec, QMessageBox.question, a file dialog) left open with no one to
    answer it is closed after UNANSWERED_MODAL_S and fails the test, with the stack that opened it."""
    app = QApplication.instance()
    if app is None:  # a test that never made a QApplication cannot open a dialog
        yield
        return
    seen: dict = {}
    timer = QTimer()  # no parent: tests that count the application's timers see none of ours
    timer.setInterval(500)

    def check() -> None:
        modal = app.activeModalWidget()
        if modal is None or isinstance(modal, QProgressDialog):  # a running operation's progress is no wait
            seen.clear()
            return
        since = seen.setdefault(id(modal), time.monotonic())
        if time.monotonic() - since < UNANSWERED_MODAL_S:
            return
        seen.clear()
        text = modal.text() if isinstance(modal, QMessageBox) else ""
        request.node.stash[_UNANSWERED] = request.node.stash.get(_UNANSWERED, []) + [
            f"{type(modal).__name__} 「{modal.windowTitle()}」 {text} waited {UNANSWERED_MODAL_S:.0f} s "
            f"for an answer nobody gave; opened from:\n{_stack()}"
        ]
        modal.close()
        if hasattr(modal, "reject"):
            modal.reject()

    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    # pytest-qt closes the test's widgets before this teardown; a close that asked a question cost 30 s
    # in silence (and a CI run its time limit): it fails the test's teardown instead.
    left = request.node.stash.get(_UNANSWERED, [])
    if left:
        pytest.fail("while the test's widgets were being closed:\n\n" + "\n\n".join(left), pytrace=False)


_UNANSWERED = pytest.StashKey[list]()


def _stack() -> str:
    """Where we are, from the test down: pytest's and pluggy's frames say nothing."""
    frames = [f for f in traceback.extract_stack()[:-2]
              if "site-packages" not in f.filename and "<frozen" not in f.filename]
    return "".join(traceback.format_list(frames))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    try:
        return (yield)
    finally:
        guard = item.funcargs.get("_error_box_guard")
        found = (guard.unexpected if guard else []) + item.stash.get(_UNANSWERED, [])
        item.stash[_UNANSWERED] = []  # reported here; the watchdog's teardown reports only what comes after
        if found:
            pytest.fail("\n\n".join(found), pytrace=False)


@pytest.fixture
def wait_ops(qtbot):
    """Wait until every background operation has delivered to the GUI thread."""

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: ops.pending() == 0, timeout=timeout)
        qtbot.wait(10)  # let queued slots that the delivery triggered run

    return wait


@pytest.fixture
def shot(tmp_path):
    """`shot(widget, "name.png")` saves what the widget shows: into $DANGQUN_SHOTS when set (to look at it),
    else into this test's tmp_path; never a fixed /tmp name two runs on one machine would both write."""
    import os
    from pathlib import Path

    def save(widget, name: str) -> Path:
        path = Path(os.environ.get("DANGQUN_SHOTS") or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(path))
        return path

    return save


@pytest.fixture
def app_ctx(db, qapp):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site

    make_app()  # fonts and style sheet as the real program has them
    return AppContext(db=db, site=site.get_site(db))


@pytest.fixture(autouse=True)
def _no_key_left_held():
    """A key test whose shortcut moved the focus before the modifiers' release (Ctrl+Shift+N opening a
    form) leaves Qt believing Shift is still held; the next test's selectRow would then extend or
    toggle a selection instead of selecting. Release every modifier after each test."""
    yield
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    if QApplication.instance() is None or QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
        return
    probe = QWidget()
    probe.show()
    for key in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
        QTest.keyRelease(probe, key)
    probe.close()
    probe.deleteLater()
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
