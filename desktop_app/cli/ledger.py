"""The funding ledger and party dues: XLSX export, ledgers, vouchers and the dues registry."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, date_arg, open_db


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from desktop_app.services import ledger

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"导出文件应以 .xlsx 结尾：{out}")
    db = open_db(args)
    count = ledger.export_entries_xlsx(
        db, out, args.account, date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to")
    )
    print(f"已导出 {count} 笔收支 → {out}")
    return EXIT_OK


def report_ledger(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.services import ledger

    date_from, date_to = date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to")
    if args.vouchers:
        return ledger.print_vouchers(db, out, [v.strip() for v in args.vouchers.split(",") if v.strip()])
    if args.account:
        return ledger.print_account_ledger(db, args.account, out, date_from, date_to)
    return ledger.print_annual_ledger(db, args.year or (date_from.year if date_from else date.today().year), out)


def report_dues(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.services import dues

    return dues.print_dues_registry(db, args.year or date.today().year, out, args.branch)


def cmd_rebuild_balances(args: argparse.Namespace) -> int:
    from desktop_app.services import ledger

    months = ledger.rebuild_balances(open_db(args))
    print(f"已重建月度余额：已结账 {months} 个月")
    return EXIT_OK


def add_commands(sub, with_db) -> None:
    """`dangqun ledger ...`: upkeep of the books."""
    lp = sub.add_parser("ledger", help="经费台账：维护").add_subparsers(dest="ledger_cmd", required=True)
    rb = with_db(lp.add_parser("rebuild-balances", help="按账目重建各已结账月份的月度余额（年度汇总据此计算）"))
    rb.set_defaults(func=cmd_rebuild_balances)
