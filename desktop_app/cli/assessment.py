"""五好党支部 assessment on the command line: the year's ranking, the forms and the street's ranking table."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, open_db
from desktop_app.domain.evaluation_votes import usual_year  # 考评, as 民主评议, runs into March


def report_assessment(db, args, out: Path) -> str:
    """`dangqun report assessment --year Y [--branch B]`: the assessment form(s) with evidence lists."""
    from desktop_app.services import assessment as asm

    year = args.year or usual_year(date.today())
    asm.print_assessment_form(db, year, out, args.branch)
    return f"{year} 年度" + (f"，{args.branch}" if args.branch else "，全部党支部")


def report_comparison(db, args, out: Path) -> str:
    """`dangqun report comparison --year Y`: communities side by side and branches ranked."""
    from desktop_app.services import assessment as asm

    year = args.year or usual_year(date.today())
    asm.print_ranking(db, year, out)
    return f"{year} 年度互比互看排名表"


def cmd_assessment(args: argparse.Namespace) -> int:
    """`dangqun assessment --year Y [--sample]`: the year's branches ranked, loading the sample scheme if asked."""
    from desktop_app.domain.assessment import NO_BRANCHES, score_text
    from desktop_app.services import assessment as asm

    db = open_db(args)
    year = args.year or usual_year(date.today())
    if args.sample and asm.scheme(db, year) is None:
        s = asm.load_sample(db, year)
        print(f"已载入示例方案：{s.name}（{s.shape}）")
    y = asm.assess_year(db, year)
    if y.scheme is None:
        print(f"{year} 年度还没有考评方案；加 --sample 载入示例方案")
        return EXIT_OK
    print(f"{year} 年度 {y.scheme.name}（{y.scheme.shape}）")
    if not y.rows:
        print(NO_BRANCHES)
    for r in y.rows:
        unscored = f"  待打分 {r.unscored} 项" if r.unscored else ""
        print(f"{r.rank:>3}  {r.branch_name}  {score_text(r.total_tenths)} 分  {r.result}{unscored}  {r.weakest}")
    return EXIT_OK
