"""`dangqun import …` for spreadsheets made for other systems: --map, --show-columns, --sheet, history imports.

Each command reads the file with the mapping given (--map MAP.json) or the one
saved for its header layout, prints the rows it skips (notes, totals) and the
row errors, and writes all or nothing; --dry-run writes nothing. A mapping
given with --map is saved for the layout once the import is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_BAD_INPUT, EXIT_OK, existing_file, open_db


def _mapping(db, kind: str, args: argparse.Namespace, source: Path):
    """(mapping, from_saved): --map, else the one saved for this header."""
    from desktop_app.services import imports

    if args.map:
        return imports.load_mapping(db, kind, args.map), False
    return imports.effective_mapping(db, kind, source, None, args.sheet)


def _show_columns(db, kind: str, args: argparse.Namespace, source: Path, mapping) -> int:
    from desktop_app.services import imports

    report = imports.inspect(db, kind, source, mapping, args.sheet)
    for line in report.lines():
        print(line)
    return EXIT_OK


def _save(db, kind: str, args: argparse.Namespace, source: Path, mapping) -> None:
    from desktop_app.services import imports

    if args.map and mapping is not None:
        imports.save_mapping(db, kind, source, mapping, args.sheet)
        print("已保存此表头的列映射：下次导入同样格式的文件时自动使用")


def cmd_import_members(args: argparse.Namespace) -> int:
    from desktop_app.services import roster
    from desktop_app.services.roster.all_sheets import ALL_SHEETS

    db = open_db(args)
    source = existing_file(args)
    mapping, saved = _mapping(db, "members", args, source)
    if args.show_columns:
        return _show_columns(db, "members", args, source, mapping)
    if saved:
        print("按上次为此表头保存的列映射读取（--show-columns 查看各列）")
    if args.all_sheets and args.sheet:
        print("错误：--all-sheets 与 --sheet 只能选一个", file=sys.stderr)
        return EXIT_BAD_INPUT
    preview = roster.preview_import(db, source, mapping=mapping, sheet=ALL_SHEETS if args.all_sheets else args.sheet)
    print(preview.summary())
    for w in preview.warnings:
        if not w.field and w.reason.endswith("已跳过"):
            print(f"  {w.place}：{w.reason}（{w.value}）")
        elif w.field in ("是否为流动党员", "所在党支部"):  # an open 流出 kept; a branch spelt two ways or new
            print(f"  {w.place}：{w.reason}")
        elif not w.row_number:  # the workbook's: the sheet read, the sheets left, the branch a sheet names
            asked = "" if w.field != "工作表" or args.all_sheets else "（用 --sheet 工作表名 选择，或 --all-sheets 全部读取）"
            print(f"  {w.reason}{asked}")
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
        + (f"；在“流动与失联”登记流出 {result.outings} 人" if result.outings else "")
    )
    if result.branches_created:
        print("新建党支部：" + "、".join(result.branches_created))
    _save(db, "members", args, source, mapping)
    return EXIT_OK


def add_mapping_options(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sp.add_argument("--map", help="列映射 JSON：{\"columns\": {\"原表头\": \"模板列或 null\"}, \"values\": {…}}")
    sp.add_argument("--show-columns", action="store_true", help="只列出每一列将如何读取（含示例），不导入")
    sp.add_argument("--sheet", help="工作簿中要读取的工作表名称（默认第一张有表头的）")
    return sp


# kind -> (service module, what one row is, help)
HISTORY: dict[str, tuple[str, str, str]] = {
    "development": ("development_import", "名", "从 CSV/XLSX 导入发展党员的历史记录（各阶段时间）"),
    "meetings": ("meetings_import", "次会议", "从 CSV/XLSX 导入已召开的三会一课（人数、主持人、议题、决议、出勤）"),
    "residents": ("residents_import", "名居民", "从 CSV/XLSX 导入居民及其住户"),
    "ledger": ("ledger_import", "笔账目", "从 CSV/XLSX 导入一年的期初余额和收支明细（记账并结账）"),
    "visits": ("visits_import", "条走访记录", "从 CSV/XLSX 导入走访台账（走访对象须是已登记的居民）"),
    "dues": ("dues_import", "个月的党费交纳记录", "从 CSV/XLSX 导入以前的党费收缴登记表（党员须已在名册中）"),
}


def cmd_import_history(args: argparse.Namespace) -> int:
    import importlib

    kind = args.what
    module_name, unit, _help = HISTORY[kind]
    service = importlib.import_module(f"desktop_app.services.{module_name}")
    db = open_db(args)
    source = existing_file(args)
    mapping, saved = _mapping(db, kind, args, source)
    if args.show_columns:
        return _show_columns(db, kind, args, source, mapping)
    if saved:
        print("按上次为此表头保存的列映射读取（--show-columns 查看各列）")
    year = {"year": args.year} if getattr(args, "year", None) else {}  # 党费: the register's year
    plan = service.preview(db, source, mapping, args.sheet, **year)
    print(f"{plan.file_name}：共 {plan.total_rows} 行" + "".join(f"，{line}" for line in plan.lines))
    for line in plan.hidden:  # rows and columns she may not see in Excel are imported too
        print(f"  {line}")
    if plan.unread_sheets:
        print(f"  另有 {len(plan.unread_sheets)} 张工作表未读取：{'、'.join(plan.unread_sheets)}（用 --sheet 工作表名 逐张导入）")
    for k in plan.skipped:
        print(f"  {k.line()}")
    for line in plan.error_lines():
        print(f"  {line}")
    if plan.errors:
        print(f"错误：{plan.file_name} 有 {plan.invalid_rows} 行数据有误，未导入任何数据（改正后重新导入）",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.dry_run:
        print("试运行（--dry-run）：未写入任何数据")
        return EXIT_OK
    count = service.apply(db, plan)
    print(f"已导入 {count} {unit}")
    _save(db, kind, args, source, mapping)
    return EXIT_OK


def add_history_parsers(imp, with_db) -> None:
    """`dangqun import development|meetings|residents|ledger|visits|dues FILE`: one parser each, the same options."""
    for kind, (_module, _unit, text) in HISTORY.items():
        sp = with_db(imp.add_parser(kind, help=text))
        sp.add_argument("file", help="XLSX、XLS、ODS 或 CSV 文件（本程序的导入模板，或其他系统导出的表格）")
        sp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        if kind == "dues":
            sp.add_argument("--year", type=int, help="登记表的年度（标题中没有写明“2025年度”时）")
        add_mapping_options(sp).set_defaults(func=cmd_import_history)
