"""Sync with the street office (or the district): keys and enrolment, packages up and down.

What it prints names the database holding the key as it is, 街道 or 区 (services.sync.upper);
the help, written before any database is open, says 街道（或区）.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_BAD_INPUT, EXIT_OK, open_db


def _prompt(new: bool) -> str | None:
    """The key file's passphrase from the terminal (scripts set DANGQUN_SYNC_PASSPHRASE instead)."""
    if not sys.stdin.isatty():
        return None
    value = getpass.getpass("同步私钥口令：")
    if new and getpass.getpass("再输入一次：") != value:
        print("两次输入的口令不一致", file=sys.stderr)
        return None
    return value


def _enrol(db, args: argparse.Namespace) -> None:
    from desktop_app.services import sync

    if args.enrol_cmd == "request":
        r = sync.enrol_request(db, Path(args.out), Path(args.key_out) if args.key_out else None)
        print(f"已写登记申请 → {r.path}\n指纹 {r.fingerprint}：请与{sync.upper(db)}屏幕上显示的指纹核对一致\n"
              f"本社区私钥（受口令保护）→ {r.key_path}")
    elif args.enrol_cmd == "accept":
        req = sync.read_request(db, Path(args.file))
        print(f"{req.org_name}（{req.org_code}）的登记申请，指纹 {req.fingerprint}：请与社区核对")
        e = sync.enrol_accept(db, Path(args.file), Path(args.out), args.street)
        where = f"，所属{e.street_name}" if e.street_name else ""
        print(f"已接受 {e.org_name} 的登记{where} → 回执 {args.out}")
    elif args.enrol_cmd == "finish":
        result = sync.enrol_finish(db, Path(args.file))
        up = result.info.upper
        print(f"已完成向 {result.info.street_org_name}（{result.info.street_org_code}）的登记，"
              f"{up}密钥指纹 {result.info.fingerprint}"
              + (f"；与原{up}不同，下次导出将包含全部数据" if result.street_changed else ""))
    elif args.enrol_cmd == "set-street":
        e = sync.enrol_set_street(db, args.code, args.street)
        print(f"已把 {e.org_name}（{e.org_code}）的所属街道设为 {e.street_name}"
              + ("：它的社区党委已移到该街道之下，下次下发包带给社区" if e.moved else ""))
    else:
        e = sync.enrol_revoke(db, args.code)
        print(f"已作废 {e.org_name}（{e.org_code}）的密钥：它签名的数据包不再接受")


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop_app.services import sync

    sync.set_passphrase_provider(_prompt)
    db = open_db(args, must_exist=True)
    if args.sync_cmd == "key":
        info = sync.new_key(db, Path(args.out), replace=args.replace)
        print(f"已生成{info.upper}密钥（指纹 {info.fingerprint}），私钥 → {args.out}\n"
              "私钥受口令保护，请妥善保管；各社区用 dangqun sync enrol request 登记。")
        return EXIT_OK
    if args.sync_cmd == "enrol":
        _enrol(db, args)
        return EXIT_OK
    if args.sync_cmd == "export":
        r = sync.export_package(db, Path(args.out), full=args.full, plain=args.plain)
        rows = sum(r.counts.values())
        print(f"已导出{'全部数据' if r.full else '变化部分'}：{rows:,} 行，{r.size / 1024:,.0f} KB，"
              f"{'未加密（请妥善保管）' if r.plain else '已加密'} → {r.path}")
        return EXIT_OK
    if args.sync_cmd == "closed-dues":
        return _closed_dues(db, args.apply)
    if args.sync_cmd == "received":
        return _received(db, args.community)
    if args.sync_cmd == "send":
        if args.community is None:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            results = sync.send_all(db, Path(args.out), plain=args.plain)
        else:
            results = [sync.send_package(db, Path(args.out), args.community, plain=args.plain)]
        for r in results:
            print(f"下发包 {sum(r.counts.values()):,} 行，{r.size / 1024:,.0f} KB → {r.path}")
        if getattr(results, "skipped", None):  # a revoked key: the others still got theirs
            print(f"{results.skipped_text()}；请让这些社区重新登记（dangqun sync enrol request）后再生成")
        return EXIT_OK
    files = [Path(f) for f in args.file]
    if len(files) == 1 and not args.dry_run:
        print("\n".join(sync.import_package(db, files[0]).lines()))
        return EXIT_OK
    if args.dry_run:
        return _previews(db, files)
    # Several at once: one merge for them all (a refused one is reported and the others go on). Twenty full
    # packages take minutes: each is named on stderr as it starts, the report stays whole on stdout.
    started: set[int] = set()

    def progress(k: int, n: int, _done: int, _total: int) -> None:
        if k not in started:
            started.add(k)
            print(f"[{k + 1}/{n}] 正在导入 {files[k].name}…", file=sys.stderr, flush=True)

    batch = sync.import_packages(db, files, progress=progress)
    print("\n".join(batch.lines()))
    return EXIT_BAD_INPUT if batch.refused else EXIT_OK  # as a single refused package exits


def _received(db, community: str | None) -> int:
    """At the street: each community's packages taken here, or one community's one by one ("did our package of
    the 3rd come?" answered on the telephone)."""
    from desktop_app.domain.clock import local_text
    from desktop_app.services import sync

    known = sync.communities(db)
    if community is None:
        if not known:
            print("还没有社区登记或报送")
        for c in known:
            last = (f"最近一个生成于 {local_text(c.last_package_at)}，导入于 {local_text(c.last_imported_at)}"
                    if c.last_package_at else "")
            print(f"{c.org_name}（{c.org_code}）：" + "；".join(
                p for p in (f"共导入 {c.packages} 个数据包" if c.packages else "", last, c.note) if p))
        return EXIT_OK
    found = [c for c in known if community in (c.org_code, c.org_name)]
    if not found:
        print(f"没有登记过的社区“{community}”：请用组织代码或社区名称（不带参数运行可列出全部社区）", file=sys.stderr)
        return EXIT_BAD_INPUT
    c = found[0]
    packages = sync.imports(db, limit=10_000, community=c.site_id)
    print(f"{c.org_name}（{c.org_code}）：共导入 {len(packages)} 个数据包" + (f"；{c.note}" if c.note else ""))
    for p in packages:
        print(f"生成于 {local_text(p.created_at)}  导入于 {local_text(p.imported_at)}  "
              f"{'全部数据' if p.full else '变化部分'}  {p.rows:,} 行  {p.file_name}")
    return EXIT_OK


def _closed_dues(db, apply: bool) -> int:
    """党费 changed in months closed on the books: listed; with --apply, put back as the street holds them."""
    from desktop_app.services.sync import closed_dues

    plan = closed_dues.closed_dues(db)
    print("\n".join(plan.lines()))
    if apply and plan.ids:
        print(closed_dues.restore_closed_dues(db, plan.ids).text(plan.upper))
    elif plan.ids:
        print("确认无误后加 --apply 执行恢复")
    return EXIT_OK


def _previews(db, files: list[Path]) -> int:
    """A dry run previews each file on its own, writing nothing: every one is reported, a refused one with why."""
    from desktop_app.domain.sync_rules import PackageRefused
    from desktop_app.services import sync

    refused = 0
    for f in files:
        try:
            print("\n".join(sync.import_package(db, f, dry_run=True).lines()))
        except PackageRefused as exc:
            refused += 1
            print(f"错误：{exc}", file=sys.stderr)
    if refused and len(files) > 1:
        print(f"{len(files)} 个数据包中 {refused} 个不能导入（原因见上）", file=sys.stderr)
    return EXIT_BAD_INPUT if refused else EXIT_OK  # as a single refused package exits


def add_commands(sub, with_db) -> None:
    """`dangqun sync ...`: keys, enrolment and packages; every one of them runs cmd_sync."""

    def command(parent, name: str, help_: str, out: str = "") -> argparse.ArgumentParser:
        p = with_db(parent.add_parser(name, help=help_))
        if out:  # the file or folder it writes
            p.add_argument("--out", required=True, help=out)
        p.set_defaults(func=cmd_sync)
        return p

    sy = sub.add_parser("sync", help="与街道（或区）同步：密钥、导出、导入、下发").add_subparsers(dest="sync_cmd", required=True)
    sk = sy.add_parser("key", help="街道（或区）的同步密钥").add_subparsers(dest="key_cmd", required=True)
    command(sk, "new", "街道（或区）：生成本库的密钥对（只做一次）", out="私钥文件（受口令保护，妥善保管）").add_argument(
        "--replace", action="store_true", help="换新密钥（各社区须重新登记）")
    sen = sy.add_parser("enrol", help="社区向街道（或区）登记自己的密钥").add_subparsers(dest="enrol_cmd", required=True)
    command(sen, "request", "社区：生成密钥并写登记申请", out="登记申请文件（交给街道或区）").add_argument(
        "--key-out", help="本社区私钥文件（默认在数据库旁）")
    sa = command(sen, "accept", "街道（或区）：接受社区的登记申请", out="登记回执文件（交回社区）")
    sa.add_argument("file", help="社区的登记申请")
    sa.add_argument("--street", help="区数据库：社区所属的街道党工委（代码或名称；只管一个街道的账户可省略）")
    command(sen, "finish", "社区：导入街道（或区）的登记回执").add_argument("file", help="街道（或区）的登记回执")
    command(sen, "revoke", "街道（或区）：作废某社区的密钥").add_argument("code", help="社区的组织代码")
    ss = command(sen, "set-street", "区：设置已登记社区所属的街道党工委（已导入的社区党委随即移到该街道之下）")
    ss.add_argument("code", help="社区的组织代码")
    ss.add_argument("--street", required=True, help="所属的街道党工委（代码或名称）")
    se = command(sy, "export", "社区：导出数据包给街道（或区）", out="数据包文件或文件夹（如 U 盘）")
    se.add_argument("--full", action="store_true", help="导出全部数据（默认只导出街道或区未确认的变化）")
    se.add_argument("--plain", action="store_true", help="不加密（只在安全的介质上使用）")
    sd = command(sy, "send", "街道（或区）：给社区生成下发包（组织树、参考表、回执）", out="存放下发包的文件夹")
    sd.add_argument("--community", help="只给此社区（组织代码）；默认全部")
    sd.add_argument("--plain", action="store_true", help="不加密")
    command(sy, "closed-dues", "社区：列出已结账月份里被改动的党费（街道或区因此不接受数据包），"
            "加 --apply 按街道（或区）的记录恢复").add_argument(
        "--apply", action="store_true", help="执行恢复（默认只列出）")
    command(sy, "received", "街道（或区）：各社区报送过的数据包（生成、导入日期），谁久未报送").add_argument(
        "--community", help="只列此社区（组织代码或名称）导入过的每个数据包")
    si = command(sy, "import", "导入数据包（街道或区）或下发包（社区）")
    si.add_argument("file", nargs="+", help="数据包文件（街道或区可一次给多个：一起导入，逐个报告）")
    si.add_argument("--dry-run", action="store_true", help="只检查并报告将要发生的变化")
