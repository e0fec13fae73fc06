"""微实事's 费用凭证: the co-building cost dialogs (gui.cobuilding.costs) with a project as their target.

The page mixes `CostActions` in and lists `ACTIONS` in its toolbar; the column and the
detail's lines show 已记账 beside the typed 实际支出, and say so when the two differ
(some spending, the street's funds, is never booked here).
"""

from __future__ import annotations

from datetime import date
from html import escape

from desktop_app.domain.money import format_yuan
from desktop_app.gui.cobuilding import costs
from desktop_app.gui.cobuilding.costs import Target, cost_label
from desktop_app.gui.widgets.record_list import NOTHING_CHOSEN, Act
from desktop_app.gui.widgets.table import ALERT, CENTER, Column
from desktop_app.services import auth
from desktop_app.views.projects import ProjectDetail

RIGHTS = ("projects.write", "ledger.write")  # as the service asks: the project's and the ledger's
NO_RIGHTS = "记账需要修改微实事项目和经费台账的权限"

BOOKED = Column("已记账（元）", lambda r: format_yuan(r.booked_fen) if r.booked_fen else "", CENTER, 80,
                sort_key=lambda r: r.booked_fen)


def target(d: ProjectDetail, today: date) -> Target:
    """A new voucher is offered for what was typed as spent but is not booked yet."""
    return Target(f"微实事：{d.name}", today, project_id=d.id,
                  amount_fen=max(d.actual_cost_fen - d.booked_fen, 0))


def money_html(d: ProjectDetail) -> str:
    """The detail's money lines: budget, the typed 实际支出, the ledger's 已记账 and its vouchers."""
    lines = f"<p>预算：{format_yuan(d.budget_fen)} 元<br>实际支出：{format_yuan(d.actual_cost_fen)} 元"
    if d.costs:
        lines += f"<br>已记账：{format_yuan(d.booked_fen)} 元"
        if d.booked_fen != d.actual_cost_fen:
            lines += (f"<br>台账已记 {format_yuan(d.booked_fen)} 元，"
                      f"实际支出填 {format_yuan(d.actual_cost_fen)} 元")
    spent = max(d.actual_cost_fen, d.booked_fen)  # either figure past the budget is worth a look
    if d.budget_fen and spent > d.budget_fen:
        lines += (f"<br><b style='color:{ALERT.name()}'>超出预算 {format_yuan(spent - d.budget_fen)} 元</b>"
                  f"（支出 {format_yuan(spent)} 元，预算 {format_yuan(d.budget_fen)} 元）")
    lines += "</p>"
    if d.costs:
        items = "".join(f"<li>{escape(cost_label(c))}</li>" for c in d.costs)
        lines += f"<p>费用凭证 {len(d.costs)} 张：</p><ul>{items}</ul>"
    return lines


ACTIONS = (
    Act("voucher", "费用凭证…", "record_cost", when="may_book", name="cost", writes=" ".join(RIGHTS), why="why_not_book"),
    Act("cancel", "取消费用关联", "unlink_cost", when="may_unlink", name="unlink", writes=" ".join(RIGHTS), why="why_not_unlink"),
)


class CostActions:
    """The page's slots for ACTIONS (mixed into ProjectsPage: `detail`, `ctx` and `today` are the page's)."""

    def _rights(self) -> bool:
        db = self.ctx.db
        return all(auth.can(db, p) for p in RIGHTS)

    def may_book(self, d: ProjectDetail | None) -> bool:
        return d is not None and self._rights()

    def why_not_book(self, d: ProjectDetail | None) -> str:
        return NOTHING_CHOSEN if d is None else NO_RIGHTS

    def may_unlink(self, d: ProjectDetail | None) -> bool:
        return d is not None and bool(d.costs) and self._rights()

    def why_not_unlink(self, d: ProjectDetail | None) -> str:
        if d is None:
            return NOTHING_CHOSEN
        return "项目还没有记账的费用凭证：可先“费用凭证…”" if not d.costs else NO_RIGHTS

    def record_cost(self) -> None:
        if (d := self.detail) is not None:
            costs.record_cost(self, target(d, self.today))

    def unlink_cost(self) -> None:
        if (d := self.detail) is not None:
            costs.unlink_cost(self, target(d, self.today), d.costs)
