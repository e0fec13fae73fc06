"""党员名册 reads: search, table rows, one member's detail, the probationary list.

Filtering and sorting happen in SQL, and the GUI keeps only the ordered ids and
fetches rows for what it shows (Anki's browser does the same), so a roster of
100,000 members stays responsive.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import astuple, replace
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, column, func, or_, select, table
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.access import ActorKind
from desktop_app.domain.errors import NotFound
from desktop_app.services import auth, orgtree, privacy
from desktop_app.services.database import Database
from desktop_app.services.orgtree import subtree_select
from desktop_app.services.roster import search
from desktop_app.services.roster.birthdays import birthday_conditions, month_of
from desktop_app.services.roster._common import _chunks, _detail, _like_escape, _today
from desktop_app.store.base import Flag
from desktop_app.store.models import Member, MemberStatusChange, Organization, Site
from desktop_app.views import orgs as org_views
from desktop_app.views.roster import MemberDetail, MemberFilter, MemberRow

# The 双报到 register's member ids as a plain table: the same query as store.models_cobuilding's
# registered_member_ids() (a test compares the two), without mapping its 23 classes when the roster opens.
_REGISTER = table("reporting_member", column("member_id"), column("deleted", Flag))


def _registered_member_ids():
    return select(_REGISTER.c.member_id).where(_REGISTER.c.member_id.is_not(None), _REGISTER.c.deleted.is_(False))


def _band_condition(col_start: ColumnElement, label: str, today: date) -> ColumnElement:
    lower, upper = rules.start_range(label, today)
    parts = [col_start.is_not(None)]
    if lower is not None:
        parts.append(col_start > lower)
    if upper is not None:
        parts.append(col_start <= upper)
    return and_(*parts)


def _party_age_condition(label: str, today: date) -> ColumnElement:
    """Portable SQL for rules.party_age_band(...) == label (see rules.party_age_start)."""
    lower, upper = rules.start_range(label, today)

    def joined_bound(d: date) -> date:
        # joined + 1 year <= d  <=>  joined <= latest_start_for(d, 1)
        return rules.latest_start_for(d, 1)

    by_confirmed = [Member.confirmed_date.is_not(None)]
    by_joined = [Member.confirmed_date.is_(None), Member.joined_date.is_not(None)]
    if lower is not None:
        by_confirmed.append(Member.confirmed_date > lower)
        by_joined.append(Member.joined_date > joined_bound(lower))
    if upper is not None:
        by_confirmed.append(Member.confirmed_date <= upper)
        by_joined.append(Member.joined_date <= joined_bound(upper))
    return and_(Member.category != rules.PROBATIONARY, or_(and_(*by_confirmed), and_(*by_joined)))


def _text_conditions(text: str) -> list[ColumnElement]:
    # services.records brings the service workflows and attachments: not for the roster's first read
    from desktop_app.services.records import number_like

    out: list[ColumnElement] = []
    for term in unicodedata.normalize("NFKC", text).split():
        t = _like_escape(term)
        alts = [Member.name.like(f"%{t}%", escape="\\")]
        if term.isascii() and term.isalnum() and not term.isdigit():  # pinyin, maybe with a digit
            low = t.lower()
            alts.append(Member.name_pinyin.like(f"%{low}%", escape="\\"))
            alts.append(Member.name_initials.like(f"{low}%", escape="\\"))
        alts += number_like(term, Member.id_number, Member.mobile)
        out.append(or_(*alts))
    return out


def _conditions(flt: MemberFilter, today: date) -> list[ColumnElement]:
    c: list[ColumnElement] = []
    if not flt.include_deleted:
        c.append(Member.deleted.is_(False))
    if flt.text.strip():
        c.extend(_text_conditions(flt.text))
    if flt.org_id:
        orgs = flt.org_id.split(",")  # several: views.roster.several_orgs
        c.append(or_(*(Member.org_id.in_(subtree_select(o, f"org_tree{i}" if i else "org_tree"))
                       for i, o in enumerate(orgs))))
    if flt.category:
        c.append(Member.category == flt.category)
    if flt.status:
        c.append(Member.status == flt.status)
    if flt.active_only:
        c.append(Member.status.not_in(rules.GONE_STATUSES))
    if flt.reporting is not None:
        c.append(Member.reporting_employer != "" if flt.reporting else Member.reporting_employer == "")
    if not flt.reporting:  # moved into the 双报到 register: off the roster unless asked for
        c.append(Member.id.not_in(_registered_member_ids()))
    if flt.floating is not None:
        c.append(Member.is_floating.is_(flt.floating))
    if flt.age_band:
        c.append(_band_condition(Member.birth_date, flt.age_band, today))
    if flt.party_age_band:
        c.append(_party_age_condition(flt.party_age_band, today))
    if flt.birthday_month:
        c.extend(birthday_conditions(*month_of(flt.birthday_month)))
    return c


def _nulls_last(col: ColumnElement, descending: bool) -> list[ColumnElement]:
    return [col.is_(None), col.desc() if descending else col.asc()]


# Sort keys: MemberRow field names work too. "age" sorts youngest first (birth_date
# descending); "party_age" approximates the party-age start by confirmation or joining date.
SORT_KEYS = (
    "seq", "name", "org", "gender", "age", "birth_date", "category", "joined_date",
    "party_age", "status", "party_status", "education", "mobile", "id_number",
    "is_floating", "is_reporting", "is_hardship",
)
_SORT_ALIASES = {"org_name": "org", "org_id": "org", "id_masked": "id_number", "mobile_masked": "mobile"}


def _order_by(sort: str, descending: bool) -> tuple[list[ColumnElement], bool]:
    """ORDER BY terms, and whether the organisation table must be joined."""
    key = _SORT_ALIASES.get(sort, sort)

    def ranked(col: ColumnElement, values: Sequence[str]) -> ColumnElement:
        # Code-point order would put 女 before 男 and 停止党籍 before 正常: use the listed order.
        return case({v: i for i, v in enumerate(values)}, value=col, else_=len(values))

    simple = {
        "seq": Member.seq, "gender": ranked(Member.gender, rules.GENDERS),
        "category": ranked(Member.category, rules.CATEGORIES),
        "status": ranked(Member.status, rules.STATUSES),
        "party_status": ranked(Member.party_status, rules.PARTY_STATUSES),
        "education": Member.education, "mobile": Member.mobile, "id_number": Member.id_number,
        "is_floating": Member.is_floating, "is_hardship": Member.is_hardship,
        "is_reporting": Member.reporting_employer != "",
    }
    join_org = False
    if key in simple:
        primary = [simple[key].desc() if descending else simple[key].asc()]
    elif key == "name":
        primary = [c.desc() if descending else c.asc() for c in (Member.name_pinyin, Member.name)]
    elif key == "org":
        join_org = True
        primary = [Organization.code.desc() if descending else Organization.code.asc()]
    elif key == "birth_date":
        primary = _nulls_last(Member.birth_date, descending)
    elif key == "age":
        primary = _nulls_last(Member.birth_date, not descending)
    elif key == "joined_date":
        primary = _nulls_last(Member.joined_date, descending)
    elif key == "party_age":
        start = func.coalesce(Member.confirmed_date, Member.joined_date)
        primary = [(Member.category == rules.PROBATIONARY)] + _nulls_last(start, not descending)
    else:
        raise ValueError(f"unknown sort key {sort!r}; use one of {SORT_KEYS}")
    # Ties broken by roster order; an ORDER BY that repeats a column defeats the index.
    ties = [Member.name_pinyin, Member.id] if key == "seq" else [Member.seq, Member.name_pinyin, Member.id]
    return primary + ties, join_org


# ---------------------------------------------------------------- reading

def search_ids(
    db: Database,
    flt: MemberFilter,
    sort: str = "seq",
    descending: bool = False,
    today: date | None = None,
) -> list[str]:
    """Ids of the members matching `flt`, in display order.

    The filters and the order come from SQL; the search words are matched in
    the roster's search index (see roster.search), read once per filter and
    sort and dropped whenever the database file changes.
    """
    return list(search_hits(db, flt, sort, descending, today))


def search_hits(
    db: Database,
    flt: MemberFilter,
    sort: str = "seq",
    descending: bool = False,
    today: date | None = None,
) -> Sequence[str]:
    """search_ids' answer as a sequence whose ids are looked up as they are read (search.Hits):
    what the roster page keeps, reading only the rows it shows."""
    actor = auth.require(db, "members.read")
    today = _today(today)
    index = search._index_for(db)
    if index is None:
        return _search_sql(db, flt, sort, descending, today)
    words = search.terms(flt.text)
    if not words and not index.has_lists(db, _lists_key(actor, flt, sort, descending, today)):
        # Nothing typed and the lists not read yet (the page's first rows): the ids alone, in the same
        # order; the page reads the lists next (prepare_search), ahead of typing. At start this left
        # the name, pinyin, ID-number and phone columns of every member for after the first rows.
        return _search_sql(db, flt, sort, descending, today)
    return _lists(db, index, actor, flt, sort, descending, today).hits(words)


def prepare_search(
    db: Database,
    flt: MemberFilter,
    sort: str = "seq",
    descending: bool = False,
    today: date | None = None,
) -> None:
    """Find ahead the members holding each ASCII letter and digit under `flt`'s filters and sort (run
    in the background while nobody types): the first letter of a word is its search's widest scan."""
    actor = auth.require(db, "members.read")
    today = _today(today)
    index = search._index_for(db)
    if index is not None:
        _lists(db, index, actor, flt, sort, descending, today).prepare()


def _lists_key(actor, flt: MemberFilter, sort: str, descending: bool, today: date) -> tuple:
    # The lists hold what this actor may see (store.scope): another account's are other lists.
    return astuple(replace(flt, text="")), sort, descending, today, actor.org_id


def _lists(db: Database, index, actor, flt: MemberFilter, sort: str, descending: bool, today: date):
    base = replace(flt, text="")
    return index.lists(db, _lists_key(actor, flt, sort, descending, today),
                       lambda: _select(db, base, sort, descending, today, _SEARCH_COLUMNS))


_SEARCH_COLUMNS = (Member.id, Member.name, Member.name_pinyin, Member.name_initials, Member.id_number, Member.mobile)


def _select(db: Database, flt: MemberFilter, sort: str, descending: bool, today: date, columns) -> list[tuple]:
    order, join_org = _order_by(sort, descending)
    q = select(*columns).where(*_conditions(flt, today))
    if join_org:
        q = q.outerjoin(Organization, Organization.id == Member.org_id)
    with db.engine.connect() as conn:
        result = conn.execute(q.order_by(*order))
        # The columns are plain strings that need no result processing: reading the
        # DBAPI cursor directly skips building a Row per member, which halves the
        # time for 100,000 (SQLAlchemy still compiles and binds the statement).
        cursor = getattr(result, "cursor", None)
        if cursor is None:
            return [tuple(r) for r in result]
        try:
            return cursor.fetchall()
        finally:
            result.close()


def _search_sql(db: Database, flt: MemberFilter, sort: str, descending: bool, today: date) -> list[str]:
    """The search done wholly in SQL: for databases that cannot tell the index when they changed."""
    return [mid for (mid,) in _select(db, flt, sort, descending, today, (Member.id,))]


# The day a member who died or left the party did so (the latest change to that status, as the
# member form reads it): 年龄 and 党龄 stop there. Only those rows look it up, and only the rows shown.
_GONE_ON = case(
    (Member.status.in_((rules.DECEASED, *rules.EXIT_STATUSES)),
     select(func.max(MemberStatusChange.changed_on))
     .where(MemberStatusChange.member_id == Member.id, MemberStatusChange.status == Member.status,
            MemberStatusChange.deleted.is_(False))
     .correlate(Member).scalar_subquery()),
    else_=None,
)

_ROW_COLUMNS = (
    Member.id, Member.seq, Member.name, Member.org_id, Organization.name, Member.gender,
    Member.birth_date, Member.category, Member.joined_date, Member.confirmed_date,
    Member.id_number, Member.mobile, Member.status, Member.party_status, Member.is_floating,
    Member.reporting_employer, Member.is_hardship, Member.education, _GONE_ON,
)


def _make_row(r, today: date, org_names: dict[str, str]) -> MemberRow:
    (mid, seq, name, org_id, org_name, gender, birth, category, joined, confirmed,
     id_number, mobile, status, party_status, floating, employer, hardship, education, gone_on) = r
    day = rules.counted_to(status, gone_on, today)
    return MemberRow(
        id=mid, seq=seq, name=name, org_id=org_id, org_name=org_names.get(org_id) or org_name or "", gender=gender,
        age=rules.age(birth, day), birth_date=birth, category=category, joined_date=joined,
        party_age=rules.party_age(category, joined, confirmed, day),
        id_masked=idcard.mask(id_number), mobile_masked=idcard.mask_phone(mobile),
        status=status, party_status=party_status, is_floating=bool(floating),
        is_reporting=bool(employer), is_hardship=bool(hardship), education=education,
    )


# Built once: a statement made per read coerces each id into a literal and works out its cache key
# again (a third of reading a screenful of rows).
_ROWS_BY_ID = (select(*_ROW_COLUMNS).outerjoin(Organization, Organization.id == Member.org_id)
               .where(Member.id.in_(bindparam("ids", expanding=True))))


def _rows(conn, ids: Sequence[str], today: date, org_names: dict[str, str]) -> list[MemberRow]:
    found: dict[str, MemberRow] = {}
    for chunk in _chunks(list(ids)):
        for r in conn.execute(_ROWS_BY_ID, {"ids": list(chunk)}):
            found[r[0]] = _make_row(r, today, org_names)
    return [found[i] for i in ids if i in found]


def _org_names(db: Database) -> dict[str, str]:
    """所在党组织 as every list names it: a street's three 第一网格党支部 (and a community's seven
    第一党小组) led by what tells them apart (orgtree.shown_names); only the names that need it."""
    with db.session() as s:
        shown = orgtree.shown_names(s)
    return {k: v for k, v in shown.items() if org_views.SEPARATOR in v}


def rows(db: Database, ids: Sequence[str], today: date | None = None) -> list[MemberRow]:
    """Table rows for `ids`, in the order given (unknown ids are left out).

    Rows read before are taken as they were while the file has not changed since
    (the search index's version): typing narrows a search, and the narrower one's
    first screen is mostly rows the wider one showed.
    """
    actor = auth.require(db, "members.read")
    today = _today(today)
    index = search._index_for(db)
    if index is None:
        names = _org_names(db)
        with db.engine.connect() as conn:
            return _rows(conn, ids, today, names)
    kept = index.rows_read(db, (actor.org_id, today))  # what this actor may see, aged as of today
    found = {i: r for i in ids if (r := kept.get(i)) is not None}
    missing = [i for i in ids if i not in found]
    if missing:
        names = index.org_names(db, lambda: _org_names(db))  # read once per version of the file
        with db.engine.connect() as conn:
            for r in _rows(conn, missing, today, names):
                found[r.id] = kept[r.id] = r
    return [found[i] for i in ids if i in found]


def get(db: Database, member_id: str, today: date | None = None) -> MemberDetail:
    auth.require(db, "members.read")
    with db.session() as s:
        m = s.get(Member, member_id)
        if m is None:
            raise NotFound("该党员不存在")
        detail = _detail(s, m, _today(today))
    shown = privacy.mask_unless(db, "members.reveal", detail)
    actor = auth.current_actor(db)
    if shown is detail and actor is not None and actor.kind == ActorKind.USER:
        # The detail form shows the whole ID number and phones: a reveal, logged.
        privacy.record_reveal(db, "member", "查看完整公民身份号码和电话", detail.id, detail.name)
    return shown


def org_name_map(db: Database) -> dict[str, str]:
    """Live organisation name -> id; with duplicate names the first in tree order wins."""
    auth.require(db, "members.read")
    with db.session() as s:
        return orgtree.org_name_map(s)


def root_org_id(db: Database) -> str | None:
    """The organisation this database belongs to (the site's 社区党委 or 街道党工委)."""
    auth.require(db, "orgs.read")
    with db.session() as s:
        return _root_org_id(s)


def _root_org_id(s) -> str | None:
    code = s.scalar(select(Site.org_code).limit(1))
    q = select(Organization.id).where(Organization.deleted.is_(False))
    found = s.scalar(q.where(Organization.code == code)) if code else None
    return found or s.scalar(q.where(Organization.parent_id.is_(None)).order_by(Organization.code))



def probationary_due(db: Database, today: date, within_days: int = 30) -> list[MemberRow]:
    """预备党员 due for confirmation within `within_days` days, or overdue; most overdue first."""
    auth.require(db, "members.read")
    last_joined = rules.latest_start_for(today + timedelta(days=within_days), 1)
    q = (
        select(*_ROW_COLUMNS)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(
            Member.deleted.is_(False),
            Member.category == rules.PROBATIONARY,
            Member.status.not_in(rules.GONE_STATUSES),
            Member.joined_date.is_not(None),
            Member.joined_date <= last_joined,
        )
        .order_by(Member.joined_date, Member.seq, Member.id)
    )
    names = _org_names(db)
    with db.engine.connect() as conn:
        return [_make_row(r, today, names) for r in conn.execute(q)]

