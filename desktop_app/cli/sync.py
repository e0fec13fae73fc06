"""Sync with the street office: keys and enrolment, packages up and down."""

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
        print(f"已写登记申请 → {r.path}\n指纹 {r.fingerprint}：请与街道屏幕上显示的指纹核对一致\n"
              f"本社区私钥（受口令保护）→ {r.key_path}")
    elif args.enrol_cmd == "accept":
        req = sync.read_request(db, Path(args.file))
        print(f"{req.org_name}（{req.org_code}）的登记申请，指纹 {req.fingerprint}：请与社区核对")
        e = sync.enrol_accept(db, Path(args.file), Path(args.out))
        print(f"已接受 {e.org_name} 的登记 → 回执 {args.out}")
    elif args.enrol_cmd == "finish":
        result = sync.enrol_finish(db, Path(args.file))
        print(f"已完成向 {result.info.street_org_name}（{result.info.street_org_code}）的登记，"
              f"街道密钥指纹 {result.info.fingerprint}"
              + ("；与原街道不同，下次导出将包含全部数据" if result.street_changed else ""))
    else:
        e = sync.enrol_revoke(db, args.code)
        print(f"已作废 {e.org_name}（{e.org_code}）的密钥：它签名的数据包不再接受")


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop_app.services import sync

    sync.set_passphrase_provider(_prompt)
    db = open_db(args, must_exist=True)
    if args.sync_cmd == "key":
        info = sync.new_key(db, Path(args.out), replace=args.replace)
        print(f"已生成街道密钥（指纹 {info.fingerprint}），私钥 → {args.out}\n"
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
    if args.sync_cmd == "send":
        if args.community is None:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            results = sync.send_all(db, Path(args.out), plain=args.plain)
        else:
            results = [sync.send_package(db, Path(args.out), args.community, plain=args.plain)]
        for r in results:
            print(f"下发包 {sum(r.counts.values()):,} 行，{r.size / 1024:,.0f} KB → {r.path}")
        return EXIT_OK
    files = [Path(f) for f in args.file]
    if len(files) == 1 or args.dry_run:
        for f in files:  # a dry run previews each on its own: nothing is written
            print("\n".join(sync.import_package(db, f, dry_run=args.dry_run).lines()))
        return EXIT_OK
    # Several at once: one merge for them all (a refused one is reported and the others go on).
    batch = sync.import_packages(db, files)
    print("\n".join(batch.lines()))
    return EXIT_BAD_INPUT if batch.refused else EXIT_OK  # as a single refused package exits
