"""Members on a fresh roster for the tests of a member's life (流动, 失联, 出党, the 花名册 afterwards)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput, add_years
from desktop_app.services import orgs, roster


def branch(db, name: str = "第一网格党支部", code: str = "B01") -> str:
    """A 党支部 under the site's 社区党委; its id."""
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, name, code, "branch", community.id).id


def floating_out(db, member_id: str, on: date, place: str = "上海", card_no: str = "", today: date | None = None):
    """A 流出 registered on 流动与失联: how a member becomes 流动 (the roster refuses a bare 流动)."""
    from desktop_app.domain import memberlife as life_rules
    from desktop_app.services import memberlife as ml

    return ml.add_floating(db, ml.FloatingInput(life_rules.FLOW_OUT, None, on, member_id=member_id, card_no=card_no,
                                                place=place), today=today)


def members(db, org_id: str, names: Sequence[str], joined: date = date(1990, 7, 1), born: date = date(1960, 1, 1),
            gender: str = idcard.MALE, today: date = date(2026, 1, 5)) -> list[str]:
    """正式党员 of `org_id`, confirmed a year after `joined`, born a day apart from `born`; their ids."""
    return [roster.create(db, MemberInput(
        name=name, org_id=org_id, joined_date=joined, confirmed_date=add_years(joined, 1),
        id_number=idcard.make("320102", born + timedelta(days=i), 1 + i, gender)), today=today).id
        for i, name in enumerate(names)]
