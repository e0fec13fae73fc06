"""`dangqun find TEXT`: 查找 on the command line, the hits the window's Ctrl+K lists, masked the same way."""

from __future__ import annotations

import argparse
import json

from desktop_app.cli.common import EXIT_OK, CliError, json_flag, open_db


def add_commands(sub, with_db) -> None:
    f = with_db(sub.add_parser("find", help="查找：按姓名、拼音首字母、身份证号或电话后四位找党员、居民、党组织和相关记录"))
    f.add_argument("text", nargs="+", help="要找的字词（几个词须都符合）：姓名、拼音首字母、身份证号或电话后四位，党组织或共建单位名称")
    f.add_argument("--limit", type=int, default=8, help="每类最多列出几条（默认 8）")
    json_flag(f)
    f.set_defaults(func=cmd_find)


def cmd_find(args: argparse.Namespace) -> int:
    from desktop_app.services import find

    text = " ".join(args.text).strip()
    if not text:
        raise CliError("请写出要找的姓名、拼音首字母或号码")
    if args.limit < 1:
        raise CliError("--limit 应为正整数")
    found = find.find(open_db(args), text, limit_per_kind=args.limit)
    if args.json:
        print(json.dumps({"text": found.text, "groups": [
            {"kind": g.kind, "more": g.more,
             "hits": [{"title": h.title, "context": h.context, "page": h.page, "id": h.id} for h in g.hits]}
            for g in found.groups]}, ensure_ascii=False, indent=1))
        return EXIT_OK
    if found.empty:
        print(f"没有找到“{found.text}”")
        return EXIT_OK
    for g in found.groups:
        print(f"{g.kind}（{len(g.hits)}{'，还有更多' if g.more else ''}）")
        for h in g.hits:
            print(f"  {h.title}　{h.context}" if h.context else f"  {h.title}")
    return EXIT_OK
