"""The 花名册 with whole ID numbers: only for who may reveal and export personal data, logged before it is written."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain import idcard

from desktop_app.domain.members import MemberInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import audit_log, auth, orgs, roster
from desktop_app.services.auth import PermissionDenied
from desktop_app.views.audit import AuditFilter

PASSWORD = "xingfuli2026"


@pytest.fixture
def town(db, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    number = idcard.make("320102", date(1970, 5, 6), 1, idcard.MALE)
    roster.create(db, MemberInput(name="张三", org_id=branch.id, id_number=number, mobile="13800001111",
                                  joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1)))
    auth.create_user(db, "admin", "王书记", "admin", PASSWORD)
    auth.login(db, "admin", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)
    return number


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)


def _exports(db) -> list:
    return [e for e in audit_log.search(db, AuditFilter(action="export")).rows]


def test_the_default_copy_is_masked_and_logs_nothing(db, town, tmp_path):
    auth.login(db, "admin", PASSWORD)
    out = tmp_path / "masked.pdf"
    roster.print_roster(db, out)
    text = _text(out)
    assert town not in text and idcard.mask(town) in text and "13800001111" not in text
    assert _exports(db) == []


def test_the_full_copy_prints_whole_numbers_and_is_logged_first(db, town, tmp_path):
    auth.login(db, "admin", PASSWORD)
    out = tmp_path / "full.pdf"
    printed = roster.print_roster(db, out, full_ids=True)
    text = _text(out)
    assert town in text and "13800001111" in text and "注意保密" in text
    [entry] = _exports(db)
    assert str(out) in entry.note and "完整身份证号" in entry.note and entry.user_name == "王书记"
    assert printed.member_count == 1


def test_the_full_copy_is_refused_without_the_rights_and_nothing_is_written(db, town, tmp_path):
    auth.login(db, "street", PASSWORD)
    out = tmp_path / "full.pdf"
    with pytest.raises(PermissionDenied):
        roster.print_roster(db, out, full_ids=True)
    assert not out.exists()
    roster.print_roster(db, out)  # the masked copy stays open to a reader
    assert town not in _text(out)
