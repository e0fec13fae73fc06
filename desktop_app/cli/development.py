"""Command line of 发展党员: the pipeline per branch, and the year's register as PDF."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, open_db


def branch_arg(db, text: str | None) -> str | None:
    """A branch named by its name or its code; several of that name are refused, naming their codes."""
    from desktop_app.services import orgs

    if not text:
        return None
    nodes = [n for n in orgs.list_tree(db) if n.kind == "branch"]
    found = [n for n in nodes if n.code == text] or [n for n in nodes if n.name == text]
    if not found:
        # the name as a worker remembers it (第一网格) names no branch: say which ones there are
        near = [n for n in nodes if text in n.name] or nodes
        named = "、".join(f"{n.name}（{n.code}）" for n in near[:8]) + ("等" if len(near) > 8 else "")
        raise CliError(f"--branch：找不到党支部“{text}”" + (
            f"，是不是：{named}" if near is not nodes else f"；本库的党支部：{named}" if nodes else "；本库还没有党支部"))
    if len(found) > 1:
        raise CliError(f"--branch：有 {len(found)} 个党支部名为“{text}”，请用代码："
                       + "、".join(n.code for n in found))
    return found[0].id


def cmd_pipeline(args: argparse.Namespace) -> int:
    """dangqun members pipeline [--branch B] [--all] [--json]"""
    import json

    from desktop_app.services import development

    db = open_db(args)
    rows = development.pipeline(db, branch_arg(db, args.branch), include_closed=args.all)
    if args.json:
        print(json.dumps([{
            "name": r.name, "branch": r.branch_name, "stage": r.stage, "applied_on": r.applied_on.isoformat(),
            "stage_since": r.stage_since.isoformat(), "contacts": r.contacts,
            "next_due": r.next_due.isoformat() if r.next_due else None, "overdue": r.overdue,
        } for r in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        print("没有正在培养的入党申请人")
        return EXIT_OK
    for r in rows:
        due = f"  下一期限 {r.next_due.isoformat()}" if r.next_due else ""
        late = f"  逾期 {r.overdue} 项" if r.overdue else ""
        print(f"{r.stage:<7}{r.name:<6}{r.branch_name}  自 {r.stage_since.isoformat()}"
              f"  培养联系人 {r.contacts or '—'}{due}{late}")
    by_stage: dict[str, int] = {}
    for r in rows:
        by_stage[r.stage] = by_stage.get(r.stage, 0) + 1
    print("合计：" + "，".join(f"{k} {v} 名" for k, v in by_stage.items()))
    return EXIT_OK


def report_development(db, args, out: Path) -> str:
    """dangqun report development --year Y [--branch B]"""
    from desktop_app.domain.clock import closing_year
    from desktop_app.services import development

    year = args.year or closing_year(date.today())  # in January: the year just ended
    development.print_register(db, year, out, branch_arg(db, args.branch))
    return f"{year} 年发展党员工作登记簿"
