"""双报到 and 联系户 find a person by pinyin and initials, as every other list does: 张伟 by zw and zhangwei."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, roster
from desktop_app.services import residents as res
from desktop_app.services.cobuilding import ContactInput

TODAY = date(2026, 6, 28)


@pytest.fixture
def grid(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id


def _member(db, grid, name, n):
    born = date(1970, 1, n)
    return roster.create(db, MemberInput(
        name=name, org_id=grid, id_number=idcard.make("320102", born, n, "男"), gender="男", birth_date=born,
        joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1)), TODAY).id


def test_reporting_members_are_found_by_pinyin_and_initials(db, grid):
    for name, employer in (("张伟", "区人民医院"), ("杨洋", "ABC科技公司"), ("李明", "区税务局")):
        cb.register_reporting(db, cb.ReportingInput(name=name, employer=employer, reported_on=date(2026, 3, 1),
                                                    org_id=grid), TODAY)

    def found(text):
        return sorted(r.name for r in cb.list_reporting(db, 2026, text))

    assert found("zw") == found("zhangwei") == found("ZW") == ["张伟"]
    assert found("yy") == found("yang") == ["杨洋"]
    assert found("abc") == ["杨洋"]  # Latin letters of an employer, in any case
    assert found("zw 医院") == ["张伟"] and found("zw 税务") == []
    assert found("张") == ["张伟"] and found("wz") == []  # initials from the start


def test_contacts_are_found_by_pinyin_and_initials(db, grid):
    h = res.create_household(db, res.HouseholdInput(grid_id=grid, building="梅园新村3栋", unit="2单元", room="302室"))
    for i, name in enumerate(("张伟", "杨洋"), 1):
        cb.save_contact(db, None, ContactInput(_member(db, grid, name, i), "联系户", household_id=h.id), TODAY)

    def found(text):
        return sorted(r.member_name for r in cb.list_contacts(db, grid, text))

    assert found("zw") == found("zhangwei") == ["张伟"]
    assert found("yy") == found("yangyang") == ["杨洋"]
    assert found("梅园 zw") == ["张伟"] and found("302") == ["张伟", "杨洋"]
