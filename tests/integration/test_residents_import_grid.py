"""A resident file naming a 所属网格 the center does not have: the refusal lists the grids there are."""

import openpyxl

from desktop_app.services import orgs, residents_import


def _file(path, grid):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "所属网格", "楼栋", "单元", "室"])
    ws.append(["钱大爷", "男", grid, "梅园新村3栋", "2单元", "401室"])
    wb.save(path)
    return path


def test_an_unknown_grid_names_the_grids_to_choose_from(db, tmp_path):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    p = residents_import.preview(db, _file(tmp_path / "居民.xlsx", "第九网格党支部"))
    (e,) = p.errors
    assert e.field == "所属网格" and "第一网格党支部、第二网格党支部" in e.reason and "党组织" in e.reason


def test_with_no_grid_yet_it_says_to_make_one_or_leave_the_column_empty(db, tmp_path):
    p = residents_import.preview(db, _file(tmp_path / "居民.xlsx", "第一网格党支部"))
    (e,) = p.errors
    assert "还没有网格党支部" in e.reason and "留空" in e.reason
