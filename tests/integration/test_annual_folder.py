"""年度党建工作台账: outline, contents with page numbers, the figures and the lists behind them."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.services import overview
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def test_the_folder_has_a_chapter_per_module_with_bookmarks_and_page_numbers(db, town, tmp_path):  # noqa: F811
    out = tmp_path / "台账.pdf"
    data = overview.print_annual_folder(db, 2026, out, today=TODAY)
    assert out.read_bytes() == data
    reader = PdfReader(BytesIO(data))
    pages = [squash(p.extract_text()) for p in reader.pages]
    marks = outline(reader)
    chapters = [t for level, t, _ in marks if level == 0]
    assert chapters[:3] == ["一、年度主要数据", "二、图表", "三、三会一课：会议及出勤"]
    for title in ("民主评议党员", "走访与群众反映问题办理", "微心愿", "微实事项目", "经费收支汇总", "党费收缴"):
        assert any(title in c for c in chapters), title
    assert [t for level, t, _ in marks if level == 1] == [
        "会议召开情况（按月、按类型）", "会议出勤率（按月）", "群众反映问题（按类别）", "经费：预算与支出"]
    # The cover, then the contents naming each chapter with the page its bookmark points to.
    assert "2026年度" in pages[0] and "党建工作台账" in pages[0] and "幸福里社区党委" in pages[0]
    assert "目录" in pages[1]
    for level, title, page in marks:
        assert squash(title) in pages[page - 1]  # the bookmark lands on its heading
        if level == 0:
            # pypdf reads each contents line's dot leader and number before its title
            assert re.search(r"\.{3,}" + str(page) + re.escape(squash(title)), pages[1]), title
    assert len(reader.pages) == max(p for _, _, p in marks)  # the last chapter is one page long here
    # The figures and the lists behind them.
    figures = pages[2]
    assert "反映问题（受理）33" not in figures and "办结率33%" in figures
    meetings = pages[marks[[t for _, t, _ in marks].index("三、三会一课：会议及出勤")][2] - 1]
    assert "全年召开会议2次；应到3人次，实到2人次，出勤率67%" in meetings
    visits_page = next(p for p in pages if "走访与群众反映问题办理" in p and "受理3件" in p)
    assert "受理3件，办结1件，办结率33%" in visits_page
    ledger_page = next(p for p in pages if "经费收支汇总" in p and "凭证" in p)
    assert "党组织活动经费" in ledger_page and "-200.00" in ledger_page and "透支" in ledger_page


def test_report_annual_from_the_command_line(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["demo", "--db", str(db), "--members", "30", "--seed", "2"]) == 0
    out = tmp_path / "annual.pdf"
    assert main(["report", "annual", "--db", str(db), "--year", str(TODAY.year - 1), "--out", str(out)]) == 0
    assert "年度党建工作台账" in capsys.readouterr().out
    reader = PdfReader(str(out))
    assert outline(reader)[0][1] == "一、年度主要数据"


def test_development_lists_only_the_steps_of_the_year(db, tmp_path):
    # 本年办理步骤 of the 2026 folder: a person who applied in 2024 shows 2026's steps, not the whole history.
    from datetime import date

    from desktop_app.domain import development as d
    from desktop_app.services import development, orgs

    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=b, applied_on=date(2024, 3, 1)), today=date(2026, 6, 1))
    development.advance(db, a.row.id, development.StepInput(step=d.TALK, done_on=date(2024, 3, 20)),
                        today=date(2026, 6, 1))
    development.advance(db, a.row.id, development.StepInput(
        step=d.MAKE_ACTIVIST, done_on=date(2026, 2, 10), contacts="王建国"), today=date(2026, 6, 1))
    folder = overview.annual_folder(db, 2026, today=date(2026, 6, 1))
    (section,) = [s for s in folder.sections if s.title == "发展党员"]
    (row,) = section.rows
    assert row[0] == "周晓梅" and row[-1] == "确定入党积极分子 2026-02-10"


def _folder_report(db, year: int):
    from desktop_app.reports.annual import AnnualFolderReport

    report = AnnualFolderReport(overview.annual_folder(db, year))
    report.apply_page_settings()
    report.font = report.register_fonts()
    report.styles = report.build_stylesheet(report.font.name)
    return report


def test_dates_amounts_and_codes_are_never_broken_across_lines(tmp_path):
    # 微实事 had eleven columns: 2026-11 / -14, 35,000. / 00 and XM2026 / -011 in the printed folder.
    from datetime import date

    from reportlab.platypus import Paragraph

    from desktop_app.reports.base import CELL_PAD_X
    from desktop_app.store.migrate import open_database

    path = tmp_path / "a.db"
    assert main(["demo", "--db", str(path), "--members", "60", "--seed", "23"]) == 0
    db, _ = open_database(path)
    try:
        report = _folder_report(db, date.today().year)
        checked = 0
        for section in report.model.sections:
            for chunk in report._table(section.columns, section.rows):
                for row in chunk._body:
                    for col, cell in enumerate(row):
                        text = re.sub(r"<[^>]+>", "", cell.text.replace("<br/>", "\n")) if isinstance(
                            cell, Paragraph) else cell
                        lines = text.split("\n")
                        if not all(line.isascii() and " " not in line and line for line in lines):
                            continue
                        checked += 1
                        if not isinstance(cell, Paragraph):
                            continue  # a plain string: chunked_table made it one because it fits
                        cell.wrap(chunk._col_widths[col] - 2 * CELL_PAD_X, 100_000)
                        assert len(cell.blPara.lines) == len(lines), (section.title, section.columns[col].title, text)
        assert checked > 1000
        projects = next(s for s in report.model.sections if s.title == "微实事项目")
        assert any(len(v) == len("2026-01-01") for r in projects.rows for v in r)  # dates are in it
    finally:
        db.dispose()


def test_the_spending_chart_legend_stays_above_the_bars(tmp_path):
    # Two legend rows reached into the plot: 支出（元） sat on the tallest 预算 bar.
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend

    from desktop_app.store.migrate import open_database

    path = tmp_path / "a.db"
    assert main(["demo", "--db", str(path), "--members", "30", "--seed", "2"]) == 0
    db, _ = open_database(path)
    try:
        report = _folder_report(db, TODAY.year)
        drawing = report._spending_chart(report.frame_width, [("服务群众专项经费", 14_000_000, 10_000_000),
                                                             ("党费", 0, 3_000_000)])
        (chart,) = [c for c in drawing.contents if isinstance(c, VerticalBarChart)]
        (legend,) = [c for c in drawing.contents if isinstance(c, Legend)]
        assert legend.getBounds()[1] > chart.y + chart.height
    finally:
        db.dispose()


def test_a_street_s_folder_names_each_branch_with_its_community(empty_db):
    # Two communities' 第一网格党支部 were two bare 第一网格党支部 in the street's 三会一课 and 党费 lists.
    from datetime import date

    from desktop_app.store.models_ledger import DuesRecord
    from desktop_app.store.models_meetings import Meeting
    from tests.integration.test_street_branch_counts import street_of_two

    db = empty_db
    with db.session() as s:
        for n, (branch, members) in enumerate(street_of_two(db), start=1):
            s.add(Meeting(number=f"M{n}", org_id=branch, kind="主题党日", meeting_date=date(2026, 3, n), status="held"))
            s.add(DuesRecord(member_id=members[0], org_id=branch, month=date(2026, 3, 1), due_fen=1000, paid_fen=1000))
        s.commit()
    folder = overview.annual_folder(db, 2026, today=TODAY)
    sections = {s.title: s for s in folder.sections}
    expected = ["梅园社区 · 第一网格党支部", "幸福里社区 · 第一网格党支部"]
    assert [r[1] for r in sections["三会一课：会议及出勤"].rows] == expected
    assert [r[0] for r in sections["党费收缴"].rows] == expected


def test_a_year_whose_evaluation_is_not_held_yet_says_so_in_one_line(db, town, tmp_path):  # noqa: F811
    # 民主评议 of 2026 is held in early 2027: the 2026 folder made in December listed every member 未评议.
    from desktop_app.services import evaluations, roster

    branch = roster.get(db, town["zhang"]).org_id
    evaluations.save(db, branch, 2025, [evaluations.EvaluationEntry(town["zhang"], "合格")])
    chapter = {s.title: s for s in overview.annual_folder(db, 2026, today=TODAY).sections}["民主评议党员"]
    assert (chapter.rows, chapter.summary) == ((), "本年度民主评议尚未开展（通常在次年一季度进行）")
    pages = [squash(p.extract_text()) for p in PdfReader(BytesIO(overview.print_annual_folder(db, 2026, today=TODAY))).pages]
    page = next(p for p in pages if "民主评议党员本年度" in p)
    assert "未评议" not in page and "本年无记录" not in page
    # 2025's, held in early 2026, is in the 2025 folder
    held = {s.title: s for s in overview.annual_folder(db, 2025, today=TODAY).sections}["民主评议党员"]
    assert held.summary == "评议结果：优秀 0 人，合格 1 人，基本合格 0 人，不合格 0 人，未评议 2 人"


def test_wishes_fulfilled_this_year_are_listed_even_if_posted_last_year(db, town):  # noqa: F811
    # The 年度主要数据 count 实现 by the day a wish came true; the chapter must list those wishes too,
    # or an inspector finds one 实现 fewer in the list than on the figures page.
    from datetime import date

    from desktop_app.services import wishes
    from desktop_app.services.wishes import WishInput

    old = wishes.post_wish(db, WishInput(resident_id=town["zhao"], content="轮椅",
                                         posted_on=date(2025, 12, 1)), date(2025, 12, 1))
    wishes.claim_wish(db, old.id, date(2025, 12, 5),
                      member_id=town["zhang"], today=date(2025, 12, 5))
    wishes.fulfil_wish(db, old.id, date(2026, 1, 8), "送到家中", today=TODAY)
    v = overview.dashboard(db, 2026, today=TODAY).values()
    folder = overview.annual_folder(db, 2026, today=TODAY)
    (section,) = [s for s in folder.sections if s.title == "微心愿"]
    assert len(section.rows) == 3 and any("轮椅" in r for r in section.rows)
    assert f"发布 {v['wishes_posted']} 个" in section.summary
    assert f"实现 {v['wishes_fulfilled']} 个" in section.summary and v["wishes_fulfilled"] == 1
    # A wish of last year that nothing happened to this year stays out.
    wishes.post_wish(db, WishInput(resident_id=town["zhao"], content="修伞", posted_on=date(2025, 11, 1)),
                     date(2025, 11, 1))
    (section,) = [s for s in overview.annual_folder(db, 2026, today=TODAY).sections if s.title == "微心愿"]
    assert not any("修伞" in r for r in section.rows)


def test_dues_chapter_agrees_with_the_figures_page_and_names_arrears_paid_late(db, town):  # noqa: F811
    # 党费收缴 on the figures page counts what was paid in the year; the chapter lists months of the year.
    # Last year's December paid in January makes the two differ: the chapter says by how much and why.
    from datetime import date

    from desktop_app.domain.dues import EMPLOYED
    from desktop_app.services import dues

    dues.set_base(db, town["zhang"], date(2025, 1, 1), EMPLOYED, 450_000)  # 1% → 45.00 a month
    dues.record_payment(db, town["zhang"], [date(2025, 12, 1)], date(2026, 1, 10), "赵书记")
    dues.record_payment(db, town["zhang"], [date(2026, 1, 1), date(2026, 2, 1)], date(2026, 2, 10), "赵书记")
    v = overview.dashboard(db, 2026, today=TODAY).values()
    assert v["dues_paid_fen"] == 13_500
    (section,) = [s for s in overview.annual_folder(db, 2026, today=TODAY).sections if s.title == "党费收缴"]
    assert "135.00 元" in section.summary and "90.00" in section.summary and "45.00" in section.summary
    assert "补交" in section.summary


def test_a_street_s_folder_names_the_community_of_a_branch_only_one_community_has(empty_db):
    # 紫荆社区 has a 第七网格党支部 and 银杏社区 none: in the street's folder it printed bare among
    # 紫荆社区 · 第一网格党支部 and 银杏社区 · 第一网格党支部, so nobody could tell whose it was.
    from datetime import date

    from desktop_app.services import orgs
    from desktop_app.store.models_ledger import DuesRecord
    from desktop_app.store.models_meetings import Meeting
    from tests.integration.test_street_branch_counts import street_of_two

    db = empty_db
    branches = street_of_two(db)
    community = next(n for n in orgs.list_tree(db) if n.name == "梅园社区党委")
    seventh = orgs.create(db, "第七网格党支部", "32010200107", "branch", community.id).id
    with db.session() as s:
        for n, branch in enumerate((branches[0][0], seventh), start=1):
            s.add(Meeting(number=f"M{n}", org_id=branch, kind="主题党日", meeting_date=date(2026, 3, n), status="held"))
        s.add(DuesRecord(member_id=branches[0][1][0], org_id=seventh, month=date(2026, 3, 1), due_fen=1000,
                         paid_fen=1000, paid_on=date(2026, 3, 5)))
        s.commit()
    sections = {s.title: s for s in overview.annual_folder(db, 2026, today=TODAY).sections}
    assert [r[1] for r in sections["三会一课：会议及出勤"].rows] == ["梅园社区 · 第一网格党支部", "梅园社区 · 第七网格党支部"]
    assert [r[0] for r in sections["党费收缴"].rows] == ["梅园社区 · 第七网格党支部"]


def test_the_funds_chapter_totals_without_dues_as_the_figures_page_does(db, town):  # noqa: F811
    # The figures page says 经费收入（不含党费）; the chapter's 合计 added the 党费 account in, so the
    # inspector found two totals for one year (demo community: 155,000.00 and 223,553.39).
    from datetime import date

    from desktop_app.domain.dues import EMPLOYED
    from desktop_app.services import dues

    dues.set_base(db, town["zhang"], date(2026, 1, 1), EMPLOYED, 450_000)
    dues.record_payment(db, town["zhang"], [date(2026, 1, 1), date(2026, 2, 1)], date(2026, 2, 10), "赵书记")
    v = overview.dashboard(db, 2026, today=TODAY).values()
    (section,) = [s for s in overview.annual_folder(db, 2026, today=TODAY).sections if s.title == "经费收支汇总"]
    names = [r[0] for r in section.rows]
    total = section.rows[names.index("合计（不含党费）")]
    assert (total[2], total[3]) == ("100.00", "300.00") == (f"{v['income_fen'] / 100:.2f}", f"{v['spending_fen'] / 100:.2f}")
    assert names[-1] == "党费" and names.index("党费") > names.index("合计（不含党费）")
    assert section.rows[-1][2] == "90.00"
    assert "党费账户单列" in section.summary  # says why 党费 stands apart


def test_a_street_s_funds_chapter_says_they_are_the_street_s_own_books(empty_db):
    # The street's folder counts every community's meetings and members, but its 经费 chapter is the street's
    # own books: it printed 凭证 0 张 and a row of zeros with nothing to say whose books they were.
    from tests.integration.test_street_branch_counts import street_of_two

    street_of_two(empty_db)
    sections = {s.title: s for s in overview.annual_folder(empty_db, 2026, today=TODAY).sections}
    assert sections["经费收支汇总"].summary.startswith("街道本级账目（各社区经费在各社区的台账中）；凭证 0 张")


def test_meeting_kinds_fit_their_column_on_one_line(db, town):  # noqa: F811
    # 支部党员大会 and 民主评议党员 broke into 支部党员大 / 会 in the 类型 column of every page of 三会一课.
    from datetime import date

    from reportlab.platypus import Paragraph

    from desktop_app.reports.base import CELL_PAD_X
    from desktop_app.store.models_meetings import Meeting

    with db.session() as s:
        for n, kind in enumerate(("支部党员大会", "民主评议党员"), start=1):
            s.add(Meeting(number=f"K{n}", org_id=town["g1"], kind=kind, title="第一季度支部党员大会",
                          meeting_date=date(2026, 4, n), status="held"))
        s.commit()
    report = _folder_report(db, 2026)
    (section,) = [s for s in report.model.sections if s.title.startswith("三会一课")]
    col = [c.title for c in section.columns].index("类型")
    checked = 0
    for chunk in report._table(section.columns, section.rows):
        for row in chunk._body:
            cell = row[col]
            if isinstance(cell, Paragraph):
                cell.wrap(chunk._col_widths[col] - 2 * CELL_PAD_X, 100_000)
                assert len(cell.blPara.lines) == 1, cell.text
            checked += 1
    assert checked == 4
