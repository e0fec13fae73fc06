"""Previews that read the database several times read it as of one moment.

In each test another operator commits between two of a preview's reads; the
preview must say what it would have said had it read everything at once
before that commit (and apply, which checks again inside its transaction,
refuses the stale preview). Without `Database.one_moment` or
`take_read_snapshot`, each of these previews reported a mixture of the two states.
"""

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from desktop_app.services.database import Database
from desktop_app.services.meetings import attendance_import
from tests.integration import test_history_imports as history
from tests.integration.test_history_imports import DEV_HEADER, MEET_HEADER, dev_rows, meeting_rows, workbook

TODAY = date(2025, 5, 20)
world = history.world  # a community file made by `dangqun init`, with a branch and a member


def _between_reads(monkeypatch, module, name: str, commit, url: str = "") -> list:
    """Wrap `module.name` so that after its first call another operator's `commit(other_db)` runs.

    The other operator opens the database at `url` (default: that of the wrapped function's first argument).
    """
    real = getattr(module, name)
    done: list = []

    def read_then_let_another_commit(first, *args, **kwargs):
        got = real(first, *args, **kwargs)
        if not done:
            done.append(None)
            other = Database(url or first.url)
            try:
                done[0] = commit(other)
            finally:
                other.dispose()
        return got

    monkeypatch.setattr(module, name, read_then_let_another_commit)
    return done


def test_attendance_preview_reads_roster_and_meetings_as_of_one_moment(db, tmp_path, monkeypatch):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(["王芳", "刘洋"]):
        roster.create(db, MemberInput(name=name, org_id=b1.id, id_number=idcard.make("320102", date(1960, 3, 1 + i),
                                                                                      i, idcard.MALE),
                                      joined_date=date(1980, 7, 1), confirmed_date=date(1981, 7, 1)), today=TODAY)
    m1 = ms.plan(db, ms.MeetingInput(org_id=b1.id, kind=r.THEME_DAY, meeting_date=date(2025, 5, 8)), today=TODAY)
    m2 = ms.plan(db, ms.MeetingInput(org_id=b1.id, kind=r.PARTY_LECTURE, meeting_date=date(2025, 5, 9)), today=TODAY)
    path = tmp_path / "出勤.csv"
    path.write_text(f"会议编号,姓名,出勤情况\n{m1.number},王芳,出席\n{m2.number},刘洋,出席\n", encoding="utf-8-sig")
    # The roster is read first, the meetings after it: the second meeting is cancelled in between.
    done = _between_reads(monkeypatch, attendance_import, "people_index",
                          lambda other: ms.cancel(other, m2.id, "改期").status)
    check = attendance_import.preview(db, path, today=TODAY)
    assert done == [r.CANCELLED]
    assert check.errors == [] and check.valid_rows == 2  # as of the moment it began: nothing cancelled
    with pytest.raises(DomainError, match="已取消"):
        attendance_import.apply(db, check, today=TODAY)


def test_ledger_history_preview_reads_balances_and_vouchers_as_of_one_moment(db, tmp_path, monkeypatch):
    from desktop_app.services import ledger, ledger_import

    account = ledger.find_account(db, "党建工作经费")
    path = tmp_path / "账.csv"
    path.write_text("日期,凭证号,账户,摘要,收入\n2025-01-10,2025-1,党建工作经费,拨款,100\n"
                    "2025-01-20,2025-2,党建工作经费,拨款,200\n", encoding="utf-8-sig")

    def post(other):
        return ledger.post_entry(other, ledger.EntryInput(
            entry_date=date(2025, 1, 12), account_id=account.id, direction="收入", amount_fen=100,
            memo="另一台电脑记的账", voucher_no="2025-2")).entry.voucher_no

    # The opening balances are read first, the vouchers on the books after them: another posts in between.
    done = _between_reads(monkeypatch, ledger_import, "balance_at", post, db.url)
    plan = ledger_import.preview(db, path, today=date(2026, 1, 15))
    assert done == ["2025-0002"]
    assert plan.errors == ()  # as of the moment it began: the number was free
    with pytest.raises(DomainError, match="2025-0002 已被 2025-01-12 的凭证使用"):
        ledger_import.apply(db, plan)


def _world_db(world):
    from desktop_app.services.database import open_database

    path, branch = world
    return open_database(path)[0], branch


@pytest.mark.parametrize("kind", ["development", "residents"])
def test_history_previews_read_organisations_and_records_as_of_one_moment(kind, world, tmp_path, monkeypatch):
    """The organisations are read first, the pipeline (or the residents) after them: another operator imports
    the same sheet in between. As of the moment the preview began, nobody on it was there yet."""
    from desktop_app.services import development_import, residents_import

    resident = ["孙奶奶", "2", idcard.make("320102", date(1950, 2, 3), 31, "女"), "梅园新村3栋", "2", "301"]
    module, header, rows, n = {
        "development": (development_import, DEV_HEADER, dev_rows(), 3),
        "residents": (residents_import, ["居民姓名", "性别", "证件号码", "楼号", "单元号", "门牌号"], [resident], 1),
    }[kind]
    db, _branch = _world_db(world)
    try:
        sheet = workbook(tmp_path / f"{kind}.xlsx", header, rows)
        done = _between_reads(monkeypatch, module, "org_name_map",
                              lambda other: module.apply(other, module.preview(other, sheet)))
        plan = module.preview(db, sheet)
        assert done == [n]
        assert plan.errors == ()
        with pytest.raises(DomainError):  # apply checks again inside its transaction
            module.apply(db, plan)
    finally:
        db.dispose()


def test_meetings_preview_reads_organisations_and_the_roster_as_of_one_moment(world, tmp_path, monkeypatch):
    from desktop_app.services import meetings_import

    db, branch = _world_db(world)

    def member(other, name, i):
        return roster.create(other, MemberInput(name=name, org_id=branch.id, id_number=idcard.make(
            "320102", date(1970, 1, 1), i, "男"), joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1))).name

    try:
        member(db, "张三", 20)
        sheet = workbook(tmp_path / "会议.xlsx", MEET_HEADER, meeting_rows()[:1])
        # The organisations are read first, the branch's members after them: 李四 joins in between.
        done = _between_reads(monkeypatch, meetings_import, "org_name_map", lambda other: member(other, "李四", 21))
        plan = meetings_import.preview(db, sheet, today=date(2026, 1, 15))
        assert done == ["李四"]
        # As of the moment it began, 李四 was not on the roster.
        assert ("请假人员", "李四") in [(e.field, e.value) for e in plan.errors]
    finally:
        db.dispose()


def test_one_moment_holds_for_its_own_thread_only(db):
    """Sessions of other threads (the GUI's, while a preview runs in a worker) read the latest commits."""
    import threading

    from sqlalchemy import func, select

    from desktop_app.store.models import Organization

    def count() -> int:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(Organization))

    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    before = count()
    elsewhere: list[int] = []
    with db.one_moment():
        assert count() == before
        other = Database(db.url)
        try:
            orgs.create(other, "第一网格党支部", "B01", "branch", community.id)
        finally:
            other.dispose()
        with db.one_moment():  # nested: the same moment
            assert count() == before
        worker = threading.Thread(target=lambda: elsewhere.append(count()))
        worker.start()
        worker.join()
        assert count() == before
    assert elsewhere == [before + 1] and count() == before + 1
