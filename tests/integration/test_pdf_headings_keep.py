"""No heading is printed as the last line of a page with what it heads starting on the next one.

Each report is rendered with more and more rows before a heading until, without the
keep (base.keep_with_start made a no-op), the heading would land at a page's foot; the
same data must then print with the heading on the next page, above its table.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from reportlab.platypus import BaseDocTemplate, Paragraph, Spacer

from desktop_app.domain import cobuilding as rules
from desktop_app.reports import base
from desktop_app.reports.base import A4_PORTRAIT
from desktop_app.reports.cobuilding import render_activity_register, render_three_lists
from desktop_app.reports.linebreak import fit_parts
from desktop_app.reports.roster import render_roster
from desktop_app.views.cobuilding import ActivityRegister, ActivityRow, ListRow, ThreeLists, VolunteerHours
from tests.integration.test_roster_pdf import make_line
from tests.pdf_text import shipped_font  # noqa: F401 - fixture

HEADING_STYLES = ("Heading", "Chapter")
DAY = date(2026, 3, 2)


@pytest.fixture
def drawn(monkeypatch):
    """Every flowable the frames draw, as (page, flowable), in order."""
    placed: list[tuple[int, object]] = []

    def after(doc, flowable) -> None:
        placed.append((doc.page, flowable))

    monkeypatch.setattr(BaseDocTemplate, "afterFlowable", after)
    return placed


def stranded(placed: list[tuple[int, object]]) -> list[str]:
    """Headings drawn last on their page while the next thing drawn is on a later page."""
    shown = [(page, f) for page, f in placed if not isinstance(f, Spacer)]
    out = []
    for (page, f), (next_page, _next) in zip(shown, shown[1:]):
        if isinstance(f, Paragraph) and f.style.name in HEADING_STYLES and next_page > page:
            out.append(f"{f.getPlainText()} (page {page})")
    return out


def first_stranding(render, sizes, placed, monkeypatch) -> int:
    """The first size at which the report, unguarded, leaves a heading alone at a page's foot."""
    with monkeypatch.context() as m:
        m.setattr(base, "keep_with_start", lambda heads, body, rows=base.KEEP_ROWS: [
            *([heads] if isinstance(heads, base.Flowable) else heads), *body])
        for n in sizes:
            placed.clear()
            render(n)
            if stranded(placed):
                return n
    raise AssertionError(f"no size in {sizes} puts a heading at a page's foot: the check proves nothing")


def check_report(render, sizes, placed, monkeypatch) -> None:
    n = first_stranding(render, sizes, placed, monkeypatch)
    for size in (n, n + 1):
        placed.clear()
        render(size)
        assert not stranded(placed), f"{size} rows: {stranded(placed)}"


def test_roster_branch_heading(drawn, monkeypatch, shipped_font):  # noqa: F811
    def render(n: int) -> None:
        render_roster("幸福里社区党委", [("第一网格党支部", [make_line(i) for i in range(n)]),
                                    ("第二网格党支部", [make_line(100 + i) for i in range(12)])])

    check_report(render, range(8, 60), drawn, monkeypatch)


def _row(i: int, kind: str, state: str) -> ListRow:
    return ListRow(id=f"{kind}{i}", list_kind=kind, title=f"{kind}{i}号", detail="每月一次", category="生活服务",
                   raised_on=DAY, state=state, grid_id=None, grid_name="第一网格", unit_id="u1", unit_name="区医院",
                   need_id=None, need_title="", resource_id=None, resource_title="", project_id=None, project_name="",
                   claimed_on=None, done_on=None)


def test_three_lists_heading(drawn, monkeypatch, shipped_font):  # noqa: F811
    def render(n: int) -> None:
        sheet = ThreeLists(
            as_of=DAY, year=2026, kinds=(rules.NEED, rules.RESOURCE, rules.PROJECT),
            needs=tuple(_row(i, rules.NEED, rules.NEED_OPEN) for i in range(n)),
            resources=tuple(_row(i, rules.RESOURCE, "") for i in range(10)),
            projects=tuple(_row(i, rules.PROJECT, rules.PROJECT_OPEN) for i in range(5)))
        render_three_lists("幸福里社区", sheet)

    check_report(render, range(5, 60), drawn, monkeypatch)


def test_activity_register_headings(drawn, monkeypatch, shipped_font):  # noqa: F811
    def render(n: int) -> None:
        rows = tuple(ActivityRow(id=str(i), activity_date=DAY, kind="志愿服务", title=f"清洁家园{i}", place="小区广场",
                                 organisers="第一网格党支部", residents_served=20, people=8, hours_tenths=20,
                                 cost_fen=0, photos=0) for i in range(n))
        volunteers = tuple(VolunteerHours(kind="党员", name=f"王{i}", activities=2, hours_tenths=40) for i in range(8))
        render_activity_register("幸福里社区", ActivityRegister(2026, rows, (("志愿服务", n, 20 * n),), volunteers))

    check_report(render, range(5, 60), drawn, monkeypatch)


def test_fit_parts_breaks_between_parts_only():
    fits = lambda text: len(text) <= 14  # noqa: E731 - a line of 14 characters
    assert fit_parts(["一、需求清单", "　共 40 条", "（待对接 30，", "已立项 10）"], fits) == \
        "一、需求清单　共 40 条\n（待对接 30，\n已立项 10）"
    assert fit_parts(["短", "句"], fits) == "短句"


def test_three_lists_count_lines_break_between_parts_on_a_narrow_page(monkeypatch, tmp_path, shipped_font):  # noqa: F811
    from pypdf import PdfReader

    from desktop_app.reports import cobuilding
    from desktop_app.settings import Settings

    chosen = Settings.load()  # A5 upright with wide margins: the narrowest page a report is printed on
    chosen.paper_size, chosen.margin_mm = "A5", 20
    chosen.save()
    monkeypatch.setattr(cobuilding, "A4_LANDSCAPE", A4_PORTRAIT)
    states = (rules.NEED_OPEN, rules.NEED_MATCHED, rules.NEED_MET)
    sheet = ThreeLists(as_of=DAY, year=2026, kinds=(rules.NEED,), text="上门体检",
                       needs=tuple(_row(i, rules.NEED, states[i % 3]) for i in range(30)))
    render_three_lists("幸福里社区党委", sheet, tmp_path / "lists.pdf")
    lines = [line.strip() for line in PdfReader(tmp_path / "lists.pdf").pages[0].extract_text().splitlines()]
    assert "幸福里社区党委共驻共建三单" in lines and "（需求清单·资源清单·项目清单）" in lines
    assert "一、需求清单 共 30 条（待对接 10，已立项 10，" in lines and "已解决 10）" in lines


def test_a_wish_list_without_its_month_table_prints_its_long_list(shipped_font):  # noqa: F811
    """No heading over the list: the list alone starts the page and splits, nothing is kept with it."""
    from pypdf import PdfReader

    from desktop_app.domain import service_flow as flow
    from desktop_app.reports.wishes import render_wish_list
    from desktop_app.views.wishes import WishRow

    rows = [WishRow(id=str(i), wish_no=f"XY2026-{i:03d}", wisher_name=f"李{i}", grid_id=None, grid_name="第一网格",
                    address="明珠家园1栋", content="一台收音机", background="独居老人", estimated_fen=5000, posted_on=DAY,
                    state=flow.WISH_POSTED, claimant_kind="", claimant_name="", claimed_on=None, fulfilled_on=None,
                    fulfil_note="") for i in range(80)]
    pdf = render_wish_list("幸福里社区", rows)
    assert "XY2026-079" in PdfReader(BytesIO(pdf)).pages[-1].extract_text()


def test_evaluation_branch_heading(drawn, monkeypatch, shipped_font):  # noqa: F811
    from desktop_app.reports.evaluation import render_evaluation
    from desktop_app.views.evaluations import BranchEvaluation, EvaluationRow, EvaluationSummary

    def branch(name: str, size: int) -> BranchEvaluation:
        return BranchEvaluation(name, tuple(EvaluationRow(f"{name}{i}", i, f"王{i}", "第一党小组", "正式党员", "合格", "",
                                                          None) for i in range(size)))

    def render(n: int) -> None:
        render_evaluation(EvaluationSummary("幸福里社区党委", 2026, (branch("第一网格党支部", n),
                                                                  branch("第二网格党支部", 12))))

    check_report(render, range(20, 75), drawn, monkeypatch)


def test_service_summary_grid_heading(drawn, monkeypatch, shipped_font):  # noqa: F811
    from desktop_app.domain.service_flow import Period
    from desktop_app.reports.service_summary import render_service_summary
    from desktop_app.views.service import GridStats, ServiceSummary
    from desktop_app.views.visits import VisitRow

    def visits(grid: str, size: int) -> list[VisitRow]:
        return [VisitRow(id=f"{grid}{i}", visit_date=DAY, form="入户走访", grid_id=None, grid_name=grid, visitee=f"李{i}",
                         address="明珠家园1栋", visitors="王五", category="环境卫生", content="楼道堆物", raised_issue=True,
                         follow_state="办理中", handler="王五", due_date=None, resolved_by="", resolved_on=None,
                         resolution="", overdue=False, project_id=None) for i in range(size)]

    def render(n: int) -> None:
        grids = (GridStats(None, "第一网格", visits=n, raised=n), GridStats(None, "第二网格", visits=12, raised=12))
        summary = ServiceSummary(Period.month(2026, 3), grids, GridStats(None, "合计", visits=n + 12, raised=n + 12))
        render_service_summary("幸福里社区", summary, {"第一网格": visits("第一网格", n), "第二网格": visits("第二网格", 12)})

    check_report(render, range(5, 60), drawn, monkeypatch)


def _signoff_alone(placed: list[tuple[int, object]]) -> list[int]:
    """Pages whose only content is the sign-off line (填报单位（盖章）……), its table's rows left on the page before."""
    from reportlab.platypus import Table
    from reportlab.platypus.doctemplate import ActionFlowable

    def is_signoff(f) -> bool:
        first = f._cellvalues[0][0] if isinstance(f, Table) and f._cellvalues and f._cellvalues[0] else None
        return isinstance(first, Paragraph) and first.getPlainText().startswith("填报单位")

    shown = [(page, f) for page, f in placed if not isinstance(f, (Spacer, ActionFlowable))]
    return [page for i, (page, f) in enumerate(shown)
            if is_signoff(f) and all(p != page for p, _f in shown[:i])]


@pytest.mark.parametrize("branches", [1, 2])
def test_the_signoff_takes_the_last_rows_with_it(drawn, monkeypatch, shipped_font, branches):  # noqa: F811
    """The 花名册 ends with 填报单位（盖章）: at the size where it would open a page alone, the last rows come with it."""
    def render(n: int) -> None:
        groups = [("第二网格党支部", [make_line(100 + i) for i in range(12)])] if branches == 2 else []
        render_roster("幸福里社区党委", [*groups, ("第一网格党支部", [make_line(i) for i in range(n)])])

    from desktop_app.reports import signoff

    with monkeypatch.context() as m:
        m.setattr(signoff, "keep_with_end", lambda story, tail, rows=base.KEEP_ROWS: [*story, tail])
        for n in range(5, 90):
            drawn.clear()
            render(n)
            if _signoff_alone(drawn):
                break
        else:
            raise AssertionError("no size leaves the sign-off alone on a page: the check proves nothing")
    for size in (n, n + 1, n + 2):
        drawn.clear()
        render(size)
        assert not _signoff_alone(drawn), f"{size} members"
        last_page = drawn[-1][0]
        rows_there = [f for page, f in drawn if page == last_page and isinstance(f, base._TableChunk)]
        assert rows_there, f"{size} members: the last page has no rows of the roster"
