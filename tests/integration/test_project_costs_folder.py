"""The 年度党建工作台账's 微实事 chapter prints the ledger's 已记账 under the typed 实际支出."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from pypdf import PdfReader

from desktop_app.domain.service_flow import ProjectInput
from desktop_app.services import ledger, overview, projects
from desktop_app.services import project_costs as pc
from desktop_app.services.cobuilding import CostInput

TODAY = date(2026, 6, 28)


def test_the_folder_prints_booked_under_the_typed_cost(db, tmp_path):
    p = projects.create_project(db, ProjectInput(name="楼道照明改造", owner_name="李书记", category="设施改造",
                                                 budget_fen=80_000, actual_cost_fen=20_000,
                                                 start_date=date(2026, 4, 1), deadline=date(2026, 9, 30)), TODAY)
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    pc.record_cost(db, p.id, CostInput(date(2026, 5, 21), account, 43_900), today=TODAY)
    pdf = overview.print_annual_folder(db, 2026, today=TODAY)
    (tmp_path / "folder.pdf").write_bytes(pdf)
    text = [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]
    chapter = next(t for t in text if "楼道照明改造" in t)
    assert "实际／已记账（元）" in chapter and "200.00439.00" in chapter  # typed, then booked below it
    assert "1个项目的支出在经费台账中记账" in chapter
