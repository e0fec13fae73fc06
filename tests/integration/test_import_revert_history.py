"""撤销这次导入 for the history imports: 三会一课, 发展党员, 居民, 走访台账 and 经费.

Real sheets through each import's preview/apply into a migrated SQLite file;
the revert takes back exactly what the import added (tombstones, each audited),
leaves the database as before, and refuses, naming the record and changing
nothing, when anything the import added was changed or used since. The ledger
keeps its rules: closed months are never undone, open ones by 红字冲销.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import VisitInput
from desktop_app.services import auth, development_import, ledger, ledger_import, meetings_import, orgs, revert
from desktop_app.services import residents_import, roster, visits, visits_import
from desktop_app.services.revert_added import after_of
from desktop_app.services.revert_imported import RevertRefused
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Household, Member, Resident
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_development import Applicant, DevelopmentStep
from desktop_app.store.models_ledger import LedgerEntry, LedgerMonthBalance
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.store.models_memberlife import MeetingTopic
from desktop_app.store.models_service import Visit, VisitFollowUp, VisitMember
from desktop_app.store.models_sync import SyncExport
from desktop_app.store.models_undo import AuditUndo
from tests.integration.test_import_undo import _batch as batch_of
from tests.integration.test_import_undo import _import_entry as last_import
from tests.integration.test_history_imports import DEV_HEADER, MEET_HEADER, dev_rows, meeting_rows, workbook
from tests.integration.test_visits_import import GOOD, _town, sheet

MODELS = (Meeting, Attendance, MeetingTopic, Applicant, DevelopmentStep, Household, Resident, Visit, VisitMember,
          VisitFollowUp)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def counts(db) -> dict[str, int]:
    """Live rows of every table a history import writes: what "as before" is measured by."""
    with db.session() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m).where(m.deleted.is_(False)))
                for m in MODELS}


def edit(db, model, row_id: str, **values) -> None:
    with UnitOfWork(db) as uow:
        row = uow.session.get(model, row_id)
        for k, v in values.items():
            setattr(row, k, v)
        uow.commit()


def add(db, row) -> None:
    with UnitOfWork(db) as uow:
        uow.session.add(row)
        uow.commit()


@pytest.fixture
def branch(db):
    """A branch with the members the meeting and development sheets name."""
    b = orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    for i, name in enumerate(("张三", "李四"), start=20):
        roster.create(db, MemberInput(name=name, org_id=b.id, id_number=idcard.make("320102", date(1970, 1, 1), i,
                                                                                    "男"),
                                      joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1)))
    roster.create(db, MemberInput(name="郑三", org_id=b.id, id_number=idcard.make("320104", date(1990, 1, 9), 13, "男"),
                                  category="预备党员", joined_date=date(2025, 9, 1)))
    return b


# ---------------------------------------------------------------- 三会一课


@pytest.fixture
def meetings(db, branch, tmp_path):
    before = counts(db)
    plan = meetings_import.preview(db, workbook(tmp_path / "会议.xlsx", MEET_HEADER, meeting_rows()))
    assert meetings_import.apply(db, plan) == 3
    return before


def test_a_meetings_import_is_taken_back_whole(db, meetings):
    imported = counts(db)
    assert imported["meeting"] == 3 and imported["attendance"] == 4 and imported["meeting_topic"] == 3
    check = revert.check_batch_of(db, last_import(db).id)
    assert "将删除本次导入的 3 次会议、4 条出席记录、3 个议题" in check.summary()
    assert counts(db) == imported  # the check wrote nothing
    done = revert.revert_batch(db, batch_of(db))
    assert done.done and "已删除本次导入的 3 次会议" in done.summary()
    assert counts(db) == meetings
    with db.session() as s:
        congress = s.scalar(select(Meeting).where(Meeting.kind == "支部党员大会"))
        assert (congress.deleted, congress.version, congress.title) == (True, 2, "第一季度党员大会")
        assert congress.updated_by_site  # stamped: the street's next merge takes the removal
        reverts = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit_revert")).all()
        assert len(reverts) == 3 + 4 + 3 and {e.table_name for e in reverts} == {"meeting", "attendance",
                                                                              "meeting_topic"}
        assert s.scalar(select(func.count()).select_from(AuditUndo)) == 0  # nothing kept once taken back
    with pytest.raises(RevertRefused, match="撤销过了|保留期"):
        revert.check_batch_of(db, last_import(db).id)


def test_a_meeting_edited_since_is_named_and_nothing_changes(db, meetings):
    with db.session() as s:
        committee = s.scalar(select(Meeting).where(Meeting.kind == "支委会"))
    edit(db, Meeting, committee.id, place="党群服务中心二楼")
    imported = counts(db)
    with pytest.raises(RevertRefused, match=r"三会一课“2025-04-02 .*”此后又修改过"):
        revert.revert_batch(db, batch_of(db))
    assert counts(db) == imported
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditUndo)) == 1
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action == "audit_revert")).all()


def test_a_topic_added_to_an_imported_meeting_since_refuses(db, meetings):
    with db.session() as s:
        lesson = s.scalar(select(Meeting).where(Meeting.kind == "党课"))
    add(db, MeetingTopic(meeting_id=lesson.id, seq=1, title="补记议题", decision=""))
    with pytest.raises(RevertRefused, match="学习贯彻党的二十大精神”此后已有其他记录（会议议题）"):
        revert.check_batch_of(db, last_import(db).id)


# ---------------------------------------------------------------- 发展党员


def test_a_development_import_is_taken_back_and_a_later_step_refuses(db, branch, tmp_path):
    before = counts(db)
    plan = development_import.preview(db, workbook(tmp_path / "发展.xlsx", DEV_HEADER, dev_rows()))
    assert development_import.apply(db, plan) == 3
    imported = counts(db)
    with db.session() as s:
        wu = s.scalar(select(Applicant).where(Applicant.name == "吴二"))
    add(db, DevelopmentStep(applicant_id=wu.id, step="确定发展对象", done_on=date(2025, 8, 1)))
    with pytest.raises(RevertRefused, match="发展对象“吴二”此后已有其他记录|“吴二”此后已有其他记录"):
        revert.revert_batch(db, batch_of(db))
    assert counts(db)["applicant"] == imported["applicant"]
    with UnitOfWork(db) as uow:  # the worker removes the step again: the import may go now
        step = uow.session.scalar(select(DevelopmentStep).where(DevelopmentStep.done_on == date(2025, 8, 1)))
        step.deleted = True
        uow.commit()
    out = revert.revert_batch(db, batch_of(db))
    assert "名发展对象" in out.summary() and "条发展步骤" in out.summary()
    assert counts(db) == before


# ---------------------------------------------------------------- 居民


RESIDENT_HEADER = ["序号", "居民姓名", "性别", "证件号码", "手机号", "楼号", "单元号", "门牌号", "户主姓名"]
RESIDENTS = [[1, "孙奶奶", "2", idcard.make("320102", date(1950, 2, 3), 31, "女"), "13900001111", "梅园新村3栋", "2",
              "301", "孙奶奶"],
             [2, "钱爷爷", "1", idcard.make("320102", date(1948, 8, 9), 32, "男"), None, "梅园新村3栋", "2", "301",
              "孙奶奶"],
             [3, "周阿姨", None, None, "025-83330000", None, None, None, None]]


def test_a_residents_import_is_taken_back_unless_a_visit_was_recorded_since(db, branch, tmp_path):
    before = counts(db)
    plan = residents_import.preview(db, workbook(tmp_path / "居民.xlsx", RESIDENT_HEADER, RESIDENTS))
    assert residents_import.apply(db, plan) == 3
    with db.session() as s:
        sun = s.scalar(select(Resident).where(Resident.name == "孙奶奶"))
        zhang = s.scalar(select(Member.id).where(Member.name == "张三"))
    visit = visits.log_visit(db, VisitInput(visit_date=date(2025, 6, 1), form="走访", member_ids=(zhang,),
                                                   resident_id=sun.id, visitee_name="孙奶奶", content="身体尚好",
                                            raised_issue=False),
                             today=date(2025, 6, 2))
    imported = counts(db)
    with pytest.raises(RevertRefused, match="住户“梅园新村3栋2301”此后已有其他记录（走访）；居民“孙奶奶”此后已有其他记录（走访）"):
        revert.check_batch_of(db, last_import(db).id)
    assert counts(db) == imported
    visits.delete_visit(db, visit.id)
    out = revert.check_batch_of(db, last_import(db).id)
    assert "将删除本次导入的 1 户住户、3 名居民" in out.summary()
    revert.revert_batch(db, out.batch)
    assert counts(db) == before


# ---------------------------------------------------------------- 走访台账


def test_a_visits_import_is_taken_back_unless_a_follow_up_moved_since(db, tmp_path):
    _town(db)
    plan = visits_import.preview(db, sheet(tmp_path / "走访.xlsx", GOOD), today=date(2025, 4, 1))
    assert visits_import.apply(db, plan) == 3
    with db.session() as s:
        pending = s.scalar(select(Visit).where(Visit.visitee_name == "赵德明"))
    visits.move_follow_up(db, pending.id, "处理中", "小刘", date(2025, 4, 1), today=date(2025, 4, 1))
    imported = counts(db)
    with pytest.raises(RevertRefused, match="赵德明"):
        revert.revert_batch(db, batch_of(db))
    assert counts(db) == imported


def test_a_visits_import_taken_back_leaves_the_visits_as_before(db, tmp_path):
    _town(db)
    plan = visits_import.preview(db, sheet(tmp_path / "走访.xlsx", GOOD), today=date(2025, 4, 1))
    before = counts(db)
    visits_import.apply(db, plan)
    out = revert.revert_batch(db, batch_of(db))
    assert "3 条走访记录" in out.summary()
    assert counts(db) == before
    assert visits_import.preview(db, sheet(tmp_path / "again.xlsx", GOOD), today=date(2025, 4, 1)).items  # again


# ---------------------------------------------------------------- 经费


LEDGER_HEADER = ["记账日期", "凭证编号", "科目", "摘要", "收入(元)", "支出(元)", "经手人"]


LAST_YEAR = [["2025-01-10", "2025-1", "党建工作经费", "街道拨付党建经费", 10000, None, "王会计"],
             ["2025-03-15", "2025-2", "党建工作经费", "购买学习资料", None, "120.50", "张三"],
             ["2025-11-20", "2025-3", "服务群众专项经费", "慰问困难群众", None, 800, "李四"]]


def books_now(db) -> dict:
    """What the books read: closed months, their kept month balances, 2025's statement and each month-end balance."""
    with db.session() as s:
        kept = sorted((str(r.month), r.account_id, r.direction, r.category, r.amount_fen, r.entries)
                      for r in s.scalars(select(LedgerMonthBalance)))
    year = ledger.yearly_statement(db, 2025)
    ends = {(a.id, m): ledger.balance(db, a.id, date(2025, m, 28)) for a in ledger.list_accounts(db) for m in (1, 3, 11)}
    return {"closed": ledger.closed_months(db), "month_balances": kept, "months": year.months,
            "lines": [(l.account_id, l.opening_fen, l.income_fen, l.expense_fen) for l in year.lines], "ends": ends}


@pytest.fixture
def last_year(db, tmp_path):
    """Books kept here up to 2024 (December closed), then last year's sheet imported by mistake: 2025 all closed."""
    account = ledger.find_account(db, "党建工作经费")
    ledger.post_entry(db, ledger.EntryInput(date(2024, 12, 5), account.id, "收入", 50_000, memo="上级拨款"))
    ledger.close_month(db, date(2024, 12, 1), "王会计")
    before = books_now(db)
    plan = ledger_import.preview(db, workbook(tmp_path / "账.xlsx", LEDGER_HEADER, LAST_YEAR))
    assert ledger_import.apply(db, plan) == 3
    assert len(ledger.closed_months(db)) == 13 and books_now(db) != before
    return before


def test_last_years_import_is_taken_back_with_the_closings_it_made(db, last_year):
    out = revert.check_batch_of(db, last_import(db).id)
    assert "将以红字冲销本次导入的 3 笔凭证" in out.summary()
    assert "本次导入结账的 2025 年 1-12 月将撤销结账，其中的凭证在原日期红字冲销" in out.summary()
    assert books_now(db) != last_year  # a check writes nothing
    done = revert.revert_batch(db, out.batch)
    assert "已撤销结账" in done.summary()
    assert books_now(db) == last_year
    with db.session() as s:  # nothing deleted: each voucher has its 红字冲销 on its own date
        pairs = s.execute(select(LedgerEntry.entry_date, func.count()).group_by(LedgerEntry.entry_date)
                          .where(LedgerEntry.entry_date >= date(2025, 1, 1))).all()
        assert sorted(pairs) == [(date(2025, 1, 10), 2), (date(2025, 3, 15), 2), (date(2025, 11, 20), 2)]
        trail = s.scalars(select(AuditEntry.note).where(AuditEntry.action == "audit_revert")).all()
    assert any("撤销 2025 年 1-12 月 的结账" in n for n in trail)
    ledger.close_month(db, date(2025, 1, 1), "王会计")  # the month can be closed again by hand
    with pytest.raises(RevertRefused):
        revert.revert_batch(db, out.batch)  # once only


def test_a_later_month_closed_since_keeps_the_import_and_names_the_month(db, last_year):
    account = ledger.find_account(db, "党建工作经费")
    ledger.post_entry(db, ledger.EntryInput(date(2026, 1, 8), account.id, "支出", 3_000, memo="办公用品"))
    ledger.close_month(db, date(2026, 1, 1), "王会计")
    imported = books_now(db)
    with pytest.raises(RevertRefused, match="2026年1月此后已结账，结账须按月份顺序，2025年12月不能撤销结账") as refused:
        revert.revert_batch(db, batch_of_ledger(db))
    assert "导入的凭证（2025-0001、2025-0002、2025-0003）在本次导入结账的 2025 年 1-12 月" in str(refused.value)
    assert books_now(db) == imported


def test_a_package_made_since_keeps_the_closings(db, last_year):
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    add(db, SyncExport(package_id="p-1", kind="upstream", seq=1, created_at=now, until=now))
    imported = books_now(db)
    with pytest.raises(RevertRefused, match="的数据包报送街道"):
        revert.check_batch_of(db, last_import(db).id)
    assert books_now(db) == imported


def test_a_voucher_of_its_own_in_a_month_the_import_closed_keeps_the_closings(db, tmp_path):
    account = ledger.find_account(db, "党建工作经费")
    ledger.post_entry(db, ledger.EntryInput(date(2025, 2, 3), account.id, "收入", 2_000, memo="利息"))
    plan = ledger_import.preview(db, workbook(tmp_path / "账.xlsx", LEDGER_HEADER, LAST_YEAR[1:]))
    assert ledger_import.apply(db, plan) == 2
    with pytest.raises(RevertRefused, match="导入的凭证（2025-0002、2025-0003）在本次导入结账的 2025 年 1-12 月，"
                                            "而2025年2月另有不是这次导入的凭证 2025-0001"):
        revert.check_batch_of(db, last_import(db).id)
    assert len(ledger.closed_months(db)) == 12


def test_the_command_line_checks_a_ledger_import_before_taking_it_back(db, last_year, capsys):
    path, batch = str(db.path), batch_of_ledger(db)
    db.dispose()
    assert main(["audit", "revert", "--batch", batch, "--dry-run", "--db", path]) == 0
    out = capsys.readouterr().out
    assert "本次导入结账的 2025 年 1-12 月将撤销结账" in out and "只检查，未写入" in out
    assert main(["audit", "revert", "--batch", batch, "--db", path]) == 0
    assert "已撤销结账" in capsys.readouterr().out


def batch_of_ledger(db) -> str:
    return after_of(last_import(db))["batch"]


def test_a_ledger_import_of_an_open_month_is_taken_back_by_reversals(db, tmp_path):
    today = date.today()
    rows = [[today.isoformat(), None, "党建工作经费", "街道拨付党建经费", 1000, None, "王会计"],
            [today.isoformat(), None, "党建工作经费", "购买学习资料", None, "120.50", "张三"]]
    plan = ledger_import.preview(db, workbook(tmp_path / "账.xlsx", LEDGER_HEADER, rows))
    assert ledger_import.apply(db, plan) == 2
    account = ledger.find_account(db, "党建工作经费")
    assert ledger.balance(db, account.id, today) == 87_950
    out = revert.check_batch_of(db, last_import(db).id)
    assert "将以红字冲销本次导入的 2 笔凭证" in out.summary() and "不删除凭证" in out.summary()
    if today.month > 1:  # the import closed this year's ended months, empty: those closings go too
        assert f"本次导入结账的 {today.year} 年 1-{today.month - 1} 月将撤销结账" in out.summary()
    revert.revert_batch(db, out.batch)
    assert ledger.balance(db, account.id, today) == 0 and ledger.closed_months(db) == []
    with pytest.raises(RevertRefused):
        revert.revert_batch(db, out.batch)  # once only


# ---------------------------------------------------------------- who, and the command line


def test_only_an_administrator_takes_an_import_back(db, meetings):
    for login, role, password in (("admin1", "admin", "Admin-pass-1"), ("secretary1", "secretary", "Secret-pass-1")):
        auth.create_user(db, login, login, role, password, must_change_password=False)
        auth.login(db, login, password)  # the administrator makes the secretary, who stays logged in
    for attempt in (lambda: revert.revert_batch(db, batch_of(db)),
                    lambda: revert.check_batch_of(db, last_import(db).id)):
        with pytest.raises(auth.PermissionDenied):
            attempt()
    auth.login(db, "admin1", "Admin-pass-1")
    assert revert.revert_batch(db, batch_of(db)).done


def test_the_command_line_takes_a_meetings_import_back(db, meetings, capsys):
    path = str(db.path)
    batch = batch_of(db)
    imported = counts(db)
    db.dispose()
    assert main(["audit", "revert", "--batch", batch[:10], "--dry-run", "--db", path]) == 0
    out = capsys.readouterr().out
    assert "将删除本次导入的 3 次会议、4 条出席记录、3 个议题" in out and "只检查，未写入" in out
    assert main(["audit", "revert", "--batch", batch, "--db", path]) == 0
    assert "已删除本次导入的 3 次会议" in capsys.readouterr().out
    assert main(["audit", "revert", "--batch", batch, "--db", path]) != 0
    assert imported["meeting"] == 3
