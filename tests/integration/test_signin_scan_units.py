"""读取签到表扫描件 of a meeting this account cannot read: the page names the unit that printed it where the
account may see that name, and says what to do, instead of 其他单位 and 本机没有这次会议."""

from __future__ import annotations

from datetime import date

import cv2
import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, orgs, roster, site
from desktop_app.services import meetings as ms
from desktop_app.services import sync
from desktop_app.services.database import open_database
from desktop_app.services.meetings.scan_import import _not_here
from tests import scan_samples as samples
from tests.integration.sync_world import enrol

PASSWORD = "heping-pass-1"
A, B = ("320102001", "幸福里社区党委"), ("320102005", "和平里社区党委")


def _meeting(db, n: int):
    c = next(o for o in orgs.list_tree(db) if o.kind == "community")
    b = orgs.create(db, "第一网格党支部", c.code + "001", "branch", c.id)
    roster.create(db, MemberInput(
        name="王伟", org_id=b.id, id_number=idcard.make("320102", date(1960, 1, 1), n, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)), today=date(2025, 6, 1))
    return ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=date(2025, 6, 6)),
                   today=date(2025, 6, 1))


@pytest.fixture
def street(tmp_path):
    """A street that has heard from 幸福里 (with its meeting) and 和平里; each community's own meeting and sheet."""
    db, _ = open_database(tmp_path / "street.db")
    site.init_site(db, "320102", "梅园街道党工委", "street")
    sync.new_key(db, tmp_path / "street.key")
    sheets, communities = {}, []
    for n, (code, name) in enumerate((A, B)):
        c, _ = open_database(tmp_path / f"{code}.db")
        site.init_site(c, code, name, "community", street_name="梅园街道党工委")
        communities.append(c)
        enrol(db, c, tmp_path, code)
        if code == A[0]:
            m = _meeting(c, n)
        sync.import_package(db, sync.export_package(c, tmp_path / f"{code}.dqsync").path)
        if code == B[0]:
            m = _meeting(c, n)  # planned after its package went: not at the street yet
        photo = tmp_path / f"{code}.png"
        cv2.imwrite(str(photo), samples.raster(ms.print_signin_sheet(c, m.id), 150)[0])
        sheets[code] = (photo, m.number)
    auth.create_first_admin(db, "admin", "街道管理员", "street-pass-1")
    heping = next(o.id for o in orgs.list_tree(db) if o.code == B[0])
    auth.create_user(db, "heping", "和平里操作员", "secretary", PASSWORD, org_id=heping, must_change_password=False)
    yield db, sheets, communities
    for c in communities:
        c.dispose()
    db.dispose()


def _refusal(db, photo) -> str:
    with pytest.raises(ValidationError) as caught:
        ms.read_scan(db, photo)
    return str(caught.value)


def test_an_account_of_one_community_reading_another_s_sheet_is_told_what_to_do(street):
    db, sheets, _ = street
    auth.login(db, "heping", PASSWORD)
    photo, number = sheets[A[0]]
    message = _refusal(db, photo)
    # was: 其他单位（代码 320102001）打印的签到表 …，本机没有这次会议：请在打印它的那台电脑上读取
    assert number in message and "本机没有" not in message
    assert f"当前账户所管的{B[1]}" in message and "请用管理该单位的账户" in message
    assert A[1] not in message  # a unit outside the account's reach is not named to it


def test_the_street_names_a_community_whose_meeting_has_not_come_yet(street):
    db, sheets, _ = street
    auth.login(db, "admin", "street-pass-1")
    photo, number = sheets[B[0]]
    message = _refusal(db, photo)
    assert f"{B[1]}（代码 {B[0]}）打印的签到表（会议 {number}）" in message
    assert f"请在{B[1]}打印它的那台电脑上读取" in message
    auth.login(db, "heping", PASSWORD)  # its own community's name is the confined account's to see
    assert f"{B[1]}（代码 {B[0]}）打印的" in _refusal(db, photo)


def test_a_community_names_its_street_for_a_sheet_the_street_printed(street):
    _, _, (xingfuli, _) = street
    assert _not_here(xingfuli, 1, "320102-2025-0003").startswith("第 1 页是梅园街道党工委（代码 320102）打印的")
    # a sibling community's name never reaches it: still 其他单位, with where to read it
    assert "其他单位（代码 320102005）" in _not_here(xingfuli, 1, "320102005-2025-0001")
