"""三会一课: the year's meetings, attendance import, sign-in sheets, records and 民主评议."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, need, open_db


def cmd_meetings(args: argparse.Namespace) -> int:
    from datetime import date

    from desktop_app.services import meetings as ms

    db = open_db(args)
    year = args.year or date.today().year
    rows = ms.list_meetings(db, ms.MeetingFilter(date_from=date(year, 1, 1), date_to=date(year, 12, 31)))
    for r in rows:
        attendance = f"出席 {r.present}/{r.expected}" if r.status == "held" else ""
        print(f"{r.number}  {r.meeting_date}  {r.kind}  {r.branch_name or r.org_name}  {r.title}  "
              f"{r.status_label}  {attendance}")
    print(f"{year} 年共 {len(rows)} 次会议")
    return EXIT_OK


def cmd_import_attendance(args: argparse.Namespace) -> int:
    from desktop_app.services.meetings import attendance_import

    db = open_db(args)
    source = Path(args.file)
    if not source.exists():
        raise CliError(f"文件不存在：{source}")
    result = attendance_import.import_file(db, source, skip_invalid=args.skip_invalid, dry_run=args.dry_run)
    for err in result.errors:
        print(f"  跳过：{err}")
    verb = "检查通过（--dry-run，未写入）" if result.dry_run else "已登记"
    print(f"{verb}：{result.meetings} 次会议，{result.rows} 条出勤记录"
          + (f"，跳过有误的行 {result.skipped_invalid} 行" if result.skipped_invalid else ""))
    return EXIT_OK


def report_signin(db, args, out: Path) -> str:
    from desktop_app.services import meetings as ms

    ms.print_signin_sheet(db, need(args, "meeting", "--meeting 会议编号"), out, show_phones=args.phones)
    return ""


def report_meeting(db, args, out: Path) -> str:
    from desktop_app.services import meetings as ms

    ms.print_meeting_record(db, need(args, "meeting", "--meeting 会议编号"), out)
    return ""


def report_evaluation(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.services import evaluations

    evaluations.print_evaluation(db, args.year or date.today().year, out, args.org)
    return ""
