"""慰问 with its 签领表, 楼门书记 / 党员联系户 with the 联系表, and the 兼职委员 register."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, roster
from desktop_app.services import residents as res
from desktop_app.services.cobuilding import CareInput, ContactInput, RecipientInput, SeatInput, UnitInput

TODAY = date(2026, 6, 28)


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    zhang = roster.create(db, MemberInput(
        name="张建国", org_id=g1, id_number=idcard.make("320102", date(1940, 1, 2), 1, "男"), gender="男",
        birth_date=date(1940, 1, 2), joined_date=date(1965, 7, 1), confirmed_date=date(1966, 7, 1),
        mobile="13912345678"), TODAY).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id, tags=("独居老人",)), TODAY).id
    unit = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院"), TODAY).id
    return {"g1": g1, "zhang": zhang, "h": h.id, "wang": wang, "unit": unit}


def _text(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)


def test_care_visit_with_its_signing_sheet(db, town, tmp_path):
    candidates = {c.name: c for c in cb.care_candidates(db, TODAY)}
    assert candidates["张建国"].category == "老党员" and candidates["王秀英"].category == "独居老人"
    people = [RecipientInput(c.name, c.category, "米、油", 50000, c.address, c.member_id, c.resident_id)
              for c in candidates.values()]
    care = cb.record_care(db, CareInput(date(2026, 1, 20), "春节", "2026年春节走访慰问", town["unit"], "李书记、刘主任",
                                        recipients=people), TODAY)
    assert (care.row.people, care.row.amount_fen, care.row.unit_name) == (2, 100000, "区人民医院")
    with pytest.raises(ValidationError) as e:
        cb.record_care(db, CareInput(date(2026, 1, 20), "春节", "x"), TODAY)
    assert e.value.field == "慰问对象"
    edited = cb.update_care(db, care.id, CareInput(date(2026, 1, 20), "春节", "2026年春节走访慰问", None, "李书记",
                                                   recipients=people[:1]), TODAY)
    assert edited.row.people == 1 and cb.list_care(db, 2026, "张建国")[0].id == care.id
    out = tmp_path / "sign.pdf"
    assert cb.print_care_sheet(db, care.id, out, today=TODAY) == 1
    text = _text(out)
    assert "慰问签领表" in text and "张建国" in text and "领取人签名" in text
    cb.delete_care(db, care.id)
    assert cb.list_care(db, 2026) == []


def test_contacts_and_their_sheet(db, town, tmp_path):
    cb.save_contact(db, None, ContactInput(town["zhang"], "楼门书记", town["g1"], "梅园新村3栋"), TODAY)
    row = cb.save_contact(db, None, ContactInput(town["zhang"], "联系户", household_id=town["h"]), TODAY)
    assert (row.household_label, row.grid_name) == ("梅园新村3栋2单元302室", "第一网格党支部")
    assert row.mobile_masked != "13912345678"
    with pytest.raises(ValidationError) as e:
        cb.save_contact(db, None, ContactInput(town["zhang"], "楼门书记", town["g1"], ""), TODAY)
    assert e.value.field == "楼栋"
    out = tmp_path / "contacts.pdf"
    assert cb.print_contact_sheet(db, out, town["g1"], today=TODAY) == 2
    text = _text(out)
    assert "梅园新村3栋2单元302室" in text and "13912345678" not in text
    cb.end_contact(db, row.id, TODAY)
    assert len(cb.list_contacts(db, town["g1"])) == 1


def test_part_time_committee_members(db, town):
    seat = cb.save_seat(db, None, SeatInput("大党委", "刘院长", town["unit"], "兼职委员", "", date(2025, 1, 1),
                                            date(2027, 12, 31)), TODAY)
    assert seat.unit_name == "区人民医院"
    cb.save_seat(db, None, SeatInput("大工委", "周所长", None, "兼职委员", "", date(2023, 1, 1), date(2025, 12, 31)), TODAY)
    assert [s.name for s in cb.list_seats(db, today=TODAY)] == ["刘院长"]
    assert len(cb.list_seats(db, current_only=False, today=TODAY)) == 2
    with pytest.raises(ValidationError):
        cb.save_seat(db, None, SeatInput("大党委", "x", None, "兼职委员", "", date(2025, 1, 1), date(2024, 1, 1)), TODAY)
    cb.delete_seat(db, seat.id)
    assert cb.list_seats(db, today=TODAY) == []
