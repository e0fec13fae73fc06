"""A roster export holds the page's filter or everyone the roster has kept (with a 状态 column), on real files.

The service counts both for the dialog; the command line writes 在册党员 unless given
--all; the personal-data gate is the same for both and the audit trail says which
was written and how many.
"""

import csv
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, orgs, roster
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.roster import MemberFilter
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 15)
ACTIVE = MemberFilter(active_only=True)


@pytest.fixture
def people(db):
    """Four members: 张三 and 李四 on the roster, 王五 转出, 赵六 去世."""
    root = roster.root_org_id(db)
    b1 = orgs.create(db, "第一网格党支部", "32010200101", "branch", root)
    made = {}
    for n, name in enumerate(("张三", "李四", "王五", "赵六"), start=1):
        made[name] = roster.create(db, MemberInput(
            name=name, org_id=b1.id, id_number=idcard.make("320102", date(1960, 1, n), n, "男"),
            category="正式党员", joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)), TODAY)
    roster.change_status(db, made["王五"].id, rules.TRANSFERRED_OUT, date(2026, 3, 1), destination="南京市鼓楼区",
                         today=TODAY)
    roster.change_status(db, made["赵六"].id, rules.DECEASED, date(2026, 4, 1), today=TODAY)
    return made


def sheet(path):
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r)) for r in rows[1:]]


def exports(db):
    with db.session() as s:
        return [(e.label, json.loads(e.after_json)["rows"]) for e in
                s.scalars(select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.at))]


def test_the_counts_offered_are_the_filter_and_everyone(db, people):
    assert roster.export_counts(db, ACTIVE, TODAY) == (2, 4)
    assert roster.export_counts(db, MemberFilter(status=rules.DECEASED), TODAY) == (1, 4)
    assert roster.export_counts(db, MemberFilter(text="张"), TODAY) == (1, 4)


def test_the_filter_writes_the_template_columns_and_everyone_adds_the_status(db, people, tmp_path):
    current, everyone = tmp_path / "在册.xlsx", tmp_path / "全部.xlsx"
    assert roster.export_members(db, current, ACTIVE, TODAY) == 2
    header, rows = sheet(current)
    assert header == list(rules.TEMPLATE_COLUMNS)
    assert [r["姓名"] for r in rows] == ["张三", "李四"]

    assert roster.export_members(db, everyone, ACTIVE, TODAY, everyone=True) == 4  # the filter gives way
    header, rows = sheet(everyone)
    assert header == [*rules.TEMPLATE_COLUMNS, "状态"]
    assert {r["姓名"]: r["状态"] for r in rows} == {"张三": "正常", "李四": "正常", "王五": "转出", "赵六": "去世"}
    assert rows[0]["公民身份号码"] == people["张三"].id_number  # full numbers, as the template always had

    assert exports(db) == [("党员名册（当前筛选：在册党员）", 2), ("党员名册（全部党员，含转出、去世等，附状态列）", 4)]
    branch = next(n for n in orgs.list_tree(db) if n.name == "第一网格党支部")
    roster.export_members(db, current, MemberFilter(org_id=branch.id, status=rules.DECEASED), TODAY)
    assert exports(db)[-1] == ("党员名册（当前筛选：去世 · 第一网格党支部）", 1)


def test_everyone_as_csv_has_the_status_column_last(db, people, tmp_path):
    out = tmp_path / "全部.csv"
    assert roster.export_members(db, out, everyone=True) == 4
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == [*rules.TEMPLATE_COLUMNS, "状态"]
    assert sorted(r[-1] for r in rows[1:]) == sorted(["正常", "正常", "转出", "去世"])


def test_the_personal_data_gate_holds_for_everyone_too(db, people, tmp_path, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.create_user(db, "street", "街道小钱", "viewer", "xingfuli2026")
    auth.login(db, "street", "xingfuli2026")  # reads the roster; may not export personal data
    assert roster.export_counts(db, ACTIVE, TODAY) == (2, 4)
    for everyone in (False, True):
        with pytest.raises(PermissionDenied):
            roster.export_members(db, tmp_path / "名册.xlsx", ACTIVE, everyone=everyone)
    assert not (tmp_path / "名册.xlsx").exists() and exports(db) == []


@pytest.mark.sqlite_only  # the command line opens the file
def test_the_command_line_writes_the_roster_unless_asked_for_everyone(db, people, tmp_path, capsys):
    path = db.engine.url.database
    db.dispose()
    out = tmp_path / "名册.xlsx"
    assert main(["export", "members", "--db", path, "--out", str(out)]) == 0
    assert "已导出 2 名党员（在册党员" in capsys.readouterr().out
    header, rows = sheet(out)
    assert "状态" not in header and {r["姓名"] for r in rows} == {"张三", "李四"}

    assert main(["export", "members", "--all", "--db", path, "--out", str(out)]) == 0
    assert "已导出 4 名党员（全部党员" in capsys.readouterr().out
    header, rows = sheet(out)
    assert header[-1] == "状态" and {r["姓名"]: r["状态"] for r in rows}["王五"] == "转出"
