"""居民 import: 户主 is the household's head. A register names them (户主 / 户主姓名 = 孙奶奶); other systems mark
each resident (是否户主 = 是/否, 与户主关系 = 本人/配偶). A 是 makes that resident the head, never a head called
是; one household has one head, and two rows naming different heads are refused by row and column."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.exchange import resident_files
from desktop_app.services import residents_import
from desktop_app.services.database import open_database
from desktop_app.store.models import Household, Resident
from tests.integration.test_history_imports import workbook, world  # noqa: F401

TODAY = date(2026, 12, 7)
SUN = idcard.make("320102", date(1950, 2, 3), 31, "女")
QIAN = idcard.make("320102", date(1948, 8, 9), 32, "男")
ZHOU = idcard.make("320102", date(1985, 8, 9), 34, "男")


def _rows(head_column: str, sun: str, qian: str, zhou: str = ""):
    header = ["居民姓名", "证件号码", "楼号", "单元号", "门牌号", head_column]
    return header, [["孙奶奶", SUN, "梅园新村3栋", "2", "301", sun], ["钱爷爷", QIAN, "梅园新村3栋", "2", "301", qian],
                    ["周叔叔", ZHOU, "梅园新村4栋", "1", "101", zhou]]


def _heads(path) -> dict[str, str]:
    db, _ = open_database(path)
    try:
        with db.session() as s:
            return {h.building: h.head_name for h in s.scalars(select(Household))}
    finally:
        db.dispose()


@pytest.mark.parametrize("cell, expected", [
    ("是", (True, "孙奶奶")), ("本人", (True, "孙奶奶")), ("孙奶奶", (True, "孙奶奶")), ("√", (True, "孙奶奶")),
    ("否", (False, "")), ("配偶", (False, "")), ("长子", (False, "")), ("", (False, "")),
    ("孙大伯", (False, "孙大伯")),  # a name that begins like 孙子 is still a name
])
def test_a_head_cell_is_read_by_what_it_holds(cell, expected):
    assert resident_files.head_of(cell, "孙奶奶") == expected


@pytest.mark.parametrize("column, sun, qian, zhou", [
    ("是否户主", "否", "是", ""),
    ("与户主关系", "配偶", "本人", "本人"),
    ("户主姓名", "钱爷爷", "钱爷爷", "周叔叔"),
    ("户主", "配偶", "是", "周叔叔"),
])
def test_the_household_head_is_the_resident_marked_or_named(world, tmp_path, capsys, column, sun, qian, zhou):  # noqa: F811
    path, _branch = world
    header, rows = _rows(column, sun, qian, zhou)
    source = workbook(tmp_path / "居民.xlsx", header, rows)
    assert main(["import", "residents", str(source), "--db", str(path)]) == 0, capsys.readouterr()
    # the head is named on the second row of the flat: the household (made with the first row) takes it
    assert _heads(path) == {"梅园新村3栋": "钱爷爷", "梅园新村4栋": "周叔叔" if zhou else ""}


def test_two_heads_for_one_household_are_refused_by_row_and_nothing_is_written(world, tmp_path, capsys):  # noqa: F811
    path, _branch = world
    header, rows = _rows("户主姓名", "孙奶奶", "钱爷爷")
    source = workbook(tmp_path / "居民.xlsx", header, rows)
    assert main(["import", "residents", str(source), "--db", str(path), "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "第 3 行，户主“钱爷爷”：同一住户第 2 行写的户主是“孙奶奶”：一户只有一个户主，请核对后统一" in out
    assert main(["import", "residents", str(source), "--db", str(path)]) == 2
    db, _ = open_database(path)
    try:
        with db.session() as s:
            assert s.scalars(select(Resident)).all() == [] and s.scalars(select(Household)).all() == []
    finally:
        db.dispose()


def test_a_head_without_a_flat_is_a_row_error(world, tmp_path):  # noqa: F811
    path, _branch = world
    source = workbook(tmp_path / "居民.xlsx", ["居民姓名", "是否为户主"], [["孙奶奶", "是"]])
    db, _ = open_database(path)
    try:
        plan = residents_import.preview(db, source, today=TODAY)
    finally:
        db.dispose()
    assert [(e.row_number, e.field, e.value) for e in plan.errors] == [(2, "户主", "是")]
    assert "不知道是哪一户的户主" in plan.errors[0].reason
