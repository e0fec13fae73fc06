"""`dangqun orgs`: the organisation tree as the 党组织 page keeps it, for a scripted set-up.

A district's IT person makes its streets (and moves communities under them) before
`dangqun user add --org 街道代码` can confine an operator to one. Each command is one
service call (services.orgs): the role, the audit trail and the unit of work are the services'.
"""

from __future__ import annotations

import argparse
import json
import sys

from desktop_app.cli.common import EXIT_OK, CliError, json_flag, open_db
from desktop_app.domain.errors import DomainError

KINDS_HELP = "区委、街道党工委、社区党委、党支部、党小组"


def add_commands(sub, with_db) -> None:
    """`dangqun orgs` (the tree, as before) and its list / add / rename / move / delete."""
    o = with_db(sub.add_parser("orgs", help="组织树：列出、新增、改名、移动、删除党组织"))
    json_flag(o)
    o.set_defaults(func=cmd_list)
    os_ = o.add_subparsers(dest="orgs_command")

    def cmd(name: str, help_: str, func) -> argparse.ArgumentParser:
        sp = os_.add_parser(name, help=help_)
        for flag in ("--db", "--db-url"):  # given before or after the word; a default here would hide the former
            sp.add_argument(flag, default=argparse.SUPPRESS, help="同 dangqun orgs 的 " + flag)
        sp.set_defaults(func=func)
        return sp

    ls = cmd("list", "列出组织树：名称、类型、组织代码、党员人数", cmd_list)
    json_flag(ls)
    ad = cmd("add", "新增党组织（区级数据库：街道党工委不写 --parent，建在区委之下，没有区委时在最上层）", cmd_add)
    ad.add_argument("--name", required=True, help="名称，如 梅园街道党工委")
    ad.add_argument("--code", required=True, help="组织代码：字母、数字、下划线、短横线，最长 32 位")
    ad.add_argument("--kind", required=True, help=f"类型：{KINDS_HELP}")
    ad.add_argument("--parent", help="上级组织：组织代码或名称（不写：建在最上层，只限区委、街道党工委、社区党委）")
    rn = cmd("rename", "修改党组织的名称（及组织代码）", cmd_rename)
    rn.add_argument("code", help="组织代码")
    rn.add_argument("--name", required=True, help="新名称")
    rn.add_argument("--code", dest="new_code", help="新组织代码（不写则不变）")
    mv = cmd("move", "把党组织移到另一个上级组织之下（如把社区移到它的街道之下），或移到组织树最上层", cmd_move)
    mv.add_argument("code", help="组织代码")
    to = mv.add_mutually_exclusive_group(required=True)
    to.add_argument("--to", help="新的上级组织：组织代码或名称")
    to.add_argument("--top", action="store_true", help="移到组织树最上层（只限区委、街道党工委、社区党委）")
    de = cmd("delete", "删除党组织（须已无下级组织、党员和居民记录；先确认，--yes 不再询问）", cmd_delete)
    de.add_argument("code", help="组织代码")
    de.add_argument("--yes", action="store_true", help="不询问，直接删除")


def cmd_list(args: argparse.Namespace) -> int:
    from desktop_app.services import orgs

    nodes = orgs.list_tree(open_db(args))  # parents before children
    if not getattr(args, "json", False):
        _print_tree(nodes)
        return EXIT_OK
    codes = {n.id: n.code for n in nodes}
    level: dict[str, int] = {}
    rows = []
    for n in nodes:
        level[n.id] = level[n.parent_id] + 1 if n.parent_id in level else 0
        rows.append({"code": n.code, "name": n.name, "kind": n.kind, "kind_label": n.kind_label,
                     "parent_code": codes.get(n.parent_id or ""), "depth": level[n.id], "members": n.member_count})
    print(json.dumps(rows, ensure_ascii=False, indent=1))
    return EXIT_OK


def _print_tree(nodes) -> None:
    """The lines `dangqun orgs` has always printed: one organisation a line, indented under its parent."""
    depth: dict[str | None, int] = {None: -1}
    for n in nodes:
        depth[n.id] = depth.get(n.parent_id, -1) + 1
        print(f"{'  ' * depth[n.id]}{n.name}  [{n.kind_label} {n.code}]  党员 {n.member_count}")


def _kind(text: str) -> str:
    from desktop_app.domain.orgs import kind_from_label

    try:
        return kind_from_label(text.strip()).value
    except DomainError:
        raise CliError(f"--kind：没有“{text}”这种组织类型，请写 {KINDS_HELP} 之一") from None


def _org(db, text: str, flag: str):
    """The organisation a code (or, for a parent, a name) names; the refusal says which argument."""
    from desktop_app.services import orgs

    try:
        return orgs.find(db, text, flag)
    except DomainError as exc:
        raise CliError(str(exc)) from None


def _refused(what: str, exc: DomainError) -> CliError:
    said = str(exc)  # the scope's refusal already says nothing was changed
    return CliError(f"{what}未完成：{said}" + ("" if "改动" in said else "（没有改动任何数据）"))


def cmd_add(args: argparse.Namespace) -> int:
    from desktop_app.services import orgs

    kind = _kind(args.kind)
    db = open_db(args)
    parent = _org(db, args.parent, "--parent") if args.parent else None
    try:
        node = orgs.create(db, args.name, args.code, kind, parent.id if parent else None)
    except DomainError as exc:
        raise _refused(f"新增组织“{args.code}”", exc) from None
    if parent is None and node.parent_id:  # a district's street goes under its 区委
        parent = orgs.get(db, node.parent_id)
    where = f"，上级：{parent.name}（{parent.code}）" if parent else "，在组织树最上层"
    print(f"已新增 {node.name}（{node.kind_label}，组织代码 {node.code}）{where}")
    return EXIT_OK


def cmd_rename(args: argparse.Namespace) -> int:
    from desktop_app.services import orgs

    db = open_db(args)
    org = _org(db, args.code, "组织代码")
    try:
        node = orgs.rename(db, org.id, args.name, args.new_code)
    except DomainError as exc:
        raise _refused(f"修改组织“{org.code}”", exc) from None
    code = f"，组织代码 {org.code} → {node.code}" if node.code != org.code else ""
    print(f"已修改：{org.name} → {node.name}{code}")
    return EXIT_OK


def cmd_move(args: argparse.Namespace) -> int:
    from desktop_app.services import orgs

    db = open_db(args)
    org = _org(db, args.code, "组织代码")
    parent = None if args.top else _org(db, args.to, "--to")
    try:
        orgs.move(db, org.id, parent.id if parent else None)
    except DomainError as exc:
        raise _refused(f"移动组织“{org.code}”", exc) from None
    where = f"{parent.name}（{parent.code}）之下" if parent else "组织树最上层"
    print(f"已把 {org.name}（{org.code}）移到 {where}")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from desktop_app.services import orgs

    db = open_db(args)
    org = _org(db, args.code, "组织代码")
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise CliError(f"删除 {org.name}（{org.code}）须确认：在终端中运行，或加 --yes")
        answer = input(f"删除 {org.name}（{org.kind_label}，组织代码 {org.code}）？输入 y 确认：")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("已取消，没有删除")
            return EXIT_OK
    try:
        orgs.delete(db, org.id)
    except DomainError as exc:
        raise _refused(f"删除组织“{org.code}”", exc) from None
    print(f"已删除 {org.name}（{org.code}）")
    return EXIT_OK
