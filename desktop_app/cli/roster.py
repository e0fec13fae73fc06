"""The member roster: import, export and the printed roster."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, open_db


def cmd_import_members(args: argparse.Namespace) -> int:
    from desktop_app.services import roster

    db = open_db(args)
    source = Path(args.file)
    if not source.exists():
        raise CliError(f"文件不存在：{source}")
    preview = roster.preview_import(db, source)
    print(preview.summary())
    for line in preview.error_lines():
        print(f"  {line}")
    if preview.errors and not args.skip_invalid:
        print(
            f"错误：{preview.file_name} 有 {preview.invalid_rows} 行数据有误，未导入任何数据"
            "（改正后重新导入，或加 --skip-invalid 只导入正确的行）",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.dry_run:
        print("试运行（--dry-run）：未写入任何数据")
        return EXIT_OK
    result = roster.apply_import(
        db, preview, skip_invalid=args.skip_invalid, update_existing=args.update_existing
    )
    print(
        f"已导入：新增 {result.added} 人，更新 {result.updated} 人，无变化 {result.unchanged} 人"
        + (f"，未更新已有党员 {result.skipped_existing} 人（加 --update-existing 可更新）"
           if result.skipped_existing else "")
        + (f"，跳过有误的行 {result.skipped_invalid} 行" if result.skipped_invalid else "")
    )
    if result.branches_created:
        print("新建党支部：" + "、".join(result.branches_created))
    return EXIT_OK


def cmd_export_members(args: argparse.Namespace) -> int:
    from desktop_app.services import roster

    db = open_db(args)
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"导出文件应以 .csv 或 .xlsx 结尾：{out}")
    count = roster.export_members(db, out)
    print(f"已导出 {count} 名党员 → {out}")
    return EXIT_OK


def report_roster(db, args, out: Path) -> str:
    from desktop_app.services import roster

    printed = roster.print_roster(db, out, include_all=args.all)
    return f"{printed.member_count} 名党员，{len(printed.groups)} 个党组织"
