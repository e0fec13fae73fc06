"""开始使用: a first morning shows the steps that fill the books, not a year of zeros.

An empty roster makes every figure of 本年数据 a 0 and every chart 暂无数据; the worker
opening the program for the first time learns nothing from them. While a community's
roster is empty (a street's: while no community's package has come in) the page shows
these steps instead, each with the button that opens the page where it is done and,
as the counts come in, whether it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from desktop_app.gui.widgets.layouts import column, wrapped

DONE_STYLE = "color: #1b7a1b;"
TODO_STYLE = "color: #c8161e;"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    text: str
    button: str
    page: str  # the page the button opens; "" for the backup, made from the window's 文件 menu


BACKUP = Step("backup", "备份数据",
              "数据只保存在这台电脑上：每天工作结束前用“文件”菜单 → 立即备份，并把备份另存到 U 盘。", "立即备份", "")


@dataclass(frozen=True)
class Guide:
    title: str
    steps: tuple[Step, ...]
    after: str  # what shows once the guide gives way


COMMUNITY = Guide("开始使用：名册中还没有党员，请按下面的步骤建立本社区的台账", (
    Step("members", "导入党员名册",
         "在“导入表格”选择现有的党员花名册（Excel 或 CSV），表中“所在党支部”尚未建立的可一并建立；"
         "没有花名册的，在“党员名册”逐个新增。", "导入党员名册", "导入表格"),
    Step("orgs", "核对党组织",
         "在“党组织”页核对本社区党委下的党支部，补上党小组和支委会成员：三会一课按党支部安排和统计。",
         "打开党组织", "党组织"),
    Step("residents", "录入居民和住户",
         "在“居民”页新增住户和居民，或在“导入表格”选“居民和住户”导入现有台账；走访、微心愿都要用到。",
         "打开居民", "居民"),
    BACKUP,
), "名册有了党员以后，这里改为显示“本年数据”：党员、会议、走访、经费等各项数字和上年对比。")

# A street's books are its communities' packages: its first steps are the key and the enrolments they travel by.
STREET = Guide("开始使用：还没有社区报送的数据，请按下面的步骤接收各社区的数据", (
    Step("key", "生成街道密钥",
         "在“数据同步”页点“生成街道密钥…”（只需一次）。私钥文件和口令由街道妥善保管，不要拷给社区："
         "社区报送的数据包只有它能打开。",
         "打开数据同步", "数据同步"),
    Step("enrol", "接收社区登记",
         "各社区在自己的“数据同步”页“向街道登记”，把登记申请用 U 盘带来；在“数据同步”页“接受社区登记”、"
         "与社区核对指纹，再把登记回执带回社区。", "打开数据同步", "数据同步"),
    Step("communities", "导入社区数据包",
         "社区报送的数据包在“数据同步”页用“导入社区数据包…”导入。", "打开数据同步", "数据同步"),
    BACKUP,
), "导入第一个社区的数据包以后，这里改为显示全街道的“本年数据”和“各社区”对比。")


def step_done(key: str, counts) -> str | None:
    """What shows `key` done in the standing counts (services.overview.Overview), or None while it is not;
    the backup is not among them (the 待办 list says when there is none)."""
    if key == "members" and counts.members:
        return f"已有 {counts.members} 名党员"
    if key == "orgs" and counts.orgs_by_kind.get("branch", 0):
        return f"已有 {counts.orgs_by_kind['branch']} 个党支部"
    if key == "residents" and counts.residents:
        return f"已有 {counts.residents} 名居民"
    if key == "communities" and counts.orgs_by_kind.get("community", 0):
        return f"已有 {counts.orgs_by_kind['community']} 个社区"
    return None


class FirstSteps(QWidget):
    """The steps, numbered, each a line of what to do and its button; `chosen` says which button was clicked."""

    chosen = Signal(object)  # the Step

    def __init__(self, guide: Guide, parent: QWidget | None = None):
        super().__init__(parent)
        self.guide = guide
        title = QLabel(guide.title)
        title.setObjectName("cardTitle")
        title.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        self.states: dict[str, QLabel] = {}
        for row, step in enumerate(guide.steps):
            number = QLabel(f"{row + 1}")
            number.setObjectName("cardValue")
            number.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            name = wrapped(f"<b>{step.title}</b>")
            state = wrapped("")  # wrapping: a narrow tab breaks "✓ 已有 5 个党支部" rather than scroll sideways
            text = wrapped(step.text)
            button = QPushButton(step.button)
            button.clicked.connect(lambda _=False, s=step: self.chosen.emit(s))
            self.buttons[step.key], self.states[step.key] = button, state
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setStyleSheet("color: #dcdfe4;")
            # the button under its text, not beside it: at 1024×768 with 125% scaling the tab is some 240
            # pixels wide, and a fourth column pushed the buttons out of sight behind a scroll bar
            top = 4 * row
            grid.addWidget(number, top, 0, 3, 1)
            grid.addWidget(name, top, 1)
            grid.addWidget(state, top, 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(text, top + 1, 1, 1, 2)
            grid.addWidget(button, top + 2, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)
            if row < len(guide.steps) - 1:
                grid.addWidget(line, top + 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        after = QLabel(guide.after)
        after.setObjectName("cardDetail")
        after.setWordWrap(True)
        lay = column(self, title, grid, after, 1)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.setSpacing(12)

    def show_counts(self, counts, pages: set[str]) -> None:
        """Each step done or not by `counts`; a button whose page this account does not see is hidden."""
        for step in self.guide.steps:
            done = step_done(step.key, counts)
            state = self.states[step.key]
            if step.key in ("backup", "key", "enrol"):  # not among the counts: no tick, nor a 未完成 that may be wrong
                state.setText("")
            else:
                state.setText(f"✓ {done}" if done else "未完成")
                state.setStyleSheet(DONE_STYLE if done else TODO_STYLE)
            self.buttons[step.key].setVisible(not step.page or step.page in pages)
