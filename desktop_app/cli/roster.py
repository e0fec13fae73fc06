"""The member roster: export and the printed roster (the import is in cli/imports)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, open_db


def cmd_export_members(args: argparse.Namespace) -> int:
    from desktop_app.services import roster

    db = open_db(args)
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"导出文件应以 .csv 或 .xlsx 结尾：{out}")
    if args.all:  # everyone the roster has kept, with the 状态 column saying who has left
        count = roster.export_members(db, out, everyone=True)
        print(f"已导出 {count} 名党员（全部党员，含转出、去世等，附“状态”列）→ {out}")
    else:
        count = roster.export_members(db, out, roster.MemberFilter(active_only=True))
        print(f"已导出 {count} 名党员（在册党员；加 --all 导出全部，含转出、去世等）→ {out}")
    return EXIT_OK


def report_roster(db, args, out: Path) -> str:
    from desktop_app.services import roster

    printed = roster.print_roster(db, out, include_all=args.all)
    gone = printed.gone_count
    if gone:
        return f"{printed.member_count - gone} 名党员和已离开的 {gone} 名，{len(printed.groups)} 个党组织"
    return f"{printed.member_count} 名党员，{len(printed.groups)} 个党组织"
