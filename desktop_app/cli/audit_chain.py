"""dangqun audit verify | revert: check the trail's hash chain (naming the first broken link), or revert a change."""

from __future__ import annotations

import argparse
import sys

from desktop_app.cli.common import EXIT_OK, open_db

EXIT_BROKEN = 1


def cmd_audit(args: argparse.Namespace) -> int:
    """`audit verify` checks the chain; `audit revert` puts a change back; plain `audit` lists entries."""
    if getattr(args, "verb", None) == "revert":
        return cmd_revert(args)
    if getattr(args, "verb", None) != "verify":
        from desktop_app.cli import users

        return users.cmd_audit(args)
    from desktop_app.services import audit_chain

    broken = audit_chain.verify(open_db(args, must_exist=True))
    if not broken:
        print("操作日志的哈希链完整：没有记录被改动、删除或插入")
        return EXIT_OK
    for b in broken:
        print(f"{b.site_name}：第一处断链在记录 {b.entry_id}：{b.problem}", file=sys.stderr)
    return EXIT_BROKEN


def cmd_revert(args: argparse.Namespace) -> int:
    """`audit revert ENTRY` or `audit revert --batch ID`: restore what the trail says was there (administrators)."""
    from desktop_app.cli.common import CliError
    from desktop_app.services import revert

    if bool(args.entry) == bool(args.batch):
        raise CliError("请给出一条操作记录的编号，或用 --batch 给出导入批次、数据包的编号（二者选一）")
    db = open_db(args, must_exist=True)
    if args.batch:
        out = revert.revert_batch(db, args.batch, dry_run=args.dry_run)
    else:
        out = (revert.check_entry if args.dry_run else revert.revert_entry)(db, args.entry)
    for item in out.items:
        print(f"{item.what}（{item.row_id}）：{'；'.join(item.lines())}")
    print(out.summary() + ("（已记入操作日志）" if out.done else "（只检查，未写入）"))
    return EXIT_OK
