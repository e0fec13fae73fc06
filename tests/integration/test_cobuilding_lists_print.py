"""打印三单: the 需求清单, 资源清单 and 项目清单 for the 联席会议, read back from the PDF: their rows, the
lists and finished items chosen, the page's year and search, who may print, and an account confined to one
street sees its own part only."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, orgs
from desktop_app.services import cobuilding as cb
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.cobuilding import ListInput, UnitInput
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture
from tests.pdf_text import shipped_font  # noqa: F401 - the fixture

TODAY = date(2026, 6, 28)


def _text(path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages))


@pytest.fixture
def lists(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    grid = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    unit = cb.save_unit(db, None, UnitInput(name="市建工集团", kind="企事业单位"), TODAY).id

    def add(kind, title, on, **kw):
        return cb.save_item(db, None, ListInput(kind, title, raised_on=on, **kw), TODAY)

    stairs = add(rules.NEED, "楼道加装扶手", date(2026, 3, 2), category="设施", grid_id=grid)
    add(rules.NEED, "独居老人助餐", date(2026, 4, 9), category="助老", grid_id=grid)
    old = add(rules.NEED, "小区路灯维修", date(2025, 5, 1), category="设施", grid_id=grid)
    crew = add(rules.RESOURCE, "施工队和材料", date(2026, 3, 5), category="专业服务", unit_id=unit,
               detail="每月第一周，10人")
    rail = add(rules.PROJECT, "老旧楼道加装扶手", date(2026, 3, 10), grid_id=grid, need_id=stairs.id,
               resource_id=crew.id)
    cb.claim_project(db, rail.id, unit, date(2026, 3, 12), TODAY)
    lamp = add(rules.PROJECT, "路灯换新", date(2025, 5, 3), grid_id=grid, need_id=old.id)
    cb.claim_project(db, lamp.id, unit, date(2025, 5, 4), TODAY)
    cb.complete_project(db, lamp.id, date(2025, 6, 1), TODAY)
    return {"unit": unit, "grid": grid}


def test_the_three_lists_hold_their_rows_counts_and_the_lines_to_sign(db, lists, tmp_path, shipped_font):  # noqa: F811
    out = tmp_path / "三单.pdf"
    sheet = cb.print_cobuilding_lists(db, out, today=TODAY)
    text = _text(out)
    assert "共驻共建三单（需求清单·资源清单·项目清单）" in text and "全部年份" in text and "截至2026年6月28日" in text
    assert "一、需求清单共3条（待对接1，已立项1，已解决1）" in text
    # a need's row names the project answering it; oldest first
    assert "1小区路灯维修设施第一网格党支部2025-05-01已解决路灯换新" in text
    assert "楼道加装扶手设施第一网格党支部2026-03-02已立项老旧楼道加装扶手" in text
    assert "二、资源清单共1条（1个单位提供）" in text and "市建工集团施工队和材料专业服务每月第一周，10人" in text
    assert "三、项目清单共2个（待认领0，已认领1，已完成1）" in text
    assert "老旧楼道加装扶手楼道加装扶手施工队和材料市建工集团2026-03-12已认领" in text
    assert "经办人（签名）" in text and "审核人（签名）" in text
    assert (len(sheet.needs), len(sheet.resources), len(sheet.projects)) == (3, 1, 2)


def test_the_lists_chosen_and_finished_items_left_out(db, lists, tmp_path, shipped_font):  # noqa: F811
    out = tmp_path / "需求.pdf"
    cb.print_cobuilding_lists(db, out, [rules.PROJECT, rules.NEED], with_done=False, today=TODAY)
    text = _text(out)
    assert "不含已解决的需求和已完成的项目" in text
    assert "一、需求清单共2条（待对接1，已立项1）" in text and "二、项目清单共1个（待认领0，已认领1）" in text
    # the order is the lists' own, numbered as printed; the 资源清单 is not there
    assert text.index("一、需求清单共2条") < text.index("二、项目清单共1个") and "资源清单共" not in text
    assert "小区路灯维修" not in text and "路灯换新" not in text and "独居老人助餐" in text
    with pytest.raises(ValidationError):
        cb.print_cobuilding_lists(db, tmp_path / "无.pdf", [], today=TODAY)


def test_the_pages_year_and_search(db, lists, tmp_path, shipped_font):  # noqa: F811
    out = tmp_path / "2026.pdf"
    sheet = cb.print_cobuilding_lists(db, out, year=2026, text="扶手", today=TODAY)
    text = _text(out)
    assert "2026年度" in text and "搜索“扶手”" in text
    assert [n.title for n in sheet.needs] == ["楼道加装扶手"] and [p.title for p in sheet.projects] == ["老旧楼道加装扶手"]
    assert "小区路灯维修" not in text and "独居老人助餐" not in text and "没有符合条件的资源" in text
    # the page's year: last year's finished need and project stay out, as on the page
    assert [n.title for n in cb.three_lists(db, year=2026, today=TODAY).needs] == ["楼道加装扶手", "独居老人助餐"]


def test_an_account_that_may_not_read_co_building_may_not_print_it(db, lists, tmp_path):
    auth.create_first_admin(db, "admin", "管理员", PASSWORD)
    auth.create_user(db, "grid1", "李网格", "grid", PASSWORD, grid_ids=[lists["grid"]])
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    auth.login(db, "grid1", PASSWORD)
    out = tmp_path / "三单.pdf"
    with pytest.raises(PermissionDenied):
        cb.print_cobuilding_lists(db, out, today=TODAY)
    assert not out.exists()
    auth.login(db, "street", PASSWORD)  # 只读 reads and prints, as the other co-building prints
    cb.print_cobuilding_lists(db, out, today=TODAY)
    assert out.exists()


def test_an_account_confined_to_a_street_prints_its_part(district, tmp_path, shipped_font):  # noqa: F811
    db, w = district
    for key, title in (("a", "梅园楼道扶手"), ("b", "新街口路灯")):
        cb.save_item(db, None, ListInput(rules.NEED, title, raised_on=date(2026, 3, 2), grid_id=w[key + "_branch"]),
                     TODAY)
    auth.login(db, "meiyuan", PASSWORD)
    out = tmp_path / "三单.pdf"
    sheet = cb.print_cobuilding_lists(db, out, [rules.NEED], today=TODAY)
    assert [n.title for n in sheet.needs] == ["梅园楼道扶手"]
    text = _text(out)
    assert "梅园楼道扶手" in text and "新街口路灯" not in text


def test_the_command_line_prints_the_lists_chosen(db, lists, tmp_path, capsys, shipped_font):  # noqa: F811
    from desktop_app.cli import main

    path = str(db.path or db.url)
    db.dispose()
    out = tmp_path / "三单.pdf"
    assert main(["report", "cobuilding-lists", "--db", path, "--out", str(out), "--lists", "需求,项目清单",
                 "--open"]) == 0
    assert "三单：需求清单 2 条，项目清单 1 条" in capsys.readouterr().out
    text = _text(out)
    assert "独居老人助餐" in text and "资源清单共" not in text and "小区路灯维修" not in text
    assert main(["report", "cobuilding-lists", "--db", path, "--out", str(out), "--year", "2026",
                 "--search", "扶手"]) == 0
    assert "需求清单 1 条，资源清单 0 条，项目清单 1 条" in capsys.readouterr().out
    assert main(["report", "cobuilding-lists", "--db", path, "--out", str(out), "--lists", "心愿"]) == 2
    assert "没有“心愿”清单" in capsys.readouterr().err
