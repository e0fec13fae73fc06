"""组织关系转接: every 转入 and 转出 with its 介绍信 (number, validity, 党费交至) and whether the 回执
came back; record the letter, record the 回执. The transfer itself is made on the roster page."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.bars import NEW_KEYS, offered
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Month
from desktop_app.gui.widgets.record_list import Act, Choice, RecordListPage, Table, selected
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, Column, date_text
from desktop_app.services import transfers as transfer_service
from desktop_app.views.changes import Change, changes
from desktop_app.views.transfers import TransferLetterRow

WRITES = changes(Change.MEMBERS)
# the roster's action that makes a transfer (roster.page act_transfer), named in this page's hint
ROSTER_TRANSFER = "组织关系转接"


_d = date_text


COLUMNS = (
    Column("方向", lambda r: r.direction, CENTER, 44),
    Column("党员", lambda r: r.member_name, width=70),
    Column("转接日期", lambda r: _d(r.transfer_date), CENTER, 88),
    Column("转出单位", lambda r: r.from_org, width=140),
    Column("转入单位", lambda r: r.to_org, width=140),
    Column("介绍信编号", lambda r: r.letter_no, width=136),  # a whole 梅组转〔2026〕27号
    Column("有效期至", lambda r: _d(r.valid_until), CENTER, 88),
    Column("党费交至", lambda r: f"{r.dues_paid_to:%Y-%m}" if r.dues_paid_to else "", CENTER, 70),
    Column("回执", lambda r: _d(r.receipt_on) or ("逾期未回" if r.overdue else "未回"), CENTER, 88),
)


def _color(r: TransferLetterRow):
    return ALERT if r.overdue else (DONE if r.receipt_on else None)


def _outgoing(r: TransferLetterRow | None) -> bool:
    return r is not None and r.direction == "转出"


def _waiting(r: TransferLetterRow | None) -> bool:
    return r is not None and r.receipt_on is None


def _received(r: TransferLetterRow | None) -> bool:
    return r is not None and r.receipt_on is not None


class LetterDialog(SavingDialog):
    """介绍信: its number, how long it is valid, up to which month dues were paid."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db, row: TransferLetterRow):
        super().__init__(parent, f"{row.member_name}：{row.direction}介绍信")
        self.db, self.row = db, row
        self.fields = FieldForm(self, row, (
            Line("letter_no", "介绍信编号"),
            Day("valid_until", "有效期至", optional=True),
            Month("dues_paid_to", "党费交至", optional=True),
        ))
        self.finish_layout(QLabel(f"{row.from_org or '—'} → {row.to_org or '—'}，{_d(row.transfer_date)}"), self.fields)
        self.first_field = self.letter_no

    def prepare(self):
        db, tid = self.db, self.row.id
        number, valid, dues = self.fields.values().values()
        return lambda: transfer_service.set_letter(db, tid, number, valid, dues)


class TransfersPage(RecordListPage):
    export_kind = "transfers"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.MEMBERS)
    writes = WRITES
    tables = (Table(COLUMNS, _color, give_way=("介绍信编号", "党费交至", "有效期至"), stretch=3, details_width=260,
                    empty=f"转接在党员名册中选中党员，点“{ROSTER_TRANSFER}”办理；此处登记介绍信和回执。"),)
    filters = (Choice("direction", [("转入", "转入"), ("转出", "转出")], "转入和转出"),
               Choice("open", [("只看未回执", True)], "已回执和未回执"))
    actions = (
        Act("edit", "登记介绍信", "edit_letter", NEW_KEYS, when=selected, name="letter"),  # the page's 新增, Insert too
        Act("all-present", "回执已收到", "receipt", when=_waiting, name="receipt", writes=True),
        Act("undo", "撤销回执", "undo_receipt", when=_received, name="undo_receipt", writes=True,
            why="只有已登记回执的转接可以撤销回执"),
        Act("print", "打印介绍信", "print_letter", when=_outgoing, name="print",
            why="介绍信由转出方开具：请选中一条转出记录"),
    )
    activate = "edit_letter"

    def offered(self, text: str) -> str:
        """The hint names the roster's “组织关系转接”, which this page's actions do not hold: it is hidden under the
        same permission as 登记介绍信 (members.write, gui/pages.py), so it goes when that one went."""
        hidden = self.hidden_writes
        if "登记介绍信" in hidden:
            hidden = hidden | {ROSTER_TRANSFER}
        return offered(text, hidden)

    def load(self, db, f):
        return transfer_service.transfers(db, f.direction, bool(f.open), self.today)

    def fetch_detail(self, db, row):
        return row

    def detail_html(self, r: TransferLetterRow) -> str:
        e = escape
        receipt = _d(r.receipt_on) or ("<b style='color:#c8161e'>介绍信已过期，回执未回</b>" if r.overdue else "未回")
        return (f"<h3>{e(r.member_name)} {e(r.direction)}</h3><p>{_d(r.transfer_date)}<br>"
                f"{e(r.from_org or '—')} → {e(r.to_org or '—')}</p>"
                f"<p>介绍信：{e(r.letter_no or '未登记')}<br>有效期至：{_d(r.valid_until) or '—'}<br>"
                f"党费交至：{f'{r.dues_paid_to:%Y年%m月}' if r.dues_paid_to else '—'}<br>回执：{receipt}</p>"
                + (f"<p>{e(r.note)}</p>" if r.note else ""))

    def on_loaded(self, loaded) -> None:
        waiting = sum(1 for r in loaded.rows if r.receipt_on is None)
        late = sum(1 for r in loaded.rows if r.overdue)
        self.counts.setText(f"{len(loaded.rows)} 条，未回执 {waiting} 条" + (f"（逾期 {late}）" if late else ""))

    def edit_letter(self) -> None:
        r = self.detail
        if r is not None:
            self.run_dialog(LetterDialog(self, self.ctx.db, r), "已保存介绍信。", keep=r.id)

    def print_letter(self) -> None:
        r = self.detail
        if not _outgoing(r):
            return
        db, tid = self.ctx.db, r.id
        self.print_pdf(f"打印{r.member_name}的介绍信", f"组织关系介绍信_{r.member_name}.pdf",
                       lambda path, job: transfer_service.print_letter(db, tid, path),
                       lambda path, _r: f"已保存介绍信：{path}（存根、介绍信、回执，沿裁剪线剪开）")

    def receipt(self) -> None:
        r = self.detail
        if not _waiting(r):
            return
        db, today = self.ctx.db, self.today
        self.ask_date_note("回执已收到", f"{r.member_name} {r.direction}：{r.from_org or '—'} → {r.to_org or '—'}",
                           "收到日期", None, lambda on, _note: transfer_service.record_receipt(db, r.id, on, today),
                           "已登记回执。", "确认", keep=r.id)

    def undo_receipt(self) -> None:
        """For a 回执 recorded by mistake; the question names the letter and the member, as the worker checks
        them against the paper before the transfer is open again."""
        r = self.detail
        if not _received(r):
            return
        letter = f"介绍信“{r.letter_no}”" if r.letter_no else "介绍信（未登记编号）"
        if not common.ask(self, "撤销回执", f"撤销{r.member_name}{r.direction}（{_d(r.transfer_date)}，"
                          f"{r.from_org or '—'} → {r.to_org or '—'}）{letter}的回执（{_d(r.receipt_on)} 收到）？\n"
                          "（只用于登记错误；撤销后这条转接重新列为未回执，并记入操作记录）"):
            return
        db, tid = self.ctx.db, r.id
        self.keep(tid)
        self.write(lambda: transfer_service.undo_receipt(db, tid), f"已撤销{r.member_name}的回执。")
