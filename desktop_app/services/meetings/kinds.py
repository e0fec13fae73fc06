"""Meeting kinds and their cadence: the street's defaults, overridden per community (MeetingKindSetting).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.meetings import KindRule
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _own_community
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_meetings import MeetingKindSetting
from desktop_app.views.meetings import KindSetting


def _rules_for(s: Session, community_id: str | None) -> dict[str, KindRule]:
    """Cadence per kind for one community: its own settings over the database's, over the defaults."""
    out = {r.kind: r for r in rules.DEFAULT_KINDS}
    settings = s.execute(
        select(MeetingKindSetting).where(
            MeetingKindSetting.deleted.is_(False),
            or_(MeetingKindSetting.org_id.is_(None), MeetingKindSetting.org_id == community_id)
            if community_id else MeetingKindSetting.org_id.is_(None),
        )
    ).scalars().all()
    # None first, then the community's own: the more specific one wins.
    for st in sorted(settings, key=lambda x: x.org_id is not None):
        if st.kind in out:
            try:
                out[st.kind] = rules.make_rule(st.kind, st.unit, st.times, st.required)
            except ValidationError:
                continue  # a bad synced setting must not break the compliance page
    return out


class _RuleBook:
    """Rules per community, read once per call."""

    def __init__(self, s: Session, orgs: OrgTree):
        self.s, self.orgs = s, orgs
        self._cache: dict[str | None, dict[str, KindRule]] = {}

    def for_org(self, org_id: str | None) -> dict[str, KindRule]:
        community = self.orgs.community_of(org_id)
        key = community.id if community else None
        if key not in self._cache:
            self._cache[key] = _rules_for(self.s, key)
        return self._cache[key]


def kind_settings(db: Database, org_id: str | None = None) -> list[KindSetting]:
    """Every kind with the cadence that applies to `org_id`'s community (default: this site's)."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = OrgTree(s)
        community = orgs.community_of(org_id) if org_id else _own_community(s, orgs)
        current = _rules_for(s, community.id if community else None)
        out = []
        for default in rules.DEFAULT_KINDS:
            r = current[default.kind]
            out.append(KindSetting(
                r.kind, r.unit.value, r.times, r.required, r.holder.value, r.cadence_label,
                customized=(r.unit, r.times, r.required) != (default.unit, default.times, default.required),
            ))
        return out


def set_kind_setting(db: Database, kind: str, unit: str, times: int = 1, required: bool = True,
                     org_id: str | None = None) -> KindSetting:
    """Change one kind's cadence for a community (default: this site's own)."""
    auth.require(db, "settings.write")
    set_kind_settings(db, [(kind, unit, times, required)], org_id)
    return next(k for k in kind_settings(db, org_id) if k.kind == kind)


def set_kind_settings(db: Database, settings: Sequence[tuple[str, str, int, bool]],
                      org_id: str | None = None) -> list[KindSetting]:
    """Save several cadences at once: [(kind, unit, times, required)]; all or nothing."""
    auth.require(db, "settings.write")
    wanted = [rules.make_rule(kind, unit, times, required) for kind, unit, times, required in settings]
    with UnitOfWork(db) as uow:
        s = uow.session
        orgs = OrgTree(s)
        community = orgs.community_of(org_id) if org_id else _own_community(s, orgs)
        cid = community.id if community else None
        rows = {r.kind: r for r in s.scalars(select(MeetingKindSetting).where(
            MeetingKindSetting.deleted.is_(False),
            MeetingKindSetting.org_id == cid if cid else MeetingKindSetting.org_id.is_(None),
        ))}
        for rule in wanted:
            row = rows.get(rule.kind)
            if row is None:
                s.add(MeetingKindSetting(org_id=cid, kind=rule.kind, unit=rule.unit.value, times=rule.times,
                                         required=rule.required))
                continue
            if row.unit != rule.unit.value:
                row.unit = rule.unit.value
            if row.times != rule.times:
                row.times = rule.times
            if row.required != rule.required:
                row.required = rule.required
        uow.commit()
    return kind_settings(db, org_id)


@writes("settings.write")
def reset_kind_settings(uow: UnitOfWork, org_id: str | None = None) -> None:
    """Back to the street's defaults for a community (default: this site's own)."""
    s = uow.session
    orgs = OrgTree(s)
    community = orgs.community_of(org_id) if org_id else _own_community(s, orgs)
    cid = community.id if community else None
    for row in s.scalars(select(MeetingKindSetting).where(
        MeetingKindSetting.deleted.is_(False),
        MeetingKindSetting.org_id == cid if cid else MeetingKindSetting.org_id.is_(None),
    )):
        row.deleted = True
