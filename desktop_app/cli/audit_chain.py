"""dangqun audit verify: check the audit trail's hash chain and name the first broken link."""

from __future__ import annotations

import argparse
import sys

from desktop_app.cli.common import EXIT_OK, open_db

EXIT_BROKEN = 1


def cmd_audit(args: argparse.Namespace) -> int:
    """`audit verify` checks the chain; plain `audit` lists entries as before."""
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
