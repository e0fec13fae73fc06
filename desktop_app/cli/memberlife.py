"""Command line of a member's life after joining: the 出党, 处分, 流动 and 失联 registers, 自行脱党
warnings, and recording an exit or a move between branches."""

from __future__ import annotations

import argparse
import json
from datetime import date

from desktop_app.cli.common import EXIT_OK, CliError, json_flag, open_db


def _day(text: str | None, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{label}：日期应写成 2026-05-01 的样子，不是“{text}”") from None


def _print(rows, as_json: bool, line, empty: str) -> None:
    if as_json:
        print(json.dumps([{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.__dict__.items()}
                          for r in rows], ensure_ascii=False, indent=1))
    elif not rows:
        print(empty)
    else:
        for r in rows:
            print(line(r))


def cmd_memberlife(args: argparse.Namespace) -> int:
    """dangqun members exits|discipline|lapse|floating|lost|exit|move …"""
    from desktop_app.services import memberlife as life

    db = open_db(args)
    what = args.members_command
    if what == "exits":
        _print(life.exits(db, year=args.year), args.json,
               lambda r: f"{r.exit_date}  {r.kind:<5}{r.member_name:<6}{r.branch_name}  {r.decided_by} {r.document_no}",
               "没有出党和离开的记录")
    elif what == "discipline":
        _print(life.disciplines(db), args.json,
               lambda r: f"{r.decided_on}  {r.kind:<7}{r.member_name:<6}{r.decided_by} {r.document_no}"
                         + (f"  察看至 {r.ends_on}" if r.ends_on else "") + ("  （察看中，无表决权）" if r.running else ""),
               "没有党纪处分记录")
    elif what == "lapse":
        _print(life.lapse_candidates(db, _day(args.on, "--on")), args.json,
               lambda r: f"{r.name:<6}{r.branch_name}  {'；'.join(r.grounds)}", "没有符合党章第九条情形的党员")
    elif what == "floating":
        _print(life.floating(db, args.direction, args.active), args.json,
               lambda r: f"{r.direction}  {r.name:<6}{r.branch_name}  活动证 {r.card_no or '—'}  {r.start_date}"
                         f"  {r.place}" + (f"  至 {r.end_date}" if r.end_date else ""), "没有流动党员登记")
    elif what == "lost":
        _print(life.lost_members(db), args.json,
               lambda r: f"{r.name:<6}{r.branch_name}  {r.status}  失联 {r.months_lost or 0} 个月  查找 {r.searches} 次"
                         f"  {r.next_step}", "没有失联党员")
    elif what == "exit":
        mid, name = life.find_member(db, args.member)
        row = life.record_exit(db, mid, life.ExitInput(args.kind, _day(args.date, "--date"), args.body or "",
                                                       args.doc or "", args.reason or "", "", args.to or ""))
        print(f"已登记：{name} {row.kind}（{row.exit_date}）")
    elif what == "move":
        mid, name = life.find_member(db, args.member)
        row = life.move_member(db, mid, life.find_org(db, args.to), _day(args.date, "--date"), args.note or "")
        print(f"已调动：{name} {row.from_name} → {row.to_name}（{row.moved_on}）")
    return EXIT_OK


def cmd_birthdays(args: argparse.Namespace) -> int:
    """dangqun members birthdays [--month YYYY-MM]: 政治生日 of a month, for the branches' greetings."""
    from desktop_app.services import roster

    year, month = _month(args.month)
    rows = roster.political_birthdays(open_db(args), year, month)
    if not args.json and rows:
        print(f"{year}年{month}月政治生日 {len(rows)} 名：")
    _print(rows, args.json, lambda r: f"{r.day}  {r.name:<6}{r.branch_name}  {r.joined_date} 入党，入党 {r.years} 周年",
           f"{year}年{month}月没有党员过政治生日")
    return EXIT_OK


def _month(text: str | None) -> tuple[int, int]:
    if not text:
        today = date.today()
        return today.year, today.month
    from desktop_app.services.roster.birthdays import month_of

    try:
        return month_of(text)
    except ValueError:
        raise CliError(f"--month：月份应写成 2026-05 的样子，不是“{text}”") from None


def add_commands(mem_sub, with_db) -> None:
    """The member-life subcommands under `dangqun members`."""
    from desktop_app.domain.memberlife import EXIT_KINDS, FLOW_DIRECTIONS

    def listing(name: str, help_: str) -> argparse.ArgumentParser:
        p = with_db(mem_sub.add_parser(name, help=help_))
        json_flag(p)
        p.set_defaults(func=cmd_memberlife)
        return p

    listing("exits", "出党和离开的记录（除名、退党、开除党籍、自行脱党、去世、转出）").add_argument(
        "--year", type=int, help="只列此年")
    listing("discipline", "党纪处分记录（留党察看期间无表决权）")
    listing("lapse", "符合党章第九条（连续六个月不参加组织生活或不交党费）的党员").add_argument(
        "--on", help="按此日期判断（默认今天）")
    fl = listing("floating", "流动党员登记（流出、流入，含活动证）")
    fl.add_argument("--direction", choices=FLOW_DIRECTIONS, help="只列流出或流入")
    fl.add_argument("--active", action="store_true", help="只列尚未返回/离开的")
    listing("lost", "失联党员、查找次数和下一步")
    bd = with_db(mem_sub.add_parser("birthdays", help="政治生日：入党日期在某月的在册党员，及入党周年数"))
    bd.add_argument("--month", help="月份，如 2026-06（默认本月）")
    json_flag(bd)
    bd.set_defaults(func=cmd_birthdays)
    ex = with_db(mem_sub.add_parser("exit", help="登记出党或离开：除名、退党、开除党籍、自行脱党、去世、转出"))
    ex.add_argument("--member", required=True, help="姓名或公民身份号码")
    ex.add_argument("--kind", required=True, choices=EXIT_KINDS, help="出党或离开的方式")
    ex.add_argument("--date", required=True, help="日期，如 2026-05-01")
    ex.add_argument("--body", help="决定机关")
    ex.add_argument("--doc", help="文号")
    ex.add_argument("--reason", help="原因")
    ex.add_argument("--to", help="转出时：转往的党组织")
    ex.set_defaults(func=cmd_memberlife)
    mv = with_db(mem_sub.add_parser("move", help="把党员调到另一个党支部或党小组（调动日期以前的统计按原支部）"))
    mv.add_argument("--member", required=True, help="姓名或公民身份号码")
    mv.add_argument("--to", required=True, help="调入的党组织：代码、路径（社区 / 支部 / 小组）或唯一的名称")
    mv.add_argument("--date", required=True, help="调动日期")
    mv.add_argument("--note", help="备注")
    mv.set_defaults(func=cmd_memberlife)
