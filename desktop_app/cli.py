"""The `dangqun` command: a thin shell over the services, like the GUI.

Every command exits 0 on success; bad input prints one clear line and exits 2,
never a traceback, and changes nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from desktop_app import APP_NAME, __version__
from desktop_app.domain.errors import DomainError

EXIT_OK = 0
EXIT_BAD_INPUT = 2

log = logging.getLogger(__name__)


class CliError(Exception):
    """A message for the user; exit status 2."""


def _db_path(args: argparse.Namespace) -> Path:
    from desktop_app.settings import default_db_path

    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def _open(args: argparse.Namespace, must_exist: bool = True):
    from desktop_app.store.migrate import NotADatabase, open_database

    path = _db_path(args)
    if must_exist and not path.exists():
        raise CliError(f"数据库文件不存在：{path}（先运行 dangqun init 或 dangqun demo）")
    try:
        db, backup = open_database(path)
    except NotADatabase as exc:
        raise CliError(str(exc)) from None
    if backup:
        print(f"数据库已升级，升级前的副本保存在 {backup}")
    from desktop_app.services import auth

    # Whoever holds the file holds the data: the command line acts as the local
    # administrator unless --user names an account to sign the work with.
    user = getattr(args, "user", None)
    auth.cli_actor(db, user, _password("密码：", "DANGQUN_PASSWORD") if user else None)
    return db


def _password(prompt: str, env: str) -> str:
    """From the environment (scripts) or typed without echo."""
    import getpass
    import os

    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise CliError(f"需要输入密码：请在终端中运行，或通过环境变量 {env} 提供")
    return getpass.getpass(prompt)


def _new_password() -> str:
    import os

    if "DANGQUN_NEW_PASSWORD" in os.environ:
        return os.environ["DANGQUN_NEW_PASSWORD"]
    first = _password("新密码：", "DANGQUN_NEW_PASSWORD")
    if _password("再输一次：", "DANGQUN_NEW_PASSWORD") != first:
        raise CliError("两次输入的密码不一致")
    return first


def cmd_init(args: argparse.Namespace) -> int:
    from desktop_app.services import site

    db = _open(args, must_exist=False)
    info = site.init_site(db, args.org_code, args.org_name, args.level, street_name=args.street or "")
    print(f"已初始化：{info.org_name}（{info.org_code}，{info.level_label}） 数据库 {_db_path(args)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop_app.services import demo

    db = _open(args, must_exist=False)
    if args.members < 1 or args.members > 200_000:
        raise CliError("--members 应在 1 到 200000 之间")
    summary = demo.generate(db, members=args.members, seed=args.seed)
    print(
        f"已生成演示数据：{summary.street_name} {summary.org_name}（{summary.org_code}），"
        f"{summary.branches} 个党支部、{summary.groups} 个党小组、{summary.members} 名党员、"
        f"{summary.households} 户 {summary.residents} 名居民 → {_db_path(args)}"
    )
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop_app.gui.app import run

    return run(db_path=_db_path(args), demo=getattr(args, "demo", False))


def cmd_orgs(args: argparse.Namespace) -> int:
    from desktop_app.services import orgs

    db = _open(args)
    nodes = orgs.list_tree(db)
    depth: dict[str | None, int] = {None: -1}
    for n in nodes:
        depth[n.id] = depth.get(n.parent_id, -1) + 1
        print(f"{'  ' * depth[n.id]}{n.name}  [{n.kind_label} {n.code}]  党员 {n.member_count}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop_app.services import backup

    path = _db_path(args)
    if not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    out = backup.export_copy(path, Path(args.out)) if args.out else backup.backup_now(path, "manual")
    print(f"已备份 {path} → {out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop_app.services import backup

    path = _db_path(args)
    source = Path(args.file)
    if not source.exists():
        raise CliError(f"备份文件不存在：{source}")
    kept = backup.restore(source, path)
    print(f"已用 {source} 恢复 {path}")
    if kept:
        print(f"恢复前的数据保存在 {kept}")
    return EXIT_OK


def cmd_import_members(args: argparse.Namespace) -> int:
    from desktop_app.exchange import members as member_files

    db = _open(args)
    source = Path(args.file)
    if not source.exists():
        raise CliError(f"文件不存在：{source}")
    preview = member_files.preview_import(db, source)
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
    result = member_files.apply_import(
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
    from desktop_app.exchange import members as member_files

    db = _open(args)
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"导出文件应以 .csv 或 .xlsx 结尾：{out}")
    count = member_files.export_members(db, out)
    print(f"已导出 {count} 名党员 → {out}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"输出文件应以 .pdf 结尾：{out}")
    db = _open(args)
    render = REPORTS.get(args.kind)
    if render is None:
        raise CliError(f"未知的报表：{args.kind}（可用：{'、'.join(REPORTS)}）")
    summary = render(db, args, out)
    print(f"已生成 {out}" + (f"：{summary}" if summary else ""))
    return EXIT_OK


def _report_roster(db, args, out: Path) -> str:
    from desktop_app.reports.roster import render_roster
    from desktop_app.reports.roster_source import collect
    from desktop_app.services.roster import MemberFilter

    center, groups = collect(db, MemberFilter() if args.all else None)
    render_roster(center, groups, out)
    return f"{sum(len(g) for _, g in groups)} 名党员，{len(groups)} 个党组织"


def _need(args: argparse.Namespace, name: str, flag: str) -> str:
    value = getattr(args, name, None)
    if not value:
        raise CliError(f"此报表需要 {flag}")
    return value


def _report_signin(db, args, out: Path) -> str:
    from desktop_app.reports.signin import write_signin

    write_signin(db, _need(args, "meeting", "--meeting 会议编号"), out, show_phones=args.phones)
    return ""


def _report_meeting(db, args, out: Path) -> str:
    from desktop_app.reports.meeting_record import write_meeting_record

    write_meeting_record(db, _need(args, "meeting", "--meeting 会议编号"), out)
    return ""


def _report_evaluation(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.reports.evaluation import write_evaluation

    write_evaluation(db, args.year or date.today().year, out, args.org)
    return ""


def _date_arg(value: str | None, flag: str):
    from desktop_app.domain.members import parse_date

    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise CliError(f"{flag}：{exc}") from None


def _grid_arg(db, name: str | None) -> str | None:
    from desktop_app.services import residents

    if not name:
        return None
    grid_id = residents.grid_id_by_name(db, name)
    if grid_id is None:
        raise CliError(f"--grid：找不到网格党支部“{name}”")
    return grid_id


def _report_visit(db, args, out: Path) -> str:
    from desktop_app.reports.visit import visit_pdf

    n = visit_pdf(db, out, _date_arg(args.date_from, "--from"), _date_arg(args.date_to, "--to"),
                  _grid_arg(db, args.grid))
    return f"{n} 次走访"


def _report_wishes(db, args, out: Path) -> str:
    from desktop_app.reports.wishes import wishes_pdf

    n = wishes_pdf(db, out, args.cards, args.year, args.state, _grid_arg(db, args.grid))
    return f"{n} 个微心愿"


def _report_service(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.reports.service_summary import service_summary_pdf

    today = date.today()
    service_summary_pdf(db, out, args.year or today.year, args.month or today.month, _grid_arg(db, args.grid))
    return ""


def _report_mediation(db, args, out: Path) -> str:
    from desktop_app.reports.mediation import mediation_pdf
    from desktop_app.services import mediation

    case_no = _need(args, "case", "--case 案件编号")
    case_id = mediation.case_id_by_no(db, case_no)
    if case_id is None:
        raise CliError(f"找不到调解案件“{case_no}”")
    mediation_pdf(db, out, [case_id])
    return ""


def _report_ledger(db, args, out: Path) -> str:
    from datetime import date

    date_from, date_to = _date_arg(args.date_from, "--from"), _date_arg(args.date_to, "--to")
    if args.vouchers:
        from desktop_app.reports.voucher import write_vouchers

        return write_vouchers(db, out, [v.strip() for v in args.vouchers.split(",") if v.strip()])
    if args.account:
        from desktop_app.reports.ledger import write_account_ledger

        return write_account_ledger(db, args.account, out, date_from, date_to)
    from desktop_app.reports.ledger_annual import write_annual_ledger

    return write_annual_ledger(db, args.year or (date_from.year if date_from else date.today().year), out)


def _report_dues(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.reports.dues import write_dues_registry

    return write_dues_registry(db, args.year or date.today().year, out, args.branch)


REPORTS = {
    "roster": _report_roster,
    "signin": _report_signin,
    "meeting": _report_meeting,
    "evaluation": _report_evaluation,
    "visit": _report_visit,
    "wishes": _report_wishes,
    "service": _report_service,
    "mediation": _report_mediation,
    "ledger": _report_ledger,
    "dues": _report_dues,
}


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from desktop_app.exchange.ledger_xlsx import export_ledger

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"导出文件应以 .xlsx 结尾：{out}")
    db = _open(args)
    count = export_ledger(
        db, out, args.account, _date_arg(args.date_from, "--from"), _date_arg(args.date_to, "--to")
    )
    print(f"已导出 {count} 笔收支 → {out}")
    return EXIT_OK


def cmd_import_attendance(args: argparse.Namespace) -> int:
    from desktop_app.exchange import attendance

    db = _open(args)
    source = Path(args.file)
    if not source.exists():
        raise CliError(f"文件不存在：{source}")
    result = attendance.import_file(db, source, skip_invalid=args.skip_invalid, dry_run=args.dry_run)
    for err in result.errors:
        print(f"  跳过：{err}")
    verb = "检查通过（--dry-run，未写入）" if result.dry_run else "已登记"
    print(f"{verb}：{result.meetings} 次会议，{result.rows} 条出勤记录"
          + (f"，跳过有误的行 {result.skipped_invalid} 行" if result.skipped_invalid else ""))
    return EXIT_OK


def cmd_meetings(args: argparse.Namespace) -> int:
    from datetime import date

    from desktop_app.services import meetings as ms

    db = _open(args)
    year = args.year or date.today().year
    rows = ms.list_meetings(db, ms.MeetingFilter(date_from=date(year, 1, 1), date_to=date(year, 12, 31)))
    for r in rows:
        attendance = f"出席 {r.present}/{r.expected}" if r.status == "held" else ""
        print(f"{r.number}  {r.meeting_date}  {r.kind}  {r.branch_name or r.org_name}  {r.title}  "
              f"{r.status_label}  {attendance}")
    print(f"{year} 年共 {len(rows)} 次会议")
    return EXIT_OK


ROLE_NAMES = {"admin": "管理员", "secretary": "书记/委员", "grid": "网格员", "viewer": "只读"}


def cmd_user(args: argparse.Namespace) -> int:
    from desktop_app.domain import access
    from desktop_app.services import auth

    db = _open(args)
    if args.action == "list":
        for u in auth.list_users(db):
            from datetime import datetime, timezone

            now = datetime.now(timezone.utc).replace(tzinfo=None)
            locked = u.locked_until is not None and u.locked_until > now
            state = "停用" if not u.active else ("已锁定" if locked else "正常")
            grids = "、".join(u.grid_names)
            print(f"{u.login}  {u.display_name}  {access.ROLE_LABELS[access.role_of(u.role)]}  {state}"
                  + (f"  网格：{grids}" if grids else ""))
        return EXIT_OK
    if not args.login:
        raise CliError("请给出登录名")
    if args.action == "add":
        grid_ids = []
        if args.grid:
            from desktop_app.services import orgs

            by_code = {n.code: n.id for n in orgs.list_tree(db)}
            for code in args.grid:
                if code not in by_code:
                    raise CliError(f"--grid：找不到组织代码“{code}”")
                grid_ids.append(by_code[code])
        role = ROLE_NAMES.get(args.role, args.role)
        info = auth.create_user(db, args.login, args.name or args.login, role, _new_password(), grid_ids)
        print(f"已添加用户 {info.login}（{info.display_name}），首次登录须修改密码")
        return EXIT_OK
    user = auth.find_user(db, args.login)
    if args.action == "reset-password":
        auth.reset_password(db, user.id, _new_password())
        print(f"已重设 {user.login} 的密码，下次登录须修改")
    elif args.action == "unlock":
        auth.unlock_user(db, user.id)
        print(f"已解锁 {user.login}")
    elif args.action in ("disable", "enable"):
        auth.set_active(db, user.id, args.action == "enable")
        print(f"已{'启用' if args.action == 'enable' else '停用'} {user.login}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    import json

    from desktop_app.services import audit_log, auth

    db = _open(args)
    user_id = auth.find_user(db, args.login).id if args.login else None
    flt = audit_log.AuditFilter(
        user_id=user_id, table=args.table, action=args.action,
        date_from=_date_arg(args.date_from, "--from"), date_to=_date_arg(args.date_to, "--to"),
        row_id=args.row,
    )
    page = audit_log.search(db, flt, page_size=args.limit)
    if args.json:
        print(json.dumps([
            {"at": r.at.isoformat(sep=" ", timespec="seconds"), "user": r.user_name, "action": r.action,
             "table": r.table, "row": r.row_id, "label": r.label, "note": r.note}
            for r in page.rows
        ], ensure_ascii=False, indent=1))
    else:
        for r in page.rows:
            print(f"{r.at:%Y-%m-%d %H:%M:%S}  {r.user_name}  {r.action}  {r.table}  {r.label}  {r.note}")
        print(f"共 {page.total} 条，显示最新 {len(page.rows)} 条")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from desktop_app.domain.money import format_yuan
    from desktop_app.services import ledger, meetings, roster, service_stats, site

    db = _open(args)
    year = args.year or date.today().year
    info = site.get_site(db)
    rs = roster.stats(db)
    ms = meetings.compliance_summary(db)
    months = service_stats.year_by_month(db, year)
    service = {
        key: sum(getattr(m, key) for m in months)
        for key in ("visits", "raised", "solved", "wishes_posted", "wishes_fulfilled",
                    "projects_started", "projects_completed", "cases_received", "cases_closed")
    }
    funds = [
        {"account": b.name, "income_fen": b.income_fen, "expense_fen": b.expense_fen, "balance_fen": b.balance_fen}
        for b in ledger.balances(db, date(year, 12, 31) if year < date.today().year else None)
    ]
    data = {
        "site": {"org_code": info.org_code, "org_name": info.org_name, "level": info.level} if info else None,
        "year": year,
        "members": {"total": rs.total, "by_category": rs.by_category, "by_gender": rs.by_gender,
                    "by_age_band": rs.by_age_band, "by_branch": rs.by_branch, "by_status": rs.by_status},
        "meetings": {"overdue": ms.overdue, "due": ms.due, "no_quorum": ms.no_quorum,
                     "branches_owing": ms.branches_owing},
        "service": service,
        "funds": funds,
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
    for f in funds:
        print(f"经费 {f['account']}：收入 {format_yuan(f['income_fen'])} 元，支出 {format_yuan(f['expense_fen'])} 元，"
              f"余额 {format_yuan(f['balance_fen'])} 元")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop_app.sync import downstream, keys, merge
    from desktop_app.sync import export as sync_export

    db = _open(args, must_exist=True)
    if args.sync_cmd == "key":
        if args.key_cmd == "copy":
            info = keys.write_key_file(db, Path(args.out))
            print(f"已另存街道密钥（指纹 {info.fingerprint}）→ {args.out}")
        elif args.key_cmd == "new":
            info = keys.new_key(db, Path(args.out), replace=args.replace)
            print(f"已生成街道密钥（指纹 {info.fingerprint}）→ {args.out}\n请把密钥文件交给各社区，用 dangqun sync key use 导入；妥善保管。")
        else:
            result = keys.use_key(db, Path(args.file))
            print(f"已采用 {result.info.street_org_name}（{result.info.street_org_code}）的密钥，指纹 {result.info.fingerprint}"
                  + ("；与原街道不同，下次导出将包含全部数据" if result.street_changed else ""))
        return EXIT_OK
    if args.sync_cmd == "export":
        r = sync_export.export_package(db, Path(args.out), full=args.full, plain=args.plain)
        rows = sum(r.counts.values())
        print(f"已导出{'全部数据' if r.full else '变化部分'}：{rows:,} 行，{r.size / 1024:,.0f} KB，"
              f"{'未加密（请妥善保管）' if r.plain else '已加密'} → {r.path}")
        return EXIT_OK
    if args.sync_cmd == "send":
        if args.community is None:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            results = downstream.send_all(db, Path(args.out), plain=args.plain)
        else:
            results = [downstream.send_package(db, Path(args.out), args.community, plain=args.plain)]
        for r in results:
            print(f"下发包 {sum(r.counts.values()):,} 行，{r.size / 1024:,.0f} KB → {r.path}")
        return EXIT_OK
    report = merge.import_package(db, Path(args.file), dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dangqun", description=f"{APP_NAME} {__version__}")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--user", help="以此账户身份操作（密码在终端输入或取自 DANGQUN_PASSWORD）")
    sub = p.add_subparsers(dest="command")

    def with_db(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--db", help="数据库文件（默认在用户数据目录）")
        return sp

    g = with_db(sub.add_parser("gui", help="启动图形界面"))
    g.add_argument("--demo", action="store_true", help="空数据库时填入演示数据")
    g.set_defaults(func=cmd_gui)

    i = with_db(sub.add_parser("init", help="新建数据库并设置所属单位"))
    i.add_argument("--org-code", required=True, help="组织代码")
    i.add_argument("--org-name", required=True, help="组织名称，如 幸福里社区党委")
    i.add_argument("--level", choices=["community", "street"], default="community")
    i.add_argument("--street", help="所属街道党工委名称（社区可填）")
    i.set_defaults(func=cmd_init)

    d = with_db(sub.add_parser("demo", help="在空数据库中生成演示数据"))
    d.add_argument("--members", type=int, default=300, help="党员人数（默认 300）")
    d.add_argument("--seed", type=int, default=1, help="随机种子：不同种子生成不同社区")
    d.set_defaults(func=cmd_demo)

    b = with_db(sub.add_parser("backup", help="备份数据库（默认放入备份文件夹）"))
    b.add_argument("--out", help="备份到此文件")
    b.set_defaults(func=cmd_backup)

    r = with_db(sub.add_parser("restore", help="用备份文件恢复数据库（当前数据先另存）"))
    r.add_argument("file", help="备份文件")
    r.set_defaults(func=cmd_restore)

    imp = sub.add_parser("import", help="导入数据").add_subparsers(dest="what", required=True)
    im = with_db(imp.add_parser("members", help="从 CSV/XLSX 导入党员"))
    im.add_argument("file", help="党员信息文件（.csv 或 .xlsx）")
    im.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    im.add_argument("--skip-invalid", action="store_true", help="跳过有误的行，只导入正确的行")
    im.add_argument("--update-existing", action="store_true", help="按身份证号更新已有党员")
    im.set_defaults(func=cmd_import_members)

    ia = with_db(imp.add_parser("attendance", help="从 CSV 导入会议出勤"))
    ia.add_argument("file", help="出勤 CSV：会议编号, 姓名/公民身份号码, 出勤情况, 请假原因")
    ia.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    ia.add_argument("--skip-invalid", action="store_true", help="跳过有误的行")
    ia.set_defaults(func=cmd_import_attendance)

    exp = sub.add_parser("export", help="导出数据").add_subparsers(dest="what", required=True)
    em = with_db(exp.add_parser("members", help="导出党员名册为 CSV/XLSX"))
    em.add_argument("--out", required=True, help="输出文件（.csv 或 .xlsx）")
    em.set_defaults(func=cmd_export_members)

    el = with_db(exp.add_parser("ledger", help="导出经费收支明细为 XLSX"))
    el.add_argument("--out", required=True, help="输出文件（.xlsx）")
    el.add_argument("--account", help="账户名称（可写一部分；默认全部账户）")
    el.add_argument("--from", dest="date_from", help="起始日期")
    el.add_argument("--to", dest="date_to", help="截止日期")
    el.set_defaults(func=cmd_export_ledger)

    rep = with_db(sub.add_parser("report", help="生成 PDF 报表"))
    rep.add_argument("kind", help="报表种类：" + "、".join(REPORTS))
    rep.add_argument("--out", required=True, help="输出 PDF 文件")
    rep.add_argument("--all", action="store_true", help="roster：包括转出、去世的党员")
    rep.add_argument("--meeting", help="signin / meeting：会议编号（如 2025-0007）")
    rep.add_argument("--phones", action="store_true", help="signin：显示（遮蔽的）手机号")
    rep.add_argument("--year", type=int, help="按年度的报表：年份（默认今年）")
    rep.add_argument("--org", help="只含此组织（组织 ID）")
    rep.add_argument("--month", type=int, help="service：月份（默认本月）")
    rep.add_argument("--from", dest="date_from", help="visit / ledger：起始日期")
    rep.add_argument("--to", dest="date_to", help="visit / ledger：截止日期")
    rep.add_argument("--grid", help="visit / wishes / service：网格党支部名称")
    rep.add_argument("--cards", action="store_true", help="wishes：印成张贴用的心愿卡")
    rep.add_argument("--state", choices=["待认领", "已认领", "已实现"], help="wishes：只含此状态")
    rep.add_argument("--case", help="mediation：调解案件编号")
    rep.add_argument("--account", help="ledger：账户名称（可写一部分）；不写则打印年度汇总")
    rep.add_argument("--vouchers", help="ledger：打印这些记账凭证，如 2026-0007,2026-0012")
    rep.add_argument("--branch", help="dues：党支部名称或代码（默认全部）")
    rep.set_defaults(func=cmd_report)

    mt = with_db(sub.add_parser("meetings", help="列出一年的会议及编号"))
    mt.add_argument("--year", type=int, help="年份（默认今年）")
    mt.set_defaults(func=cmd_meetings)

    sy = sub.add_parser("sync", help="与街道同步：密钥、导出、导入、下发").add_subparsers(dest="sync_cmd", required=True)
    sk = sy.add_parser("key", help="街道密钥").add_subparsers(dest="key_cmd", required=True)
    skn = with_db(sk.add_parser("new", help="街道：生成本街道的密钥（只做一次）"))
    skn.add_argument("--out", required=True, help="密钥文件")
    skn.add_argument("--replace", action="store_true", help="换新密钥（各社区须重新导入）")
    skn.set_defaults(func=cmd_sync)
    skc = with_db(sk.add_parser("copy", help="街道：再存一份密钥文件（给新加入的社区）"))
    skc.add_argument("--out", required=True, help="密钥文件")
    skc.set_defaults(func=cmd_sync)
    sku = with_db(sk.add_parser("use", help="社区：导入街道的密钥"))
    sku.add_argument("file", help="街道发来的密钥文件")
    sku.set_defaults(func=cmd_sync)
    se = with_db(sy.add_parser("export", help="社区：导出数据包给街道"))
    se.add_argument("--out", required=True, help="数据包文件或文件夹（如 U 盘）")
    se.add_argument("--full", action="store_true", help="导出全部数据（默认只导出街道未确认的变化）")
    se.add_argument("--plain", action="store_true", help="不加密（只在安全的介质上使用）")
    se.set_defaults(func=cmd_sync)
    sd = with_db(sy.add_parser("send", help="街道：给社区生成下发包（组织树、参考表、回执）"))
    sd.add_argument("--out", required=True, help="存放下发包的文件夹")
    sd.add_argument("--community", help="只给此社区（组织代码）；默认全部")
    sd.add_argument("--plain", action="store_true", help="不加密")
    sd.set_defaults(func=cmd_sync)
    si = with_db(sy.add_parser("import", help="导入数据包（街道）或下发包（社区）"))
    si.add_argument("file", help="数据包文件")
    si.add_argument("--dry-run", action="store_true", help="只检查并报告将要发生的变化")
    si.set_defaults(func=cmd_sync)

    us = with_db(sub.add_parser("user", help="管理用户账户（管理员）"))
    us.add_argument("action", choices=["list", "add", "reset-password", "unlock", "disable", "enable"])
    us.add_argument("login", nargs="?", help="登录名")
    us.add_argument("--name", help="add：姓名")
    us.add_argument("--role", default="secretary", help="add：admin / secretary / grid / viewer")
    us.add_argument("--grid", nargs="*", help="add：网格员负责的网格（组织代码）")
    us.set_defaults(func=cmd_user)

    au = with_db(sub.add_parser("audit", help="查看操作日志"))
    au.add_argument("--user", dest="login", help="某用户的操作（登录名）")
    au.add_argument("--table", help="数据表，如 member")
    au.add_argument("--action", help="insert / update / delete / reveal / export / login …")
    au.add_argument("--from", dest="date_from", help="起始日期")
    au.add_argument("--to", dest="date_to", help="截止日期")
    au.add_argument("--row", help="某条记录的 ID")
    au.add_argument("--json", action="store_true", help="以 JSON 输出")
    au.add_argument("--limit", type=int, default=50, help="最多显示多少条（默认 50）")
    au.set_defaults(func=cmd_audit)

    st = with_db(sub.add_parser("stats", help="统计：党员、三会一课、服务群众、经费"))
    st.add_argument("--json", action="store_true", help="以 JSON 输出")
    st.add_argument("--year", type=int, help="年份（默认今年）")
    st.set_defaults(func=cmd_stats)

    o = with_db(sub.add_parser("orgs", help="列出组织树"))
    o.set_defaults(func=cmd_orgs)
    return p


def _setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    from desktop_app.settings import log_dir

    handler = RotatingFileHandler(
        log_dir() / "dangqun.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        _setup_logging()
    except OSError:
        pass  # a read-only data folder must not stop the command itself
    try:
        return args.func(args)
    except (CliError, DomainError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"错误：无法读写文件 {exc.filename or ''}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: one line for the user, the trace to the log
        log.exception("unexpected error in %s", args.command)
        print(f"错误：{type(exc).__name__}: {exc}（详情见日志）", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
