"""党费 records a community changed in months closed on its books, as the street still holds them: the way out.

A record changed after its month was closed (by a program from before the community refused such
changes) travels in every package and the street refuses every package whole. The read model here is
what services.sync.closed_dues finds and shows before it puts such records back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain.money import format_yuan


def _paid_text(paid_fen: int, paid_on: date | None, deleted: bool) -> str:
    if deleted:
        return "已删除"
    if paid_fen <= 0 or paid_on is None:
        return "未交"
    return f"{paid_on.isoformat()} 交 {format_yuan(paid_fen)} 元"


@dataclass(frozen=True)
class ClosedDues:
    """One record: who, which month paid for, why the street refuses it, and its state now and as the street holds it."""

    record_id: str
    member_name: str
    org_name: str
    month: date  # the month paid for
    closed: str  # 幸福里社区党委已结账2024年1月
    now_fen: int
    now_on: date | None
    now_deleted: bool
    street_fen: int
    street_on: date | None
    street_deleted: bool
    restorable: bool = True  # False: the change left no trace of what the street holds

    @property
    def month_text(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def now_text(self) -> str:
        return _paid_text(self.now_fen, self.now_on, self.now_deleted)

    @property
    def street_text(self) -> str:
        return _paid_text(self.street_fen, self.street_on, self.street_deleted) if self.restorable else "无法确定"

    def line(self, upper: str = "街道") -> str:
        head = f"{self.member_name}（{self.org_name}）{self.month_text}党费：{self.closed}"
        if not self.restorable:
            return f"{head}；现为{self.now_text}，{upper}的记录无从查知，不能自动恢复"
        return f"{head}；现为{self.now_text}，恢复为{upper}的记录：{self.street_text}"


@dataclass(frozen=True)
class ClosedDuesPlan:
    """What the way out would do: the records, and the money booked again today where a change had taken it out."""

    items: tuple[ClosedDues, ...]
    upper: str = "街道"
    rebook_fen: int = 0  # the records' money put back, booked again in an open month (0: none)
    unconfirmed: int = 0  # packages sent since the last one the street confirmed (it may hold a newer state)

    @property
    def restorable(self) -> tuple[ClosedDues, ...]:
        return tuple(i for i in self.items if i.restorable)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.record_id for i in self.restorable)

    def lines(self) -> list[str]:
        if not self.items:
            return ["没有找到需要恢复的已结账月份的党费"]
        out = [f"以下党费在已结账的月份里被改动过（旧版程序所改），{self.upper}不接受含有它们的数据包："]
        out += [f"  {i.line(self.upper)}" for i in self.items]
        if self.restorable:
            out.append(f"恢复后这 {len(self.restorable)} 条党费与{self.upper}的记录一致，下一个数据包可以导入。")
            if self.rebook_fen > 0:
                out.append(f"改动时冲销的 {format_yuan(self.rebook_fen)} 元按恢复的记录在今天重新入账（党费收缴）。")
            out.append("要更正的金额，恢复后可在未结账的月份补交登记。")
        if self.unconfirmed and self.restorable:
            out.append(f"“{self.upper}的记录”按{self.upper}上次确认收到的数据包而定；之后本社区又导出过 {self.unconfirmed} 个数据包，"
                       f"如果{self.upper}导入了其中的，请先导入{self.upper}最新的下发包再恢复。")
        if len(self.restorable) < len(self.items):
            out.append(f"不能自动恢复的记录：请按{self.upper}的记录手工改回，或与{self.upper}联系。")
        return out


@dataclass(frozen=True)
class ClosedDuesResult:
    restored: int
    rebook_fen: int = 0
    voucher_no: str = ""

    def text(self, upper: str = "街道") -> str:
        out = f"已按{upper}的记录恢复 {self.restored} 条已结账月份的党费"
        if self.voucher_no:
            out += f"，冲销的 {format_yuan(self.rebook_fen)} 元已重新入账（凭证 {self.voucher_no}）"
        return out + "。现在可以重新导出数据包；要更正的金额可在未结账的月份补交。"
