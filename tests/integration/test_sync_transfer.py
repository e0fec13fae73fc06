"""A member moves between two communities only through a transfer both ends record, carried by packages.

A records the 转出 (转往 naming B) and sends it up; the street's send-down hands
the member to B; B records the 转入 into its own branch and sends it up; the
street takes the member as B's. From then on B's edits are accepted and A's
stale copy can no longer change it. B claiming A's member without A's 转出 (or
with a 转出 to someone else, or without its own 转入) is refused whole, naming
the member and both communities, with nothing changed.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import roster, site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, Organization
from desktop_app.sync.handover import target
from tests.integration.sync_world import World, build_templates, fingerprint, rows
from tests.integration.test_sync_trust import _smuggle

TODAY = date.today()


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("transfer-templates"), members=30, synced=True)


@pytest.fixture
def w(templates, tmp_path):
    world = World.copy_from(templates, tmp_path, prefix="synced-")
    yield world
    world.close()


def _member(w: World) -> dict:
    return next(r for r in rows(w.c1, "member").values() if not r["deleted"] and r["status"] == "正常")


def _branch(db) -> str:
    with db.session() as s:
        return s.scalar(select(Organization.id).where(Organization.kind == "branch", Organization.deleted.is_(False))
                        .order_by(Organization.code))


def _names(w: World) -> tuple[str, str]:
    return site.get_site(w.c1).org_name, site.get_site(w.c2).org_name


def _refused(w: World, words: tuple[str, ...]) -> str:
    street_before, a_before = fingerprint(w.street), fingerprint(w.c1, data_only=True)
    e = sync.export_package(w.c2, w.package(f"claim-{len(words)}.dqsync"))
    for dry in (True, False):
        with pytest.raises(PackageRefused) as exc:
            sync.import_package(w.street, e.path, dry_run=dry)
        for word in words:
            assert word in str(exc.value), str(exc.value)
    assert fingerprint(w.street) == street_before
    w.down(w.c1)
    assert fingerprint(w.c1, data_only=True) == a_before
    return str(exc.value)


def test_target_names_one_community_by_code_or_name():
    peers = [("a", "320102001", "第一社区"), ("b", "320102002", "第一社区党委"), ("c", "320102003", "第三社区党委")]
    assert target("320102003", peers) == "c"
    assert target("第一社区党委·第二支部", peers) == "b"  # the longest name wins
    assert target(" 第三社区 党委 ", peers) == "c"
    assert target("外省某党委", peers) is None
    assert target("", peers) is None


def test_a_member_moves_from_a_to_b_through_both_ends_records(w):
    a_name, b_name = _names(w)
    m = _member(w)
    roster.transfer(w.c1, m["id"], "转出", TODAY, to_org=b_name, note="工作调动")
    w.up(w.c1)
    assert rows(w.street, "member")[m["id"]]["status"] == "转出"

    # the street hands the member to B, pointed at B's community node until B takes it in
    w.down(w.c2)
    at_b = rows(w.c2, "member")[m["id"]]
    assert at_b["status"] == "转出" and at_b["name"] == m["name"]
    b_root = site.get_site(w.c2)
    assert any(t["direction"] == "转出" and t["member_id"] == m["id"] for t in rows(w.c2, "transfer").values())

    b_branch = _branch(w.c2)
    roster.transfer(w.c2, m["id"], "转入", TODAY, from_org=a_name, new_org_id=b_branch)
    _, report = w.up(w.c2)
    assert report.total("conflicts") == 0
    at_street = rows(w.street, "member")[m["id"]]
    assert at_street["org_id"] == b_branch and at_street["status"] == "正常"
    assert at_street["updated_by_site"] == b_root.id

    # both send-downs go through; A keeps its 转出 record, B holds the member
    w.down(w.c1)
    w.down(w.c2)
    assert rows(w.c1, "member")[m["id"]]["status"] == "转出"
    assert rows(w.c2, "member")[m["id"]]["org_id"] == b_branch

    # A's unchanged copy (its 转出 record) in a full package is merely older: nothing blocked, nothing changed
    _, full = w.up(w.c1, full=True)
    assert full.total("conflicts") == 0
    assert rows(w.street, "member")[m["id"]]["org_id"] == b_branch

    # the member is B's now: B's next edit is taken, A's stale copy may no longer change it
    with UnitOfWork(w.c2) as uow:
        uow.session.get(Member, m["id"]).notes = "到新社区后"
        uow.commit()
    w.up(w.c2)
    assert rows(w.street, "member")[m["id"]]["notes"] == "到新社区后"
    with UnitOfWork(w.c1) as uow:
        uow.session.get(Member, m["id"]).notes = "原社区又改"
        uow.commit()
    _stale_change_is_set_aside(w, m, a_name, b_name)


def _stale_change_is_set_aside(w: World, m: dict, a_name: str, b_name: str) -> None:
    """A's change after the 转出 (an older program, a repaired database) is set aside by name; the rest is taken.

    Refusing the package would stop A sending anything until someone repaired its database.
    """
    from desktop_app.domain.service_flow import mask_name
    from desktop_app.store.models import MemberStatusChange
    from desktop_app.store.models_ledger import DuesRecord

    other = next(r for r in rows(w.c1, "member").values()
                 if not r["deleted"] and r["status"] == "正常" and r["id"] != m["id"])
    with UnitOfWork(w.c1) as uow:  # as an older program could: the moved member changed, a status row under it
        uow.session.get(Member, m["id"]).notes = "原社区又改"
        uow.session.add(MemberStatusChange(member_id=m["id"], status="去世", changed_on=TODAY))
        uow.session.get(Member, other["id"]).notes = "原社区的正常修改"
        # 党费 A collected before the move, entered late: A's own record (its branch), taken as any other
        dues = DuesRecord(member_id=m["id"], month=TODAY.replace(day=1), org_id=m["org_id"], paid_fen=5000,
                          due_fen=5000, paid_on=TODAY)
        uow.session.add(dues)
        uow.commit()
        dues_id = dues.id
    for dry in (True, False):
        _, report = w.up(w.c1, dry_run=dry)
        said = " ".join(report.warnings)
        assert mask_name(m["name"]) in said and b_name in said and "未导入" in said, said
        assert m["name"] not in said or len(m["name"]) < 2
    street = rows(w.street, "member")
    assert street[m["id"]]["notes"] == "到新社区后" and street[m["id"]]["org_id"] != m["org_id"]
    assert street[other["id"]]["notes"] == "原社区的正常修改"  # the rest of A's package is taken
    assert rows(w.street, "dues_record")[dues_id]["paid_fen"] == 5000
    assert not [r for r in rows(w.street, "member_status_change").values()
                if r["member_id"] == m["id"] and r["status"] == "去世"]
    trail = [r["note"] for r in rows(w.street, "audit_entry").values() if r["action"] == "sync_import"]
    assert any(mask_name(m["name"]) in t and "未导入" in t for t in trail), trail
    # A's next package is not refused either, and B's member stays as B has it
    _, again = w.up(w.c1, full=True)
    assert rows(w.street, "member")[m["id"]]["notes"] == "到新社区后"


def _claim(w: World, m: dict) -> None:
    """B puts A's member into its own branch, with a 转入 of its own, as a forger would."""
    b = site.get_site(w.c2).id
    _smuggle(w.c2, "member", m, org_id=_branch(w.c2), status="正常", updated_by_site=b)
    with UnitOfWork(w.c2) as uow:
        from desktop_app.store.models import Transfer

        uow.session.add(Transfer(member_id=m["id"], direction="转入", transfer_date=TODAY, from_org="某社区"))
        uow.commit()


def test_b_claiming_a_s_member_without_a_s_transfer_out_is_refused(w):
    a_name, b_name = _names(w)
    m = _member(w)
    _claim(w, m)
    _refused(w, (m["id"], a_name, b_name, "转出"))
    assert rows(w.street, "member")[m["id"]]["org_id"] == m["org_id"]


def test_a_transfer_out_to_someone_else_does_not_let_b_take_the_member(w):
    a_name, b_name = _names(w)
    m = _member(w)
    roster.transfer(w.c1, m["id"], "转出", TODAY, to_org="外省某党委")
    w.up(w.c1)
    _, down = w.down(w.c2)
    assert m["id"] not in rows(w.c2, "member")  # the street hands B nothing
    _claim(w, {**rows(w.c1, "member")[m["id"]]})
    _refused(w, (m["id"], a_name, b_name))


def _out_to_b(w: World) -> tuple[str, str, dict]:
    """A transfers a member out to B and sends it up; the street's send-down hands it to B."""
    a_name, b_name = _names(w)
    m = _member(w)
    roster.transfer(w.c1, m["id"], "转出", TODAY, to_org=b_name)
    w.up(w.c1)
    w.down(w.c2)
    return a_name, b_name, m


def test_b_taking_the_member_without_its_own_transfer_in_is_refused(w):
    a_name, b_name, m = _out_to_b(w)
    with UnitOfWork(w.c2) as uow:  # moved into a branch by hand, no 转入 recorded
        row = uow.session.get(Member, m["id"])
        row.org_id, row.status = _branch(w.c2), "正常"
        uow.commit()
    _refused(w, (m["id"], b_name, "转入"))


# --- rows under the street's own records -------------------------------------------------------

def test_b_adds_a_member_to_a_branch_the_street_made_for_it(w):
    from desktop_app.services import orgs

    b = site.get_site(w.c2)
    b_root = rows(w.street, "organization")
    root = next(oid for oid, r in b_root.items() if r["kind"] == "community" and r["code"] == b.org_code)
    node = orgs.create(w.street, "街道新建支部", f"{b.org_code}77", "branch", root)
    w.down(w.c2)
    assert node.id in rows(w.c2, "organization")
    with UnitOfWork(w.c2) as uow:
        uow.session.add(Member(id="f0f0f0f0-0000-4000-8000-0000000000aa", name="新支部党员", org_id=node.id,
                               id_number="110101199001017777"[:18], seq=1))
        uow.commit()
    _, report = w.up(w.c2)
    assert rows(w.street, "member")["f0f0f0f0-0000-4000-8000-0000000000aa"]["org_id"] == node.id


def _street_meeting(w: World) -> dict:
    """A 联席会议 the street holds at its own node, copied to B as the street holds it."""
    from desktop_app.store.models_meetings import Meeting

    with UnitOfWork(w.street) as uow:
        node = uow.session.scalar(select(Organization.id).where(Organization.kind == "street"))
        meeting = Meeting(number="JL-2026-01", org_id=node, kind="联席会议", title="街道联席会议", meeting_date=TODAY)
        uow.session.add(meeting)
        uow.commit()
        mid = meeting.id
    row = rows(w.street, "meeting")[mid]
    _smuggle(w.c2, "meeting", {**row, "version": row["version"] - 1})  # _smuggle bumps it: same stamp as there
    return row


def test_b_adds_its_topic_under_the_street_s_joint_meeting(w):
    from desktop_app.store.models_cobuilding import JointTopic

    meeting = _street_meeting(w)
    with UnitOfWork(w.c2) as uow:
        topic = JointTopic(meeting_id=meeting["id"], unit_name="辖区医院", topic="社区义诊场地")
        uow.session.add(topic)
        uow.commit()
        tid = topic.id
    _, report = w.up(w.c2)
    assert rows(w.street, "cobuild_joint_topic")[tid]["topic"] == "社区义诊场地"
    # the topic is B's own from now on: B's later edit is taken too
    with UnitOfWork(w.c2) as uow:
        uow.session.get(JointTopic, tid).result = "已落实"
        uow.commit()
    w.up(w.c2)
    assert rows(w.street, "cobuild_joint_topic")[tid]["result"] == "已落实"


def test_b_still_cannot_hang_a_row_under_a_s_meeting(w):
    a_meeting = next(r for r in rows(w.c1, "meeting").values() if not r["deleted"])
    a_meeting = {k: v.isoformat() if isinstance(v, time) else v for k, v in a_meeting.items()}
    _smuggle(w.c2, "meeting", {**a_meeting, "version": a_meeting["version"] - 1})  # as A holds it
    from desktop_app.store.models_cobuilding import JointTopic

    with UnitOfWork(w.c2) as uow:
        uow.session.add(JointTopic(meeting_id=a_meeting["id"], unit_name="某单位", topic="插进来的议题"))
        uow.commit()
    a_name, _ = _names(w)
    _refused(w, ("挂在不属于发送方的", a_name))


def test_a_cannot_change_a_member_it_transferred_out(w):
    """At A, after the 转出, the member is no longer A's to change: edits, status, deletion say why, plainly."""
    from dataclasses import replace

    from desktop_app.domain.errors import ValidationError

    _, b_name = _names(w)
    m = _member(w)
    roster.transfer(w.c1, m["id"], "转出", TODAY, to_org=b_name)
    before = fingerprint(w.c1, data_only=True)
    detail = roster.get(w.c1, m["id"])
    for act in (lambda: roster.update(w.c1, m["id"], replace(detail.to_input(), notes="转出后又改")),
                lambda: roster.change_status(w.c1, m["id"], "正常", TODAY),
                lambda: roster.delete(w.c1, m["id"])):
        with pytest.raises(ValidationError) as exc:
            act()
        said = exc.value.message
        assert f"已于 {TODAY.isoformat()} 转出至{b_name}" in said and "组织关系已不在本社区" in said, said
    assert fingerprint(w.c1, data_only=True) == before
    assert roster.moved_away(w.c1, m["id"]) == said  # the roster greys its buttons with this as the tooltip
    assert roster.moved_away(w.c2, m["id"]) == "" and roster.moved_away(w.c1, _member(w)["id"]) == ""
    # a 转出 made in error is undone by a 转入 back, as before
    roster.transfer(w.c1, m["id"], "转入", TODAY, from_org=b_name, new_org_id=m["org_id"])
    assert roster.get(w.c1, m["id"]).status == "正常" and roster.moved_away(w.c1, m["id"]) == ""


def test_a_member_moved_to_b_comes_back_to_a_the_same_day(w):
    """B transfers the member back: A's 转入 then is a claim through both records, not a stale change set aside."""
    a_name, b_name, m = _out_to_b(w)
    roster.transfer(w.c2, m["id"], "转入", TODAY, from_org=a_name, new_org_id=_branch(w.c2))
    w.up(w.c2)
    roster.transfer(w.c2, m["id"], "转出", TODAY, to_org=a_name)
    w.up(w.c2)
    w.down(w.c1)
    roster.transfer(w.c1, m["id"], "转入", TODAY, from_org=b_name, new_org_id=m["org_id"])
    _, report = w.up(w.c1)
    assert not report.warnings, report.warnings
    back = rows(w.street, "member")[m["id"]]
    assert back["org_id"] == m["org_id"] and back["status"] == "正常"
