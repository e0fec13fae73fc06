"""查找: one box that finds a person or a record anywhere in the program.

A worker on the telephone ("我是幸福里3栋的王秀英，我的微心愿怎么样了？") should not
have to know which page holds the answer. This asks each module's own search
(the roster's index, the residents' search, the wishes, visits and cases by the
person they concern, the organisation tree, the partner units) for the first few
matches and names them with a line of context, masked as the lists mask it.

Each kind is asked only of an account that may read it, and each module's own
search keeps a 网格员 to their grids, as their lists do. Reading is not audited,
as list searches are not. Numbers are always shown masked, as in the lists: a
whole ID number is shown (and logged as a reveal) only when a record is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop_app.domain import members as member_rules
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.views import find as v
from desktop_app.views.find import Found, Group, Hit

LIMIT = 8  # records listed per kind; a popup of eight kinds still fits a screen


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _members(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services import roster
    from desktop_app.views.roster import MemberFilter

    # the roster's own search (its in-memory index): name, pinyin, initials, ID-number and phone fragments;
    # everyone on file, those who left too (the status says so), as 全部（含转出、去世） lists them
    ids = roster.search_hits(db, MemberFilter(text=text), today=today)[:limit + 1]
    rows = roster.rows(db, ids[:limit], today)
    # what tells two namesakes apart on the telephone first: the branch, then the phone's and ID number's tails;
    # 正式党员 and 正常, which most are, go unsaid
    hits = [Hit(v.MEMBER, r.name, _join(
        r.org_name, "" if r.category == member_rules.FULL else r.category,
        "" if r.status == member_rules.NORMAL else r.status,
        f"手机 {r.mobile_masked}" if r.mobile_masked else "", f"身份证 {r.id_masked}" if r.id_masked else "",
    ), v.PAGES[v.MEMBER], r.id) for r in rows]
    return hits, len(ids) > limit


def _residents(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services import residents

    rows = residents.search_residents(db, residents.ResidentFilter(text=text), today, limit=limit + 1)
    hits = [Hit(v.RESIDENT, r.name, _join(
        r.address or r.grid_name, f"电话 {r.phone_masked}" if r.phone_masked else "",
        f"身份证 {r.id_masked}" if r.id_masked else "", "、".join(r.tags), r.grid_name if r.address else "",
    ), v.PAGES[v.RESIDENT], r.id) for r in rows[:limit]]
    return hits, len(rows) > limit


def _orgs(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services import orgs

    nodes = orgs.search_orgs(db, text, limit + 1)
    hits = [Hit(v.ORG, n.shown, _join(n.kind_label, n.code, f"{n.member_count} 名党员" if n.member_count else ""),
                v.PAGES[v.ORG], n.id) for n in nodes[:limit]]
    return hits, len(nodes) > limit


def _units(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services.cobuilding import units

    rows = units.list_units(db, text)
    hits = [Hit(v.UNIT, u.name, _join(u.kind, u.party_org, f"联系人 {u.contact_person}" if u.contact_person else ""),
                v.PAGES[v.UNIT], u.id) for u in rows[:limit]]
    return hits, len(rows) > limit


def _wishes(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services import wishes

    rows = wishes.find_wishes(db, text, limit + 1)
    hits = [Hit(v.WISH, w.wisher_name, _join(w.wish_no, w.state, w.content[:24], w.grid_name),
                v.PAGES[v.WISH], w.id) for w in rows[:limit]]
    return hits, len(rows) > limit


def _visits(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services import visits

    rows = visits.find_visits(db, text, limit + 1, today)
    hits = [Hit(v.VISIT, r.visitee, _join(f"{r.visit_date:%Y-%m-%d}", r.form, r.category, r.follow_state,
                                          r.grid_name), v.PAGES[v.VISIT], r.id) for r in rows[:limit]]
    return hits, len(rows) > limit


def _cases(db: Database, text: str, limit: int, today: date) -> tuple[list[Hit], bool]:
    from desktop_app.services import mediation

    rows = mediation.find_cases(db, text, limit + 1)
    hits = [Hit(v.CASE, c.parties, _join(c.case_no, c.kind, c.state, f"{c.received_on:%Y-%m-%d} 受理"),
                v.PAGES[v.CASE], c.id) for c in rows[:limit]]
    return hits, len(rows) > limit


Searcher = Callable[[Database, str, int, date], tuple[list[Hit], bool]]
# kind -> (the permission its list needs, its search)
_SEARCHES: dict[str, tuple[str, Searcher]] = {
    v.MEMBER: ("members.read", _members),
    v.RESIDENT: ("residents.read", _residents),
    v.ORG: ("orgs.read", _orgs),
    v.UNIT: ("cobuilding.read", _units),
    v.WISH: ("wishes.read", _wishes),
    v.VISIT: ("visits.read", _visits),
    v.CASE: ("mediation.read", _cases),
}


def kinds(db: Database) -> tuple[str, ...]:
    """The kinds this account's 查找 looks through (the hint names them)."""
    auth.require(db, "overview.read")
    return tuple(k for k, (perm, _) in _SEARCHES.items() if auth.can(db, perm))


def prepare(db: Database, today: date | None = None) -> None:
    """Read ahead, while the box is still empty, what the first word would wait for: the roster's search
    lists for everyone on file, and each kind's modules and statements (at 20,000 members the first search
    took 1.7 s, the later ones a tenth of that). Done by searching once for a word no record holds."""
    auth.require(db, "overview.read")
    today = today or date.today()
    if auth.can(db, "members.read"):
        from desktop_app.services import roster
        from desktop_app.views.roster import MemberFilter

        roster.prepare_search(db, MemberFilter(), today=today)
    find(db, _NOWHERE, 1, today)


_NOWHERE = "\u3007\u3007\u3007"  # 〇〇〇: in no name, number or address


def find(db: Database, text: str, limit_per_kind: int = LIMIT, today: date | None = None) -> Found:
    """Everything `text` finds that this account may read, grouped by kind in a fixed order (kinds with no
    hit left out). Every word must match (as the lists' searches AND them). Empty text finds nothing."""
    # every account holds overview.read: 查找 is the window's, as 概览 is; a locked screen holds nothing
    auth.require(db, "overview.read")
    text = " ".join(text.split())
    today = today or date.today()
    if not text:
        return Found(text, ())
    groups = []
    for kind, (permission, search) in _SEARCHES.items():
        if not auth.can(db, permission):
            continue  # a kind this account does not read: not asked at all
        hits, more = search(db, text, limit_per_kind, today)
        if hits:
            groups.append(Group(kind, tuple(hits), more))
    return Found(text, tuple(groups))
