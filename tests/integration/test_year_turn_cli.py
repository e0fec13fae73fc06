"""At the turn of the year the year-end reports printed without --year are the year just ended's.

On 2 January a worker printing the 年度党建工作台账, the 经费收支汇总表 or a 收支明细账 wants 2026's,
not a page of two days of 2027; 考评 (as 民主评议) runs into March. `--year` on a 明细账 names its period.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from desktop_app.cli import main

_real = dt.date


class _AnyDate(type):
    def __instancecheck__(cls, obj):  # the dates SQLite and the parsers hand back stay dates
        return isinstance(obj, _real)


def on(monkeypatch, day: dt.date) -> None:
    """date.today() is `day` for the code that reads `date` from datetime when it runs."""

    class Day(_real, metaclass=_AnyDate):
        @classmethod
        def today(cls):
            return day

    faked = (_real, dt.date)  # a second call in one test replaces the first's day
    monkeypatch.setattr(dt, "date", Day)
    import desktop_app.cli.assessment
    import desktop_app.cli.cadence
    import desktop_app.cli.development
    import desktop_app.cli.overview
    import desktop_app.services.ledger.printing  # noqa: F401  (all bind `date` at import)

    for name, module in list(sys.modules.items()):
        if name.startswith("desktop_app.") and getattr(module, "date", None) in faked:
            monkeypatch.setattr(module, "date", Day)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("turn") / "d.db"
    assert main(["demo", "--db", str(path), "--members", "30", "--seed", "3"]) == 0
    return str(path)


def report(demo, tmp_path, capsys, kind: str, *extra: str) -> str:
    capsys.readouterr()
    assert main(["report", kind, "--db", demo, "--out", str(tmp_path / f"{kind}.pdf"), *extra]) == 0
    assert (tmp_path / f"{kind}.pdf").read_bytes().startswith(b"%PDF")
    return capsys.readouterr().out


@pytest.mark.parametrize(("kind", "said"), [
    ("annual", "2026年度党建工作台账"),
    ("ledger", "2026年 经费收入"),
    ("dues", "2026年"),
    ("compliance", "2026 年"),
    ("development", "2026 年发展党员工作登记簿"),
])
def test_on_january_2_the_year_end_reports_are_last_years(demo, tmp_path, capsys, monkeypatch, kind, said):
    on(monkeypatch, _real(2027, 1, 2))
    assert said in report(demo, tmp_path, capsys, kind)


def test_from_february_they_are_this_years(demo, tmp_path, capsys, monkeypatch):
    on(monkeypatch, _real(2027, 2, 1))
    assert "2027年度党建工作台账" in report(demo, tmp_path, capsys, "annual")
    assert "2027年 经费收入" in report(demo, tmp_path, capsys, "ledger")
    assert "2027 年发展党员工作登记簿" in report(demo, tmp_path, capsys, "development")


def test_assessment_stays_on_last_year_until_march_ends(demo, tmp_path, capsys, monkeypatch):
    on(monkeypatch, _real(2027, 3, 31))
    capsys.readouterr()
    assert main(["assessment", "--db", demo]) == 0
    assert capsys.readouterr().out.startswith("2026 年度")
    on(monkeypatch, _real(2027, 4, 1))
    assert main(["assessment", "--db", demo]) == 0
    assert capsys.readouterr().out.startswith("2027 年度")


def test_account_ledger_in_january_is_the_whole_year_just_ended(demo, tmp_path, capsys, monkeypatch):
    on(monkeypatch, _real(2027, 1, 2))
    assert "2026-01-01 至 2026-12-31" in report(demo, tmp_path, capsys, "ledger", "--account", "党费")
    on(monkeypatch, _real(2027, 5, 20))
    assert "2027-01-01 至 2027-05-20" in report(demo, tmp_path, capsys, "ledger", "--account", "党费")


def test_year_names_the_account_ledgers_period(demo, tmp_path, capsys, monkeypatch):
    on(monkeypatch, _real(2027, 5, 20))
    assert "2025-01-01 至 2025-12-31" in report(demo, tmp_path, capsys, "ledger", "--account", "党费", "--year", "2025")
