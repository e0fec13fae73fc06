"""A closed month (结账) holds for the 党费 records of branch members too: their money is the community's books.

A 党支部 or 党小组 keeps no books of its own; its members' 党费 records fall in the books of the
community above it. Once the community closes a month, the street refuses a package that changes such
a record of that month (naming the member's branch, the month and the community), and the community
itself neither records nor takes back 党费 paid in that month. What holds is the day the money came in on a
voucher: a 补交 of a closed month paid later is money of an open month, and imported history is on no voucher.
"""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from desktop_app.domain import dues as dues_rules
from desktop_app.domain.dues import RETIRED
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, dues, dues_import, ledger, orgs, revert, roster, site
from desktop_app.services.revert_added import RevertRefused, after_of
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.books import KEEPS_BOOKS
from tests.integration.sync_world import World, build_templates, rows
from tests.integration.test_dues_import import _id
from tests.integration.test_sync_trust import _refused_whole, _smuggle

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
LATER = date(2026, 1, 1)


# ---------------------------------------------------------------- at the street


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("dues-closed-templates"), members=40, synced=True)


@pytest.fixture
def synced(templates, tmp_path):
    w = World.copy_from(templates, tmp_path, prefix="synced-")
    yield w
    w.close()


def _branch_record_in_a_closed_month(w: World) -> tuple[dict, date]:
    """A branch (or 党小组) member's paid 党费 record of a month the community has closed, made if need be."""
    org_rows = rows(w.c1, "organization")
    book = next(o["id"] for o in org_rows.values() if o["kind"] == "community" and not o["deleted"])
    closed = set(ledger.closed_months(w.c1))
    for r in rows(w.c1, "dues_record").values():
        if (not r["deleted"] and r["paid_fen"] > 0 and r["month"] in closed
                and org_rows[r["org_id"]]["kind"] not in KEEPS_BOOKS):
            return r, r["month"]
    month = ledger.next_month_to_close(w.c1, LATER) or dues_rules.month_of(date.today())
    member = next(m for m in rows(w.c1, "member").values()
                  if not m["deleted"] and org_rows[m["org_id"]]["kind"] not in KEEPS_BOOKS
                  and not any(r["member_id"] == m["id"] and r["month"] == month
                              for r in rows(w.c1, "dues_record").values()))
    dues.set_base(w.c1, member["id"], month, RETIRED, income_fen=600_000)
    dues.record_payment(w.c1, member["id"], [month], month.replace(day=8), "赵书记")
    ledger.close_month(w.c1, month, "王会计", today=LATER)
    assert book
    return next(r for r in rows(w.c1, "dues_record").values()
                if r["member_id"] == member["id"] and r["month"] == month), month


def test_the_street_refuses_a_change_to_a_branch_member_s_dues_of_a_closed_month(synced):
    record, month = _branch_record_in_a_closed_month(synced)
    synced.up(synced.c1)
    assert (record["org_id"], month) not in {(r["org_id"], r["month"]) for r in rows(synced.street, "closed_month").values()}
    org_rows = rows(synced.c1, "organization")
    branch = org_rows[record["org_id"]]["name"]
    member = rows(synced.c1, "member")[record["member_id"]]["name"]
    community = site.get_site(synced.c1).org_name
    # The community's database is changed behind the program (or an older program wrote it): 0.01 元 now.
    _smuggle(synced.c1, "dues_record", record, paid_fen=1)
    msg = _refused_whole(synced, synced.c1, "已结账")
    assert branch in msg and member in msg and dues_rules.month_label(month) in msg and community in msg, msg
    assert rows(synced.street, "dues_record")[record["id"]]["paid_fen"] == record["paid_fen"]


def test_the_street_refuses_a_branch_member_s_dues_record_taken_back_in_a_closed_month(synced):
    record, month = _branch_record_in_a_closed_month(synced)
    synced.up(synced.c1)
    _smuggle(synced.c1, "dues_record", record, deleted=True)
    _refused_whole(synced, synced.c1, dues_rules.month_label(month))  # the street's data unchanged
    assert not rows(synced.street, "dues_record")[record["id"]]["deleted"]


# ---------------------------------------------------------------- at the community itself


@pytest.fixture
def people(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B1", "branch", c.id).id
    g = orgs.create(db, "第一党小组", "G1", "group", b).id
    out = {}
    for key, name, seq, org in (("zhang", "张建国", 1, b), ("li", "李秀兰", 2, g), ("zhou", "周直属", 3, c.id)):
        out[key] = roster.create(db, MemberInput(
            name=name, org_id=org, id_number=_id(seq), gender="男", birth_date=date(1960 + seq, 1, 2),
            joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1))).id
        dues.set_base(db, out[key], JAN, RETIRED, income_fen=600_000)  # 1% → 60 元
    return out


def _paid(db, member_id, month) -> int:
    return next(c.paid_fen for c in dues.member_year(db, member_id, month.year, today=LATER) if c.month == month)


def test_dues_paid_in_a_closed_month_cannot_be_taken_back_but_a_late_payment_of_one_can_be_made(db, people):
    dues.record_payment(db, people["zhang"], [JAN], date(2024, 1, 8), "赵书记")
    ledger.close_month(db, JAN, "王会计", today=LATER)
    with pytest.raises(DomainError) as exc:
        dues.cancel_payment(db, people["zhang"], JAN, "登记错了", on=date(2024, 3, 5))
    assert "幸福里社区党委已结账2024年1月" in str(exc.value) and "张建国" in str(exc.value)
    assert _paid(db, people["zhang"], JAN) == 6000
    # money dated in the closed month (李秀兰 is in a 党小组 under the branch): refused before anything is posted
    entries = len(ledger.list_entries(db))
    with pytest.raises(DomainError, match="2024年1月已结账"):  # the voucher's own refusal (the community's books)
        dues.record_payment(db, people["li"], [JAN], date(2024, 1, 25), "赵书记")
    assert len(ledger.list_entries(db)) == entries and _paid(db, people["li"], JAN) == 0
    # a 补交 of the closed month paid in March is March's money: taken, and taken back while March is open
    dues.record_payment(db, people["li"], [JAN, FEB], date(2024, 3, 5), "赵书记")
    assert _paid(db, people["li"], JAN) == 6000 and _paid(db, people["li"], FEB) == 6000
    dues.cancel_payment(db, people["li"], JAN, "多收了", on=date(2024, 3, 6))
    assert _paid(db, people["li"], JAN) == 0


def test_taking_back_a_payment_that_carried_a_closed_month_of_another_member_is_refused(db, people):
    # one collection in January: 张建国's January and 李秀兰's February paid ahead
    dues.record_payments(db, [dues.PaymentInput(people["zhang"], (JAN,)), dues.PaymentInput(people["li"], (FEB,), None, True)],
                         date(2024, 1, 20), "赵书记")
    ledger.close_month(db, JAN, "王会计", today=LATER)
    # taking back 李秀兰's February (paid in the closed January) would post 张建国's January again: refused
    with pytest.raises(DomainError) as exc:
        dues.cancel_payment(db, people["li"], FEB, "多收了", on=date(2024, 3, 5))
    assert "2024年1月" in str(exc.value)
    assert _paid(db, people["li"], FEB) == 6000


def _imported_january(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["党员姓名", "所属月份", "应交金额", "实交金额", "交纳日期", "收缴人"])
    ws.append(["李秀兰", "2024-01", 60, 60, "2024-01-05", "赵书记"])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    return dues_import.preview(db, path, year=2024, today=LATER)


def test_past_dues_of_a_closed_month_import_they_are_on_no_voucher(db, people, tmp_path):
    dues.record_payment(db, people["zhou"], [JAN], date(2024, 1, 8), "赵书记")
    ledger.close_month(db, JAN, "王会计", today=LATER)
    plan = _imported_january(db, tmp_path)
    assert not plan.errors
    dues_import.apply(db, plan)
    assert _paid(db, people["li"], JAN) == 6000


def test_an_import_of_a_month_closed_since_can_still_be_taken_back(db, people, tmp_path, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.login(db, "admin", "xingfuli2026")
    dues_import.apply(db, _imported_january(db, tmp_path))
    dues.record_payment(db, people["zhou"], [JAN], date(2024, 1, 8), "赵书记")
    ledger.close_month(db, JAN, "王会计", today=LATER)
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.at.desc()))
    revert.revert_batch(db, after_of(entry)["batch"])
    assert _paid(db, people["li"], JAN) == 0
