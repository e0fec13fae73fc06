"""Saving a 调解 case from an account that may write mediation but not see residents' whole phones: the form
shows the parties' phones masked (139****5678) and sends them back so. The save kept failing (a masked number
is not a phone number) or, worse, would have stored the mask. An unchanged mask keeps the stored number; a
number typed over it replaces it; the trail keeps both masked, as it does elsewhere."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import access
from desktop_app.domain.access import Role
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import CaseInput, PartyInput
from desktop_app.services import auth, mediation
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_service import MediationParty

TODAY = date(2026, 3, 2)
PASSWORD = "xingfuli2026"


@pytest.fixture
def mediator(db, monkeypatch):
    """A case with two parties' whole phones, then logged in as an account that writes mediation without
    residents.reveal. No built-in role is so (a 书记 reveals, a 网格员 does not mediate): a 只读 role given
    mediation.write stands in for one, as a site could set its roles."""
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    monkeypatch.setitem(access.ROLE_PERMISSIONS, Role.VIEWER,
                        access.ROLE_PERMISSIONS[Role.VIEWER] | {"mediation.write"})
    case = mediation.create_case(db, CaseInput(
        kind="房屋漏水", summary="楼上卫生间漏水到楼下吊顶", received_on=date(2026, 3, 1), mediator="周调解",
        parties=(PartyInput("王秀英", "申请人", None, "13912345678", "梅园新村3栋302室"),
                 PartyInput("赵德明", "被申请人", None, "025-84561234", "梅园新村3栋402室"))), TODAY)
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "tiaojie", "周调解", "viewer", PASSWORD)
    auth.login(db, "tiaojie", PASSWORD)
    assert auth.can(db, "mediation.write") and not auth.can(db, "residents.reveal")
    return case


def _stored_phones(db, case_id: str) -> dict[str, str]:
    with db.session() as s:
        rows = s.scalars(select(MediationParty).where(MediationParty.case_id == case_id,
                                                      MediationParty.deleted.is_(False)))
        return {p.name: p.phone for p in rows}


def test_saving_the_form_as_shown_keeps_the_stored_phones(db, mediator):
    shown = mediation.get_case(db, mediator.id)
    assert [p.phone for p in shown.parties] == ["139****5678", "025****1234"]  # the form's masked values
    saved = mediation.update_case(db, shown.id, replace(shown.to_input(), summary="楼上卫生间漏水，吊顶发霉"),
                                  TODAY, expected_version=shown.version)
    assert saved.summary == "楼上卫生间漏水，吊顶发霉"
    assert _stored_phones(db, mediator.id) == {"王秀英": "13912345678", "赵德明": "025-84561234"}
    assert [p.phone for p in mediation.get_case(db, mediator.id).parties] == ["139****5678", "025****1234"]


def test_a_typed_phone_replaces_the_stored_one_and_the_trail_keeps_both_masked(db, mediator):
    shown = mediation.get_case(db, mediator.id)
    wang, zhao = shown.to_input().parties
    # the role changed as well: the mask still belongs to 赵德明's stored number
    inp = replace(shown.to_input(), parties=(replace(wang, phone="13800001111"), replace(zhao, role="当事人")))
    mediation.update_case(db, shown.id, inp, TODAY, expected_version=shown.version)
    assert _stored_phones(db, mediator.id) == {"王秀英": "13800001111", "赵德明": "025-84561234"}
    with db.session() as s:
        trail = s.scalars(select(AuditEntry).where(AuditEntry.table_name == MediationParty.__tablename__)
                          .order_by(AuditEntry.at, AuditEntry.id)).all()
    written = " ".join(e.before_json + e.after_json for e in trail)
    assert "13912345678" not in written and "13800001111" not in written and "025-84561234" not in written
    changed = [e for e in trail if e.action == "update" and "phone" in json.loads(e.after_json or "{}")]
    assert [(json.loads(e.before_json)["phone"], json.loads(e.after_json)["phone"]) for e in changed] == [
        ("139****5678", "138****1111")]


def test_a_mask_that_is_no_party_s_stored_number_is_refused(db, mediator):
    shown = mediation.get_case(db, mediator.id)
    wang, zhao = shown.to_input().parties
    inp = replace(shown.to_input(), parties=(wang, zhao, PartyInput("钱大伟", "当事人", None, "139****5678")))
    with pytest.raises(ValidationError) as err:
        mediation.update_case(db, shown.id, inp, TODAY, expected_version=shown.version)
    assert "钱大伟" in str(err.value)
    assert _stored_phones(db, mediator.id) == {"王秀英": "13912345678", "赵德明": "025-84561234"}
