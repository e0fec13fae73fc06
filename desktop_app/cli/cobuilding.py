"""共驻共建 on the command line: the yearly summary, the unit and activity registers, the 双报到 register
and feedback forms, the 问需服务 and 单位报到 lists, and the figures `stats` prints."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, open_db
from desktop_app.domain.cobuilding import hours_text
from desktop_app.domain.money import format_yuan
from desktop_app.services import cobuilding as cb


def _year(args: argparse.Namespace) -> int:
    return getattr(args, "year", None) or date.today().year


def report_cobuilding(db, args: argparse.Namespace, out: Path) -> str:
    """共驻共建年度汇总 (--units: the unit register instead; --activities: the activity register)."""
    year = _year(args)
    if getattr(args, "street", False):
        return f"{year}年共驻共建街道汇总，{cb.print_street_summary(db, year, out)} 个社区"
    if getattr(args, "units", False):
        return f"{year}年共建单位名册，{cb.print_unit_register(db, year, out)} 个单位"
    if getattr(args, "activities", False):
        return f"{year}年共建活动登记册，{cb.print_activity_register(db, year, out)} 次活动"
    figs = cb.print_summary(db, year, out)
    return f"{year}年共驻共建汇总，{figs.units} 个共建单位，{figs.activities} 次活动"


def report_activity_signin(db, args: argparse.Namespace, out: Path) -> str:
    """共建活动签到表 of one activity (--activity: its name, optionally after its date)."""
    if not getattr(args, "activity", None):
        from desktop_app.cli.common import CliError

        raise CliError("此报表需要 --activity 活动名称（可在前面加日期，如 \"2026-05-04 义诊\"）")
    activity_id = cb.find_activity(db, args.activity)
    cb.print_activity_signin_sheet(db, activity_id, out)
    sheet = cb.activity_signin_sheet(db, activity_id)
    return f"{sheet.activity_date.isoformat()} {sheet.title} 签到表，列出 {len(sheet.lines)} 人"


def report_reporting(db, args: argparse.Namespace, out: Path) -> str:
    """在职党员报到名册 (--feedback: the feedback forms, one per employer; --employer limits them)."""
    year = _year(args)
    if getattr(args, "feedback", False):
        n = cb.print_feedback_forms(db, year, out, getattr(args, "employer", None) or None)
        return f"{year}年报到服务情况反馈表 {n} 份"
    return f"{year}年报到名册，{cb.print_reporting_register(db, year, out)} 人"


def report_lists(db, args: argparse.Namespace, out: Path) -> str:
    """共驻共建三单 for the 联席会议 (--lists: which, 需求,资源,项目 by default all; --open: without what is
    finished; --year: the page's year, every year when left out; --search: the page's search)."""
    from desktop_app.cli.common import CliError
    from desktop_app.domain.cobuilding import LIST_KINDS

    words = [w.strip().removesuffix("清单") for w in (getattr(args, "lists", None) or "").replace("，", ",").split(",")]
    kinds = [w for w in words if w] or list(LIST_KINDS)
    wrong = [w for w in kinds if w not in LIST_KINDS]
    if wrong:
        raise CliError(f"--lists：没有“{'、'.join(wrong)}”清单，请写 {'、'.join(LIST_KINDS)} 中的一个或几个（逗号分隔）")
    sheet = cb.print_cobuilding_lists(db, out, kinds, getattr(args, "year", None),
                                      with_done=not getattr(args, "open", False), text=getattr(args, "search", None) or "")
    return "三单：" + "，".join(f"{k}清单 {len(sheet.rows(k))} 条" for k in sheet.kinds)


def report_contacts(db, args: argparse.Namespace, out: Path) -> str:
    """楼门书记和党员联系户联系表 of one grid (--grid: its name) or of every grid."""
    grid_id = None
    name = getattr(args, "grid", None)
    if name:
        from desktop_app.services import residents

        match = [g for g in residents.grids(db) if g.name == name or name in g.name]
        if len(match) != 1:
            from desktop_app.cli.common import CliError

            raise CliError(f"找不到唯一的网格“{name}”" + (f"：{'、'.join(g.name for g in match)}" if match else ""))
        grid_id = match[0].id
    return f"联系表 {cb.print_contact_sheet(db, out, grid_id)} 条"


def stats_figures(db, year: int) -> dict:
    """The year's 共驻共建 figures for `stats --json` (hours in tenths, as stored)."""
    f = cb.figures(db, year)
    return {
        "units": f.units, "units_active": f.units_active, "activities": f.activities, "four_into": f.four_into,
        "residents_served": f.residents_served, "activity_hours_tenths": f.activity_hours_tenths,
        "reporting_members": f.reporting_members, "reporting_services": f.reporting_services,
        "reporting_hours_tenths": f.reporting_hours_tenths, "reporting_points": f.reporting_points,
        "posts": f.posts, "posts_taken": f.posts_taken, "pairings": f.pairings, "pairing_posts": f.pairing_posts,
        "adopted_households": f.adopted, "pairing_visits": f.pairing_visits, "cost_fen": f.cost_fen,
        "inquiries": f.inquiries, "units_reported": f.units_reported,
    }


def stats_line(c: dict) -> str:
    return (f"共驻共建：共建单位 {c['units']} 个（参与活动 {c['units_active']} 个），活动 {c['activities']} 次"
            f"（四进 {c['four_into']} 次），服务居民 {c['residents_served']} 人次，"
            f"活动服务 {hours_text(c['activity_hours_tenths'])} 小时；报到党员 {c['reporting_members']} 名，"
            f"服务 {c['reporting_services']} 次、{hours_text(c['reporting_hours_tenths'])} 小时；双进双认结对 "
            f"{c['pairings']} 个，认岗位 {c['pairing_posts']} 个，认亲戚 {c['adopted_households']} 户；单位报到 "
            f"{c.get('units_reported', 0)} 个，问需服务 {c.get('inquiries', 0)} 次，共建经费 "
            f"{format_yuan(c.get('cost_fen', 0))} 元")


def cmd_cobuilding(args: argparse.Namespace) -> int:
    """dangqun cobuilding inquiries|unit-reports [--year Y] [--state S] [--json]"""
    db, year = open_db(args), _year(args)
    if args.what == "inquiries":
        rows = cb.list_inquiries(db, year, getattr(args, "state", None) or None)
        if args.json:
            print(json.dumps([{
                "date": r.inquiry_date.isoformat(), "channel": r.channel, "party_kind": r.party_kind,
                "asked": r.asked_name, "asked_by": r.asked_by, "topic": r.topic, "answer": r.answer, "state": r.state,
                "need": r.need_title, "follow_up": r.follow_up, "done_on": r.done_on.isoformat() if r.done_on else None,
            } for r in rows], ensure_ascii=False, indent=1))
            return EXIT_OK
        for r in rows:
            print(f"{r.inquiry_date.isoformat()} {r.channel} {r.asked_name}（{r.party_kind}） {r.topic}："
                  f"{r.answer or '—'} 【{r.state}】{(' ' + (r.need_title or r.follow_up)) if (r.need_title or r.follow_up) else ''}")
        print(f"{year}年问需服务 {len(rows)} 次" if rows else f"{year}年没有问需服务记录")
        return EXIT_OK
    rows = cb.list_unit_reports(db, year)
    if args.json:
        print(json.dumps([{
            "unit": r.unit_name, "reported_on": r.reported_on.isoformat(), "liaison": r.liaison,
            "claims_open": r.claims, "services": r.services, "hours_tenths": r.hours_tenths,
            "activities": r.activities, "grade": r.grade, "ended_on": r.ended_on.isoformat() if r.ended_on else None,
        } for r in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    for r in rows:
        print(f"{r.unit_name}  {r.reported_on.isoformat()} 报到  认领中 {r.claims} 项  服务 {r.services} 次 "
              f"{hours_text(r.hours_tenths)} 小时  活动 {r.activities} 次  评价 {r.grade or '未评'}"
              + (f"  {r.ended_on.isoformat()} 结束" if r.ended_on else ""))
    print(f"{year}年报到单位 {len(rows)} 个" if rows else f"{year}年没有单位报到")
    return EXIT_OK
