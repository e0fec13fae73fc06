"""共驻共建 printouts: the unit register, a unit's year, the yearly summary, the activity register,
the 双报到 register and the feedback forms to employers' party organisations, and the 三单 for the 联席会议.

Each renders a read model from views.cobuilding; nothing here reads the database.
Phones of reporting members arrive masked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.cobuilding import hours_text
from desktop_app.domain.money import format_yuan
from desktop_app.reports.base import (
    A4_LANDSCAPE, A4_PORTRAIT, Column, ReportRenderer, chinese_date, iso_date, text_width,
)
from desktop_app.reports.linebreak import fit_parts
from desktop_app.views.cobuilding import (
    ActivityRegister, ActivityRow, CareDetail, CobuildingFigures, CommunityFigures, ContactRow, FeedbackForm, ListRow,
    ReportingRow, ThreeLists, UnitRow, UnitYear,
)

UNIT_COLUMNS = (Column("序号", 5, "CENTER"), Column("单位名称", 22), Column("类别", 9, "CENTER"),
                Column("单位党组织", 20), Column("联系人", 8, "CENTER"), Column("联系电话", 12, "CENTER"),
                Column("地址", 20), Column("加入日期", 10, "CENTER"), Column("可提供资源", 14),
                Column("本年活动", 7, "CENTER"), Column("报到党员", 7, "CENTER"))
ACTIVITY_COLUMNS = (Column("日期", 10, "CENTER"), Column("类型", 10, "CENTER"), Column("活动名称", 24),
                    Column("地点", 16), Column("组织支部和单位", 30), Column("参与人数", 7, "CENTER"),
                    Column("服务时长(时)", 9, "CENTER"), Column("服务居民", 8, "CENTER"), Column("费用(元)", 9, "RIGHT"),
                    Column("照片", 5, "CENTER"))
# 报到日期 and the masked phone are given room for their 10 and 11 characters in a CJK font's wider digits
# (WenQuanYi), so neither breaks over two lines; the two names wrap instead.
REPORTING_COLUMNS = (Column("序号", 5, "CENTER"), Column("姓名", 8, "CENTER"), Column("性别", 5, "CENTER"),
                     Column("工作单位", 17), Column("单位党组织", 19), Column("职务", 10), Column("报到日期", 12, "CENTER"),
                     Column("报到支部", 14), Column("认领岗位", 14), Column("服务次数", 7, "CENTER"),
                     Column("时长(时)", 7, "CENTER"), Column("积分", 6, "CENTER"), Column("联系电话", 13, "CENTER"))


def _activity_cells(r: ActivityRow) -> list[str]:
    return [iso_date(r.activity_date), r.kind, r.title, r.place, r.organisers, str(r.people), hours_text(r.hours_tenths),
            str(r.residents_served), format_yuan(r.cost_fen) if r.cost_fen else "", str(r.photos or "")]


class _Report(ReportRenderer):
    """A titled form whose story a function builds."""

    def __init__(self, center_name: str, title: str, pagesize, build: Callable[["_Report"], list[Flowable]],
                 **kwargs) -> None:
        super().__init__(center_name, **kwargs)
        self.title, self.pagesize, self._build = title, pagesize, build

    def build_story(self) -> list[Flowable]:
        return self._build(self)


def _render(center: str, title: str, pagesize, build, out: Path | None, printed_on: date | None,
            font_path: str | None, progress) -> bytes:
    return _Report(center, title, pagesize, build, printed_on=printed_on, font_path=font_path,
                   progress=progress).render_to(out)


# ---------------------------------------------------------------- 共建单位


def _unit_cells(i: int, u: UnitRow) -> list[str]:
    return [str(i), u.name, u.kind, u.party_org, u.contact_person, u.phone, u.address, iso_date(u.joined_on),
            u.offers, str(u.activities or ""), str(u.reporting or "")]


def render_unit_register(center: str, year: int, rows: Sequence[UnitRow], out: Path | None = None,
                         printed_on: date | None = None, *, font_path: str | None = None,
                         progress: Callable[[int], None] | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        story = r.heading(f"共 {len(rows)} 个单位　“本年活动”为 {year} 年参与的活动次数")
        story += r.table(UNIT_COLUMNS, [_unit_cells(i, u) for i, u in enumerate(rows, 1)]) if rows else [
            r.para("尚未登记共建单位。")]
        return story
    return _render(center, "共建单位名册", A4_LANDSCAPE, build, out, printed_on, font_path, progress)


def _unit_year_story(r: _Report, page: UnitYear) -> list[Flowable]:
    u = page.unit
    quarter = r.pair_widths(0.14)
    story: list[Flowable] = [*r.headed(f"{u.name}　{page.year}年共驻共建情况", [r.form([
        ["单位类别", u.kind, "单位党组织", u.party_org],
        ["联系人", f"{u.contact_person}　{u.phone}".strip(), "加入日期", iso_date(u.joined_on)],
        ["地址", u.address, "可提供资源", u.offers],
    ], quarter)]), Spacer(1, 2 * mm)]
    hours = sum(a.hours_tenths for a in page.activities)
    served = sum(a.residents_served for a in page.activities)
    figures = r.para(
        f"参与活动 {len(page.activities)} 次，服务居民 {served} 人次，活动服务 {hours_text(hours)} 小时；"
        f"在册报到党员 {sum(1 for p in page.reporting if p.left_on is None)} 名，报到服务 {page.service_count} 次、"
        f"{hours_text(page.service_hours_tenths)} 小时；认领微心愿 {len(page.wishes)} 个。")
    # the figures line reads as the activity table's caption
    story += r.headed(figures, r.table(ACTIVITY_COLUMNS, [_activity_cells(a) for a in page.activities])
                      if page.activities else [])
    if page.reporting:
        story += r.headed("本单位报到党员",
                          r.table(REPORTING_COLUMNS, [_reporting_cells(i, p) for i, p in enumerate(page.reporting, 1)]))
    # The rest of the unit's year, one line each, left out where it has none.
    for label, items in (("认领的微心愿", page.wishes), ("双进双认", page.pairing), ("联席会议认领议题", page.topics),
                         ("单位报到", page.reported), ("问需服务", page.inquiries)):
        if items:
            story.append(r.para(f"{label}：" + "；".join(items)))
    return story


def render_unit_year(center: str, page: UnitYear, out: Path | None = None, printed_on: date | None = None, *,
                     font_path: str | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        return r.heading() + _unit_year_story(r, page)
    return _render(center, "共建单位年度共建情况", A4_LANDSCAPE, build, out, printed_on, font_path, None)


def render_summary(center: str, figs: CobuildingFigures, pages: Sequence[UnitYear], out: Path | None = None,
                   printed_on: date | None = None, *, font_path: str | None = None,
                   progress: Callable[[int], None] | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        w = r.frame_width
        quarter = [w * 0.2, w * 0.3, w * 0.2, w * 0.3]
        story = r.heading(f"{figs.year}年度")
        story.append(r.form([
            ["共建单位", f"{figs.units} 个（本年参与活动 {figs.units_active} 个）", "共建活动", f"{figs.activities} 次（四进 {figs.four_into} 次）"],
            ["服务居民", f"{figs.residents_served} 人次", "活动服务时长", f"{hours_text(figs.activity_hours_tenths)} 小时"],
            ["报到党员", f"{figs.reporting_members} 名", "报到服务", f"{figs.reporting_services} 次，{hours_text(figs.reporting_hours_tenths)} 小时，{figs.reporting_points} 积分"],
            ["认领岗位", f"{figs.posts} 个岗位，已认领 {figs.posts_taken} 个", "双进双认",
             f"结对 {figs.pairings} 个，认岗位 {figs.pairing_posts} 个，认亲戚 {figs.adopted} 户，走访 {figs.pairing_visits} 次"],
            ["单位报到", f"{figs.units_reported} 个单位", "问需服务", f"{figs.inquiries} 次"],
            ["共建经费", f"{format_yuan(figs.cost_fen)} 元（活动和项目已记账的支出）", "", ""],
        ], quarter))
        active = [p for p in pages if p.activities or p.service_count or p.wishes or p.pairing or p.reported
                  or p.inquiries]
        for p in active:
            story.append(Spacer(1, 4 * mm))
            story += _unit_year_story(r, p)
        if not active:
            story.append(r.para("本年度没有共建单位参与的记录。"))
        return story
    return _render(center, "共驻共建年度汇总", A4_LANDSCAPE, build, out, printed_on, font_path, progress)


# ---------------------------------------------------------------- activities


def render_activity_register(center: str, register: ActivityRegister, out: Path | None = None,
                             printed_on: date | None = None, *, font_path: str | None = None,
                             progress: Callable[[int], None] | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        rows = register.rows
        served = sum(a.residents_served for a in rows)
        hours = sum(a.hours_tenths for a in rows)
        story = r.heading(f"{register.year}年　共 {len(rows)} 次活动，服务居民 {served} 人次，服务 {hours_text(hours)} 小时")
        if not rows:
            return story + [r.para("本年度尚无活动记录。")]
        story += r.table(ACTIVITY_COLUMNS, [_activity_cells(a) for a in rows])
        story += r.headed("按类型", r.table(
            (Column("活动类型", 20), Column("次数", 10, "CENTER"), Column("服务居民人次", 12, "CENTER")),
            [[k, str(n), str(p)] for k, n, p in register.by_kind]))
        story += r.headed("志愿服务时长（按人累计）", r.table((Column("序号", 6, "CENTER"), Column("姓名", 14, "CENTER"), Column("身份", 10, "CENTER"),
                          Column("参加活动", 10, "CENTER"), Column("累计时长（小时）", 14, "CENTER")),
                         [[str(i), v.name, v.kind, str(v.activities), hours_text(v.hours_tenths)]
                          for i, v in enumerate(register.volunteers, 1)]))
        return story
    return _render(center, "共建活动登记册", A4_LANDSCAPE, build, out, printed_on, font_path, progress)


# ---------------------------------------------------------------- 双报到


def _reporting_cells(i: int, p: ReportingRow) -> list[str]:
    name = p.name + ("（已离开）" if p.left_on else "")
    return [str(i), name, p.gender, p.employer, p.employer_org, p.job, iso_date(p.reported_on), p.org_name, p.posts,
            str(p.services), hours_text(p.hours_tenths), str(p.points), p.mobile_masked]


def render_reporting_register(center: str, year: int, rows: Sequence[ReportingRow], out: Path | None = None,
                              printed_on: date | None = None, *, font_path: str | None = None,
                              progress: Callable[[int], None] | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        serving = sum(1 for p in rows if p.left_on is None)
        story = r.heading(f"{year}年　在册 {serving} 名　服务次数、时长和积分为 {year} 年合计")
        story += r.table(REPORTING_COLUMNS, [_reporting_cells(i, p) for i, p in enumerate(rows, 1)]) if rows else [
            r.para("尚无报到党员。")]
        return story
    return _render(center, "在职党员到社区报到名册", A4_LANDSCAPE, build, out, printed_on, font_path, progress)


def render_feedback_forms(center: str, forms: Sequence[FeedbackForm], out: Path | None = None,
                          printed_on: date | None = None, *, font_path: str | None = None,
                          progress: Callable[[int], None] | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        w = r.frame_width
        story: list[Flowable] = []
        for n, f in enumerate(forms):
            if n:
                story.append(PageBreak())
            story += r.heading(f"{f.year}年度")
            story.append(r.form([["工作单位", f.employer, "单位党组织", f.employer_org or "（未填）"]],
                                r.pair_widths(0.14)))
            story.append(Spacer(1, 3 * mm))
            story += r.table(
                (Column("姓名", 8, "CENTER"), Column("职务", 10), Column("报到日期", 12, "CENTER"), Column("认领岗位", 14),
                 Column("服务次数", 7, "CENTER"), Column("时长(时)", 7, "CENTER"), Column("积分", 6, "CENTER"),
                 Column("参加活动", 8, "CENTER"), Column("主要服务内容", 30)),
                [[p.name, p.job, iso_date(p.reported_on), p.posts, str(p.services), hours_text(p.hours_tenths),
                  str(p.points), str(p.activities), "；".join(f"{x.service_date:%m-%d} {x.content}" for x in p.items[:8])
                  + ("等" if len(p.items) > 8 else "")] for p in f.people])
            story.append(Spacer(1, 4 * mm))
            story.append(KeepTogether([r.form([
                ["社区党组织评价", ""],
                ["社区党组织（盖章）", f"日期：{chinese_date(printed_on or date.today())}"],
            ], [w * 0.2, w * 0.8], label_cols=(0,), min_heights={0: 28 * mm, 1: 16 * mm})]))
            story.append(Spacer(1, 2 * mm))
            story.append(r.para("请单位党组织将本表作为党员年度考核和民主评议的参考。", "Small"))
        if not story:
            story.append(r.para("本年度没有报到党员。"))
        return story
    return _render(center, "在职党员到社区报到服务情况反馈表", A4_PORTRAIT, build, out, printed_on, font_path, progress)


# ---------------------------------------------------------------- 慰问签领表, 联系表


def render_care_sheet(center: str, care: CareDetail, unit_name: str, out: Path | None = None,
                      printed_on: date | None = None, *, font_path: str | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        c, w = care.row, r.frame_width
        story = r.heading(f"{c.title}")
        story.append(r.form([
            ["慰问日期", chinese_date(c.care_date), "慰问类别", c.occasion],
            ["慰问单位", unit_name or r.center_name, "慰问人", c.givers],
        ], r.pair_widths(0.14)))
        story.append(Spacer(1, 3 * mm))
        # Rows tall enough to sign in by hand; " " keeps a blank cell from spanning into its neighbour.
        head = ["序号", "姓名", "类别", "住址", "慰问品", "慰问金（元）", "领取人签名", "日期"]
        lines = [[str(i), p.name, p.category or " ", p.address or " ", p.items or " ",
                  format_yuan(p.amount_fen) if p.amount_fen else " ", " ", " "]
                 for i, p in enumerate(care.recipients, 1)]
        shares = (6, 9, 10, 20, 18, 12, 15, 10)
        table = r.form([head] + lines, [w * x / sum(shares) for x in shares], label_cols=(),
                       min_heights={i: 11 * mm for i in range(1, len(lines) + 1)})
        table.repeatRows = 1
        story.append(table)
        total = sum(p.amount_fen for p in care.recipients)
        story.append(Spacer(1, 2 * mm))
        story.append(r.para(f"共 {len(care.recipients)} 人，慰问金合计 {format_yuan(total)} 元。"
                            "领取人本人签名；代领的写明代领人姓名和关系。"))
        story.append(Spacer(1, 8 * mm))
        story.append(r.form([["经办人（签名）", " ", "审核人（签名）", " "]], r.pair_widths(0.16),
                            min_heights={0: 12 * mm}))
        return story
    return _render(center, "慰问签领表", A4_PORTRAIT, build, out, printed_on, font_path, None)


def render_contact_sheet(center: str, grid_name: str, rows: Sequence[ContactRow], out: Path | None = None,
                         printed_on: date | None = None, *, font_path: str | None = None) -> bytes:
    def build(r: _Report) -> list[Flowable]:
        story = r.heading(grid_name or "全部网格")
        by_member: dict[tuple[str, str], list[ContactRow]] = {}
        for c in rows:
            by_member.setdefault((c.grid_name, c.member_id), []).append(c)
        lines = []
        for i, ((grid, _mid), items) in enumerate(sorted(by_member.items(), key=lambda kv: (kv[0][0], kv[1][0].member_name)), 1):
            first = items[0]
            buildings = "、".join(c.building for c in items if c.role == "楼门书记")
            households = "、".join(c.household_label for c in items if c.role == "联系户")
            lines.append([str(i), grid, first.member_name, first.mobile_masked, "楼门书记" if buildings else "党员",
                          buildings, households, str(sum(1 for c in items if c.role == "联系户") or "")])
        if not lines:
            return story + [r.para("尚未登记楼门书记和党员联系户。")]
        story += r.table((Column("序号", 5, "CENTER"), Column("网格", 14), Column("党员", 9, "CENTER"),
                          Column("联系电话", 12, "CENTER"), Column("身份", 9, "CENTER"), Column("负责楼栋", 18),
                          Column("联系户", 36), Column("户数", 6, "CENTER")), lines)
        return story
    return _render(center, "楼门书记和党员联系户联系表", A4_LANDSCAPE, build, out, printed_on, font_path, None)


def render_street_summary(center: str, year: int, rows: Sequence[CommunityFigures], out: Path | None = None,
                          printed_on: date | None = None, *, font_path: str | None = None,
                          progress: Callable[[int], None] | None = None, own_line: bool = False) -> bytes:
    """`own_line`: a community's own line (its figures as the street will count them), without a total."""
    def cells(name: str, f) -> list[str]:
        return [name, str(f[0]), str(f[1]), str(f[2]), hours_text(f[3]), str(f[4]), str(f[5]), str(f[6]),
                hours_text(f[7]), str(f[8]), str(f[9]), str(f[10]), format_yuan(f[11])]

    def build(r: _Report) -> list[Flowable]:
        story = r.heading(f"{year}年度　本社区的一行（同步到街道后计入街道汇总）" if own_line
                          else f"{year}年度　共 {len(rows)} 个社区（按各社区同步上来的数据统计）")
        if not rows:
            return story + [r.para("尚未收到社区的同步数据。")]
        numbers = [(c.activities, c.four_into, c.residents_served, c.activity_hours_tenths, c.units_active,
                    c.reporting_members, c.reporting_services, c.reporting_hours_tenths, c.adopted, c.pairing_visits,
                    c.care_people, c.cost_fen) for c in rows]
        total = [sum(col) for col in zip(*numbers)]
        story += r.table(
            (Column("社区", 18), Column("活动", 6, "CENTER"), Column("四进", 6, "CENTER"), Column("服务居民", 8, "CENTER"),
             Column("活动时长", 8, "CENTER"), Column("参与单位", 8, "CENTER"), Column("报到党员", 8, "CENTER"),
             Column("报到服务", 8, "CENTER"), Column("报到时长", 8, "CENTER"), Column("认亲戚", 7, "CENTER"),
             Column("结对走访", 8, "CENTER"), Column("慰问人次", 8, "CENTER"), Column("共建经费（元）", 10, "RIGHT")),
            [cells(c.org_name, n) for c, n in zip(rows, numbers)] + ([] if own_line else [cells("合计", total)]))
        return story
    return _render(center, "共驻共建街道汇总表", A4_LANDSCAPE, build, out, printed_on, font_path, progress)


# ---------------------------------------------------------------- 三单


NEED_LIST_COLUMNS = (Column("序号", 5, "CENTER"), Column("需求名称", 26), Column("类别", 9, "CENTER"), Column("网格", 14),
                     Column("登记日期", 11, "CENTER"), Column("状态", 8, "CENTER"), Column("对应项目", 24))
RESOURCE_LIST_COLUMNS = (Column("序号", 5, "CENTER"), Column("提供单位", 18), Column("资源名称", 22),
                         Column("类别", 9, "CENTER"), Column("可提供的时间、数量等", 32), Column("登记日期", 11, "CENTER"))
PROJECT_LIST_COLUMNS = (Column("序号", 5, "CENTER"), Column("项目名称", 20), Column("对应需求", 18), Column("使用资源", 14),
                        Column("认领单位", 15), Column("认领日期", 11, "CENTER"), Column("状态", 8, "CENTER"),
                        Column("完成日期", 11, "CENTER"), Column("微实事", 12))
_NUMBERS = "一二三"


def _states(sheet: ThreeLists, rows: Sequence[ListRow], states: Sequence[str]) -> list[str]:
    """Each state's count; the finished one is left out where the sheet leaves its items out (not "已解决 0")."""
    return [f"{s} {sum(1 for r in rows if r.state == s)}" for s in states
            if sheet.with_done or s not in (rules.NEED_MET, rules.PROJECT_DONE)]


def _bracketed(items: Sequence[str]) -> list[str]:
    """"（a，", "b，", "c）": the parts of a bracketed list, each carrying its punctuation."""
    return [("（" if i == 0 else "") + item + ("）" if i == len(items) - 1 else "，") for i, item in enumerate(items)]


def _between_parts(r: _Report, parts: Sequence[str], style: str) -> str:
    """The parts as one line where the frame is wide enough, else broken between parts only."""
    size = r.styles[style].fontSize
    return fit_parts(parts, lambda text: text_width(text, r.font, size) <= r.frame_width)


def _list_section(r: _Report, sheet: ThreeLists, kind: str, number: str) -> list[Flowable]:
    """One list: its heading with the count line (kept with its table), then the table."""
    rows = sheet.rows(kind)
    if kind == rules.NEED:
        count = [f"共 {len(rows)} 条", *_bracketed(_states(sheet, rows, (rules.NEED_OPEN, rules.NEED_MATCHED,
                                                                        rules.NEED_MET)))]
        cells = [[str(i), n.title, n.category, n.grid_name, iso_date(n.raised_on), n.state, sheet.projects_of(n.id)]
                 for i, n in enumerate(rows, 1)]
        columns = NEED_LIST_COLUMNS
    elif kind == rules.RESOURCE:
        count = [f"共 {len(rows)} 条", f"（{len({x.unit_id for x in rows if x.unit_id})} 个单位提供）"]
        cells = [[str(i), x.unit_name, x.title, x.category, x.detail, iso_date(x.raised_on)]
                 for i, x in enumerate(rows, 1)]
        columns = RESOURCE_LIST_COLUMNS
    else:
        states = (rules.PROJECT_OPEN, rules.PROJECT_CLAIMED, rules.PROJECT_DONE)
        count = [f"共 {len(rows)} 个", *_bracketed(_states(sheet, rows, states))]
        cells = [[str(i), p.title, p.need_title, p.resource_title, p.unit_name, iso_date(p.claimed_on), p.state,
                  iso_date(p.done_on), p.project_name] for i, p in enumerate(rows, 1)]
        columns = PROJECT_LIST_COLUMNS
    # on a narrow page the count line breaks between its parts, never inside "待对接 3"
    title = _between_parts(r, [f"{number}、{kind}清单", "　" + count[0], *count[1:]], "Heading")
    return r.headed(title, r.table(columns, cells) if cells else [r.para(f"没有符合条件的{kind}。")])


def render_three_lists(center: str, sheet: ThreeLists, out: Path | None = None, printed_on: date | None = None, *,
                       font_path: str | None = None, progress: Callable[[int], None] | None = None) -> bytes:
    """共驻共建三单 as handed out at the 联席会议: a section per list chosen, then the lines to sign."""
    def build(r: _Report) -> list[Flowable]:
        words = [f"{sheet.year}年度" if sheet.year else "全部年份", f"截至{chinese_date(sheet.as_of)}"]
        if not sheet.with_done:
            words.append("不含已解决的需求和已完成的项目")
        if sheet.text:
            words.append(f"搜索“{sheet.text}”")
        title = [f"{center}共驻共建三单", "（需求清单·", "资源清单·", "项目清单）"]  # breaks as the count lines do
        story = [r.para(_between_parts(r, title, "Title"), "Title"),
                 r.para(_between_parts(r, [words[0], *("　" + w for w in words[1:])], "Subtitle"), "Subtitle")]
        for number, kind in zip(_NUMBERS, sheet.kinds):
            story += _list_section(r, sheet, kind, number)
        # close under the last table: on a page of its own the lines to sign read as a stray sheet
        story.append(Spacer(1, 4 * mm))
        story.append(KeepTogether([r.form([["经办人（签名）", " ", "审核人（签名）", " "]], r.pair_widths(0.16),
                                          min_heights={0: 10 * mm})]))
        return story
    return _render(center, "共驻共建三单（需求清单·资源清单·项目清单）", A4_LANDSCAPE, build, out, printed_on,
                   font_path, progress)
