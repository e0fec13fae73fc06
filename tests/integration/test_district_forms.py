"""What an account confined to one community prints at the district carries that community's name.

Every form names its organisation at its head (services.site.center_name); at a
district database that read the district's name, so the 签到表, 花名册 and 党费收据
of one community's operator went out headed 玄武区委测试. The PDFs' text is read
back; the district's administrator still prints the district's name. One
database: a SQLite file, or the PostgreSQL cluster under DANGQUN_TEST_PG_URL.
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.domain import meetings as rules
from desktop_app.domain.dues import EMPLOYED
from desktop_app.services import auth, dues, roster
from desktop_app.services import meetings as ms
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture
from tests.pdf_text import shipped_font  # noqa: F401 - the fixture

DISTRICT = "玄武区委测试"
COMMUNITY = "梅园街社区党委"


@pytest.fixture
def forms(district):  # noqa: F811
    """A meeting and a paid month in community A's branch; the community's operator account."""
    db, w = district
    meeting = ms.plan(db, ms.MeetingInput(org_id=w["a_branch"], kind=rules.BRANCH_CONGRESS, title="学习党章",
                                          meeting_date=date(2024, 6, 3)))
    dues.set_base(db, w["a_member"], date(2024, 1, 1), EMPLOYED, 450_000)
    dues.record_payment(db, w["a_member"], [date(2024, 1, 1)], date(2024, 1, 8), "赵书记")
    auth.create_user(db, "meiyuan-sq", "梅园社区操作员", "secretary", PASSWORD, org_id=w["a_community"],
                     must_change_password=False)
    return db, w, meeting


def _text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages))


def _printed(db, w, meeting, tmp_path) -> dict[str, str]:
    return {
        "签到表": _text(ms.print_signin_sheet(db, meeting.number, printed_on=date(2024, 6, 1))),
        "花名册": (roster.print_roster(db, tmp_path / "花名册.pdf", printed_on=date(2024, 6, 1)),
                _text((tmp_path / "花名册.pdf").read_bytes()))[1],
        "党费收据": _text(dues.print_dues_receipt(db, member_id=w["a_member"], months=[date(2024, 1, 1)],
                                                printed_on=date(2024, 6, 1))),
    }


def test_the_community_operators_forms_carry_the_community(forms, shipped_font, tmp_path):  # noqa: F811
    db, w, meeting = forms
    auth.login(db, "meiyuan-sq", PASSWORD)
    for form, text in _printed(db, w, meeting, tmp_path).items():
        assert COMMUNITY in text and DISTRICT not in text, form  # was: 玄武区委测试 at the head
    assert f"收款单位（盖章）：{COMMUNITY}" in _printed(db, w, meeting, tmp_path)["党费收据"]


def test_the_district_administrator_prints_the_districts_name(forms, shipped_font, tmp_path):  # noqa: F811
    db, w, meeting = forms
    auth.login(db, "admin", "district-pass-1")
    for form, text in _printed(db, w, meeting, tmp_path).items():
        assert DISTRICT in text, form


def test_the_compliance_workbook_heads_with_the_community(forms, tmp_path):
    db, w, _meeting = forms
    auth.login(db, "meiyuan-sq", PASSWORD)
    ms.export_compliance(db, 2024, tmp_path / "落实情况.xlsx", today=date(2024, 12, 31))
    head = load_workbook(tmp_path / "落实情况.xlsx").active.cell(row=1, column=1).value
    assert head == f"{COMMUNITY}2024年度三会一课落实情况表"  # was: 玄武区委测试2024年度…


def test_the_community_operators_annual_folder_keeps_its_communitys_books(forms):
    from desktop_app.services import ledger, overview
    from desktop_app.services.uow import UnitOfWork

    db, w, _meeting = forms
    with UnitOfWork(db) as uow:  # the community's books, as its package brings them
        ledger.ensure_accounts_in(uow.session, w["a_community"])
        uow.commit()
    auth.login(db, "meiyuan-sq", PASSWORD)
    folder = overview.annual_folder(db, 2024, today=date(2024, 12, 31))
    assert folder.center_name == COMMUNITY
    [funds] = [sec for sec in folder.sections if sec.title == "经费收支汇总"]
    accounts = [row[0] for row in funds.rows if not row[0].startswith("合计")]  # 党费 stands below 合计
    assert accounts == [a.name for a in ledger.list_accounts(db, book=w["a_community"])]  # was: none, the district's
