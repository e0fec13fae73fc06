"""The printed 党员组织关系介绍信 of a 转出: 存根, 介绍信 and 回执 with what the register holds."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, orgs, roster, transfers
from pypdf import PdfReader

from tests.pdf_text import shipped_font  # noqa: F401 - fixture


def page_text(path) -> str:
    return "".join(PdfReader(path).pages[0].extract_text().split())  # spacing aside


def _moved(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    number = idcard.make("320102", date(1960, 2, 1), 1, idcard.MALE)
    m = roster.create(db, MemberInput(name="王建国", org_id=b.id, joined_date=date(1985, 7, 1), id_number=number))
    roster.transfer(db, m.id, "转出", date(2025, 3, 10), from_org="第一网格党支部", to_org="城西社区党委")
    (row,) = transfers.transfers(db)
    return row.id, number


def test_the_letter_prints_stub_letter_and_receipt(db, tmp_path, shipped_font):
    tid, number = _moved(db)
    transfers.set_letter(db, tid, "梅组转〔2025〕7号", date(2025, 6, 10), date(2025, 3, 1))
    out = tmp_path / "介绍信.pdf"
    transfers.print_letter(db, tid, out, printed_on=date(2025, 3, 10))
    text = page_text(out)
    for said in ("党员组织关系介绍信（存根）", "中国共产党党员组织关系介绍信", "党员组织关系介绍信回执",
                 "梅组转〔2025〕7号", "城西社区党委：", "王建国（男，65 岁，汉族）", number, "中共正式党员",
                 "组织关系由 第一网格党支部 转到 城西社区党委", "党费已交到2025年3月", "有效期至 2025年6月10日",
                 "王建国 同志的党员组织关系已转达我处"):
        assert "".join(said.split()) in text, said
    assert text.count("裁剪线") == 2 and "7号号" not in text


def test_an_unrecorded_letter_leaves_blanks_and_a_reader_sees_the_number_masked(db, tmp_path, shipped_font):
    tid, number = _moved(db)
    sheet = transfers.letter_sheet(db, tid)
    assert sheet.letter_no == "" and sheet.id_number == number
    transfers.print_letter(db, tid, tmp_path / "a.pdf")
    text = page_text(tmp_path / "a.pdf")
    assert "第＿＿＿＿号" in text and "有效期＿＿＿＿天" in text
    auth.create_first_admin(db, "admin", "管理员", "xingfuli2026")
    auth.create_user(db, "kan", "只读", "viewer", "xingfuli2026")
    auth.logout(db)
    auth.login(db, "kan", "xingfuli2026")
    assert transfers.letter_sheet(db, tid).id_number == idcard.mask(number)
