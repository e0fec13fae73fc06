"""议题 of a meeting with the decision and the vote (赞成/反对/弃权), opened from a meeting's record.

The vote counts only members with a vote that day (预备党员, 停止党籍 and 留党察看
have none); a topic passes with more than half of those expected (应到).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app.domain import memberlife as rules
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import text_area
from desktop_app.gui.widgets.layouts import form_layout
from desktop_app.gui.widgets.register import RegisterDialog
from desktop_app.gui.widgets.table import CENTER, Column
from desktop_app.services import memberlife as life
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.memberlife import TopicRow

WRITES = changes(Change.MEETINGS)


def _votes(r: TopicRow) -> str:
    if r.votes_for is None:
        return "未表决"
    return f"{r.votes_for} / {r.votes_against or 0} / {r.votes_abstain or 0}"


COLUMNS = (
    Column("序号", lambda r: str(r.seq), CENTER, 40),
    Column("议题", lambda r: r.title, width=220),
    Column("赞成/反对/弃权", _votes, CENTER, 110),
    Column("结果", lambda r: "" if r.passed is None else ("通过" if r.passed else "未通过"), CENTER, 60),
    Column("决定", lambda r: r.decision, width=220),
)


class TopicDialog(SavingDialog):
    """One 议题: its title, the decision, and the vote when one was taken."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, meeting_id: str):
        super().__init__(parent, "添加议题")
        self.db, self.meeting_id = db, meeting_id
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如 讨论接收周晓梅为预备党员")
        self.decision = text_area(2, "会议决定")
        self.voted = QCheckBox("进行了表决")
        self.spins = []
        row = QHBoxLayout()
        for label in ("赞成", "反对", "弃权"):
            spin = QSpinBox()
            spin.setRange(0, 9999)
            spin.setEnabled(False)
            row.addWidget(QLabel(label))
            row.addWidget(spin)
            self.spins.append(spin)
        self.voted.toggled.connect(lambda on: [s.setEnabled(on) for s in self.spins])
        form = form_layout(("议题", self.title_edit), ("决定", self.decision), ("", self.voted), ("票数", row))
        self.first_field = self.title_edit
        self.finish_layout(form, QLabel("只计有表决权的到会党员；预备党员、停止党籍和留党察看的党员没有表决权。"))

    def prepare(self):
        votes = tuple(s.value() for s in self.spins) if self.voted.isChecked() else (None, None, None)
        title = rules.check_topic(self.title_edit.text(), votes, None)
        db, mid, decision = self.db, self.meeting_id, self.decision.toPlainText()
        return lambda: life.add_topic(db, mid, title, decision, *votes)


class TopicsDialog(RegisterDialog):
    """A meeting's 议题: list, add, remove."""

    columns, stretch, writes, add_text = COLUMNS, 4, WRITES, "添加议题…"
    needs = "meetings.write"  # add_topic's and delete_topic's: 只读 reads a meeting's topics
    empty = "这次会议还没有登记议题。要表决的事项（如接收预备党员）点“添加议题…”逐项登记，表决结果随会议记录打印。"

    def __init__(self, parent: QWidget | None, db: Database, meeting_id: str, label: str = ""):
        self.meeting_id = meeting_id
        super().__init__(parent, db, f"议题与表决 — {label}" if label else "议题与表决", 760, 380)

    def load(self, db):
        return life.topics(db, self.meeting_id)

    def form(self) -> TopicDialog:
        return TopicDialog(self, self.db, self.meeting_id)

    def added(self, saved) -> str:
        return f"已添加议题：{saved.title}"

    def removal(self, row: TopicRow):
        return "删除议题", f"删除议题“{row.title}”？", lambda db: life.delete_topic(db, row.id)


def open_topics(page) -> None:
    """The meetings page's 议题与表决 action: the selected meeting's topics."""
    row = page.selected_row()
    if row is not None:
        TopicsDialog(page, page.ctx.db, row.id, f"{row.number} {row.title}").exec()
