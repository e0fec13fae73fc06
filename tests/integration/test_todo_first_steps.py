"""A community's first morning: the to-do list says where the existing roster goes, until it is there."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, overview, roster, site


def _roster_items(db):
    return [i for i in overview.todo(db, date(2026, 3, 2)).items if i.kind == "roster"]


def test_an_empty_roster_is_a_to_do_that_opens_the_import_page(db):
    (item,) = _roster_items(db)
    assert item.page == "导入表格" and "导入现有的党员花名册" in item.text and not item.overdue
    branch = orgs.create(db, "第一网格党支部", "B01", "branch",
                         next(n for n in orgs.list_tree(db) if n.kind == "community").id)
    roster.create(db, MemberInput(name="王建国", org_id=branch.id,
                                  id_number=idcard.make("320102", date(1960, 1, 2), 1, idcard.MALE),
                                  joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    assert _roster_items(db) == []


def test_a_street_is_not_asked_for_a_roster_of_its_own(empty_db):
    site.init_site(empty_db, "320102", "梅园街道党工委", "street")
    assert _roster_items(empty_db) == []
