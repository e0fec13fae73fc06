"""The mistakes of a round in the grid, each refused or warned in words that say what to do next.

A resident met again and typed in a second time (same name, same household) was kept twice; a wish
claimed in two windows at once was refused with 「“已认领”的心愿不能改为“已认领”」; a 网格员 whose form
was left on 不指定网格 was told only that they keep to their own grids.
"""

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import WishInput
from desktop_app.services import auth, roster, wishes
from desktop_app.services import residents as res
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.residents import ResidentInput
from desktop_app.services.visits import VisitInput, log_visit
from tests.integration.test_roles import PASSWORD, TODAY, as_user, fast_kdf, town  # noqa: F401


def test_a_resident_typed_twice_into_one_household_is_refused_naming_who_is_there(db, town):
    with pytest.raises(ValidationError, match="^姓名：桂花苑1栋.*已登记居民曾国强，不必再登记；同名的另一人请填写公民身份号码"):
        res.create_resident(db, ResidentInput(name="曾国强", household_id=town["h2"]), TODAY)
    with pytest.raises(ValidationError, match="已登记居民王秀英"):  # the first has an ID number, the second not
        res.create_resident(db, ResidentInput(name="王秀英", household_id=town["h1"]), TODAY)
    # two namesakes told apart by their ID numbers are two people; another household's namesake too
    res.create_resident(db, ResidentInput(name="王秀英", household_id=town["h1"],
                                          id_number=idcard.make("320102", date(1990, 3, 7), 3, idcard.FEMALE)), TODAY)
    res.create_resident(db, ResidentInput(name="曾国强", household_id=town["h1"]), TODAY)
    names = [r.name for r in res.search_residents(db)]
    assert names.count("王秀英") == 2 and names.count("曾国强") == 2


def test_a_wish_claimed_meanwhile_names_who_took_it(db, town):
    as_user(db, "admin")
    w = wishes.post_wish(db, WishInput(posted_on=TODAY, resident_id=town["r1"], household_id=town["h1"],
                                       wisher_name="王秀英", grid_id=town["g1"], content="一台收音机"), TODAY)
    wishes.claim_wish(db, w.id, TODAY, member_id=town["m"], today=TODAY)
    with pytest.raises(ValidationError, match=f"心愿 {w.wish_no} 已由 张三 认领，不能再认领；换人请先“撤回认领”"):
        wishes.claim_wish(db, w.id, TODAY, member_id=town["m"], today=TODAY)


def test_a_grid_workers_visit_left_without_a_grid_asks_for_the_grid(db, town):
    as_user(db, "grid1")
    inp = VisitInput(visit_date=TODAY, visitee_name="赵新来", other_visitors="网格员小李", content="新搬来的住户", raised_issue=False, grid_id=None)
    with pytest.raises(PermissionDenied, match="^请选择所属网格：“李网格”只能处理本人负责网格的记录"):
        log_visit(db, inp, today=TODAY)
    # another grid's row is refused as before, without being told to choose one
    with pytest.raises(PermissionDenied, match="^“李网格”只能处理本人负责网格的记录"):
        log_visit(db, VisitInput(visit_date=TODAY, visitee_name="赵新来", other_visitors="网格员小李", raised_issue=False, grid_id=town["g2"]), today=TODAY)


def test_a_phone_photo_too_big_or_not_a_photo_is_named_a_photo(db, town, tmp_path):
    w = wishes.post_wish(db, WishInput(posted_on=TODAY, resident_id=town["r1"], household_id=town["h1"],
                                       wisher_name="王秀英", grid_id=town["g1"], content="一台收音机"), TODAY)
    big = tmp_path / "IMG_20261207_093015.jpg"
    with open(big, "wb") as f:
        f.write(b"\xff\xd8\xff\xe0")
        f.truncate(30 * 1024 * 1024)
    letter = tmp_path / "心愿.docx"
    letter.write_bytes(b"PK\x03\x04")
    with pytest.raises(ValidationError, match="^照片：IMG_20261207_093015.jpg：文件超过 20 MB（有 30.0 MB），请压缩后再添加"):
        wishes.add_photos(db, w.id, [big])
    with pytest.raises(ValidationError, match="^照片：心愿.docx：不是 JPEG 或 PNG 照片"):
        wishes.add_photos(db, w.id, [letter])
    assert wishes.get_wish(db, w.id).photos == ()
