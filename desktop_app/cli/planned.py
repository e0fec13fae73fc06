"""Command line of planned meetings' 应到 lists: `meetings repair-planned`, the one-time repair by hand."""

from __future__ import annotations

import argparse

from desktop_app.cli.common import EXIT_OK, open_db


def add_commands(meetings_sub: argparse._SubParsersAction) -> None:
    """`meetings repair-planned` under the `meetings` command's subcommands (`meetings_sub`)."""
    rp = meetings_sub.add_parser("repair-planned", help="按名册修复计划中会议的应到名单（今天及以后）")
    for flag in ("--db", "--db-url"):  # given before or after the subcommand; a default here would hide the former
        rp.add_argument(flag, default=argparse.SUPPRESS, help="同上")
    rp.set_defaults(func=cmd_repair_planned)


def cmd_repair_planned(args: argparse.Namespace) -> int:
    """Members who left take their leave of the 应到 lists of meetings still planned, members who came are listed."""
    from desktop_app.services.meetings import planned

    db = open_db(args)
    n = planned.repair_planned_attendance(db)
    print(f"已修复 {n} 人次（计划中会议的应到名单）" if n else "计划中会议的应到名单与名册一致，无需修复")
    return EXIT_OK
