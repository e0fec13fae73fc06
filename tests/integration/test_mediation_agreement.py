"""人民调解协议书: a case closed as 调解成功 prints the agreement the parties sign — real data in a migrated
database, the PDF read back page by page."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.reports.mediation_agreement import chinese_count
from desktop_app.services import auth, mediation, orgs
from desktop_app.services import residents as res
from desktop_app.services.auth import PermissionDenied
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.mediation import committee_name

TODAY = date(2024, 6, 28)
PASSWORD = "xingfuli2026"
TERMS = ("一、赵德明于2024年6月20日前请有资质的施工队修复卫生间防水层，费用由赵德明承担；"
         "二、赵德明于2024年6月30日前一次性赔偿王秀英吊顶及墙面修复费用人民币捌佰元整（800元），以现金或转账方式支付；"
         "三、双方今后就此漏水事项不再发生争执。")


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def _case(db, agreement: str = TERMS, outcome: str = flow.MEDIATION_SUCCESS, parties=None):
    c = mediation.create_case(db, CaseInput(
        kind="房屋漏水", summary="楼上卫生间漏水到楼下吊顶。\n双方就维修责任和赔偿金额争执不下。",
        received_on=date(2024, 6, 1), mediator="张建国",
        parties=parties or (PartyInput("王秀英", "申请人", None, "13912345678", "梅园新村3栋2单元302室"),
                            PartyInput("赵德明", "被申请人", None, "025-84561234", "梅园新村3栋2单元402室"),
                            PartyInput("梅园物业", "当事人"))), TODAY)
    mediation.add_session(db, c.id, SessionInput(date(2024, 6, 3), "社区调解室", "张建国", "双方到场"), TODAY)
    return mediation.close_case(db, c.id, outcome, date(2024, 6, 5), agreement,
                                "街道司法所" if outcome == flow.MEDIATION_TRANSFERRED else "", today=TODAY)


def pages(data: bytes) -> list[str]:
    return ["".join(p.extract_text().split()) for p in PdfReader(BytesIO(data)).pages]


def test_the_agreement_prints_what_the_law_asks_for(db, tmp_path):
    c = _case(db)
    out = tmp_path / "agreement.pdf"
    printed = mediation.print_mediation_agreement(db, c.id, out, printed_on=TODAY)
    assert printed.copies == 4 and printed.committee == "幸福里社区人民调解委员会"
    (text,) = pages(out.read_bytes())
    assert "人民调解协议书" in text and "编号：TJ2024-001" in text
    # 性别 and 年龄 unknown (no resident's record): blanks to fill by hand
    assert "申请人：王秀英性别：＿＿＿年龄：＿＿＿联系电话：139****5678住址：梅园新村3栋2单元302室" in text
    assert "被申请人：赵德明" in text and "025****1234" in text and "当事人：梅园物业" in text
    assert "13912345678" not in text and "84561234" not in text  # each party takes a copy home
    assert "纠纷主要事实、争议事项" in text and "双方就维修责任和赔偿金额争执不下" in text
    assert "以现金或转账方式支付" in text and "不再发生争执" in text
    assert "加盖人民调解委员会印章之日起生效" in text
    assert "本协议书一式四份，当事人各执一份，人民调解委员会留存一份" in text
    for who in ("申请人王秀英（签名或盖章）", "被申请人赵德明（签名或盖章）", "当事人梅园物业（签名或盖章）",
                "人民调解员（签名）", "记录人（签名）"):
        assert who in text
    assert "幸福里社区人民调解委员会（印）2024年6月5日" in text


def test_a_long_agreement_runs_over_pages_and_the_signatures_stay_together_at_the_end(db, tmp_path):
    terms = "\n".join(f"{i}、{TERMS}" for i in range(1, 9))
    c = _case(db, agreement=terms)
    out = tmp_path / "long.pdf"
    mediation.print_mediation_agreement(db, c.id, out, printed_on=TODAY)
    texts = pages(out.read_bytes())
    assert len(texts) >= 2
    assert "8、一、赵德明" in "".join(texts)  # every line of the agreement is there
    last = texts[-1]
    for part in ("本协议自各方当事人签名", "一式四份", "申请人王秀英（签名或盖章）", "记录人（签名）",
                 "幸福里社区人民调解委员会（印）"):
        assert part in last and all(part not in t for t in texts[:-1])


def test_only_a_successful_case_with_its_agreement_has_one(db, tmp_path):
    failed = _case(db, agreement="", outcome=flow.MEDIATION_FAILED)
    with pytest.raises(ValidationError, match="调解成功结案后才有调解协议书"):
        mediation.print_mediation_agreement(db, failed.id, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    reopened = mediation.reopen_case(db, _case(db).id, "赵德明未按期赔偿", TODAY)
    with pytest.raises(ValidationError, match="调解中"):
        mediation.print_mediation_agreement(db, reopened.id, tmp_path / "x.pdf")


def test_whole_phones_are_asked_for_need_the_rights_and_are_logged(db, tmp_path):
    c = _case(db)
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    grid = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    auth.create_user(db, "grid1", "李网格", "grid", PASSWORD, grid_ids=[grid])
    out = tmp_path / "whole.pdf"
    auth.login(db, "street", PASSWORD)
    mediation.print_mediation_agreement(db, c.id, out)  # a 只读 account reads the case: the masked copy
    assert "139****5678" in pages(out.read_bytes())[0]
    with pytest.raises(PermissionDenied):
        mediation.print_mediation_agreement(db, c.id, tmp_path / "no.pdf", whole_phones=True)
    auth.login(db, "grid1", PASSWORD)
    with pytest.raises(PermissionDenied):  # a 网格员 does not handle mediation
        mediation.print_mediation_agreement(db, c.id, tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()
    auth.login(db, "admin", PASSWORD)
    mediation.print_mediation_agreement(db, c.id, out, whole_phones=True)
    text = pages(out.read_bytes())[0]
    assert "13912345678" in text and "025-84561234" in text
    with db.session() as s:
        logged = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert len(logged) == 1 and "TJ2024-001" in logged[0].note and str(out) in logged[0].note
    assert logged[0].user_name == "王书记"


def test_the_report_command_prints_the_agreement(db, tmp_path, capsys):
    from desktop_app.cli import main

    _case(db)
    out = tmp_path / "cli.pdf"
    assert main(["report", "mediation", "--db", str(db.path or db.url), "--case", "TJ2024-001", "--agreement",
                 "--out", str(out)]) == 0
    assert "一式四份" in pages(out.read_bytes())[0]


def test_names_and_counts():
    assert committee_name("中共幸福里社区委员会") == committee_name("幸福里社区党委") == "幸福里社区人民调解委员会"
    assert committee_name("梅园街道党工委") == "梅园街道人民调解委员会"
    assert [chinese_count(n) for n in (3, 10, 12, 20, 21)] == ["三", "十", "十二", "二十", "二十一"]


def test_the_applicant_comes_first_with_gender_and_age_from_the_residents_record(db, tmp_path):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    grid = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    home = res.create_household(db, res.HouseholdInput(grid_id=grid, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=home.id, gender="女",
                                                     birth_date=date(1966, 7, 1)), TODAY).id
    c = _case(db, parties=(PartyInput("赵德明", "被申请人", None, "", "梅园新村3栋2单元402室"),
                           PartyInput("王秀英", "申请人", wang, "", "梅园新村3栋2单元302室")))
    out = tmp_path / "agreement.pdf"
    printed = mediation.print_mediation_agreement(db, c.id, out, printed_on=TODAY)
    assert [p.role for p in printed.parties] == ["申请人", "被申请人"]
    (text,) = pages(out.read_bytes())
    # 57 on the day of the agreement (2024-06-05), her birthday still to come
    assert "申请人：王秀英性别：女年龄：57岁联系电话：＿＿＿＿＿＿住址：梅园新村3栋2单元302室" in text
    assert "被申请人：赵德明性别：＿＿＿年龄：＿＿＿" in text
    assert text.index("申请人：王秀英") < text.index("被申请人：赵德明")
    assert text.index("申请人王秀英（签名或盖章）") < text.index("被申请人赵德明（签名或盖章）")
    assert "本协议书一式三份" in text
