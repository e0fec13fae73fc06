"""Site set-up, demo data, the GUI and the yearly figures (the org tree: cli/orgs.py; backups: cli/dbfile.py)."""

from __future__ import annotations

import argparse

from desktop_app.cli.common import EXIT_OK, CliError, db_label, db_path, db_url, open_db


def cmd_init(args: argparse.Namespace) -> int:
    from desktop_app.services import site

    db = open_db(args, must_exist=False)
    info = site.init_site(db, args.org_code, args.org_name, args.level, street_name=args.street or "")
    print(f"已初始化：{info.org_name}（{info.org_code}，{info.level_label}） 数据库 {db_label(args)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop_app.services import demo

    db = open_db(args, must_exist=False)
    if args.members < 1 or args.members > 200_000:
        raise CliError("--members 应在 1 到 200000 之间")
    summary = demo.generate(db, members=args.members, seed=args.seed)
    print(
        f"已生成演示数据：{summary.street_name} {summary.org_name}（{summary.org_code}），"
        f"{summary.branches} 个党支部、{summary.groups} 个党小组、{summary.members} 名党员、"
        f"{summary.households} 户 {summary.residents} 名居民 → {db_label(args)}"
    )
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop_app.gui.app import run

    return run(db_path=db_url(args) or db_path(args), demo=getattr(args, "demo", False))  # a file or a server


def cmd_stats(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from desktop_app.domain.money import format_yuan
    from desktop_app.domain.site import own_books
    from desktop_app.cli import cobuilding
    from desktop_app.services import ledger, meetings, overview, roster, service_stats, site

    db = open_db(args)
    year = args.year or date.today().year
    info = site.seen_by(db)  # --user of an account confined to one community: that community's heading
    rs = roster.stats(db)
    if year < date.today().year:
        # A past year's members as they were on its last day, from the dated history.
        from dataclasses import replace

        from desktop_app.services import membership

        then = membership.counts_on(db, date(year, 12, 31))
        rs = replace(rs, total=then.total, by_category={"正式党员": then.full, "预备党员": then.probationary},
                     by_branch=then.by_branch, by_status=then.by_status)
    ms = meetings.compliance_summary(db)
    months = service_stats.year_by_month(db, year)
    service = {
        key: sum(getattr(m, key) for m in months)
        for key in ("visits", "raised", "solved", "wishes_posted", "wishes_fulfilled",
                    "projects_started", "projects_completed", "cases_received", "cases_closed")
    }
    # The year's own income and expense; the balance as it stood at the year's end (or today).
    split = ledger.yearly_funds(db, year)  # 党费 apart from 经费, as the 工作台 and the 年度收支 PDF count them
    funds = [
        {"account": line.account_name, "opening_fen": line.opening_fen, "income_fen": line.income_fen,
         "expense_fen": line.expense_fen, "balance_fen": line.closing_fen, "dues": split.is_dues(line.account_id)}
        for line in split.lines
    ]
    board = overview.dashboard(db, year)
    data = {
        "site": {"org_code": info.org_code, "org_name": info.org_name, "level": info.level} if info else None,
        "year": year,
        "members": {"total": rs.total, "by_category": rs.by_category, "by_gender": rs.by_gender,
                    "by_age_band": rs.by_age_band, "by_branch": rs.by_branch, "by_status": rs.by_status},
        "meetings": {"overdue": ms.overdue, "due": ms.due, "no_quorum": ms.no_quorum,
                     "branches_owing": ms.branches_owing},
        "service": service,
        "funds": funds,
        "cobuilding": cobuilding.stats_figures(db, year),
        # The 工作台's figures (keys listed in README, pinned by tests): this year and last year.
        # A rate of a year with nothing to count is null, not 0 (0 would say nobody attended).
        "figures": {f.key: None if f.empty else f.value for f in board.figures},
        "last_year": {f.key: None if f.last_empty else f.last_year for f in board.figures if f.last_year is not None},
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{info.org_name if info else ''} {year} 年统计")
    print(f"党员 {rs.total} 名：" + "，".join(f"{k} {v}" for k, v in rs.by_category.items()))
    print("按支部：" + "，".join(f"{k} {v}" for k, v in rs.by_branch.items()))
    print(f"三会一课：应开未开 {ms.overdue}，本期待开 {ms.due}，未达法定人数 {ms.no_quorum}")
    print(f"服务群众：走访 {service['visits']} 次，反映问题 {service['raised']} 件，已解决 {service['solved']} 件；"
          f"微心愿实现 {service['wishes_fulfilled']} 个；微实事完成 {service['projects_completed']} 项；"
          f"调解 {service['cases_received']} 件")
    print(cobuilding.stats_line(data["cobuilding"]))
    print("工作台：" + "，".join(f"{f.label} {f.text}{'元' if f.unit == '元' else ''}"
                             + (f"（上年 {f.last_text}）" if f.last_year is not None else "") for f in board.figures))
    top = own_books(info.level) if info and info.is_top else ""  # each community keeps its own books
    books = f"经费（{top}）" if top else "经费"
    # at the top its own 党费 account too: 党费（不计入经费）：收入 0.00 under 党费收缴 121,245.16元 read as a contradiction
    kept = f"{top}，不计入经费" if top else "不计入经费"
    for f in funds:
        dues = "党费" if f["account"] == "党费" else f"{f['account']}（党费）"
        name = f"{dues}（{kept}）" if f["dues"] else f"{books} {f['account']}"
        print(f"{name}：收入 {format_yuan(f['income_fen'])} 元，支出 {format_yuan(f['expense_fen'])} 元，"
              f"余额 {format_yuan(f['balance_fen'])} 元")
    return EXIT_OK
