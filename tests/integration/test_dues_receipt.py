"""党费收据: one receipt per payment (a quarter paid at once is one receipt), its number stable, its PDF's text."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain.dues import EMPLOYED
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth, dues, orgs
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from tests.pdf_text import shipped_font  # noqa: F401  (fixture)

ID_NUMBER = "110101197001010011"


def _member(db, name, org_id, seq):
    with UnitOfWork(db) as uow:
        m = Member(seq=seq, name=name, org_id=org_id, id_number=ID_NUMBER[:-2] + f"{seq:02d}", gender="男",
                   joined_date=date(2000, 1, 1))
        uow.session.add(m)
        uow.commit()
        return m.id


@pytest.fixture
def paid(db):
    """张建国 pays the first quarter on one day (按季度, 45.00 a month), then April alone; 李秀英 pays January with him."""
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "ZB01", "branch", community.id)
    zhang, li = _member(db, "张建国", branch.id, 1), _member(db, "李秀英", branch.id, 2)
    dues.set_base(db, zhang, date(2024, 1, 1), EMPLOYED, 450_000)  # 1% → 45.00
    dues.set_base(db, li, date(2024, 1, 1), EMPLOYED, 200_000)  # 0.5% → 10.00
    quarter = dues.record_payments(db, [
        dues.PaymentInput(zhang, (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)), quarterly_consent=True),
        dues.PaymentInput(li, (date(2024, 1, 1),)),
    ], date(2024, 1, 8), "赵书记")
    april = dues.record_payment(db, zhang, [date(2024, 4, 1)], date(2024, 4, 9), "钱委员")
    return {"zhang": zhang, "li": li, "branch": branch, "quarter": quarter, "april": april}


def _record_ids(db, member_id, *months):
    from sqlalchemy import select

    from desktop_app.store.models_ledger import DuesRecord

    with db.session() as s:
        return list(s.scalars(select(DuesRecord.id).where(DuesRecord.member_id == member_id,
                                                          DuesRecord.month.in_(months))))


def test_one_month_of_a_quarter_brings_the_whole_payment(db, paid):
    [r] = dues.dues_receipts(db, _record_ids(db, paid["zhang"], date(2024, 2, 1)), printed_on=date(2024, 5, 1))
    assert r.months == (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1))
    assert [x.paid_fen for x in r.lines] == [4500] * 3 and r.total_fen == 13500
    assert r.total_words == "人民币壹佰叁拾伍元整"
    assert r.months_text == "2024年1-3月"
    assert (r.member_name, r.branch_name, r.paid_on, r.collected_by) == ("张建国", "第一网格党支部",
                                                                       date(2024, 1, 8), "赵书记")
    assert r.voucher_no == paid["quarter"].voucher_no
    # Two members on one entry: each receipt has its own number, derived from the entry's voucher.
    seq = int(r.voucher_no.split("-")[1])
    [li] = dues.dues_receipts(db, member_id=paid["li"], months=[date(2024, 1, 1)])
    assert {r.number, li.number} == {f"2024-ZB01-{seq:04d}/1", f"2024-ZB01-{seq:04d}/2"}
    assert li.total_fen == 1000 and li.months == (date(2024, 1, 1),)


def test_months_of_two_payments_make_two_receipts_and_the_number_is_stable(db, paid):
    first = dues.dues_receipts(db, member_id=paid["zhang"], months=[date(2024, 3, 1), date(2024, 4, 1)])
    assert [r.paid_on for r in first] == [date(2024, 1, 8), date(2024, 4, 9)]
    assert [r.total_fen for r in first] == [13500, 4500]
    assert first[1].collected_by == "钱委员" and "/" not in first[1].number
    again = dues.dues_receipts(db, _record_ids(db, paid["zhang"], date(2024, 1, 1), date(2024, 4, 1)))
    assert [r.number for r in again] == [r.number for r in first]


def test_unpaid_months_are_refused(db, paid):
    with pytest.raises(ValidationError, match="2024年5月没有交纳记录"):
        dues.dues_receipts(db, member_id=paid["zhang"], months=[date(2024, 4, 1), date(2024, 5, 1)])
    with pytest.raises(ValidationError):
        dues.dues_receipts(db, [])


def test_a_cancelled_payment_prints_no_receipt(db, paid):
    ids = _record_ids(db, paid["zhang"], date(2024, 4, 1))
    dues.cancel_payment(db, paid["zhang"], date(2024, 4, 1), "录错", on=date(2024, 4, 10))
    with pytest.raises(ValidationError):
        dues.dues_receipts(db, ids)


def test_refused_without_permission_and_masked_for_a_viewer(db, paid, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    [whole] = dues.dues_receipts(db, member_id=paid["li"], months=[date(2024, 1, 1)])
    assert whole.id_number == ID_NUMBER[:-2] + "02"
    auth.create_user(db, "street", "街道小钱", "viewer", "xingfuli2026", must_change_password=False)
    auth.create_user(db, "grid", "网格员小孙", "grid", "xingfuli2026", must_change_password=False,
                     grid_ids=[paid["branch"].id])
    auth.login(db, "street", "xingfuli2026")
    [masked] = dues.dues_receipts(db, member_id=paid["li"], months=[date(2024, 1, 1)])
    assert masked.id_number != whole.id_number and "*" in masked.id_number
    assert masked.number == whole.number
    auth.login(db, "grid", "xingfuli2026")
    with pytest.raises(PermissionDenied):
        dues.print_dues_receipt(db, member_id=paid["li"], months=[date(2024, 1, 1)])


def test_the_pdf_has_stub_and_receipt(db, paid, shipped_font, tmp_path):  # noqa: F811
    out = tmp_path / "收据.pdf"
    data = dues.print_dues_receipt(db, member_id=paid["zhang"], months=[date(2024, 1, 1), date(2024, 4, 1)],
                                   out=out, printed_on=date(2024, 5, 1))
    assert out.read_bytes() == data
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 2  # two payments, one sheet each
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    [r, _] = dues.dues_receipts(db, member_id=paid["zhang"], months=[date(2024, 1, 1), date(2024, 4, 1)])
    for text in ("党费收据（存根）", "党费收据（收据）", "党支部留存", "交党员本人", "沿此线剪开", f"No.{r.number}", "张建国", "第一网格党支部",
                 "2024年1-3月，共3个月", "2024年1月", "2024年3月", "45.00", "¥135.00元", "人民币壹佰叁拾伍元整",
                 "赵书记", "2024年1月8日", "收款单位（盖章）"):
        assert text in first, text
    assert first.count(r.number) == 2  # the same number on both halves
    assert "2024年4月" not in first.split("交纳月份")[1]


def test_every_member_of_an_entry_gets_a_receipt(db, paid):
    got = dues.dues_receipts(db, entry_id=paid["quarter"].entry_id)
    assert sorted((r.member_name, r.total_fen) for r in got) == [("张建国", 13500), ("李秀英", 1000)]


@pytest.mark.sqlite_only  # the command opens the database file
def test_the_command_line(db, paid, tmp_path, capsys):
    from desktop_app.cli import main

    path = str(tmp_path / "test.db")
    pdf = tmp_path / "收据.pdf"
    assert main(["dues", "receipt", "--db", path, "--member", "张建国", "--months", "2024-02:2024-04",
                 "--out", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "党费收据 2 张" in out and "2024年1-3月 135.00 元" in out and "2024年4月 45.00 元" in out
    assert len(PdfReader(BytesIO(pdf.read_bytes())).pages) == 2
    assert main(["dues", "receipt", "--db", path, "--member", "张建国", "--months", "2024-05",
                 "--out", str(pdf)]) == 2
    assert "2024年5月没有交纳记录" in capsys.readouterr().err
    assert main(["dues", "receipt", "--db", path, "--member", "张建国", "--months", "2024-13",
                 "--out", str(pdf)]) == 2
    assert "--months" in capsys.readouterr().err


def test_the_months_rows_label_column_lines_up_with_the_rows_above(db, paid, shipped_font):  # noqa: F811
    from itertools import accumulate

    from reportlab.platypus import Table

    from desktop_app.reports.dues import DuesReceiptReport

    [r] = dues.dues_receipts(db, member_id=paid["zhang"], months=[date(2024, 1, 1)])
    report = DuesReceiptReport(r.center_name, [r])
    report.apply_page_settings()
    report.font = report.register_fonts()
    report.styles = report.build_stylesheet(report.font.name)
    forms = [f for f in report._half(r, "收据", "交党员本人", ("x", "y")) if isinstance(f, Table)][:3]
    lines = [[round(x, 3) for x in accumulate(t._colWidths)] for t in forms]
    # The 交纳人 rows, the months rows and the 合计 rows: the first label column ends on one vertical line.
    assert lines[0][0] == lines[1][0] == lines[2][0]
    assert lines[0] == lines[2]
