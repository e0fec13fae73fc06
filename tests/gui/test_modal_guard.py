"""A GUI test that opens a box nobody answers fails within seconds, saying what the box said and where,
instead of waiting offscreen for pytest-timeout's 15 minutes (the guards in tests/gui/conftest.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desktop_app.domain.errors import ValidationError
from desktop_app.gui import ops
from desktop_app.gui.widgets import common
from tests.gui import conftest as guards


def _lookup(job):
    return {}["缺少的键"]


def _refuse(job):
    raise ValidationError("姓名", "不能为空")


def _run(qtbot, wait_ops, fn) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    ops.run_op(page, fn)  # no error handler: the ops layer shows the error box
    wait_ops()


def test_an_unhandled_error_returns_at_once_and_is_held_with_its_trace(qtbot, wait_ops, _error_box_guard):
    started = time.monotonic()
    _run(qtbot, wait_ops, _lookup)
    assert time.monotonic() - started < 10
    [report] = _error_box_guard.unexpected
    assert "程序遇到意外错误：KeyError" in report and "error_boxes" in report
    assert "Traceback" in report and "in _lookup" in report  # the operation's own stack
    _error_box_guard.unexpected.clear()  # held for the failure this test checks; not a failure of its own


def test_a_refusal_box_is_held_with_the_stack_that_raised_it(qtbot, wait_ops, _error_box_guard):
    _run(qtbot, wait_ops, _refuse)
    [report] = _error_box_guard.unexpected
    assert "姓名：不能为空" in report and "in _refuse" in report
    _error_box_guard.unexpected.clear()


def test_a_test_that_expects_error_boxes_gets_their_messages(qtbot, wait_ops, error_boxes, _error_box_guard):
    _run(qtbot, wait_ops, _refuse)
    _run(qtbot, wait_ops, _lookup)
    assert error_boxes[0] == "姓名：不能为空" and "KeyError" in error_boxes[1]
    assert _error_box_guard.unexpected == []


def test_a_modal_dialog_nobody_answers_is_closed_and_held(qtbot, request, monkeypatch):
    monkeypatch.setattr(guards, "UNANSWERED_MODAL_S", 0.2)
    dialog = QDialog()
    dialog.setWindowTitle("新增党员")
    qtbot.addWidget(dialog)
    started = time.monotonic()
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert common.ask(None, "删除", "确定删除吗？") is False  # the statics' boxes too
    assert time.monotonic() - started < 10
    held = request.node.stash[guards._UNANSWERED]
    assert "QDialog 「新增党员」" in held[0] and "dialog.exec()" in held[0]
    assert "QMessageBox 「删除」 确定删除吗？" in held[1] and "common.py" in held[1]
    held.clear()


def test_a_progress_dialog_is_not_taken_for_a_question(qtbot, request, monkeypatch, wait_ops):
    monkeypatch.setattr(guards, "UNANSWERED_MODAL_S", 0.2)
    page = QWidget()
    qtbot.addWidget(page)
    ops.run_op(page, lambda job: time.sleep(1.5), label="正在导入…")  # its progress box opens after 0.4 s
    wait_ops()
    assert request.node.stash.get(guards._UNANSWERED, []) == []


def test_the_test_fails_in_seconds_with_the_message_and_the_trace(pytester):
    # The whole run, as a test author meets it: the guards of tests/gui/conftest.py around a test whose
    # operation fails with no handler, and another that leaves a question open.
    pytester.makeconftest(Path(guards.__file__).read_text(encoding="utf-8"))
    pytester.makepyfile(test_forgot="""
        from PySide6.QtWidgets import QMessageBox, QWidget
        from desktop_app.gui import ops
        import conftest

        def lookup(job):
            return {}["缺少的键"]

        def test_op(qtbot, wait_ops):
            page = QWidget()
            qtbot.addWidget(page)
            ops.run_op(page, lookup)
            wait_ops()

        def test_question(qtbot, monkeypatch):
            monkeypatch.setattr(conftest, "UNANSWERED_MODAL_S", 0.5)
            QMessageBox.question(None, "删除", "确定删除吗？")
    """)
    started = time.monotonic()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=170)
    assert time.monotonic() - started < 120
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "程序遇到意外错误：KeyError" in out and 'return {}["缺少的键"]' in out
    assert "QMessageBox 「删除」 确定删除吗？" in out and 'QMessageBox.question(None, "删除"' in out
