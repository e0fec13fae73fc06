"""党费 service on a real SQLite file: bases, payments posted to the 党费 account, arrears, the grid."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import EMPLOYED, FARMER, RETIRED, STUDENT
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import dues, ledger, orgs
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, MemberStatusChange
from desktop_app.views import dues as dv


@pytest.fixture
def branch(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "32010200101", "branch", community.id)
    g = orgs.create(db, "第一党小组", "3201020010101", "group", b.id)
    return b, g


def add_member(db, name, org_id, seq, joined=date(2000, 1, 1), status="正常"):
    with UnitOfWork(db) as uow:
        m = Member(
            seq=seq, name=name, org_id=org_id, id_number=f"1101011970010100{seq:02d}", gender="男",
            joined_date=joined, status=status,
        )
        uow.session.add(m)
        uow.commit()
        return m.id


@pytest.fixture
def people(db, branch):
    b, g = branch
    return {
        "zhang": add_member(db, "张建国", b.id, 1),
        "li": add_member(db, "李秀英", g.id, 2),  # in a 党小组 under the branch
        "wang": add_member(db, "王小明", b.id, 3, joined=date(2024, 3, 10)),
    }


def dues_account(db):
    return next(a for a in ledger.list_accounts(db) if a.is_dues)


def test_bases_compute_the_monthly_due(db, people):
    info = dues.set_base(db, people["zhang"], date(2024, 1, 15), EMPLOYED, income_fen=450_000)
    assert info.effective_from == date(2024, 1, 1)
    assert info.due_fen == 4500 and info.basis == "4,500.00×1%"
    # Entered again for the same month: replaced, not duplicated.
    dues.set_base(db, people["zhang"], date(2024, 1, 1), EMPLOYED, income_fen=520_000)
    assert [b.due_fen for b in dues.bases(db, people["zhang"])] == [7800]
    # A raise from July.
    dues.set_base(db, people["zhang"], date(2024, 7, 1), EMPLOYED, income_fen=1_200_000)
    assert dues.due_for(db, people["zhang"], date(2024, 6, 1)).due_fen == 7800
    assert dues.due_for(db, people["zhang"], date(2024, 7, 1)).due_fen == 24000
    assert dues.due_for(db, people["li"], date(2024, 7, 1)) is None  # no base yet

    with pytest.raises(ValidationError) as exc:
        dues.set_base(db, people["li"], date(2024, 1, 1), RETIRED)
    assert exc.value.field == "月基本离退休费"
    with pytest.raises(ValidationError) as exc:
        dues.set_base(db, people["li"], date(2024, 1, 1), RETIRED, income_fen=300_000, fixed_due_fen=0)
    assert exc.value.field == "备注"  # an exemption needs its approval written down
    exempt = dues.set_base(db, people["li"], date(2024, 1, 1), RETIRED, 300_000, 0, note="2024年街道党工委批准免交")
    assert exempt.due_fen == 0 and exempt.basis == "经批准免交"
    farmer = dues.set_base(db, people["wang"], date(2024, 3, 1), FARMER, fixed_due_fen=50)
    assert farmer.due_fen == 50
    with pytest.raises(ValidationError):
        dues.set_base(db, people["wang"], date(2024, 3, 1), FARMER, fixed_due_fen=150)


def test_a_payment_posts_to_the_dues_account_in_the_same_transaction(db, people):
    dues.set_base(db, people["zhang"], date(2024, 1, 1), RETIRED, income_fen=600_000)  # 1% → 60 元
    result = dues.record_payment(db, people["zhang"], [date(2024, 1, 1)], date(2024, 1, 8), "赵书记", entered_by="李明")
    assert result.total_fen == 6000 and result.records == 1 and result.warnings == ()
    entry = ledger.get_entry(db, result.entry_id)
    assert entry.account_id == dues_account(db).id
    assert (entry.direction, entry.category, entry.amount_fen) == ("收入", "党费收缴", 6000)
    assert entry.memo == "张建国交纳2024年1月党费" and entry.handler == "赵书记" and entry.is_dues
    assert ledger.balance(db, dues_account(db).id, date(2024, 1, 31)) == 6000
    assert dues.dues_last_paid(db, people["zhang"]) == date(2024, 1, 8)
    assert dues.dues_last_paid(db, people["li"]) is None
    assert dues.dues_last_paid_map(db) == {people["zhang"]: date(2024, 1, 8)}

    # Paying the same month twice is refused and changes nothing.
    with pytest.raises(ValidationError) as exc:
        dues.record_payment(db, people["zhang"], [date(2024, 1, 1)], date(2024, 1, 9), "赵书记")
    assert "已于" in exc.value.message
    assert ledger.balance(db, dues_account(db).id, date(2024, 12, 31)) == 6000

    # A closed month refuses the payment, and the dues record is not written either.
    ledger.close_month(db, date(2024, 1, 1), today=date(2024, 2, 1))
    with pytest.raises(Conflict):
        dues.record_payment(db, people["zhang"], [date(2024, 2, 1)], date(2024, 1, 31), "赵书记", quarterly_consent=True)
    cells = dues.member_year(db, people["zhang"], 2024, today=date(2024, 3, 15))
    assert cells[1].state == dv.OWED and cells[1].paid_fen == 0


def test_the_ledger_refuses_to_reverse_a_dues_entry_directly(db, people):
    dues.set_base(db, people["zhang"], date(2024, 1, 1), STUDENT)
    r = dues.record_payment(db, people["zhang"], [date(2024, 1, 1)], date(2024, 1, 8), "赵书记")
    with pytest.raises(Conflict) as exc:
        ledger.reverse_entry(db, r.entry_id, "错", date(2024, 1, 9))
    assert "党费" in str(exc.value)


def test_quarterly_only_with_consent(db, people):
    dues.set_base(db, people["zhang"], date(2024, 1, 1), EMPLOYED, income_fen=300_000)  # 15 元
    q2 = [date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)]
    with pytest.raises(ValidationError) as exc:
        dues.record_payment(db, people["zhang"], q2, date(2024, 4, 2), "赵书记")
    assert "党支部同意" in exc.value.message
    r = dues.record_payment(db, people["zhang"], q2, date(2024, 4, 2), "赵书记", quarterly_consent=True)
    assert r.total_fen == 4500 and r.records == 3
    # Standing consent on the base works the same.
    dues.set_base(db, people["li"], date(2024, 1, 1), EMPLOYED, income_fen=300_000, quarterly_consent=True)
    r = dues.record_payment(db, people["li"], q2, date(2024, 4, 2), "赵书记")
    assert r.records == 3
    entry = ledger.get_entry(db, r.entry_id)
    assert entry.memo == "李秀英交纳2024年4-6月党费"


def test_back_payment_beyond_six_months_is_warned_and_flagged(db, people):
    dues.set_base(db, people["zhang"], date(2024, 1, 1), EMPLOYED, income_fen=300_000)
    months = [date(2024, m, 1) for m in range(1, 9)]
    r = dues.record_payment(db, people["zhang"], months, date(2024, 8, 20), "赵书记")
    assert r.total_fen == 8 * 1500
    assert len(r.warnings) == 1 and "补交2024年1月党费" in r.warnings[0] and "超过6个月" in r.warnings[0]
    cells = dues.member_year(db, people["zhang"], 2024, today=date(2024, 8, 31))
    assert [c.late for c in cells[:8]] == [True, False, False, False, False, False, False, False]


def test_batch_collection_is_one_voucher_and_cancel_reposts_the_others(db, people):
    for key in ("zhang", "li"):
        dues.set_base(db, people[key], date(2024, 1, 1), RETIRED, income_fen=400_000)  # 20 元
    dues.set_base(db, people["wang"], date(2024, 3, 1), EMPLOYED, income_fen=800_000)  # 120 元
    mar = (date(2024, 3, 1),)
    r = dues.record_payments(
        db,
        [dues.PaymentInput(people["zhang"], mar), dues.PaymentInput(people["li"], mar),
         dues.PaymentInput(people["wang"], mar, amount_fen=15000)],  # 自愿多交 30 元
        date(2024, 3, 10), "赵书记",
    )
    assert r.records == 3 and r.total_fen == 2000 + 2000 + 15000
    entry = ledger.get_entry(db, r.entry_id)
    assert entry.memo == "收缴2024年3月党费，3人" and entry.counterparty == "党员交纳"
    acc = dues_account(db).id
    assert ledger.balance(db, acc, date(2024, 3, 31)) == 19000

    # 李秀英 had in fact paid elsewhere: undo hers only.
    undo = dues.cancel_payment(db, people["li"], date(2024, 3, 1), "已在原单位交纳", on=date(2024, 3, 12))
    assert undo.total_fen == -19000 and undo.records == 1
    assert undo.warnings and "重新入账" in undo.warnings[0]
    assert ledger.balance(db, acc, date(2024, 3, 31)) == 17000
    original = ledger.get_entry(db, r.entry_id)
    assert original.reversed_by is not None
    cells = {k: dues.member_year(db, people[k], 2024, today=date(2024, 4, 15))[2] for k in people}
    assert cells["li"].state == dv.OWED and cells["li"].paid_fen == 0
    assert cells["zhang"].state == dv.PAID and cells["zhang"].paid_on == date(2024, 3, 10)
    assert cells["wang"].paid_fen == 15000
    assert dues.dues_last_paid(db, people["li"]) is None

    # A refused batch records nothing at all.
    before = ledger.balance(db, acc, date(2024, 12, 31))
    with pytest.raises(ValidationError):
        dues.record_payments(
            db, [dues.PaymentInput(people["li"], mar), dues.PaymentInput(people["zhang"], mar)],
            date(2024, 3, 20), "赵书记",
        )
    assert ledger.balance(db, acc, date(2024, 12, 31)) == before
    assert dues.member_year(db, people["li"], 2024, today=date(2024, 4, 15))[2].state == dv.OWED


def test_arrears_and_the_six_month_lapse_risk(db, people, branch):
    today = date(2024, 9, 15)
    dues.set_base(db, people["zhang"], date(2024, 1, 1), EMPLOYED, income_fen=300_000)
    dues.set_base(db, people["li"], date(2024, 1, 1), RETIRED, income_fen=300_000)
    dues.set_base(db, people["wang"], date(2024, 1, 1), STUDENT)  # joined in March: owes from March
    dues.record_payment(db, people["zhang"], [date(2024, m, 1) for m in range(1, 9)], date(2024, 8, 5), "赵书记")
    dues.record_payment(db, people["li"], [date(2024, 1, 1), date(2024, 2, 1)], date(2024, 2, 5), "赵书记")

    rows = {r.name: r for r in dues.arrears(db, today=today)}
    assert "张建国" not in rows  # paid through August; September is this month
    li = rows["李秀英"]
    assert li.months == tuple(date(2024, m, 1) for m in range(3, 9))
    assert li.owed_fen == 6 * 1500 and li.trailing_months == 6 and li.lapse_risk
    assert li.last_paid == date(2024, 2, 5) and li.months_text == "2024年3-8月"
    wang = rows["王小明"]
    assert wang.months[0] == date(2024, 3, 1) and wang.owed_fen == 6 * 20
    assert [r.name for r in dues.arrears(db, today=today)][0] in ("李秀英", "王小明")
    # Per branch: the group's member is inside the branch.
    b, g = branch
    assert {r.name for r in dues.arrears(db, org_id=g.id, today=today)} == {"李秀英"}

    # A member who moved away owes nothing after the move.
    with UnitOfWork(db) as uow:
        m = uow.session.get(Member, people["wang"])
        m.status = "转出"
        uow.session.add(MemberStatusChange(member_id=m.id, status="转出", changed_on=date(2024, 5, 20)))
        uow.commit()
    assert "王小明" not in {r.name for r in dues.arrears(db, today=today)}
    grid = dues.branch_grid(db, b.id, 2024, today=today)
    wang_row = next(r for r in grid.rows if r.name == "王小明")
    assert [c.state for c in wang_row.cells[:7]] == [
        dv.NONE, dv.NONE, dv.OWED, dv.OWED, dv.OWED, dv.NONE, dv.NONE,
    ]


def test_branch_grid(db, people, branch):
    b, _ = branch
    today = date(2024, 5, 20)
    dues.set_base(db, people["zhang"], date(2024, 1, 1), EMPLOYED, income_fen=300_000)
    dues.set_base(db, people["li"], date(2024, 1, 1), RETIRED, 300_000, 0, note="批准免交")
    dues.record_payment(db, people["zhang"], [date(2024, 1, 1), date(2024, 2, 1)], date(2024, 2, 3), "赵书记",
                        amount_fen=3500)
    dues.record_payment(db, people["zhang"], [date(2024, 4, 1)], date(2024, 4, 3), "赵书记", amount_fen=1000)
    grid = dues.branch_grid(db, b.id, 2024, today=today)
    assert grid.org_name == "第一网格党支部" and grid.center_name == "幸福里社区党委"
    assert [r.name for r in grid.rows] == ["张建国", "李秀英", "王小明"]
    z, li, w = grid.rows
    assert [c.state for c in z.cells[:6]] == [dv.PAID, dv.PAID, dv.OWED, dv.PARTIAL, dv.CURRENT, dv.FUTURE]
    assert [c.paid_fen for c in z.cells[:4]] == [1500, 2000, 0, 1000]
    assert z.paid_fen == 4500 and z.owed_fen == 1500 + 500
    assert z.monthly_due_fen == 1500 and z.category == EMPLOYED
    assert all(c.state == dv.EXEMPT for c in li.cells)
    assert not w.has_base and w.basis == "未登记党费基数" and all(c.state == dv.NONE for c in w.cells)
    assert grid.month_paid(2) == 2000 and grid.paid_fen == 4500
    assert [n.name for n in dues.members_without_base(db)] == ["王小明"]


def test_payments_need_a_base_a_collector_and_a_real_date(db, people):
    with pytest.raises(ValidationError) as exc:
        dues.record_payment(db, people["li"], [date(2024, 1, 1)], date(2024, 1, 8), "赵书记")
    assert exc.value.field == "党费基数"
    dues.set_base(db, people["li"], date(2024, 1, 1), STUDENT)
    with pytest.raises(ValidationError) as exc:
        dues.record_payment(db, people["li"], [date(2024, 1, 1)], date(2024, 1, 8), "  ")
    assert exc.value.field == "收缴人"
    with pytest.raises(ValidationError) as exc:
        dues.record_payment(db, people["li"], [date(2024, 1, 1)], date(2999, 1, 8), "赵书记")
    assert exc.value.field == "交纳日期"
    with pytest.raises(ValidationError) as exc:
        dues.record_payment(db, people["li"], [date(2024, 1, 1), date(2024, 2, 1)], date(2024, 2, 8), "赵书记",
                            amount_fen=30)
    assert exc.value.field == "实交金额"


def test_the_rate_table_is_data_and_a_new_rule_applies_from_its_date(db, people):
    table = dues.rate_rules(db)
    assert len(table) == len(rules.DEFAULT_RULES)
    dues.set_base(db, people["zhang"], date(2024, 1, 1), STUDENT)
    assert dues.due_for(db, people["zhang"], date(2025, 1, 1)).due_fen == 20
    dues.set_rate_rules(db, [rules.RateRule(STUDENT, date(2025, 1, 1), fixed_fen=50, note="假设的新标准")])
    assert dues.due_for(db, people["zhang"], date(2024, 12, 1)).due_fen == 20
    assert dues.due_for(db, people["zhang"], date(2025, 1, 1)).due_fen == 50
    with pytest.raises(ValidationError):
        dues.set_rate_rules(db, [rules.RateRule(EMPLOYED, date(2025, 1, 1), None, 300_000, rate_bp=50)])
    assert len(dues.rate_rules(db)) == len(rules.DEFAULT_RULES) + 1


def test_registry_grids_for_the_cli(db, people, branch):
    b, _ = branch
    grids = dues.registry_grids(db, 2024, today=date(2024, 6, 1))
    assert [g.org_name for g in grids] == ["第一网格党支部"]
    assert dues.registry_grids(db, 2024, "第一网格", today=date(2024, 6, 1))[0].org_id == b.id
    with pytest.raises(ValidationError) as exc:
        dues.registry_grids(db, 2024, "第九网格")
    assert exc.value.field == "党支部"


def test_seeded_rate_lines_have_the_same_ids_in_every_database(db, tmp_path):
    from sqlalchemy import select

    from desktop_app.services import site
    from desktop_app.store.migrate import open_database
    from desktop_app.store.models_ledger import DuesRateRule

    street, _ = open_database(tmp_path / "street.db")
    site.init_site(street, "320102", "梅园街道党工委", "street")
    ids = []
    for d in (db, street):
        dues.rate_rules(d)
        with d.session() as s:
            ids.append(set(s.scalars(select(DuesRateRule.id))))
    street.dispose()
    assert len(ids[0]) == 10 and ids[0] == ids[1]
