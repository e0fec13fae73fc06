"""What reverting a change from the audit trail did (or would do): the read model the audit page and CLI show."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.views.audit import shown_field, table_label


_LABELS = {"deleted": "已删除"}
_DERIVED = frozenset({"name_pinyin", "name_initials"})  # follow the name; not worth a line


@dataclass(frozen=True)
class RevertItem:
    """One record put back: its fields now (masked like the trail) and what they return to."""

    entry_id: str  # the trail entry reverted
    table: str
    row_id: str
    label: str
    now: dict = field(default_factory=dict)
    restored: dict = field(default_factory=dict)

    @property
    def what(self) -> str:
        kind = table_label(self.table)
        return f"{kind}“{self.label}”" if self.label else kind

    def lines(self) -> list[str]:
        """One line per field: 「label：now → restored」, for the confirmation and the result."""
        def shown(v) -> str:
            return "（空）" if v in (None, "") else ("是" if v else "否") if isinstance(v, bool) else str(v)

        def line(k, v) -> str:
            label, now = shown_field(self.table, k, self.now.get(k))
            return f"{_LABELS.get(k) or label}：{shown(now)} → {shown(shown_field(self.table, k, v)[1])}"

        return [line(k, v) for k, v in self.restored.items() if k not in _DERIVED]


@dataclass(frozen=True)
class RevertOutcome:
    """A revert (or its dry run): the records and the batch (import or package) they came from."""

    items: tuple[RevertItem, ...]
    batch: str = ""
    done: bool = False  # False: a check only, nothing written
    removed: int = 0  # `removed` items are members an import added, removed again
    withdrawn: int = 0  # the `withdrawn` items before those are 流出 the import registered, withdrawn again
    branches: tuple[str, ...] = ()  # the last items: branches the import created, removed with its members
    deleting: tuple[tuple[int, str], ...] = ()  # a history import taken back: (count, "次会议") per kind of record
    reversing: bool = False  # a ledger import: its vouchers are reversed (红字冲销), never deleted
    note: str = ""  # what the revert leaves as it is, said after the summary

    @property
    def taken_back(self) -> bool:
        """Whether this takes back a whole import (the roster's or a history import), not single changes."""
        return bool(self.removed or self.deleting)

    @property
    def count(self) -> int:
        return len(self.items)

    def summary(self) -> str:
        if not self.items:
            return "没有可撤销的更改"
        verb = "已撤销" if self.done else "将撤销"
        if self.deleting:
            done = "已" if self.done else "将"
            what = "、".join(f"{n} {word}" for n, word in self.deleting if n)
            why = "（经费账目不删除凭证，冲销后余额复原）"
            how = ((f"本次导入的 {what}已红字冲销{why}" if self.done else f"将以红字冲销本次导入的 {what}{why}")
                   if self.reversing else f"{done}删除本次导入的 {what}")
            return f"{verb}这次导入（批次 {self.batch}）：{how}" + (f"；{self.note}" if self.note else "")
        if self.removed or self.withdrawn or self.branches:
            updates = self.count - self.removed - self.withdrawn - len(self.branches)
            done = "已" if self.done else "将"
            parts = ([f"移除导入新增的 {self.removed} 名党员"] if self.removed else []) + (
                [f"改回导入更新的 {updates} 条记录"] if updates else []) + (
                [f"撤销导入时登记的 {self.withdrawn} 条流出"] if self.withdrawn else []) + (
                [f"删除导入新建的 {len(self.branches)} 个党支部（{'、'.join(self.branches)}）"] if self.branches else [])
            return (f"{verb}这次导入（批次 {self.batch}）：{done}" + "，".join(parts)
                    + (f"；{self.note}" if self.note else ""))
        head = self.items[0].what if self.count == 1 else f" {self.count} 条记录"
        return f"{verb}{head}的更改" + (f"（批次 {self.batch}）" if self.batch else "")
