"""工作台 figures, the to-do list and the fixed figures, on a database built with known counts."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import service_flow as flow
from desktop_app.domain.ledger import EXPENSE, INCOME
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import VisitInput, WishInput
from desktop_app.services import ledger, orgs, overview, roster, service_stats, visits, wishes
from desktop_app.services import residents as res
from desktop_app.store.models_meetings import Attendance, Meeting

TODAY = date(2026, 12, 4)


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    g2 = orgs.create(db, "第二网格党支部", "G2", "branch", community.id).id

    def member(name, gender, born, seq, org, **kw):
        values = dict(joined_date=date(born.year + 25, 7, 1), confirmed_date=date(born.year + 26, 7, 1))
        values.update(kw)
        return roster.create(db, MemberInput(name=name, org_id=org, id_number=idcard.make("320102", born, seq, gender),
                                             gender=gender, birth_date=born, **values), TODAY).id

    h1 = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    h2 = res.create_household(db, res.HouseholdInput(grid_id=g2, building="桂花苑1栋", unit="1单元", room="101室"))
    t = {
        "community": community.id, "g1": g1, "g2": g2,
        "zhang": member("张建国", "男", date(1960, 1, 2), 1, g1),
        "li": member("李秀兰", "女", date(1965, 5, 6), 2, g2),
        # 预备党员 since 2025-12-20: 转正 is due on 2026-12-20, within the month ahead.
        "wu": member("吴小军", "男", date(1995, 3, 3), 3, g1, category="预备党员", joined_date=date(2025, 12, 20),
                     confirmed_date=None),
        "wang": res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h1.id), TODAY).id,
        "zhao": res.create_resident(db, res.ResidentInput(name="赵德明", household_id=h2.id), TODAY).id,
    }
    # Meetings: two 主题党日 this year (attendance 2 of 3), one last year.
    with db.session() as s:
        for n, (org, day, present, absent) in enumerate((
            (g1, date(2026, 3, 10), [t["zhang"]], [t["wu"]]),
            (g2, date(2026, 3, 12), [t["li"]], []),
            (g1, date(2025, 5, 8), [t["zhang"]], []),
        )):
            m = Meeting(number=f"M{n}", org_id=org, kind="主题党日", meeting_date=day, status="held")
            s.add(m)
            s.flush()
            for who in present:
                s.add(Attendance(meeting_id=m.id, member_id=who, status="出席"))
            for who in absent:
                s.add(Attendance(meeting_id=m.id, member_id=who, status="缺席"))
        s.commit()
    # Visits: three problems raised this year, one closed (办结率 33%); one overdue, one due later this month.
    def visit(day, resident, due, **kw):
        return visits.log_visit(db, VisitInput(visit_date=day, member_ids=(t["zhang"],), resident_id=resident,
                                               category="供水", content="水龙头漏水", due_date=due, **kw), today=TODAY)

    t["late"] = visit(date(2026, 11, 2), t["wang"], date(2026, 11, 9)).id
    t["running"] = visit(date(2026, 12, 1), t["wang"], date(2026, 12, 20)).id
    solved = visit(date(2026, 6, 3), t["zhao"], date(2026, 6, 10))
    visits.move_follow_up(db, solved.id, flow.SOLVED, "张建国", date(2026, 6, 5), "修好了", today=TODAY)
    # Wishes: one waiting 64 days, one waiting 14 days.
    t["old_wish"] = wishes.post_wish(db, WishInput(resident_id=t["wang"], content="助行器",
                                                   posted_on=date(2026, 10, 1)), TODAY).id
    wishes.post_wish(db, WishInput(resident_id=t["zhao"], content="理发", posted_on=date(2026, 11, 20)), TODAY)
    # Ledger: last year's income stays out of this year's; 党组织活动经费 spends more than it has, and its budget.
    accounts = {a.name: a.id for a in ledger.list_accounts(db)}
    t["account"] = accounts["党组织活动经费"]

    def post(day, account, direction, fen):
        ledger.post_entry(db, ledger.EntryInput(entry_date=day, account_id=account, direction=direction,
                                                amount_fen=fen, category="活动", memo="测试"))

    post(date(2025, 3, 1), accounts["党建工作经费"], INCOME, 500_000)
    post(date(2026, 2, 1), t["account"], INCOME, 10_000)
    post(date(2026, 2, 2), t["account"], EXPENSE, 30_000)
    ledger.set_budget(db, t["account"], 2026, 20_000)
    return t


def test_figures_of_the_year_beside_last_year(db, town):
    d = overview.dashboard(db, 2026, today=TODAY)
    v = d.values()
    assert (v["members_total"], v["members_full"], v["members_probationary"]) == (3, 2, 1)
    assert (v["meetings_held"], v["meetings_theme_day"], v["attendance_rate"]) == (2, 2, 67)
    assert d.figure("meetings_held").last_year == 1
    assert d.figure("attendance_rate").last_year == 100
    assert (v["visits"], v["problems_raised"], v["problems_closed"], v["close_rate"]) == (3, 3, 1, 33)
    assert (v["wishes_posted"], v["wishes_claimed"], v["wishes_fulfilled"]) == (2, 0, 0)
    assert (v["spending_fen"], v["income_fen"], v["budget_fen"]) == (30_000, 10_000, 20_000)
    assert d.figure("income_fen").last_year == 500_000
    assert d.figure("meetings_held").page == "三会一课" and d.figure("close_rate").page == "走访"
    assert d.charts.meetings_by_month == (("主题党日", (0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0)),)
    assert d.charts.attendance_by_month[2] == 67 and d.charts.attendance_by_month[0] is None
    assert d.charts.problems_by_category == (("供水", 3),)
    assert ("党组织活动经费", 20_000, 30_000) in d.charts.spending


def test_a_chosen_community_narrows_every_figure(db, town):
    # The scope is an organisation's subtree: a street chooses a community, here a branch stands in for one.
    v = overview.dashboard(db, 2026, community=town["g2"], today=TODAY).values()
    assert (v["members_total"], v["meetings_held"], v["attendance_rate"]) == (1, 1, 100)
    assert (v["visits"], v["problems_raised"], v["problems_closed"]) == (1, 1, 1)
    assert v["wishes_posted"] == 1
    assert "spending_fen" not in v  # the street's books are not a community's
    todo = overview.todo(db, TODAY, community=town["g2"])
    assert not [i for i in todo.items if i.kind in ("visits", "wishes", "probation", "ledger")]


def test_monthly_report_counts_overdue_as_of_today_and_close_rate_as_closed_over_raised(db, town):
    dec = service_stats.monthly(db, 2026, 12, today=TODAY)
    assert (dec.total.raised, dec.total.open_at_end, dec.total.overdue_at_end) == (1, 2, 1)
    assert dec.total.solve_rate == "0%"  # 办结 0 of 受理 1
    june = service_stats.monthly(db, 2026, 6, today=TODAY)
    assert (june.total.raised, june.total.raised_closed, june.total.solve_rate) == (1, 1, "100%")
    year = service_stats.summary(db, flow.Period.year(2026), today=TODAY)
    assert year.total.solve_rate == "33%"
    # Once the month is over, the follow-up due on the 20th that is still open is overdue.
    assert service_stats.monthly(db, 2026, 12, today=date(2027, 1, 5)).total.overdue_at_end == 2


def test_todo_names_each_late_thing_and_the_page_that_settles_it(db, town):
    todo = overview.todo(db, TODAY)
    by_kind: dict[str, list] = {}
    for item in todo.items:
        by_kind.setdefault(item.kind, []).append(item)
    assert [(i.page, i.record_id) for i in by_kind["visits"]] == [("走访", town["late"])]
    assert [(i.page, i.record_id) for i in by_kind["wishes"]] == [("微心愿", town["old_wish"])]
    assert [(i.page, i.record_id, i.overdue) for i in by_kind["probation"]] == [("党员名册", town["wu"], False)]
    ledger_items = by_kind["ledger"]
    assert any("已透支" in i.text and "-200.00" in i.text and i.record_id == town["account"] for i in ledger_items)
    assert any("超出预算" in i.text for i in ledger_items)
    assert all(i.page == "三会一课落实" for i in by_kind["meetings"])
    assert {i.record_id for i in by_kind["meetings"]} <= {town["g1"], town["g2"]}
    if db.path is None:  # a server database (PostgreSQL) is backed up by its server (pg_dump), not here
        assert "backup" not in by_kind
        return
    assert by_kind["backup"][0].text.startswith("此数据库还没有备份")
    assert todo.items.index(by_kind["backup"][0]) < todo.items.index(by_kind["probation"][0])  # late first


def test_figures_and_to_do_list_of_one_refresh_read_the_dues_arrears_and_pipeline_once(db, town, monkeypatch):
    from desktop_app.services import development, dues

    calls = []
    real_arrears, real_pipeline = dues.arrears, development.pipeline
    monkeypatch.setattr(dues, "arrears", lambda *a, **k: calls.append("arrears") or real_arrears(*a, **k))
    monkeypatch.setattr(development, "pipeline", lambda *a, **k: calls.append("pipeline") or real_pipeline(*a, **k))
    alone = (overview.dashboard(db, 2026, today=TODAY), overview.todo(db, TODAY))
    assert sorted(calls) == ["arrears", "arrears", "pipeline", "pipeline"]  # each on its own reads both
    calls.clear()
    shared = overview.Shared()
    together = (overview.dashboard(db, 2026, today=TODAY, shared=shared), overview.todo(db, TODAY, shared=shared))
    assert sorted(calls) == ["arrears", "pipeline"]
    assert together == alone  # the same figures and items


def test_dues_are_counted_once_as_dues_never_as_funds(db, town):
    """党费 is kept apart from 党组织工作经费: a payment posts to the 党费 account, so the 工作台 counts it under
    党费收缴 and leaves it (and the 党费 account's 上缴) out of 经费收入 / 经费支出 and the spending chart."""
    from desktop_app.domain.dues import EMPLOYED
    from desktop_app.services import dues

    dues.set_base(db, town["zhang"], date(2026, 1, 1), EMPLOYED, 450_000)  # 1% → 45.00 a month
    dues.record_payment(db, town["zhang"], [date(2026, 1, 1), date(2026, 2, 1)], date(2026, 2, 10), "赵书记")
    dues_account = next(a.id for a in ledger.list_accounts(db) if a.is_dues)
    ledger.post_entry(db, ledger.EntryInput(entry_date=date(2026, 3, 1), account_id=dues_account, direction=EXPENSE,
                                            amount_fen=5_000, category="上缴党费", memo="上缴街道党工委"))
    d = overview.dashboard(db, 2026, today=TODAY)
    v = d.values()
    assert v["dues_paid_fen"] == 9_000
    assert (v["income_fen"], v["spending_fen"]) == (10_000, 30_000)  # the 经费 accounts' own, as before
    assert "党费" not in {name for name, _, _ in d.charts.spending}
    # The 年度收支 lines (the PDF and `dangqun stats`) add up to the same sums once the 党费 line is set apart.
    lines = ledger.yearly_statement(db, 2026).lines
    funds = [x for x in lines if x.account_id != dues_account]
    assert sum(x.income_fen for x in funds) == v["income_fen"]
    assert sum(x.expense_fen for x in funds) == v["spending_fen"]
    assert next(x.income_fen for x in lines if x.account_id == dues_account) == v["dues_paid_fen"]
    assert "不含党费" in d.figure("income_fen").label


def test_no_backup_item_for_an_account_that_may_not_make_one(db, town):
    """A 只读 account (or one confined to one community) cannot back up: the item would ask for what it may not do."""
    if db.path is None:
        pytest.skip("a server database has no backup item for anyone (see above)")
    from desktop_app.services import auth

    assert any(i.kind == "backup" for i in overview.todo(db, TODAY).items)  # the administrator's
    auth.create_user(db, "look", "街道小钱", "viewer", "Passw0rd!2026")
    auth.login(db, "look", "Passw0rd!2026")
    assert not any(i.kind == "backup" for i in overview.todo(db, TODAY).items)
