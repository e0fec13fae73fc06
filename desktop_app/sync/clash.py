"""Which unique rule a package's rows break against this database's rows, in words for the refusal.

A merge that trips a unique rule is either raced by another import (a server: the
clashing row was committed meanwhile, so this transaction cannot see it) or brings
a row that clashes with one already here (a community that sent the same member's
民主评议 grade for a year twice, from a program before 0039). merge tells them
apart by looking for the clashing row where this transaction can see it: found,
the package itself is refused, naming the record; not found, the import is retried.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, UniqueConstraint
from sqlalchemy.orm import Session

from desktop_app.domain import idcard
from desktop_app.domain.sync_rules import table_label
from desktop_app.store import dialect as store_dialect
from desktop_app.sync.decode import IncomingTable

# The live-unique tables (one live row per key and writing site): what one of them is, and what the key says
_LIVE_WORDS = {"member": ("党员", "同一公民身份号码"), "evaluation": ("民主评议结果", "同一党员同一年度"),
               "evaluation_vote": ("民主测评票数", "同一党员同一年度"),
               "evaluation_ballot": ("民主测评发出/收回票数", "同一党支部同一年度")}


def unique_rules(table: Table) -> list[tuple[tuple[str, ...], bool]]:
    """Each unique rule of `table` beside its primary key: its columns, and whether it holds for live rows only."""
    rules = [(tuple(c.name for c in ix.columns), ix.dialect_options["sqlite"].get("where") is not None)
             for ix in table.indexes if ix.unique]
    rules += [(tuple(c.name for c in uc.columns), False) for uc in table.constraints
              if isinstance(uc, UniqueConstraint)]
    return rules


def find(s: Session, inc: IncomingTable, written: Sequence[int]) -> tuple[int, tuple, bool] | None:
    """The first row of `written` (indexes into the package's rows) whose unique key a row of this database
    holds that the package does not bring itself: (its index, the local row's id and key values, live-only)."""
    table = inc.table
    names = [c.name for c in table.columns]
    deleted = names.index("deleted")
    brought = set(inc.ids)  # the package's own rows here are being replaced by it
    conn = s.connection()
    for cols, live in unique_rules(table):
        at = [names.index(c) for c in cols]
        wanted: dict[tuple, int] = {}
        for i in written:
            row = inc.values[i]
            key = tuple(row[k] for k in at)
            if (live and row[deleted]) or any(v is None for v in key):  # NULLs never clash
                continue
            wanted.setdefault(key, i)
        if not wanted:
            continue
        shown = ", ".join(f'"{c}"' for c in cols)
        head = f'SELECT "id", "deleted", {shown} FROM "{table.name}" WHERE "{cols[0]}"'
        for local in store_dialect.rows_in(conn, head, sorted({k[0] for k in wanted})):
            key = tuple(local[2:])
            if key in wanted and local[0] not in brought and not (live and local[1]):
                return wanted[key], tuple(local), live
    return None


def _member(conn, member_id: str) -> str:
    got = store_dialect.rows_in(conn, 'SELECT "name", "id_number" FROM "member" WHERE "id"', [member_id])
    if not got:
        return "党员"
    name, number = got[0]
    return f"党员“{name}”（公民身份号码 {idcard.mask(number)}）" if number else f"党员“{name}”"


def _org(conn, org_id: str) -> str:
    got = store_dialect.rows_in(conn, 'SELECT "name" FROM "organization" WHERE "id"', [org_id])
    return f"“{got[0][0]}”" if got else "党支部"


def refusal(s: Session, inc: IncomingTable, written: Sequence[int], upper: str = "街道") -> str:
    """The refusal naming the package's row that clashes with one here ("": none does, another import raced)."""
    found = find(s, inc, written)
    if found is None:
        return ""
    i, _local, live = found
    table = inc.table
    row = dict(zip((c.name for c in table.columns), inc.values[i]))
    conn = s.connection()
    if live and table.name in _LIVE_WORDS:
        kind, same = _LIVE_WORDS[table.name]
        if table.name == "member":
            what = f"党员“{row['name']}”（公民身份号码 {idcard.mask(row['id_number'])}）"
        elif table.name == "evaluation_ballot":
            what = f"{_org(conn, row['org_id'])}{row['year']} 年度的{kind}"
        else:
            what = f"{_member(conn, row['member_id'])}{row['year']} 年度的{kind}"
        return (f"数据包中{what}与本库已有的一条（该社区此前的数据包带来的）重复：{same}只能有一条在用的{kind}。"
                "数据包无法合并，未导入任何数据，本库仍保留已有的一条。这是社区用旧版程序登记了两次："
                f"请社区升级到本版程序（升级时{same}只保留最新的一条，其余标为删除），核对这条{kind}后"
                "重新导出，再导入")
    label = table_label(table.name)
    shown = next((str(row[k]) for k in ("name", "title", "voucher_no", "label", "code") if row.get(k)), "")
    return (f"数据包中表“{label}”的记录{f'“{shown}”' if shown else ''}与本库已有的一条重复，数据包无法合并，"
            f"未导入任何数据。若社区或{upper}的数据库曾从备份恢复，请让社区导出全部数据（完整数据包）后再导入")
