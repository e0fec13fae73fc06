"""政治生日: members on the roster whose 入党 anniversary falls in a month, with the years it marks; those who
died or left the party, deleted ones and this year's joiners are not among them."""

import json
from datetime import date

import pytest

from desktop_app.domain import members as m
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def _people(db):
    b = branch(db)
    ids = {}
    for name, joined in (("张兰", date(1974, 6, 8)), ("李明", date(2000, 2, 29)), ("王芳", date(1990, 6, 30)),
                         ("赵强", date(1985, 6, 1)), ("钱进", date(1999, 6, 15)), ("孙丽", date(2025, 6, 3)),
                         ("周平", date(1980, 7, 1)), ("吴刚", date(1995, 6, 20))):
        ids[name] = members(db, b, [name], joined=joined, born=date(1950 + len(ids), 3, 1), today=TODAY)[0]
    ml.record_exit(db, ids["赵强"], ml.ExitInput(m.DECEASED, date(2026, 3, 1)), today=TODAY)
    ml.record_exit(db, ids["钱进"], ml.ExitInput(m.WITHDRAWN, date(2026, 3, 1), "支部大会"), today=TODAY)
    roster.delete(db, ids["吴刚"])
    return ids


def test_the_month_lists_live_members_by_day_with_their_years(db):
    ids = _people(db)
    june = roster.political_birthdays(db, 2026, 6)
    assert [(r.name, r.day, r.years) for r in june] == [
        ("孙丽", date(2026, 6, 3), 1), ("张兰", date(2026, 6, 8), 52), ("王芳", date(2026, 6, 30), 36)]
    assert june[1].member_id == ids["张兰"] and june[1].branch_name == "第一网格党支部"
    feb = roster.political_birthdays(db, 2026, 2)  # a common year: the 29 February joiner on the 28th
    assert [(r.name, r.day, r.years) for r in feb] == [("李明", date(2026, 2, 28), 26)]
    assert [r.day for r in roster.political_birthdays(db, 2028, 2)] == [date(2028, 2, 29)]
    assert [r.name for r in roster.political_birthdays(db, 2025, 6)] == ["张兰", "王芳"]  # 孙丽 joined that year


def test_the_roster_filter_lists_exactly_them(db):
    _people(db)
    for month in ("2026-06", "2026-02", "2025-06"):
        year, m_ = (int(p) for p in month.split("-"))
        listed = roster.search_ids(db, roster.MemberFilter(birthday_month=month), today=TODAY)
        assert sorted(listed) == sorted(r.member_id for r in roster.political_birthdays(db, year, m_)), month
    assert "2026年6月政治生日" in roster.MemberFilter(birthday_month="2026-06").in_words()


@pytest.mark.sqlite_only
def test_the_command_line_lists_a_month(db, capsys):
    from desktop_app.cli import main

    _people(db)
    path = str(db.path)
    db.dispose()
    assert main(["members", "birthdays", "--db", path, "--month", "2026-06", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["day"], r["years"]) for r in rows] == [("孙丽", "2026-06-03", 1), ("张兰", "2026-06-08", 52),
                                                                 ("王芳", "2026-06-30", 36)]
    assert main(["members", "birthdays", "--db", path, "--month", "2026-06"]) == 0
    out = capsys.readouterr().out
    assert "张兰" in out and "入党 52 周年" in out and "3 名" in out


def test_the_workbench_names_the_month_and_its_filter_finds_exactly_them(db):
    from desktop_app.services import overview

    _people(db)
    items = [i for i in overview.todo(db, today=date(2026, 6, 5)).items if i.kind == "birthdays"]
    assert [(i.text.split("：")[0], i.page, i.overdue, i.filters) for i in items] == [
        ("本月政治生日 3 名", "党员名册", False, (("birthday", "2026-06"),))]
    assert "孙丽、张兰、王芳" in items[0].text
    listed = roster.search_ids(db, roster.MemberFilter(birthday_month="2026-06"), today=date(2026, 6, 5))
    assert sorted(listed) == sorted(r.member_id for r in roster.political_birthdays(db, 2026, 6))
    assert not [i for i in overview.todo(db, today=date(2026, 1, 5)).items if i.kind == "birthdays"]  # nobody in January
