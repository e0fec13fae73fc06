"""党员名册 statistics: counts by category, gender, age, education, party age, branch and status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from desktop_app.domain import members as rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.orgtree import shown_names
from desktop_app.services.roster._common import _today
from desktop_app.services.roster.queries import _band_condition, _conditions, _party_age_condition
from desktop_app.store.models import Member, Organization
from desktop_app.views.roster import MemberFilter, RosterStats


def stats(db: Database, flt: MemberFilter | None = None, today: date | None = None) -> RosterStats:
    """Counts for the members matching `flt` (default: everyone still on the roster)."""
    auth.require(db, "members.read")
    today = _today(today)
    flt = flt if flt is not None else MemberFilter(active_only=True)
    where = _conditions(flt, today)
    age_label = case(
        *[(_band_condition(Member.birth_date, b, today), b) for b in rules.AGE_BANDS],
        else_=literal("未填"),
    )
    party_label = case(
        (Member.category == rules.PROBATIONARY, literal(rules.PROBATIONARY)),
        *[(_party_age_condition(b, today), b) for b in rules.PARTY_AGE_BANDS],
        else_=literal("未填"),
    )

    # A member in a 党小组 counts for the group's branch; by id, as a street's communities each have a 第一网格党支部.
    parent = aliased(Organization)
    branch_id = case((Organization.kind == OrgKind.GROUP.value, parent.id), else_=Organization.id)
    dims = (Member.category, Member.gender, age_label, Member.education, party_label,
            branch_id, Member.status)
    q = (
        select(*dims, func.count())
        .select_from(Member)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .outerjoin(parent, parent.id == Organization.parent_id)
        .where(*where)
        .group_by(*dims)
    )
    # One scan, grouped by every dimension at once, then summed per dimension here.
    counts: list[Counter] = [Counter() for _ in dims]
    with db.engine.connect() as conn:
        for *keys, n in conn.execute(q):
            for counter, key in zip(counts, keys):
                counter[key if key not in (None, "") else "未填"] += n
    with db.session() as s:
        names = shown_names(s)
    category, gender, age_band, education, party, by_id, status = counts
    branch: Counter = Counter()
    for key, n in by_id.items():
        branch[names.get(key, "未填")] += n
    party.pop(rules.PROBATIONARY, None)  # 预备党员 have no party age yet

    def in_order(c: Counter, order: Sequence[str]) -> dict[str, int]:
        return {k: c.get(k, 0) for k in order} | {k: v for k, v in c.items() if k not in order}

    def by_count(c: Counter) -> dict[str, int]:
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    return RosterStats(
        total=sum(category.values()),
        by_category=in_order(category, rules.CATEGORIES),
        by_gender=in_order(gender, rules.GENDERS),
        by_age_band=in_order(age_band, (*rules.AGE_BANDS, "未填")),
        by_education=by_count(education),
        by_party_age_band=in_order(party, (*rules.PARTY_AGE_BANDS, "未填")),
        by_branch=by_count(branch),
        by_status=in_order(status, rules.STATUSES),
    )

