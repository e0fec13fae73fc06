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
