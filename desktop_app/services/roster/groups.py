"""移入党小组: put several members of one branch into one of its 党小组 (or back into the branch itself).

A member's organisation is their branch or a 党小组 under it; this is the bulk
form of choosing that 党小组 in the member form, so that every 所在党小组 column
(sign-in sheets, evaluations, the roster) has something to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.roster._common import _live_member, _live_org
from desktop_app.services.uow import UnitOfWork


def move_to_group(db: Database, member_ids: Sequence[str], org_id: str) -> int:
    """Move the members into `org_id` (a 党小组, or their branch); how many moved. All or none."""
    from desktop_app.services.meetings import planned
    from desktop_app.services.memberlife.moves import record_move  # its models: not needed to show the roster

    auth.require(db, "members.write")
    if not member_ids:
        raise ValidationError("党员", "请先选中要移入党小组的党员")
    with UnitOfWork(db) as uow:
        s = uow.session
        target = _live_org(s, org_id)
        if target.kind not in (OrgKind.GROUP.value, OrgKind.BRANCH.value):
            raise ValidationError("党小组", "请选择一个党小组（或移回党支部）")
        branch_id = target.parent_id if target.kind == OrgKind.GROUP.value else target.id
        moved = 0
        for member_id in dict.fromkeys(member_ids):
            m = _live_member(s, member_id)
            current = _live_org(s, m.org_id)
            own_branch = current.parent_id if current.kind == OrgKind.GROUP.value else current.id
            if own_branch != branch_id:
                raise Conflict(f"{m.name}不在“{target.name}”所属的党支部，不能移入；换支部请用“组织关系转接”")
            if m.org_id != target.id:
                with planned.following(s, m, date.today()):  # planned 党小组会 lists follow
                    record_move(s, m, target.id, date.today(), "移入党小组")  # dated: past 党小组会 lists stay
                moved += 1
        uow.commit()
        return moved
