"""Read models of the service statistics: per-grid counts and the monthly summary they make up.

Services build them (services.service_stats), reports render them
(reports.service_summary) and the overview pages show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.domain.service_flow import Period


@dataclass(frozen=True)
class GridStats:
    grid_id: str | None
    label: str  # the grid's name, or the month for a year table
    visits: int = 0
    raised: int = 0  # visits that raised a problem to follow up
    solved: int = 0  # problems closed as 已解决 in the period (raised earlier or now)
    no_action: int = 0  # closed as 无需处理 in the period (nothing-raised visits left out)
    raised_closed: int = 0  # of the problems raised in the period, those closed (办结) by its end
    open_at_end: int = 0  # raised by the end of the period and not closed by then
    overdue_at_end: int = 0  # of those, past their due date at the end of the period
    wishes_posted: int = 0
    wishes_claimed: int = 0  # current claims made in the period
    wishes_fulfilled: int = 0
    wish_value_fen: int = 0  # estimated value of the wishes fulfilled
    projects_started: int = 0
    projects_completed: int = 0
    projects_overdue: int = 0  # open at the end of the period and past their deadline
    project_cost_fen: int = 0  # actual cost of the projects completed
    cases_received: int = 0
    cases_closed: int = 0
    cases_success: int = 0

    @property
    def solve_rate(self) -> str:
        """办结率 = 办结 / 受理: problems raised in the period and closed by its end ("" when none raised)."""
        return f"{round(100 * self.raised_closed / self.raised)}%" if self.raised else ""


@dataclass(frozen=True)
class ServiceSummary:
    period: Period
    rows: tuple[GridStats, ...]  # one per grid (and one for the community as a whole when it has any)
    total: GridStats
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)  # grid label -> category -> raised
