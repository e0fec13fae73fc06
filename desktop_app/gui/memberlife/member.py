"""One member's life in the party, from the member's record: the way in (入党经历, 政治生日), then what
happened (出党, 处分, 处置, moves, 流动, 失联 searches) and the actions that record more. The member form opens it:

    from desktop_app.gui.memberlife.member import MemberLifeDialog
    MemberLifeDialog(self, db, member_id, name).exec()
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser

from desktop_app.gui.memberlife.dialogs import DisciplineDialog, DisposalDialog, ExitDialog, MoveDialog
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.layouts import close_box, column
from desktop_app.gui.widgets.table import date_text
from desktop_app.services import memberlife as life
from desktop_app.services import orgs as org_service
from desktop_app.services.database import Database
from desktop_app.views.memberlife import MemberLife

_d = date_text


def life_html(x: MemberLife) -> str:
    e = escape
    parts = [f"<h3>{e(x.name)}　{e(x.status)}</h3><p>{e(x.branch_name)}</p>"]
    if x.vote_barred:
        parts.append("<p><b style='color:#c8161e'>留党察看中：没有表决权、选举权和被选举权</b></p>")

    def section(title: str, lines: list[str]) -> None:
        if lines:
            parts.append(f"<p><b>{title}</b></p><ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")

    if x.political_birthday:
        parts.append(f"<p>政治生日：{x.political_birthday.month}月{x.political_birthday.day}日</p>")
    section("入党经历", [f"{_d(on)} {e(what)}" for on, what in x.path])
    section("出党和离开", [f"{_d(r.exit_date)} {e(r.kind)} {e(r.decided_by)} {e(r.document_no)} {e(r.reason)}"
                          for r in x.exits])
    section("党纪处分", [f"{_d(r.decided_on)} {e(r.kind)}" + (f"（至 {_d(r.ends_on)}）" if r.ends_on else "")
                        + f" {e(r.decided_by)} {e(r.document_no)}" for r in x.disciplines])
    section("不合格党员处置", [f"{r.year}年度 {e(r.measure)} {_d(r.decided_on)}"
                              + (f"，期限 {_d(r.deadline)}" if r.deadline else "") + (f"，{e(r.outcome)}" if r.outcome else "")
                              for r in x.disposals])
    section("组织关系转接", [f"{_d(on)} {e(way)} {e(src or '—')} → {e(dst or '—')}" + (f"（介绍信 {e(no)}）" if no else "")
                          for on, way, src, dst, no in x.transfers])
    section("组织调动", [f"{_d(r.moved_on)} {e(r.from_name or '—')} → {e(r.to_name)}" for r in x.moves])
    section("流动", [f"{e(r.direction)} {_d(r.start_date)} {e(r.place)} 活动证 {e(r.card_no or '—')}"
                    + (f"，{_d(r.end_date)} 返回" if r.end_date else "") for r in x.floating])
    section("失联查找和决定", [f"{_d(r.tried_on)} " + (f"决定：{e(r.decision)}" if r.decision
                                                     else f"{e(r.tried_by)}（{e(r.method)}）{e(r.result)}")
                               for r in x.searches])
    if len(parts) == 1 + bool(x.political_birthday) + bool(x.path):
        parts.append("<p>没有出党、处分、转接、调动、流动或失联的记录。</p>")
    regular = []
    if x.meetings_year is not None:
        regular.append(f"近一年参加组织生活 {x.meetings_year} 次，最近一次："
                       + (_d(x.last_meeting) if x.last_meeting else "无记录"))
    if x.dues_read:
        regular.append("党费交至：" + (f"{x.dues_paid_to.year}年{x.dues_paid_to.month}月" if x.dues_paid_to else "无缴纳记录"))
    section("组织生活和党费", regular)
    return "".join(parts)


class MemberLifeDialog(QDialog):
    def __init__(self, parent, db: Database, member_id: str, name: str):
        super().__init__(parent)
        self.db, self.member = db, (member_id, name)
        self.setWindowTitle(f"{name}：党员动态")
        self.view = QTextBrowser()
        self.orgs: list = []
        row = QHBoxLayout()
        for text, slot in (("登记出党…", self.add_exit), ("党纪处分…", self.add_discipline),
                           ("不合格党员处置…", self.add_disposal), ("调动党支部…", self.move_member)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        self.message = QLabel()
        column(self, (self.view, 1), self.message, row, close_box(self))
        self.resize(620, 480)
        self.reload()

    def reload(self) -> None:
        db, mid = self.db, self.member[0]

        def load(job):
            return life.member_life(db, mid), org_service.list_tree(db)

        def show(result) -> None:
            self.life, self.orgs = result
            self.view.setHtml(life_html(self.life))

        run_op(self, load, show)

    def _run(self, dlg, said: str) -> None:
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.message.setText(said)
            self.reload()

    def add_exit(self) -> None:
        self._run(ExitDialog(self, self.db, self.member), "已登记出党。")

    def add_discipline(self) -> None:
        self._run(DisciplineDialog(self, self.db, self.member), "已登记党纪处分。")

    def add_disposal(self) -> None:
        self._run(DisposalDialog(self, self.db, self.member), "已登记处置。")

    def move_member(self) -> None:
        self._run(MoveDialog(self, self.db, self.orgs, self.member), "已调动。")
