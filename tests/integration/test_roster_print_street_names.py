"""The printed 党员花名册 of a street (or a district's street) tells same-named branches apart by their community.

Each community has a 第一网格党支部: the street's 花名册 printed two sections headed
第一网格党支部（N 名）, and nothing on the page said whose members they were, while the
名册 page and dangqun stats said 梅园社区 · 第一网格党支部. A community's own print keeps bare names.
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster, site


def _member(db, name: str, n: int, org_id: str) -> None:
    roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", date(1970, 1, 1), n, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)))


@pytest.fixture
def street(empty_db):
    db = empty_db
    site.init_site(db, "320102", "梅园街道党工委", "street")
    root = orgs.list_tree(db)[0]
    for n, (code, name) in enumerate((("320102001", "梅园社区党委"), ("320102002", "幸福里社区党委")), start=1):
        community = orgs.create(db, name, code, "community", root.id)
        branch = orgs.create(db, "第一网格党支部", code + "01", "branch", community.id)
        group = orgs.create(db, "第一党小组", code + "0101", "group", branch.id)
        _member(db, name[:2] + "党员", n, group.id)
    return db


def test_the_streets_roster_heads_each_branch_with_its_community(street):
    groups = [name for name, _ in roster.roster_print(street).groups]
    assert groups == ["梅园社区 · 第一网格党支部", "幸福里社区 · 第一网格党支部"]  # was: 第一网格党支部 twice


def test_the_printed_page_says_it(street, tmp_path):
    out = tmp_path / "花名册.pdf"
    roster.print_roster(street, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "梅园社区 · 第一网格党支部（1 名）" in text and "幸福里社区 · 第一网格党支部（1 名）" in text


def test_a_communitys_own_roster_keeps_bare_names(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    for i, name in enumerate(("第一网格党支部", "第二网格党支部"), start=1):
        b = orgs.create(db, name, f"B0{i}", "branch", c.id)
        _member(db, f"党员{i}", i, b.id)
    assert [name for name, _ in roster.roster_print(db).groups] == ["第一网格党支部", "第二网格党支部"]
