"""`dangqun meetings plan-batch`: 按周期批量计划 on the command line, as the 三会一课落实 page's 批量计划… does."""

from __future__ import annotations

import argparse

from desktop_app.cli.common import EXIT_OK, CliError, open_db, org_arg

NOTHING_OWED = "没有尚需计划的会议：各期已召开或已计划，或日子已过"


def add_commands(meetings_sub: argparse._SubParsersAction) -> None:
    """`meetings plan-batch` under the `meetings` command's subcommands (`meetings_sub`)."""
    pb = meetings_sub.add_parser("plan-batch", help="按周期批量计划三会一课（只计划尚需召开的会议）")
    pb.add_argument("--org", help="党支部或社区（名称、组织代码或 id；社区即其全部党支部；不写即全部党支部）")
    pb.add_argument("--from", dest="first", required=True, metavar="YYYY-MM", help="开始月份")
    pb.add_argument("--to", dest="last", required=True, metavar="YYYY-MM", help="结束月份")
    pb.add_argument("--kinds", nargs="+", metavar="类型", help="会议类型（默认按周期应开的全部类型）")
    pb.add_argument("--day", default="15",
                    help="会议日：每月几日（如 15），或 第几个-星期几（如 3-2 为每月第三个星期二，"
                         "最后-5 为每月最后一个星期五）；周末顺延至周一")
    pb.add_argument("--place", default="", help="会议地点")
    pb.add_argument("--like-year", type=int, metavar="YYYY",
                    help="照该年的安排：各党组织每类会议按该年的固定日子、地点、主题和授课人计划；"
                         "该年无固定日期的按 --day")
    pb.add_argument("--dry-run", action="store_true", help="只列出将要计划的会议，不保存")
    for flag in ("--db", "--db-url"):  # given before or after the subcommand; a default here would hide the former
        pb.add_argument(flag, default=argparse.SUPPRESS, help="同上")
    pb.set_defaults(func=cmd_plan_batch)


def _org(db, value: str) -> str:
    from desktop_app.services import orgs

    named = [n.id for n in orgs.list_tree(db) if n.name == value.strip()]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise CliError(f"--org：有 {len(named)} 个组织名为“{value}”，请用组织代码（见 dangqun orgs）")
    return org_arg(db, value)


def _all_branches(db) -> tuple[str, ...]:
    from desktop_app.services import orgs

    ids = tuple(n.id for n in orgs.list_tree(db) if n.kind == "branch")
    if not ids:
        raise CliError("还没有党支部：请先建立党组织（dangqun orgs）")
    return ids


def cmd_plan_batch(args: argparse.Namespace) -> int:
    from desktop_app.domain import batch_plan as batch
    from desktop_app.services.meetings.plan_batch import (
        kind_holders, like_year_habits, plan_batch, preview_batch, said,
    )
    from desktop_app.views.batch_plan import BatchPlanRequest, holding_words

    db = open_db(args)
    first, last = batch.month_range(args.first, args.last)
    org_ids = (_org(db, args.org),) if args.org else _all_branches(db)
    req = BatchPlanRequest(org_ids=org_ids, first=first, last=last, kinds=tuple(args.kinds or ()),
                           default_day=batch.parse_day_rule(args.day), place=args.place, like_year=args.like_year)
    if args.like_year is not None:  # what each holder kept that year, before what it gives
        for h in like_year_habits(db, org_ids, args.like_year):
            if not args.kinds or h.habit.kind in args.kinds:
                print(f"{h.org_name}  {h.habit.kind}：{h.habit.words}")
    rows = preview_batch(db, req)
    for r in rows:
        note = f"（{r.note}）" if r.note else ""
        print(f"{r.day:%Y-%m-%d} 周{batch.WEEKDAYS[r.day.weekday()]}  {r.kind}  {r.org_name}  {r.title}"
              f"{'  ' + r.place if r.place else ''}{'  授课人：' + r.lecturer if r.lecturer else ''}{note}")
    if not rows and args.org:
        org_id = req.org_ids[0]
        held = kind_holders(db, org_id)
        asked = [k for k in (args.kinds or ()) if held.get(k, (1, 1))[0] == 0]
        for kind in asked:  # a kind the branches do not hold: say so rather than "nothing left to plan"
            print(f"{kind}：{holding_words(kind, *held[kind])}，不计划")
        if not asked or len(asked) < len(args.kinds):
            print(NOTHING_OWED)
        return EXIT_OK
    if not rows:
        print(NOTHING_OWED)
        return EXIT_OK
    if args.dry_run:
        print(f"共 {len(rows)} 次会议（试运行，未保存）")
        return EXIT_OK
    print(said(plan_batch(db, req, rows)))
    return EXIT_OK
