"""The templates we ship cover every import; each reads back empty, its 填写说明 sheet passed over."""

import shutil
from datetime import date

import pytest
from openpyxl import load_workbook

from desktop_app.exchange import sheets, templates
from desktop_app.services import imports, orgs, roster
from desktop_app.settings import resource_path

KINDS = ("members", "development", "meetings", "residents", "ledger", "visits", "dues")


@pytest.mark.parametrize("kind", KINDS)
def test_every_import_has_a_shipped_template_that_reads_back_empty(kind, tmp_path):
    spec = imports.KINDS[kind][0]
    offered = list(templates.OFFERED.get(kind, spec.columns))  # 党费: the WIDE register only
    shipped = resource_path("templates", imports.template_name(kind))
    assert shipped.is_file(), f"regenerate: imports.write_template({kind!r}, {str(shipped)!r})"
    fresh = tmp_path / "t.xlsx"
    imports.write_template(kind, fresh)
    for path in (shipped, fresh):
        wb = load_workbook(path)
        assert wb.sheetnames[-1] == "填写说明" and wb.active.freeze_panes == "A2"
        table = sheets.read_table(spec, path)
        assert table.header == offered and table.rows == [] and table.sheet != "填写说明"
    assert [c.value for c in load_workbook(shipped).worksheets[0][1]] == offered
    notes = [r[0] for r in load_workbook(shipped)["填写说明"].iter_rows(values_only=True)]
    assert len(notes) > 4
    # Instructions pasted under the data are skipped, not read as rows.
    assert all(sheets.skip_reason([line]) == "说明行" for line in notes[1:])


def test_a_filled_in_development_template_imports(db, tmp_path):
    from desktop_app.services import development_import

    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    path = tmp_path / "发展党员.xlsx"
    shutil.copy(resource_path("templates", imports.template_name("development")), path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    values = {"姓名": "周一", "所在党支部": "第一网格党支部", "提交申请书时间": "2025-03-01", "性别": "男"}
    for i, column in enumerate(imports.KINDS["development"][0].columns, start=1):
        ws.cell(row=2, column=i, value=values.get(column))
    wb.save(path)
    plan = development_import.preview(db, path, today=date(2026, 1, 1))
    assert plan.errors == () and len(plan.items) == 1
    assert roster.root_org_id(db)
