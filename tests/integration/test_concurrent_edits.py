"""Two people saving the same person at the same moment, on one real SQLite file through two connections."""

import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, orgs, roster
from desktop_app.services.database import open_database
from desktop_app.services.roster import edits
from desktop_app.store.models import Member

TODAY = date(2026, 6, 15)
NUMBER = idcard.make("320102", date(1970, 3, 4), 1, "男")


def person(name: str, org_id: str, id_number: str = NUMBER) -> MemberInput:
    return MemberInput(name=name, org_id=org_id, id_number=id_number, gender="男",
                       joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1), category="正式党员")


@pytest.fixture
def branch(db):
    return orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db)).id


def _live_with_number(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Member)
                        .where(Member.id_number == NUMBER, Member.deleted.is_(False)))


def _race(db, monkeypatch, writes):
    """Run `writes` (one per connection) so that each has passed its duplicate check before either saves.

    Each waits at a barrier just after its check; a writer that holds the lock
    makes the other wait for the lock instead, and the barrier gives up after a second.
    """
    barrier = threading.Barrier(len(writes), timeout=1.0)
    checked = edits._check_id_free

    def check_then_wait(*args, **kw):
        checked(*args, **kw)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(edits, "_check_id_free", check_then_wait)
    results: list[object] = [None] * len(writes)
    handles = []
    for _ in writes:
        other, _ = open_database(db.path or db.url)  # a second program on the same file or server
        auth.cli_actor(other)
        handles.append(other)

    def run(i):
        try:
            results[i] = writes[i](handles[i])
        except Exception as exc:  # noqa: BLE001 - the test inspects what each writer got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for h in handles:
        h.dispose()
    return results


def test_two_people_adding_the_same_person_at_once_get_one_record_and_a_clear_refusal(db, branch, monkeypatch):
    results = _race(db, monkeypatch, [
        lambda d: roster.create(d, person("张三", branch), TODAY),
        lambda d: roster.create(d, person("张叁", branch), TODAY),
    ])
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], ValidationError)  # not a raw IntegrityError
    assert "同一人不能登记两次" in str(refused[0])
    assert _live_with_number(db) == 1


def test_an_edit_and_a_new_record_racing_for_one_number_leave_it_once(db, branch, monkeypatch):
    other = roster.create(db, person("李四", branch, idcard.make("320102", date(1972, 1, 2), 3, "男")), TODAY)
    results = _race(db, monkeypatch, [
        lambda d: roster.create(d, person("张三", branch), TODAY),
        lambda d: roster.update(d, other.id, person("李四", branch), TODAY),
    ])
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert _live_with_number(db) == 1


def test_restoring_a_removed_member_whose_number_was_taken_meanwhile_is_refused(db, branch):
    first = roster.create(db, person("张三", branch), TODAY)
    roster.delete(db, first.id)
    roster.create(db, person("张叁", branch), TODAY)
    with pytest.raises(Conflict, match="不能恢复"):
        roster.restore(db, first.id)
    assert _live_with_number(db) == 1


def test_an_import_that_overwrites_members_leaves_one_trail_entry_per_changed_member(db, branch):
    """A bulk overwrite can be traced: who changed which member, by which import, from what to what."""
    import json

    from desktop_app.services import audit_log

    auth.cli_actor(db)
    first = roster.create(db, person("张三", branch), TODAY)
    other_number = idcard.make("320102", date(1972, 1, 2), 3, "男")
    second = roster.create(db, person("李四", branch, other_number), TODAY)
    rows = [
        replace(person("张三", branch), mobile="13911112222", notes="导入时更新"),
        person("李四", branch, other_number),  # unchanged: no entry
    ]
    result = roster.import_members(db, rows, True, [], roster.root_org_id(db), today=TODAY)
    assert result is not None
    trail = audit_log.search(db, audit_log.AuditFilter(action="import_update", table="member"))
    mine = [r for r in trail.rows if r.note.startswith("导入党员名册")]
    assert [r.row_id for r in mine] == [first.id]
    with db.session() as s:
        from desktop_app.store.models_access import AuditEntry

        entry = s.scalars(select(AuditEntry).where(AuditEntry.row_id == first.id,
                                                   AuditEntry.note.like("导入党员名册%"))).one()
    before, after = json.loads(entry.before_json), json.loads(entry.after_json)
    assert entry.label == "张三" and entry.user_name
    assert set(before) >= {"mobile", "notes"} and after["notes"] == "导入时更新"
    assert after["mobile"] != "13911112222" and after["mobile"].startswith("139")  # masked in the trail
    assert second.id not in [r.row_id for r in mine]
