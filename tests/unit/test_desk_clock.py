"""Stored UTC, shown local: the command line's sync summaries and package names read as the PC's clock."""

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.domain.clock import local_text, to_local


@pytest.fixture
def shanghai():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_utc_reads_as_local_time(shanghai):
    assert to_local(datetime(2026, 12, 4, 19, 30)) == datetime(2026, 12, 5, 3, 30)
    assert local_text(datetime(2026, 12, 4, 19, 30)) == "2026-12-05 03:30"
    assert local_text(None, empty="—") == "—"


def test_package_names_and_reports_use_local_time(shanghai):
    from desktop_app.sync.outgoing import default_file_name
    from desktop_app.views.sync import ExportResult

    assert default_file_name("C01", datetime(2026, 12, 4, 19, 30, 5), False) == "同步包_C01_20261205-033005.dqsync"
    r = ExportResult(path=Path("x.dqsync"), package_id="p", kind="upstream", seq=1, full=False, plain=False,
                     since=datetime(2026, 12, 4, 19, 30), until=datetime(2026, 12, 4, 20, 0), size=2048)
    assert "2026-12-05 03:30 之后的变化" in "\n".join(r.lines()) and "UTC" not in "\n".join(r.lines())


def test_the_sync_page_and_the_audit_trail_use_the_one_clock(shanghai):
    from datetime import date

    from desktop_app.domain.clock import local_day_start
    from desktop_app.gui.sync.dialogs import local_time as sync_time
    from desktop_app.services.audit_log import local_time as audit_time

    assert sync_time(datetime(2026, 12, 4, 19, 30)) == "2026-12-05 03:30" and sync_time(None) == "—"
    assert audit_time(datetime(2026, 12, 4, 19, 30)) == datetime(2026, 12, 5, 3, 30)
    assert local_day_start(date(2026, 12, 5)) == datetime(2026, 12, 4, 16, 0)  # Shanghai's midnight in UTC
