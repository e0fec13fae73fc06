"""The blank import templates we ship for the history imports: one data sheet, then a 填写说明 sheet.

The data sheet has the import's columns in order (ID and phone columns kept as
text, drop-down lists for coded columns, the header frozen); the 填写说明 sheet
holds the instructions as prose, which the importer passes over like any
sheet without a header. The member template has its own writer in
exchange.members (it predates these).
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.exchange import (
    development_files, dues_files, ledger_files, meeting_files, members, resident_files, visit_files,
)
from desktop_app.exchange.sheets import Spec
from desktop_app.files import write_through

_COMMON = (
    "本表的列名与其他系统的导出表不同也能导入：导入时会按列名和内容识别各列，识别不了的列可在“列映射”中说明"
    "（命令行：--show-columns 查看，--map 指定）。",
    "表头上方可以有标题行，数据中间可以有空行；以“填写说明”“注：”或“1、”开头的说明行和“合计”行导入时跳过。",
    "日期可写成 2025-03-02、2025/3/2、2025.3.2、2025年3月2日 或 20250302，也可以是 Excel 的日期格式。",
    "整个文件一次导入：有一行有误就不导入任何数据，并列出每个错误所在的行和列。可先试运行（--dry-run）。",
)

NOTES: dict[str, tuple[str, ...]] = {
    "development": (
        "每行一名入党申请人（或已发展的党员）。必填：姓名、所在党支部、提交申请书时间。",
        "所在党支部填写支部全称、路径（如 幸福里社区党委 / 第一网格党支部）或组织代码。",
        "各阶段的时间须依次不早于前一阶段；当前发展阶段可不填，按所填时间推定，填了则须与时间相符。",
        "入党时间即支部大会讨论接收之日（同时记为上级党委审批）；预备党员须已在党员名册中且人员类别为预备党员（请先导入党员信息）。",
        "列入发展计划时间记入备注。",
    ),
    "meetings": (
        "每行一次已召开的会议。必填：会议类型、党组织、实际会议时间（或计划会议时间）。",
        "会议类型：支部党员大会、支委会、党小组会、党课、主题党日、组织生活会、民主评议党员、联席会议。",
        "出席人员、请假人员、缺席人员填姓名，用顿号或逗号隔开，须是该党组织的党员；填了人员则人数须一致。",
        "只有人数没有名单时，应到、实到、请假人数记在会议备注中。",
        "议题可写多条（用分号或换行隔开，或写成 1、… 2、…）；决议条数与议题相同时逐条对应。",
    ),
    "residents": (
        "每行一名居民。必填：姓名。公民身份号码填了则须正确，性别、出生日期按号码核对。",
        "楼栋、单元、室相同的居民归入同一住户（已登记的住户直接使用）；没有楼栋时按地址归户。",
        "所属网格填写网格党支部的名称、路径或组织代码；标签可写多个，用顿号隔开（如 独居老人、低保户）。",
    ),
    "ledger": (
        "一个文件导入一个年度的账目。每行一笔收入或支出，金额以元为单位，最多两位小数。",
        "收入金额、支出金额分列填写；也可只填金额列并在收支列写 收入 或 支出（或负数表示支出）。",
        "摘要为“上年结转”“期初余额”的行是该账户的期初余额，可只填余额。",
        "填了余额列时逐行核对余额，不符的行会被指出。凭证号可不填，按年度顺序自动编号。",
        "导入后该年度已结束的月份全部结账，不能再修改，请先试运行核对。",
    ),
    "visits": (
        "每行一次走访。必填：走访日期、走访对象、走访人。走访对象须是已登记的居民（请先导入居民）。",
        "有同名居民时填写地址或联系电话以区分；地址写楼栋单元室或登记的住址均可。",
        "走访人填姓名，用顿号隔开：党员名册中的党员记为走访党员，其他人（网格员、楼栋长）记为其他走访人。",
        "走访形式：走访、民情恳谈、来访、电话（入户、上门记为走访）；不填为走访。",
        "填了反映问题的记为待处理；同时填了办理结果的记为已解决（办结日期不填则为走访当天）。问题类别不填记为“其他”。",
        "同一居民同一天内容相同的走访已登记的不再导入，同一份台账可以放心重复导入。",
    ),
    "dues": (
        "每行一名党员，1月至12月各列填写当月实交金额（元）；已交但没写金额的可写“√”或“已交”，按月缴纳额计（不填月缴纳额的按党费基数计算）；未交的留空。",
        "年度写在表头上方的标题中（如“2025年度党费收缴登记表”），或导入时填写。表下的“合计”行跳过。",
        "有身份证号的按身份证号找党员，否则按姓名（同名的请填写所在党支部或身份证号）；党员须已在党员名册中。",
        "也可每行一个月：姓名、月份（2025-03 或 2025年3月）、应交、实交、交纳日期、收缴人。",
        "已登记同样金额的月份不再导入，同一张表可以放心重复导入；金额不同的会被指出，不会覆盖。",
        "导入的是以前的交纳记录，不生成账目：以前年度的党费收入请用“经费收支明细”导入。",
    ),
}
SPECS: dict[str, Spec] = {
    "development": development_files.SPEC, "meetings": meeting_files.SPEC,
    "residents": resident_files.SPEC, "ledger": ledger_files.SPEC, "visits": visit_files.SPEC,
    "dues": dues_files.SPEC,
}
# The columns a template offers, where not all the import reads (党费: the WIDE register, not the LONG list;
# 党员: not the 流出 details other systems' 流动党员 registers add)
OFFERED: dict[str, tuple[str, ...]] = {"dues": dues_files.TEMPLATE_COLUMNS, "members": members.FILE_COLUMNS}
_TEXT_COLUMNS = ("公民身份号码", "联系电话", "手机号码", "凭证号", "室", "单元")
_WIDE = {"摘要": 30, "走访情况": 30, "反映问题": 30, "办理结果": 30, "会议内容": 40,
         "决议": 30, "议题": 30, "出席人员": 30, "地址": 30, "所在党支部": 24,
         "党组织": 24, "公民身份号码": 21, "备注": 24}


def write_template(kind: str, path: str | Path) -> None:
    """The blank template of a history import (`kind`: development, meetings, residents, ledger, visits, dues)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = SPECS[kind]
    path = Path(path)

    def build(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = spec.title
        bold = Font(bold=True)
        for i, column in enumerate(OFFERED.get(kind, spec.columns), start=1):
            cell = ws.cell(row=1, column=i, value=column)
            cell.font = bold
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.width = _WIDE.get(column, max(10, len(column) * 2 + 2))
            if column in _TEXT_COLUMNS:
                dim.number_format = "@"
        ws.freeze_panes = "A2"
        for column, choices in spec.choices.items():
            letter = get_column_letter(OFFERED.get(kind, spec.columns).index(column) + 1)
            dv = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            dv.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(dv)
        notes = wb.create_sheet("填写说明")
        notes.column_dimensions["A"].width = 110
        notes.append([f"{spec.title}导入模板填写说明"])
        notes["A1"].font = bold
        for n, line in enumerate(NOTES[kind] + _COMMON, start=1):
            notes.append([f"{n}、{line}"])
        wb.save(tmp)

    write_through(path, build)
