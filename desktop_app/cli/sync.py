"""Sync with the street office: keys, packages up and down."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, open_db


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop_app.services import sync

    db = open_db(args, must_exist=True)
    if args.sync_cmd == "key":
        if args.key_cmd == "copy":
            info = sync.write_key_file(db, Path(args.out))
            print(f"已另存街道密钥（指纹 {info.fingerprint}）→ {args.out}")
        elif args.key_cmd == "new":
            info = sync.new_key(db, Path(args.out), replace=args.replace)
            print(f"已生成街道密钥（指纹 {info.fingerprint}）→ {args.out}\n请把密钥文件交给各社区，用 dangqun sync key use 导入；妥善保管。")
        else:
            result = sync.use_key(db, Path(args.file))
            print(f"已采用 {result.info.street_org_name}（{result.info.street_org_code}）的密钥，指纹 {result.info.fingerprint}"
                  + ("；与原街道不同，下次导出将包含全部数据" if result.street_changed else ""))
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
    report = sync.import_package(db, Path(args.file), dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return EXIT_OK
