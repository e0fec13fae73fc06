"""`dangqun meetings plan-batch`: the dry run lists, the run plans, a second run finds nothing owed."""

from datetime import date

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.batch_plan import DayRule
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster


def test_plan_batch_dry_run_then_plan(db, capsys):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    roster.create(db, MemberInput(name="王建国", org_id=b.id, id_number=idcard.make("320102", date(1960, 3, 1), 1,
                                                                                  idcard.MALE),
                                  joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    y = date.today().year + 1  # next year: no day of it is past
    where = ["--db", str(db.path or db.url)]
    args = ["meetings", "plan-batch", "--org", "第一网格党支部", "--from", f"{y}-01", "--to", f"{y}-03",
            "--kinds", r.THEME_DAY, r.PARTY_LECTURE, "--day", "2-3", "--place", "二楼会议室", *where]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "共 4 次会议（试运行，未保存）"  # three 主题党日 and a 党课, every second Wednesday
    assert all(" 周三 " in line for line in out[:-1]) and "1月主题党日" in out[1]
    assert ms.list_meetings(db) == []
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "已计划 4 次会议"
    planned = ms.list_meetings(db, ms.MeetingFilter(date_from=date(y, 1, 1)))
    assert sorted(m.kind for m in planned) == sorted([r.PARTY_LECTURE, r.THEME_DAY, r.THEME_DAY, r.THEME_DAY])
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == "没有尚需计划的会议：各期已召开或已计划，或日子已过"
    assert main(["meetings", "plan-batch", "--org", "无此支部", "--from", f"{y}-01", "--to", f"{y}-03", *where]) != 0
    assert main(["meetings", "plan-batch", "--org", "B01", "--from", f"{y}-01", "--to", f"{y}-03",
                 "--day", "40", *where]) != 0


def test_a_kind_the_branch_does_not_hold_is_named_with_why(db, capsys):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第二网格党支部", "B02", "branch", c.id)  # no committee, no party groups
    y = date.today().year + 1
    args = ["meetings", "plan-batch", "--org", "第二网格党支部", "--from", f"{y}-01", "--to", f"{y}-03",
            "--db", str(db.path or db.url)]
    assert main([*args, "--kinds", r.COMMITTEE, "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == "支委会：本支部未设支委会，不计划"
    assert main([*args, "--kinds", r.COMMITTEE, r.GROUP_MEETING, "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines() == ["支委会：本支部未设支委会，不计划", "党小组会：本支部未设党小组，不计划"]


def test_next_year_like_this_one(db, capsys):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第三网格党支部", "B03", "branch", c.id)
    orgs.create(db, "第四网格党支部", "B04", "branch", c.id)  # nothing this year: the --day
    this = date.today().year
    last_friday = DayRule(None, -1, 4)
    for mo in range(1, 13):
        day = last_friday.in_month(this, mo)
        ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, meeting_date=day, place="社区书房",
                                    title=f"{this}年{mo}月主题党日"), today=day)
    y = this + 1
    where = ["--db", str(db.path or db.url)]
    args = ["meetings", "plan-batch", "--like-year", str(this), "--from", f"{y}-01", "--to", f"{y}-12",
            "--kinds", r.THEME_DAY, "--day", "10", *where]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"第三网格党支部  主题党日：照{this}年：每月最后一个星期五；地点：社区书房",
                       f"第四网格党支部  主题党日：{this}年未召开，按周期默认"]
    assert out[-1] == "共 24 次会议（试运行，未保存）"
    mine = [line for line in out if "第三网格党支部  " in line and line[:4].isdigit()]
    assert len(mine) == 12 and all(" 周五 " in line or "顺延" in line for line in mine)
    assert f"{y}年7月主题党日  社区书房" in mine[6]
    assert all(line[8:10] == "10" or "顺延" in line for line in out if "第四网格党支部  " in line and line[:4].isdigit())
    assert main([*args, "--org", "B03"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "已计划 12 次会议"
    planned = ms.list_meetings(db, ms.MeetingFilter(date_from=date(y, 1, 1)))
    assert {(m.meeting_date, m.place) for m in planned} == {
        (last_friday.in_month(y, mo), "社区书房") for mo in range(1, 13)}
    assert main(["meetings", "plan-batch", "--like-year", "1990", "--from", f"{y}-01", "--to", f"{y}-12",
                 *where]) != 0
