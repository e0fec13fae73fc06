"""The member form's summary line says 年龄 and 党龄 are as of a death (they no longer grow)."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import members as m
from desktop_app.domain.members import MemberInput
from desktop_app.services import memberlife as ml, orgs, roster

TODAY = date(2026, 12, 6)


def test_the_form_says_the_figures_are_as_of_the_death(qapp, db):
    from desktop_app.gui.roster.member_dialog import MemberDialog

    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    mid = roster.create(db, MemberInput(
        name="张兰", org_id=b.id, joined_date=date(1974, 6, 8), confirmed_date=date(1975, 6, 8),
        id_number=idcard.make("320102", date(1947, 5, 19), 1, idcard.FEMALE)), today=date(2025, 1, 5)).id
    ml.record_exit(db, mid, ml.ExitInput(m.DECEASED, date(2025, 5, 21)), today=TODAY)
    d = roster.get(db, mid, today=TODAY)
    text = MemberDialog._summary(None, d)
    assert "去世时 78 岁" in text and "党龄 49 年" in text
