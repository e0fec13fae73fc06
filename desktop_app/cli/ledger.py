"""The funding ledger and party dues: XLSX export, ledgers, vouchers, the dues registry, receipt and rate table."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, date_arg, open_db, org_arg


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

    from desktop_app.domain.clock import closing_year
    from desktop_app.services import ledger

    date_from, date_to = date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to")
    book = org_arg(db, args.org) if getattr(args, "org", None) else None
    if book is not None and (args.vouchers or args.account):
        raise CliError("--org 只用于打印社区的经费年度汇总；凭证和明细账请在该社区打印")
    if args.vouchers:
        return ledger.print_vouchers(db, out, [v.strip() for v in args.vouchers.split(",") if v.strip()])
    if args.account:
        if args.year and date_from is None and date_to is None:  # --year names the 明细账's period too
            date_from, date_to = date(args.year, 1, 1), date(args.year, 12, 31)
        return ledger.print_account_ledger(db, args.account, out, date_from, date_to)
    year = args.year or (date_from.year if date_from else closing_year(date.today()))
    said = ledger.print_annual_ledger(db, year, out, book=book)
    others = [name for b, name in ledger.books(db) if b is not None]
    if book is None and others:  # a street's own books: the communities' came in their packages
        said += f"；这是本级的账，{'、'.join(others[:3])}{'等' if len(others) > 3 else ''}的账请加 --org 社区代码"
    return said


def report_dues(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.domain.clock import closing_year
    from desktop_app.services import dues

    return dues.print_dues_registry(db, args.year or closing_year(date.today()), out, args.branch)


def month_arg(part: str, flag: str):
    """A month as written: 2024-01 (2024年1月 and 2024-1 are read too) → its first day."""
    import re
    from datetime import date

    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", part.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise CliError(f"{flag}：“{part.strip()}”不是月份，请写成 2024-01")
    return date(int(m.group(1)), int(m.group(2)), 1)


def month_list(text: str) -> list:
    """`--months`: 2024-01,2024-03 or a range 2024-01:2024-03 (2024年1月 and 2024-1 are read too)."""
    from datetime import date

    from desktop_app.domain.dues import month_range

    def one(part: str) -> date:
        return month_arg(part, "--months")

    months: list[date] = []
    for part in (text or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        if ":" in part:
            first, last = (one(x) for x in part.split(":", 1))
            if last < first:
                raise CliError(f"--months：{part.strip()} 的结束月份早于开始月份")
            months += month_range(first, last)
        else:
            months.append(one(part))
    if not months:
        raise CliError("--months：请写要打印收据的月份，如 2024-01:2024-03")
    return months


def cmd_dues_receipt(args: argparse.Namespace) -> int:
    from desktop_app.domain.money import format_yuan
    from desktop_app.services import dues
    from desktop_app.services.memberlife.life import find_member

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"输出文件应以 .pdf 结尾：{out}")
    months = month_list(args.months)
    db = open_db(args)
    member_id, name = find_member(db, args.member)
    receipts = dues.dues_receipts(db, member_id=member_id, months=months)
    dues.print_dues_receipt(db, out=out, member_id=member_id, months=months)
    print(f"已生成 {out}：{name} 党费收据 {len(receipts)} 张（"
          + "；".join(f"{r.number} {r.months_text} {format_yuan(r.total_fen)} 元" for r in receipts) + "）")
    return EXIT_OK


RATE_COLUMNS = "以上,至,比例,定额,最高"


def cmd_dues_rates(args: argparse.Namespace) -> int:
    """The 党费比例 in words; with --set, a category's new table from a month on, read from a CSV file."""
    import csv

    from desktop_app.services import dues

    if args.set is None and (args.category or args.date_from):
        raise CliError("--category 和 --from 只与 --set 一起使用")
    db = open_db(args)
    if args.set is not None:
        if not args.category or not args.date_from:
            raise CliError("--set 须同时写明 --category（人员类别）和 --from（执行的月份，如 2026-07）")
        since = month_arg(args.date_from, "--from")
        path = Path(args.set)
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"读不了 {path}：{exc}") from None
        header = 1 if rows and any("比例" in c for c in rows[0]) else 0
        lines = dues.rate_lines(args.category, since, rows[header:], first_row=header + 1)
        dues.set_rate_rules(db, lines)
        print(f"已保存{args.category}自{since:%Y-%m}起的党费比例（{len(lines)} 档）；此前各月仍按原标准，已登记的党费金额不变。")
    locked = dues.rates_locked(db)
    for t in dues.rate_tables(dues.rate_rules(db)):
        print(t.heading)
        for words in t.words:
            print(f"  {words}")
    if locked and args.set is None:
        print(locked)
    return EXIT_OK


def cmd_rebuild_balances(args: argparse.Namespace) -> int:
    from desktop_app.services import ledger

    months = ledger.rebuild_balances(open_db(args))
    print(f"已重建月度余额：已结账 {months} 个月")
    return EXIT_OK


def add_commands(sub, with_db) -> None:
    """`dangqun ledger ...`: upkeep of the books; `dangqun dues receipt`: a member's 党费收据; `dues rates`: 党费比例."""
    lp = sub.add_parser("ledger", help="经费台账：维护").add_subparsers(dest="ledger_cmd", required=True)
    rb = with_db(lp.add_parser("rebuild-balances", help="按账目重建各已结账月份的月度余额（年度汇总据此计算）"))
    rb.set_defaults(func=cmd_rebuild_balances)

    dp = sub.add_parser("dues", help="党费：党费比例、打印党费收据").add_subparsers(dest="dues_cmd", required=True)
    ra = with_db(dp.add_parser("rates", help="列出党费比例（现行标准和历次调整）；--set 自某月起执行某类人员的新标准"))
    ra.add_argument("--set", metavar="FILE.csv",
                    help=f"新标准的 CSV 文件，每行一档：{RATE_COLUMNS}（金额以元计，比例以 %% 计；第一行可为表头）")
    ra.add_argument("--category", metavar="类别", help="人员类别：在职、离退休、农民、学生、下岗失业、低保")
    ra.add_argument("--from", dest="date_from", metavar="YYYY-MM", help="新标准自哪个月起执行，如 2026-07；此前各月仍按原标准")
    ra.set_defaults(func=cmd_dues_rates)
    rc = with_db(dp.add_parser("receipt", help="打印党员某次交纳的党费收据（存根和收据两联，一次交纳一张）"))
    rc.add_argument("--member", required=True, help="党员姓名或公民身份号码")
    rc.add_argument("--months", required=True,
                    help="交纳的月份，如 2024-03 或 2024-01:2024-03；所在那次交纳的各月份印在同一张收据上")
    rc.add_argument("--out", required=True, help="输出 PDF 文件")
    rc.set_defaults(func=cmd_dues_receipt)
