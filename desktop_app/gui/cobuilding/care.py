"""慰问: record who was visited on which occasion and with what, and print the 签领表 to take along."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.money import format_yuan, parse_yuan
from desktop_app.gui.cobuilding.common import EDIT, CobuildingDialog, CobuildingPage, d, years
from desktop_app.gui.cobuilding.rows_editor import RowsEditor
from desktop_app.gui.residents.pickers import resident_picker
from desktop_app.gui.widgets.dialog import create_or_update
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Listed, Named, Put, Text
from desktop_app.gui.widgets.forms import combo
from desktop_app.gui.widgets.record_list import DELETE, SEPARATOR, Act, Choice, Loaded, Removal, Search, Table, selected
from desktop_app.gui.widgets.table import CENTER, RIGHT, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import CareDetail, RecipientRow

COLUMNS = (
    Column("日期", lambda r: d(r.care_date), CENTER, 84),
    Column("类别", lambda r: r.occasion, CENTER, 70),
    Column("慰问名称", lambda r: r.title, width=200),
    Column("慰问单位", lambda r: r.unit_name, width=140),
    Column("慰问人", lambda r: r.givers, width=140),
    Column("人数", lambda r: str(r.people), CENTER, 44, sort_key=lambda r: r.people),
    Column("慰问金（元）", lambda r: format_yuan(r.amount_fen) if r.amount_fen else "", RIGHT, 90,
           sort_key=lambda r: r.amount_fen),
)


class RecipientsTable(RowsEditor):
    """The people visited: from the usual list (困难党员, 老党员, 独居老人 …), a resident search, or by name."""

    HEAD, WIDTHS = ("姓名", "类别", "住址", "慰问品", "慰问金（元）"), (80, 90, 160, 100, 90)
    STRETCH, PICKED_LOCKED = 2, (0,)  # a picked member's or resident's name stays as recorded

    def __init__(self, db: Database, candidates: Sequence[RecipientRow], people: Sequence[rules.RecipientInput] = ()):
        super().__init__(150, lambda p: p.member_id or p.resident_id or p.name)
        self.candidates = combo([("（从常用慰问对象中添加）", None)]
                                + [(f"{c.name}（{c.category}）", c) for c in candidates])
        self.candidates.activated.connect(self._candidate)
        self.resident = resident_picker(db, "添加居民：姓名或门牌，回车确认")
        self.resident.picked.connect(self._resident)
        self.items = QLineEdit()
        self.items.setPlaceholderText("默认慰问品，如 米、油")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("默认慰问金（元）")
        add_all = QPushButton("全部添加")
        add_all.clicked.connect(self.add_all)
        self.lay_out([(self.candidates, 2), (add_all, 0), (self.resident, 2)],
                     [(self.items, 2), (self.amount, 1), (self.remove_button, 0)])  # room for its whole hint
        for p in people:
            self.add(p)

    def _defaults(self) -> tuple[str, int]:
        text = self.amount.text().strip()
        return self.items.text().strip(), parse_yuan(text, "慰问金") if text else 0

    def add(self, p: rules.RecipientInput) -> None:
        self.append(p, (p.name, p.category, p.address, p.items,
                        format_yuan(p.amount_fen, grouping=False) if p.amount_fen else ""),
                    bool(p.member_id or p.resident_id))

    def _from(self, c: RecipientRow) -> rules.RecipientInput:
        items, fen = self._defaults()
        return replace(c, items=items, amount_fen=fen)

    def _candidate(self, _i: int) -> None:
        c = self.candidates.currentData()
        if c is not None:
            self.add(self._from(c))
            self.candidates.setCurrentIndex(0)

    def add_all(self) -> None:
        for i in range(1, self.candidates.count()):
            self.add(self._from(self.candidates.itemData(i)))

    def _resident(self, p) -> None:
        if p is not None:
            items, fen = self._defaults()
            self.add(rules.RecipientInput(p.name, "、".join(p.tags[:1]) if p.tags else "", items, fen, p.address,
                                          resident_id=p.resident_id))
            self.resident.set_chosen(None, "")

    def people(self) -> list[rules.RecipientInput]:
        out = []
        for line in self.lines():
            p: rules.RecipientInput = line.payload
            cell = line.texts
            fen = parse_yuan(cell[4], f"慰问金（{cell[0]}）") if cell[4] else 0
            out.append(rules.RecipientInput(cell[0], cell[1], cell[3], fen, cell[2], p.member_id, p.resident_id))
        return out


class CareDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, units: Sequence, candidates: Sequence[RecipientRow],
                 detail: CareDetail | None = None, today: date | None = None):
        super().__init__(parent, db, "修改慰问" if detail else "记录慰问", today=today)
        self.detail = detail
        v = detail.to_input() if detail else rules.CareInput(care_date=self.today, occasion="春节")
        self.fields = FieldForm(self, v, (
            Day("care_date", "慰问日期", attr="on"),
            Listed("occasion", "慰问类别", names=rules.CARE_OCCASIONS),
            Line("title", "慰问名称", f"如 {self.today.year}年春节走访慰问困难党员和群众", attr="title_edit"),
            Named("unit_id", "慰问单位", things=units, none_label="（社区党委）", attr="unit"),
            Line("givers", "慰问人", "谁去慰问，如 社区书记、共建单位负责人"),
            Put("people", "慰问对象", RecipientsTable(db, candidates, v.recipients)),
            Text("notes", "备注", lines=2),
        ))
        self.finish_scrolling(self.fields, 760)
        self.first_field = self.title_edit

    def prepare(self):
        inp = rules.check_care(self.fields.build(rules.CareInput, recipients=self.people.people()), self.today)
        db, today, read_at = self.db, self.today, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: cb.record_care(db, inp, today),
                                lambda cid: cb.update_care(db, cid, inp, today, expected_version=read_at))


def care_html(c: CareDetail) -> str:
    e, r = escape, c.row
    items = "".join(f"<li>{e(p.name)}（{e(p.category or '—')}）{e(p.items)}"
                    f"{' ' + format_yuan(p.amount_fen) + ' 元' if p.amount_fen else ''}</li>" for p in c.recipients)
    return (f"<h3>{e(r.title)}</h3><p>{d(r.care_date)}　{e(r.occasion)}<br>慰问单位：{e(r.unit_name or '社区党委')}<br>"
            f"慰问人：{e(r.givers or '—')}</p><p>慰问 {r.people} 人，慰问金 {format_yuan(r.amount_fen)} 元：</p>"
            f"<ul>{items}</ul>" + (f"<p>{e(c.notes)}</p>" if c.notes else ""))


class CarePage(CobuildingPage):
    export_kind = "care"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.MEMBERS, Change.RESIDENTS)
    tables = (Table(COLUMNS, give_way=("慰问人", "慰问单位"), stretch=2, details_width=320, empty="记录慰问：Ctrl+N。选中后可打印签领表。"),)
    filters = (Search("搜索：慰问名称、慰问人、慰问对象"), Choice("year", years))
    actions = (
        Act("add", "记录慰问", "add_care", "Ctrl+N", name="add"),
        EDIT,
        DELETE,
        SEPARATOR,
        Act("print", "打印签领表", "print_sheet", when=selected, name="sheet"),
    )
    activate = "edit_selected"
    removal = Removal("删除慰问", lambda c: f"确定删除“{c.row.title}”吗？", cb.delete_care)
    detail_of = staticmethod(cb.get_care)

    def load(self, db, f):
        year = f.year or self.today.year
        return Loaded(cb.list_care(db, year, f.text), year=year, units=cb.list_units(db, year=year),
                      candidates=cb.care_candidates(db, self.today))

    details = staticmethod(care_html)

    def on_loaded(self, loaded) -> None:
        rows = loaded.rows
        self.counts.setText(f"{loaded.year}年：慰问 {len(rows)} 次，{sum(r.people for r in rows)} 人次，"
                            f"慰问金 {format_yuan(sum(r.amount_fen for r in rows))} 元")

    def form(self, detail=None) -> CareDialog:
        return CareDialog(self, self.ctx.db, self.listed("units"), self.listed("candidates"), detail, self.today)

    def add_care(self) -> None:
        self.run_dialog(self.form(), lambda c: f"已记录慰问：{c.row.title}（{c.row.people} 人）。")

    def print_sheet(self) -> None:
        c = self.detail
        if c is None:
            return
        db, today = self.ctx.db, self.today
        self.print_pdf("打印慰问签领表", f"慰问签领表{c.row.care_date:%Y%m%d}.pdf",
                       lambda path, job: cb.print_care_sheet(db, c.id, path, today=today),
                       lambda path, n: f"已保存签领表（{n} 人）：{path}")
