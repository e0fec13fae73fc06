"""The street prints the 党费收缴登记表 of its communities: each 党支部 named with its community."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.services import dues, orgs, site
from tests.conftest import PG_URL
from tests.integration.sync_world import World, build_templates

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="a street's file of two communities; the print is the same")


@pytest.fixture
def street(tmp_path):
    w = World.copy_from(build_templates(tmp_path / "t", members=20, seeds=(11, 12)), tmp_path, server=False)
    w.up(w.c1)
    w.up(w.c2)
    names = [site.get_site(c).org_name.removesuffix("党委") for c in (w.c1, w.c2)]
    yield w.street, names
    w.close()


def test_the_street_s_dues_registry_names_each_branch_with_its_community(street, tmp_path, capsys):
    db, (one, two) = street
    year = date.today().year
    grids = dues.registry_grids(db, year)
    named = [g.org_name for g in grids]
    # both communities have a 第一网格党支部: told apart, and each community's branches together (the tree's order)
    assert f"{one} · 第一网格党支部" in named and f"{two} · 第一网格党支部" in named
    assert named == [n.shown for n in orgs.list_tree(db) if n.kind == "branch"]

    out = tmp_path / "党费.pdf"
    dues.print_dues_registry(db, year, out)
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert f"党组织：{one} · 第一网格党支部" in text and f"{two} · 第一网格党支部" in text

    # one branch by the name the print shows; the bare name, shared, is refused naming the candidates
    (grid,) = dues.registry_grids(db, year, f"{two} · 第一网格党支部")
    assert grid.org_name == f"{two} · 第一网格党支部"
    path = str(db.path)
    assert main(["report", "dues", "--db", path, "--out", str(tmp_path / "x.pdf"), "--branch", "第一网格党支部"]) != 0
    err = capsys.readouterr().err
    assert "对应多个党支部，请写全名或组织代码：" in err and f"{one} · 第一网格党支部（" in err
