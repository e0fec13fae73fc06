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
    return db


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


REPORTS = {
    "roster": _report_roster,
    "signin": _report_signin,
    "meeting": _report_meeting,
    "evaluation": _report_evaluation,
    "visit": _report_visit,
    "wishes": _report_wishes,
    "service": _report_service,
    "mediation": _report_mediation,
}


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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dangqun", description=f"{APP_NAME} {__version__}")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
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

    rep = with_db(sub.add_parser("report", help="生成 PDF 报表"))
    rep.add_argument("kind", help="报表种类：" + "、".join(REPORTS))
    rep.add_argument("--out", required=True, help="输出 PDF 文件")
    rep.add_argument("--all", action="store_true", help="roster：包括转出、去世的党员")
    rep.add_argument("--meeting", help="signin / meeting：会议编号（如 2025-0007）")
    rep.add_argument("--phones", action="store_true", help="signin：显示（遮蔽的）手机号")
    rep.add_argument("--year", type=int, help="按年度的报表：年份（默认今年）")
    rep.add_argument("--org", help="只含此组织（组织 ID）")
    rep.add_argument("--month", type=int, help="service：月份（默认本月）")
    rep.add_argument("--from", dest="date_from", help="visit：起始日期")
    rep.add_argument("--to", dest="date_to", help="visit：截止日期")
    rep.add_argument("--grid", help="visit / wishes / service：网格党支部名称")
    rep.add_argument("--cards", action="store_true", help="wishes：印成张贴用的心愿卡")
    rep.add_argument("--state", choices=["待认领", "已认领", "已实现"], help="wishes：只含此状态")
    rep.add_argument("--case", help="mediation：调解案件编号")
    rep.set_defaults(func=cmd_report)

    mt = with_db(sub.add_parser("meetings", help="列出一年的会议及编号"))
    mt.add_argument("--year", type=int, help="年份（默认今年）")
    mt.set_defaults(func=cmd_meetings)

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
