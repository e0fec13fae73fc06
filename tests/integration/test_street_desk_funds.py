"""工作台 at a street: 全街道 counts every community's members, but the 经费 figures are the street's own books."""

from datetime import date

from desktop_app.services import overview, site

TODAY = date(2026, 12, 6)


def _funds(db) -> list[str]:
    return [f.label for f in overview.dashboard(db, 2026, today=TODAY).figures if f.key.endswith("_fen")
            and f.key in ("spending_fen", "budget_fen", "income_fen")]


def test_a_street_s_funds_say_they_are_its_own_books(empty_db):
    # 经费支出 0.00 beside three communities' members read as the whole street spending nothing.
    site.init_site(empty_db, "320102", "梅园街道党工委", "street")
    assert _funds(empty_db) == ["街道本级经费支出（不含党费）", "街道本级年度预算", "街道本级经费收入（不含党费）"]


def test_a_community_s_funds_keep_their_names(db):
    assert _funds(db) == ["经费支出（不含党费）", "年度预算", "经费收入（不含党费）"]
