"""Accounts and the audit trail."""

from __future__ import annotations

import argparse

from desktop_app.cli.common import EXIT_OK, CliError, date_arg, new_password, open_db, password


ROLE_NAMES = {"admin": "管理员", "secretary": "书记/委员", "grid": "网格员", "viewer": "只读"}


def cmd_user(args: argparse.Namespace) -> int:
    from desktop_app.domain import access
    from desktop_app.services import auth

    db = open_db(args)
    if args.action == "list":
        for u in auth.list_users(db):
            from datetime import datetime, timezone

            now = datetime.now(timezone.utc).replace(tzinfo=None)
            locked = u.locked_until is not None and u.locked_until > now
            # until when, as the log-in refusal says it: whether to unlock now or let the user wait
            until = f"（至 {u.locked_until.replace(tzinfo=timezone.utc).astimezone():%H:%M}）" if locked else ""
            state = "停用" if not u.active else (f"已锁定{until}" if locked else "正常")
            grids = "、".join(u.grid_names)
            print(f"{u.login}  {u.display_name}  {access.ROLE_LABELS[access.role_of(u.role)]}  {state}"
                  + (f"  网格：{grids}" if grids else "") + (f"  只管：{u.org_name}" if u.org_id else ""))
        return EXIT_OK
    if args.action == "passwd":
        if not getattr(args, "user", None):
            raise CliError("修改自己的密码：dangqun --user 登录名 user passwd")
        auth.change_password(db, password("原密码：", "DANGQUN_PASSWORD"), new_password())
        print(f"已修改 {args.user} 的密码")
        return EXIT_OK
    if not args.login:
        raise CliError("请给出登录名")
    if args.action == "add":
        grid_ids = []
        by_code: dict[str, str] = {}
        if args.grid or args.org:
            from desktop_app.services import orgs

            by_code = {n.code: n.id for n in orgs.list_tree(db)}
        for code in args.grid or ():
            if code not in by_code:
                raise CliError(f"--grid：找不到组织代码“{code}”")
            grid_ids.append(by_code[code])
        if args.org and args.org not in by_code:
            raise CliError(f"--org：找不到组织代码“{args.org}”")
        role = ROLE_NAMES.get(args.role, args.role)
        if role == ROLE_NAMES["grid"] and not grid_ids:
            # Said before the password is asked twice, and in the command line's own terms.
            raise CliError("网格员至少要负责一个网格：用 --grid 组织代码 给出（可写多个；组织代码见 dangqun orgs）")
        info = auth.create_user(db, args.login, args.name or args.login, role, new_password(), grid_ids,
                                org_id=by_code.get(args.org or "", ""))
        print(f"已添加用户 {info.login}（{info.display_name}），首次登录须修改密码")
        return EXIT_OK
    user = auth.find_user(db, args.login)
    if args.action == "reset-password":
        auth.reset_password(db, user.id, new_password())
        print(f"已重设 {user.login} 的密码，下次登录须修改")
    elif args.action == "unlock":
        auth.unlock_user(db, user.id)
        print(f"已解锁 {user.login}")
    elif args.action in ("disable", "enable"):
        auth.set_active(db, user.id, args.action == "enable")
        print(f"已{'启用' if args.action == 'enable' else '停用'} {user.login}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    import json

    from desktop_app.services import audit_log, auth

    db = open_db(args)
    user_id = auth.find_user(db, args.login).id if args.login else None
    flt = audit_log.AuditFilter(
        user_id=user_id, table=args.table, action=args.action,
        date_from=date_arg(args.date_from, "--from"), date_to=date_arg(args.date_to, "--to"),
        row_id=args.row, text=getattr(args, "batch", None) or "",  # a batch id is named in its entries' notes
    )
    if getattr(args, "xlsx", None):
        from desktop_app.services import audit_export

        done = audit_export.export_xlsx(db, flt, args.xlsx)
        print(f"已导出操作记录 {done.rows} 条 → {done.path}")
        print(f"哈希链检查：{done.chain_text}")
        return EXIT_OK
    page = audit_log.search(db, flt, page_size=args.limit)
    if args.json:
        print(json.dumps([
            {"id": r.id, "at": r.at.isoformat(sep=" ", timespec="seconds"), "user": r.user_name, "action": r.action,
             "table": r.table, "row": r.row_id, "label": r.label, "note": r.note}
            for r in page.rows
        ], ensure_ascii=False, indent=1))
    else:
        for r in page.rows:
            # the id's first 8 characters are enough for `audit revert`
            print(f"{r.id[:8]}  {r.at:%Y-%m-%d %H:%M:%S}  {r.user_name}  {r.action}  {r.table}  {r.label}  {r.note}")
        print(f"共 {page.total} 条，显示最新 {len(page.rows)} 条")
    return EXIT_OK
