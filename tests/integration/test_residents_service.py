"""Households and residents on a real SQLite file: CRUD, pinyin search, filters, masking, lists."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import orgs
from desktop_app.services import residents as svc
from desktop_app.services.residents import HouseholdInput, ResidentFilter, ResidentInput
from desktop_app.store.models import Resident
from desktop_app.store.models_service import ServiceListItem

TODAY = date(2024, 6, 15)


@pytest.fixture
def grids(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id)
    g2 = orgs.create(db, "第二网格党支部", "G2", "branch", community.id)
    return g1.id, g2.id


@pytest.fixture
def town(db, grids):
    g1, g2 = grids
    h1 = svc.create_household(db, HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室",
                                                 head_name="王秀英", phone="13912345678"))
    h2 = svc.create_household(db, HouseholdInput(grid_id=g2, building="桂花苑1栋", unit="1单元", room="101室"))
    number = idcard.make("320102", date(1940, 3, 8), 7, idcard.FEMALE)
    wang = svc.create_resident(db, ResidentInput(name="王秀英", household_id=h1.id, id_number=number,
                                                 phone="13912345678", tags=("独居老人", "残疾人")), TODAY)
    zeng = svc.create_resident(db, ResidentInput(name="曾国强", household_id=h2.id, gender="男",
                                                 phone="025-84561234", tags=("退役军人",)), TODAY)
    lone = svc.create_resident(db, ResidentInput(name="李建华", grid_id=g2, tags=("非独居老人",)), TODAY)
    return {"h1": h1, "h2": h2, "wang": wang, "zeng": zeng, "lone": lone, "g1": g1, "g2": g2, "number": number}


def names(rows) -> list[str]:
    return [r.name for r in rows]


def test_resident_takes_grid_birth_and_gender_from_household_and_id(db, town):
    wang = svc.get_resident(db, town["wang"].id, TODAY)
    assert wang.grid_id == town["g1"] and wang.grid_name == "第一网格党支部"
    assert (wang.gender, wang.birth_date, wang.age) == ("女", date(1940, 3, 8), 84)
    assert wang.address == "梅园新村3栋2单元302室"
    assert wang.tags == ("独居老人", "残疾人")
    with db.session() as s:
        row = s.get(Resident, wang.id)
        assert (row.name_pinyin, row.name_initials, row.tags) == ("wangxiuying", "wxy", "独居老人,残疾人")


def test_lists_mask_phones_and_ids(db, town):
    rows = svc.search_residents(db, ResidentFilter(), TODAY)
    wang = next(r for r in rows if r.name == "王秀英")
    assert wang.phone_masked == "139****5678"
    assert wang.id_masked == idcard.mask(town["number"]) and town["number"] not in wang.id_masked
    households = svc.search_households(db)
    assert [h.label for h in households] == ["桂花苑1栋1单元101室", "梅园新村3栋2单元302室"]
    assert households[1].phone_masked == "139****5678"
    assert households[1].residents == 1 and households[1].tags == ("独居老人", "残疾人")
    # the edit form gets them whole
    assert svc.get_resident(db, town["wang"].id).phone == "13912345678"


@pytest.mark.parametrize("text,expected", [
    ("王", ["王秀英"]),
    ("wxy", ["王秀英"]),
    ("xiuying", ["王秀英"]),
    ("zgq", ["曾国强"]),  # 曾 read as a surname: zeng
    ("zengguo", ["曾国强"]),
    ("梅园新村3栋", ["王秀英"]),
    ("2单元302", ["王秀英"]),
    ("5678", ["王秀英"]),  # phone fragment
    ("退役", ["曾国强"]),  # a tag word
    ("w 残疾", ["王秀英"]),  # words are ANDed
    ("w 退役", []),
])
def test_search_by_name_pinyin_address_phone_and_tag_words(db, town, text, expected):
    assert names(svc.search_residents(db, ResidentFilter(text=text), TODAY)) == expected


def test_filters_by_grid_tag_and_household(db, town):
    assert names(svc.search_residents(db, ResidentFilter(grid_id=town["g2"]), TODAY)) == ["曾国强", "李建华"]
    # a tag matches whole: 独居老人 is not found inside 非独居老人
    assert names(svc.search_residents(db, ResidentFilter(tag="独居老人"), TODAY)) == ["王秀英"]
    assert names(svc.search_residents(db, ResidentFilter(household_id=town["h2"].id), TODAY)) == ["曾国强"]
    assert svc.tag_counts(db) == {"独居老人": 1, "残疾人": 1, "退役军人": 1, "非独居老人": 1}
    picks = svc.pick_residents(db, "wxy")
    assert [p.label for p in picks] == ["王秀英 · 梅园新村3栋2单元302室 · 第一网格党支部 · 独居老人、残疾人"]
    assert picks[0].household_id == town["h1"].id and picks[0].grid_id == town["g1"]


def test_resident_refusals_name_the_field(db, town):
    with pytest.raises(ValidationError) as e:
        svc.create_resident(db, ResidentInput(name="  "), TODAY)
    assert e.value.field == "姓名"
    with pytest.raises(ValidationError) as e:
        svc.create_resident(db, ResidentInput(name="张三", id_number=town["number"][:17] + "0"), TODAY)
    assert e.value.field == "公民身份号码"
    with pytest.raises(ValidationError) as e:
        svc.create_resident(db, ResidentInput(name="张三", id_number=town["number"]), TODAY)
    assert "已登记为居民王秀英" in e.value.message
    with pytest.raises(ValidationError) as e:
        svc.create_resident(db, ResidentInput(name="张三", id_number=town["number"], gender="男"), TODAY)
    assert e.value.field == "性别"
    with pytest.raises(ValidationError) as e:
        svc.create_resident(db, ResidentInput(name="张三", phone="手机没有"), TODAY)
    assert e.value.field == "联系电话"
    with pytest.raises(ValidationError) as e:
        svc.create_household(db, HouseholdInput(grid_id=town["g1"], building="梅园新村3栋", unit="2单元", room="302室"))
    assert "已经登记过住户" in e.value.message


def test_update_only_touches_what_changed(db, town):
    before = svc.get_resident(db, town["zeng"].id)
    same = svc.update_resident(db, before.id, before.to_input(), TODAY)
    assert same.version == before.version
    moved = svc.update_resident(db, before.id, ResidentInput(**{**before.to_input().__dict__,
                                                               "household_id": town["h1"].id}), TODAY)
    assert moved.version == before.version + 1
    assert moved.grid_id == town["g1"]  # follows the new household


def test_moving_a_household_moves_its_residents(db, town):
    h = svc.get_household(db, town["h1"].id)
    svc.update_household(db, h.id, HouseholdInput(**{**h.to_input().__dict__, "grid_id": town["g2"]}))
    assert svc.get_resident(db, town["wang"].id).grid_id == town["g2"]


def test_delete_household_asks_about_its_residents_and_tombstones(db, town):
    with pytest.raises(Conflict):
        svc.delete_household(db, town["h1"].id)
    assert svc.delete_household(db, town["h1"].id, with_residents=True) == 1
    with pytest.raises(NotFound):
        svc.get_household(db, town["h1"].id)
    with db.session() as s:
        assert s.get(Resident, town["wang"].id).deleted is True  # a tombstone, kept for sync
    assert "王秀英" not in names(svc.search_residents(db))
    svc.restore_resident(db, town["wang"].id)
    assert "王秀英" in names(svc.search_residents(db))


def test_editable_lists_default_then_stored(db):
    assert svc.get_list(db, flow.ISSUE_CATEGORY) == flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY]
    svc.set_list(db, flow.RESIDENT_TAG, ["独居老人", "失独家庭", "残疾人"])
    assert svc.get_list(db, flow.RESIDENT_TAG) == ("独居老人", "失独家庭", "残疾人")
    svc.set_list(db, flow.RESIDENT_TAG, ["残疾人", "独居老人"])
    assert svc.get_list(db, flow.RESIDENT_TAG) == ("残疾人", "独居老人")
    with db.session() as s:
        rows = s.scalars(select(ServiceListItem).where(ServiceListItem.list_kind == flow.RESIDENT_TAG)).all()
        assert sorted((r.name, r.deleted) for r in rows) == [("失独家庭", True), ("残疾人", False), ("独居老人", False)]
    # other lists keep their defaults
    assert svc.get_list(db, flow.PROJECT_CATEGORY) == flow.DEFAULT_LISTS[flow.PROJECT_CATEGORY]
    with pytest.raises(ValidationError):
        svc.set_list(db, flow.RESIDENT_TAG, [])
    assert svc.get_list(db, flow.RESIDENT_TAG) == ("残疾人", "独居老人")  # a refused edit changes nothing


def test_grids_list_branches(db, grids):
    assert [g.name for g in svc.grids(db)] == ["第一网格党支部", "第二网格党支部"]


def test_grid_by_name_for_the_command_line(db, grids):
    assert svc.grid_id_by_name(db, " 第二网格党支部 ") == grids[1]
    with pytest.raises(ValidationError) as e:
        svc.grid_id_by_name(db, "第九网格")
    assert "第一网格党支部、第二网格党支部" in e.value.message
