"""The `dangqun` command: a thin shell over the services, like the GUI.

Every command exits 0 on success; bad input prints one clear line and exits 2,
never a traceback, and changes nothing. A save that went through but whose file kept
another name (…（待改名）…) says 已保存 first and exits 3. One module per feature holds its
commands; this one holds the parser, so the whole command line reads in one place.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from desktop_app import APP_NAME, __version__
from desktop_app.domain.text import TerminalSafeWriter
from desktop_app.cli import site
from desktop_app.cli.argparse_zh import VERSION, ArgumentParser
from desktop_app.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_SAVED_NOT_PLACED, CliError, json_flag, open_db
from desktop_app.domain.errors import DomainError, SavedButNotPlaced

log = logging.getLogger(__name__)


def _reports() -> dict:
    """Each report's name and what renders it (the command modules are imported here, not for `gui`)."""
    from desktop_app.cli import assessment, cadence, cobuilding, development, ledger, meetings, overview, residents, roster

    return {
        "roster": roster.report_roster,
        "signin": meetings.report_signin,
        "meeting": meetings.report_meeting,
        "evaluation": meetings.report_evaluation,
        "evaluation-ballot": meetings.report_evaluation_ballot,
        "evaluation-tally": meetings.report_evaluation_tally,
        "visit": residents.report_visit,
        "wishes": residents.report_wishes,
        "service": residents.report_service,
        "mediation": residents.report_mediation,
        "ledger": ledger.report_ledger,
        "dues": ledger.report_dues,
        "assessment": assessment.report_assessment,
        "comparison": assessment.report_comparison,
        "cobuilding": cobuilding.report_cobuilding,
        "activity-signin": cobuilding.report_activity_signin,
        "reporting": cobuilding.report_reporting,
        "contacts": cobuilding.report_contacts,
        "cobuilding-lists": cobuilding.report_lists,
        "compliance": cadence.report_compliance,
        "development": development.report_development,
        "annual": overview.report_annual,
    }


_ORG_REPORTS = ("signin", "evaluation", "compliance", "ledger")  # the reports that read --org


def cmd_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"输出文件应以 .pdf 结尾：{out}")
    db = open_db(args)
    reports = _reports()
    render = reports.get(args.kind)
    if render is None:
        raise CliError(f"未知的报表：{args.kind}（可用：{'、'.join(reports)}）")
    if getattr(args, "org", None) and args.kind not in _ORG_REPORTS:
        # said, not ignored: a report printed for everyone when one organisation was asked for misleads
        raise CliError(f"--org 只用于 {'、'.join(_ORG_REPORTS)} 报表；{args.kind} 报表请用它自己的选项（见 dangqun report --help）")
    if getattr(args, "month", None) is not None and args.kind != "service":
        # the same: a year's 共建 register handed in as a month's misleads
        raise CliError(f"--month 只用于 service 报表；{args.kind} 报表按年度打印，请用 --year")
    summary = render(db, args, out)
    print(f"已生成 {out}" + (f"：{summary}" if summary else ""))
    return EXIT_OK


def with_db(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sp.add_argument("--db", help="数据库文件（默认在用户数据目录）或数据库服务器地址")
    sp.add_argument("--db-url", help="数据库服务器地址，如 postgresql://用户@主机/库?sslmode=require（区级；也可设 DANGQUN_DB_URL）")
    return sp


def _gui_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """The program's options and its `gui` command, which every other command's parser extends."""
    p = ArgumentParser(prog="dangqun", description=f"{APP_NAME} {__version__}")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help=VERSION)
    p.add_argument("--user", help="以此账户身份操作（密码在终端输入或取自 DANGQUN_PASSWORD）")
    sub = p.add_subparsers(dest="command")
    g = with_db(sub.add_parser("gui", help="启动图形界面"))
    g.add_argument("--demo", action="store_true", help="空数据库时填入演示数据")
    g.set_defaults(func=site.cmd_gui)
    return p, sub


def build_parser() -> argparse.ArgumentParser:
    from desktop_app.cli import (  # every command's module: services, SQLAlchemy, reports
        assessment, audit_chain, cobuilding, development, imports, ledger, meetings, memberlife, plan_batch, planned,
        roster, sync, users,
    )

    p, sub = _gui_parser()

    i = with_db(sub.add_parser("init", help="新建数据库并设置所属单位"))
    i.add_argument("--org-code", required=True, help="组织代码")
    i.add_argument("--org-name", required=True, help="组织名称，如 幸福里社区党委")
    i.add_argument("--level", choices=["community", "street", "district"], default="community",
                   help="community：社区党委（默认）；street：街道党工委；district：区委（其下再建各街道党工委）")
    i.add_argument("--street", help="所属街道党工委名称（社区可填）")
    i.set_defaults(func=site.cmd_init)

    d = with_db(sub.add_parser("demo", help="在空数据库中生成演示数据"))
    d.add_argument("--members", type=int, default=300, help="党员人数（默认 300）")
    d.add_argument("--seed", type=int, default=1, help="随机种子：不同种子生成不同社区")
    d.set_defaults(func=site.cmd_demo)

    from desktop_app.cli import dbfile

    b = with_db(sub.add_parser("backup", help="备份数据库（管理员、书记/委员；默认放入备份文件夹）"))
    b.add_argument("--out", help="备份到此文件，或此文件夹（如U盘 E:\\，其中生成带日期的备份文件）")
    b.set_defaults(func=dbfile.cmd_backup)

    dbc = with_db(sub.add_parser("db", help="数据库文件加密（SQLCipher）或解密（管理员）"))
    dbc.add_argument("action", choices=["encrypt", "decrypt"], help="encrypt：就地加密；decrypt：解密")
    dbc.add_argument("--out", help="decrypt：写出未加密的副本到此文件（数据库本身保持加密）")
    dbc.add_argument("--sheet", help="encrypt：同时生成数据库密钥恢复单 PDF（打印后锁进保险柜）")
    dbc.set_defaults(func=dbfile.cmd_db)

    r = with_db(sub.add_parser("restore", help="用备份文件恢复数据库（管理员；当前数据先另存）"))
    r.add_argument("file", help="备份文件（加密的备份：密钥取自 DANGQUN_BACKUP_KEY 或在终端输入）")
    r.set_defaults(func=dbfile.cmd_restore)

    imp = sub.add_parser("import", help="导入数据").add_subparsers(dest="what", required=True)
    im = with_db(imp.add_parser("members", help="从 CSV/XLSX 导入党员"))
    im.add_argument("file", help="党员信息文件（.xlsx、.xls、.ods 或 .csv）")
    im.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    im.add_argument("--skip-invalid", action="store_true", help="跳过有误的行，只导入正确的行")
    im.add_argument("--update-existing", action="store_true", help="按身份证号更新已有党员")
    im.add_argument("--all-sheets", action="store_true",
                    help="读取工作簿中每张党员名册工作表（一支部一张表时），一次预览、一次全部导入或全不导入")
    imports.add_mapping_options(im).set_defaults(func=imports.cmd_import_members)
    imports.add_history_parsers(imp, with_db)

    ia = with_db(imp.add_parser("attendance", help="从 Excel/WPS 表格或 CSV 导入会议出勤"))
    ia.add_argument("file", help="出勤文件（.xlsx、.xls、.ods 或 .csv）：会议编号, 姓名/公民身份号码, 出勤情况, 请假原因")
    ia.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    ia.add_argument("--skip-invalid", action="store_true", help="跳过有误的行")
    ia.set_defaults(func=meetings.cmd_import_attendance)
    isc = with_db(imp.add_parser("signin-scan", help="读取签字后的签到表扫描件或照片，登记出勤"))
    isc.add_argument("file", help="扫描件：PDF（可多页、多次会议）或 JPEG/PNG/TIFF 照片")
    isc.add_argument("--dry-run", action="store_true", help="只读取并列出，不写入")
    meetings.add_scan_options(isc)
    json_flag(isc, "以 JSON 输出读取结果")
    isc.set_defaults(func=meetings.cmd_import_signin_scan)

    exp = sub.add_parser("export", help="导出数据").add_subparsers(dest="what", required=True)
    em = with_db(exp.add_parser("members", help="导出党员名册为 CSV/XLSX"))
    em.add_argument("--out", required=True, help="输出文件（.csv 或 .xlsx）")
    em.add_argument("--all", action="store_true", help="导出全部党员（含转出、去世等，附“状态”列）；默认只导出在册党员")
    em.set_defaults(func=roster.cmd_export_members)

    el = with_db(exp.add_parser("ledger", help="导出经费收支明细为 XLSX"))
    el.add_argument("--out", required=True, help="输出文件（.xlsx）")
    el.add_argument("--account", help="账户名称（可写一部分；默认全部账户）")
    el.add_argument("--from", dest="date_from", help="起始日期")
    el.add_argument("--to", dest="date_to", help="截止日期")
    el.set_defaults(func=ledger.cmd_export_ledger)

    ledger.add_commands(sub, with_db)

    rep = with_db(sub.add_parser("report", help="生成 PDF 报表"))
    rep.add_argument("kind", help="报表种类：" + "、".join(_reports()))
    rep.add_argument("--out", required=True, help="输出 PDF 文件")
    rep.add_argument("--all", action="store_true", help="roster：也列出已离开的（转出、去世、出党），另计人数")
    rep.add_argument("--meeting", action="append", help="signin / meeting：会议编号（如 2025-0007）；signin 可写多个：逗号分隔或重复 --meeting")
    rep.add_argument("--phones", action="store_true", help="signin：显示（遮蔽的）手机号")
    rep.add_argument("--year", type=int, help="按年度的报表：年份（默认今年，一月里默认上一年；"
                     "assessment、comparison、evaluation 三月底前默认上一年）")
    rep.add_argument("--org", help="signin、evaluation、compliance：只含此组织（组织代码，见 dangqun orgs）；"
                     "ledger：街道打印此社区（同步上来的）经费年度汇总")
    rep.add_argument("--month", type=int, help="service：月份（默认本月）")
    rep.add_argument("--from", dest="date_from", help="visit / ledger：起始日期")
    rep.add_argument("--to", dest="date_to", help="visit / ledger：截止日期")
    rep.add_argument("--grid", help="visit / wishes / service：网格党支部名称")
    rep.add_argument("--cards", action="store_true", help="wishes：印成张贴用的心愿卡")
    rep.add_argument("--no-photos", dest="photos", action="store_false",
                     help="annual：不附“活动照片”（共建活动、微心愿存的照片；默认附上）")
    rep.add_argument("--state", choices=["待认领", "已认领", "已实现"], help="wishes：只含此状态")
    rep.add_argument("--case", help="mediation：调解案件编号")
    rep.add_argument("--agreement", action="store_true", help="mediation：打印人民调解协议书（调解成功的案件）")
    rep.add_argument("--whole-phones", action="store_true",
                     help="mediation --agreement：当事人联系电话印完整号码（记入操作记录）")
    rep.add_argument("--account", help="ledger：账户名称（可写一部分）；不写则打印年度汇总")
    rep.add_argument("--vouchers", help="ledger：打印这些记账凭证，如 2026-0007,2026-0012")
    rep.add_argument("--branch", help="dues：党支部名称或代码（默认全部）；evaluation-ballot / evaluation-tally：党支部（必填）")
    rep.add_argument("--copies", type=int, help="evaluation-ballot：测评票份数（默认每名参评党员一份）")
    rep.add_argument("--units", action="store_true", help="cobuilding：打印共建单位名册")
    rep.add_argument("--activities", action="store_true", help="cobuilding：打印共建活动登记册")
    rep.add_argument("--street", action="store_true", help="cobuilding：街道按社区汇总（同步上来的数据）")
    rep.add_argument("--activity", help="activity-signin：共建活动名称（可在前面加日期，如 \"2026-05-04 义诊\"）")
    rep.add_argument("--feedback", action="store_true", help="reporting：打印给各单位党组织的反馈表")
    rep.add_argument("--employer", help="reporting --feedback：只打印此工作单位的反馈表")
    rep.add_argument("--lists", help="cobuilding-lists：打印哪几张清单，如 需求,项目（默认 需求,资源,项目 三张）")
    rep.add_argument("--open", action="store_true", help="cobuilding-lists：不含已解决的需求和已完成的项目")
    rep.add_argument("--search", help="cobuilding-lists：只含标题或说明含这些词的条目（同三单页面的搜索）")
    rep.add_argument("--xlsx", help="compliance：同时导出三会一课落实情况表 XLSX 文件")
    rep.set_defaults(func=cmd_report)

    cbp = with_db(sub.add_parser("cobuilding", help="共驻共建：列出问需服务或单位报到"))
    cbp.add_argument("what", choices=["inquiries", "unit-reports"], help="inquiries：问需服务；unit-reports：单位报到")
    cbp.add_argument("--year", type=int, help="年份（默认今年）")
    cbp.add_argument("--state", choices=["待办理", "已转需求", "已办结", "无需求"], help="inquiries：只列此状态")
    json_flag(cbp)
    cbp.set_defaults(func=cobuilding.cmd_cobuilding)

    asp = with_db(sub.add_parser("assessment", help="列出一年的五好党支部考评得分和排名"))
    asp.add_argument("--year", type=int, help="年份（默认今年，三月底前默认上一年）")
    asp.add_argument("--sample", action="store_true", help="本年度没有考评方案时载入示例方案")
    asp.set_defaults(func=assessment.cmd_assessment)

    mem = sub.add_parser("members", help="党员：发展党员培养进度、出党与处分、流动与失联、调动")
    mem_sub = mem.add_subparsers(dest="members_command", required=True)
    pl = with_db(mem_sub.add_parser("pipeline", help="列出正在培养的入党申请人、积极分子、发展对象和预备党员"))
    pl.add_argument("--branch", help="只列此党支部（名称或代码）")
    pl.add_argument("--all", action="store_true", help="包括已转正、取消资格和停止培养的人员")
    json_flag(pl)
    pl.set_defaults(func=development.cmd_pipeline)
    memberlife.add_commands(mem_sub, with_db)

    mt = with_db(sub.add_parser("meetings", help="列出一年的会议及编号"))
    mt.add_argument("--year", type=int, help="年份（默认今年）")
    mt.set_defaults(func=meetings.cmd_meetings)
    mt_sub = mt.add_subparsers(dest="meetings_cmd")
    mtt = mt_sub.add_parser("topics", help="列出一次会议的议题与表决结果")
    mtt.add_argument("number", help="会议编号（或 id）")
    json_flag(mtt)
    for flag in ("--db", "--db-url"):  # given before or after `topics`; a default here would hide the former
        mtt.add_argument(flag, default=argparse.SUPPRESS, help="同上")
    mtt.set_defaults(func=meetings.cmd_topics)
    planned.add_commands(mt_sub)
    plan_batch.add_commands(mt_sub)

    sync.add_commands(sub, with_db)

    us = with_db(sub.add_parser("user", help="管理用户账户（管理员）"))
    us.add_argument("action", choices=["list", "add", "reset-password", "unlock", "disable", "enable", "passwd"],
                    help="list：列出账户；add：新增；reset-password：重设密码；unlock：解锁；"
                         "disable / enable：停用 / 启用；passwd：修改自己的密码")
    us.add_argument("login", nargs="?", help="登录名")
    us.add_argument("--name", help="add：姓名")
    us.add_argument("--role", default="secretary", help="add：角色，管理员 / 书记 / 网格员 / 只读（也可写 admin / secretary / grid / viewer；默认 书记）")
    us.add_argument("--grid", nargs="*", help="add：网格员负责的网格（组织代码）")
    us.add_argument("--org", help="add：只管这个街道或社区（组织代码；区级数据库里的街道操作员）")
    us.set_defaults(func=users.cmd_user)

    au = with_db(sub.add_parser("audit", help="查看操作日志"))
    au.add_argument("--user", dest="login", help="某用户的操作（登录名）")
    au.add_argument("--table", help="数据表，如 member")
    au.add_argument("--action", help="insert / update / delete / reveal / export / login …")
    au.add_argument("--from", dest="date_from", help="起始日期")
    au.add_argument("--to", dest="date_to", help="截止日期")
    au.add_argument("--row", help="某条记录的全部操作：记录编号（操作记录详情中的“记录编号”，可只填前 8 位）或党员、居民的身份证号")
    json_flag(au)
    au.add_argument("--xlsx", metavar="FILE",
                    help="把符合条件的全部记录导出为 Excel 文件（另有“说明”表：筛选条件、导出人、哈希链检查）；导出本身也记入操作记录")
    au.add_argument("--limit", type=int, default=50, help="最多显示多少条（默认 50；--xlsx 导出全部）")
    au.add_argument("verb", nargs="?", choices=["verify", "revert"],
                    help="verify：检查操作日志的哈希链，指出第一处断链；revert 编号：撤销这条记录的更改（管理员）")
    au.add_argument("entry", nargs="?", help="revert：操作记录编号（列表第一列，至少 8 位）")
    au.add_argument("--batch", help="某个导入批次或数据包的记录（编号见操作记录的说明）；与 revert 一起：撤销整批更改，导入新增的党员、会议、居民、发展对象、走访记录一并删除，经费账目以红字冲销")
    au.add_argument("--dry-run", action="store_true", help="revert：只检查并列出将恢复的内容，不写入")
    au.set_defaults(func=audit_chain.cmd_audit)

    st = with_db(sub.add_parser("stats", help="统计：党员、三会一课、服务群众、经费"))
    json_flag(st)
    st.add_argument("--year", type=int, help="年份（默认今年）")
    st.set_defaults(func=site.cmd_stats)

    from desktop_app.cli import find, orgs

    orgs.add_commands(sub, with_db)
    find.add_commands(sub, with_db)  # 查找, as the window's Ctrl+K
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


def _newest_good_backup(args: argparse.Namespace, exc: Exception) -> str:
    """For damage met in the middle of a command (the command line skips the start-up check): which backup to use."""
    if getattr(exc, "kind", None) != "corrupt":
        return ""
    from desktop_app.cli.common import db_path, db_url
    from desktop_app.services import backup

    if db_url(args):
        return ""
    try:
        good = backup.newest_good(db_path(args).stem)
    except (OSError, DomainError):  # the refusal itself must still be printed
        return ""
    return (f"\n最新的完好备份是 {good.path}（{good.taken_at:%Y-%m-%d %H:%M}），可运行 dangqun restore {good.path} 恢复"
            if good else "")


def main(argv: list[str] | None = None) -> int:
    sys.stdout, sys.stderr = TerminalSafeWriter.wrap(sys.stdout), TerminalSafeWriter.wrap(sys.stderr)
    words = sys.argv[1:] if argv is None else argv
    # the window (the default command) needs none of the other commands' modules: its frame paints before
    # SQLAlchemy and the services load, behind it (~0.4 s of CPU before the frame when they came first);
    # options may come before the word (`dangqun --db X gui`)
    gui_parser = _gui_parser()[0]
    at, _, command_options = gui_parser.leading_options(words)
    if words and at == len(words) and command_options:
        # `dangqun --db X`: a command's options with no command; starting the window on them would guess
        gui_parser.print_usage(sys.stderr)
        print("dangqun：错误：请在选项后写出命令，如 dangqun --db 数据库文件 gui；dangqun -h 列出全部命令",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    parser = gui_parser if not words or words[at:at + 1] == ["gui"] else build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        _setup_logging()
    except OSError:
        pass  # a read-only data folder must not stop the command itself
    try:
        return args.func(args)
    except SavedButNotPlaced as exc:
        print(f"已保存，文件待改名：{exc}", file=sys.stderr)
        return EXIT_SAVED_NOT_PLACED
    except (CliError, DomainError) as exc:
        print(f"错误：{exc}{_newest_good_backup(args, exc)}", file=sys.stderr)
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

