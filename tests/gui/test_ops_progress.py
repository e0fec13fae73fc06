"""The progress dialog of a background operation: a text over the bar, and a street's batch import showing
「第 k / n 个数据包」 over the bar of the package in hand, in the one dialog."""

from __future__ import annotations

import pytest

from desktop_app.gui import ops
from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.dialogs import BatchConfirmDialog, BatchResultDialog
from desktop_app.services import sync
from tests.gui.test_sync_gui import Dialogs, _street_ctx, community, page_for, street_db  # noqa: F401 - fixtures
from tests.integration.sync_world import enrol


@pytest.fixture
def shown(monkeypatch):
    """Every (label, maximum, value) the progress dialogs of run_op showed, and how many dialogs there were."""
    seen: list[tuple[str, int, int]] = []
    made: list[object] = []

    class Recording(ops.QProgressDialog):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

        def setValue(self, value: int) -> None:
            # Recorded before Qt's own setValue: a modal progress dialog's setValue processes events, so later
            # progress can be set (and recorded) inside it; recording after would list the calls out of order.
            seen.append((self.labelText(), self.maximum(), value))
            super().setValue(value)

    monkeypatch.setattr(ops, "QProgressDialog", Recording)
    seen_and_made = type("Shown", (), {"seen": seen, "made": made})
    return seen_and_made


def test_a_report_with_text_puts_it_over_the_bar(qtbot, wait_ops, shown):
    def work(job):
        job.report(0, 4, "第 1 / 2 项")
        job.report(4, 4, "第 1 / 2 项")
        job.report(1, 10, "第 2 / 2 项")
        job.report(10, 10)  # no text: the last one stays
        return "ok"

    got = []
    ops.run_op(None, work, got.append, got.append, label="正在处理…")  # (an error is kept, not shown in a box)
    wait_ops()
    assert got == ["ok"] and len(shown.made) == 1
    assert shown.seen == [("第 1 / 2 项", 4, 0), ("第 1 / 2 项", 4, 4), ("第 2 / 2 项", 10, 1), ("第 2 / 2 项", 10, 10)]


def test_a_batch_shows_which_package_over_that_packages_bar(qtbot, community, street_db, wait_ops,  # noqa: F811
                                                           tmp_path, monkeypatch, shown):
    enrol(street_db, community.db, tmp_path)
    first = sync.export_package(community.db, tmp_path / "第一次.dqsync").path
    second = sync.export_package(community.db, tmp_path / "第二次.dqsync").path
    rows = {c.path.name: c.rows for c in sync.check_packages(street_db, [first, second])}
    assert rows["第一次.dqsync"] != rows["第二次.dqsync"]  # (the second holds only the first export's trail line)
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [first, second])
    Dialogs(monkeypatch, BatchConfirmDialog)
    results = Dialogs(monkeypatch, BatchResultDialog)
    page.import_button.click()
    wait_ops()
    wait_ops()
    assert len(results.seen[0].report.imported) == 2

    batch = [s for s in shown.seen if s[0].startswith("正在导入第")]
    for k, name in enumerate(("第一次.dqsync", "第二次.dqsync"), start=1):
        label = f"正在导入第 {k} / 2 个数据包：{name}"
        bars = [(maximum, value) for text, maximum, value in batch if text == label]
        assert bars and {m for m, _ in bars} == {rows[name]}  # the bar is this package's rows, not the batch's
        assert bars[-1] == (rows[name], rows[name])
    assert len(shown.made) == 2  # the check's dialog, then the import's one: no second dialog for the packages
