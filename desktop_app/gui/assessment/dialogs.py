"""Assessment forms: a manual score with its evidence, a title, the scheme's thresholds, an indicator."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget,
)

from desktop_app.domain import assessment as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common, forms
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import DateEdit, text_area
from desktop_app.gui.widgets.items import add_item, current_value
from desktop_app.gui.widgets.layouts import fill, form_layout, wrapped
from desktop_app.services import assessment as asm
from desktop_app.views.assessment import (
    BranchAssessment, EvidenceFile, IndicatorNode, RuleInfo, SchemeInfo, TitleRow,
)
from desktop_app.views.changes import Change, changes

ASSESSMENT = changes(Change.ASSESSMENT)


class ScoreDialog(SavingDialog):
    """A branch's manual score on one indicator, with a note, evidence lines and files.

    Files are opened at once; added and removed ones take effect with the score on saving,
    so cancelling the dialog leaves the stored evidence as it was.
    """

    changes_made = ASSESSMENT

    def __init__(self, parent: QWidget | None, db, detail: BranchAssessment, indicator_id: str | None = None):
        super().__init__(parent, f"打分：{detail.row.branch_name}（{detail.year}年度）")
        self.db, self.detail = db, detail
        self.lines = [x for x in detail.scores if not x.computed]
        self.indicator = forms.combo([(f"{x.code} {x.title}（满分 {rules.points(x.max_tenths)}）", x.indicator_id)
                                      for x in self.lines], indicator_id)
        self.indicator.currentIndexChanged.connect(lambda _i: self._fill())
        self.about = wrapped()
        self.score = QLineEdit()
        self.score.setPlaceholderText("如 2 或 1.5")
        self.note = text_area(2, "扣分原因或评价")
        self.evidence = text_area(4, "佐证材料，每行一项（如：换届选举批复、会议记录第 12 页）")
        self.files = QListWidget()
        self.files.setMaximumHeight(90)
        self.files.itemDoubleClicked.connect(lambda _item: self.open_file())
        self.new_files: list[Path] = []
        self.removed: list[EvidenceFile] = []
        add = QPushButton("添加附件…")
        add.clicked.connect(self._pick)
        open_ = QPushButton("打开")
        open_.clicked.connect(self.open_file)
        remove = QPushButton("删除附件…")
        remove.clicked.connect(self.remove_file)
        files = fill(QHBoxLayout(), (self.files, 1), fill(QVBoxLayout(), add, open_, remove, 1))
        self.finish_layout(form_layout(("考评指标", self.indicator), ("", self.about), ("得分", self.score),
                                       ("说明", self.note), ("佐证材料", self.evidence), ("附件", files)))
        self.setMinimumWidth(560)
        self.first_field = self.score
        self._fill()

    def current(self):
        wanted = self.indicator.currentData()
        return next((x for x in self.lines if x.indicator_id == wanted), None)

    def _fill(self) -> None:
        x = self.current()
        self.files.clear()
        self.new_files.clear()
        self.removed.clear()
        if x is None:
            return
        self.about.setText(f"{x.category} › {x.item}" + (f"\n{x.note}" if x.note else ""))
        self.score.setText("" if x.score_tenths is None else rules.points(x.score_tenths))
        self.note.setPlainText(x.note if x.score_id else "")
        self.evidence.setPlainText("\n".join(e.text for e in x.evidence))
        for f in x.files:
            self._list(f.file_name, f)

    def _pick(self) -> None:
        self.add_files(forms.ask_open_paths(self, "选择佐证材料"))  # starts in Documents, refuses the data folder

    def add_files(self, paths: Sequence[Path]) -> None:
        for p in paths:
            self.new_files.append(p)
            self._list(f"{p.name}（新）", p)

    def _list(self, text: str, what: EvidenceFile | Path) -> None:
        add_item(self.files, text, what)

    def chosen_file(self) -> EvidenceFile | Path | None:
        return current_value(self.files)

    def open_file(self) -> None:
        """Open the selected file with the system's viewer (a stored file is looked up off the GUI thread)."""
        f = self.chosen_file()
        if isinstance(f, Path):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(f)))
        elif f is not None:
            db = self.db
            run_op(self, lambda job: asm.evidence_file_path(db, f.id),
                   lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    def remove_file(self) -> None:
        """Take the selected file off the list; a stored one is deleted on saving, after a confirmation."""
        f = self.chosen_file()
        if f is None:
            return
        if isinstance(f, EvidenceFile):
            if not common.ask(self, "删除附件", f"确定删除佐证材料“{f.file_name}”吗？保存评分后删除。"):
                return
            self.removed.append(f)
        else:
            self.new_files.remove(f)
        self.files.takeItem(self.files.currentRow())

    def prepare(self):
        x = self.current()
        if x is None:
            raise ValidationError("考评指标", "本方案没有需要人工打分的指标")
        score = rules.check_manual_score(rules.parse_points(self.score.text(), "得分"), x.max_tenths)
        db, branch, year = self.db, self.detail.row.branch_id, self.detail.year
        note, evidence, files = self.note.toPlainText(), self.evidence.toPlainText(), list(self.new_files)
        removed = [f.id for f in self.removed]

        # One act: the score with the files taken off and added, or (a file refused, named) nothing.
        return lambda: asm.set_score(db, branch, year, x.indicator_id, score, note, evidence,
                                     add_files=files, remove_files=removed)


class TitleDialog(SavingDialog):
    """A title the branch received (红旗党支部, 示范点), when and from whom."""

    changes_made = ASSESSMENT

    def __init__(self, parent: QWidget | None, db, branch_id: str, branch_name: str, year: int,
                 title: TitleRow | None = None):
        super().__init__(parent, f"荣誉称号：{branch_name}")
        self.db, self.branch_id, self.year, self.row = db, branch_id, year, title
        self.title_box = QComboBox()
        self.title_box.setEditable(True)
        self.title_box.addItems(list(rules.TITLES))
        self.title_box.setCurrentText(title.title if title else rules.TITLES[0])
        self.granted = DateEdit(title.granted_on if title else date.today(), optional=True)
        self.issued_by = QLineEdit(title.issued_by if title else "")
        self.issued_by.setPlaceholderText("如 某某街道党工委")
        self.note = text_area(2)
        if title:
            self.note.setPlainText(title.note)
        self.finish_layout(form_layout(("称号", self.title_box), ("所评年度", QLabel(f"{year} 年度")),
                                       ("授予日期", self.granted), ("授予单位", self.issued_by), ("备注", self.note)))
        self.setMinimumWidth(420)
        self.first_field = self.issued_by

    def prepare(self):
        db, row, branch, year = self.db, self.row, self.branch_id, self.year
        title, on, by, note = (self.title_box.currentText(), self.granted.value(), self.issued_by.text(),
                               self.note.toPlainText())
        read_at = row.version if row else None  # the record as this form read it
        return lambda: asm.save_title(db, row.id if row else None, branch, year, title, on, by, note,
                                      expected_version=read_at)


class SchemeDialog(SavingDialog):
    """The year's scheme: its name, the 五好 and 达标 lines, notes."""

    changes_made = ASSESSMENT

    def __init__(self, parent: QWidget | None, db, scheme: SchemeInfo):
        super().__init__(parent, f"{scheme.year}年度考评方案")
        self.db, self.scheme = db, scheme
        self.name = QLineEdit(scheme.name)
        self.excellent = QLineEdit(rules.points(scheme.excellent_tenths))
        self.passed = QLineEdit(rules.points(scheme.pass_tenths))
        self.notes = text_area(3)
        self.notes.setPlainText(scheme.notes)
        self.finish_layout(form_layout(
            ("方案名称", self.name), ("结构", QLabel(scheme.shape + ("（示例方案）" if scheme.is_sample else ""))),
            ("五好党支部分数线", self.excellent), ("达标分数线", self.passed), ("说明", self.notes)))
        self.setMinimumWidth(460)
        self.first_field = self.name

    def prepare(self):
        excellent = rules.parse_points(self.excellent.text(), "五好党支部分数线")
        passed = rules.parse_points(self.passed.text(), "达标分数线")
        rules.check_thresholds(excellent, passed, self.scheme.total_tenths)
        db, sid, name, notes = self.db, self.scheme.id, self.name.text(), self.notes.toPlainText()
        read_at = self.scheme.version  # the scheme as this form read it
        return lambda: asm.save_scheme(db, sid, name, excellent, passed, notes, expected_version=read_at)


class IndicatorDialog(SavingDialog):
    """One indicator of the scheme: its wording, points, scoring rule and parameters.

    `adding` makes a new indicator under a chosen item; otherwise an existing one
    is picked and changed, or asked to be deleted (`delete_requested`, the page confirms).
    """

    changes_made = ASSESSMENT

    def __init__(self, parent: QWidget | None, db, scheme: SchemeInfo, rule_list: Sequence[RuleInfo],
                 indicator_id: str | None = None, adding: bool = False):
        super().__init__(parent, f"{'新增' if adding else '修改'}考评指标（{scheme.year}年度）")
        self.db, self.scheme, self.adding = db, scheme, adding
        self.delete_requested: IndicatorNode | None = None
        self.nodes: list[IndicatorNode] = scheme.indicators()
        if adding:
            self.pick = forms.combo([(f"{n.code} {n.title}", n.id) for n in scheme.nodes if n.level == rules.ITEM])
        else:
            self.pick = forms.combo([(f"{n.code} {n.title}", n.id) for n in self.nodes], indicator_id)
            self.pick.currentIndexChanged.connect(lambda _i: self._fill())
        self.title_edit = QLineEdit()
        self.max_edit = QLineEdit()
        self.rule = forms.combo([(r.label, r.key) for r in rule_list])
        self.rule_help = {r.key: r for r in rule_list}
        self.rule.currentIndexChanged.connect(lambda _i: self._explain())
        self.explain = wrapped()
        self.params = QLineEdit()
        self.description = text_area(2, "评分标准、查阅的材料")
        self.note = text_area(2)
        parts: list = [form_layout(
            ("所属二级指标" if adding else "指标", self.pick), ("名称", self.title_edit), ("满分", self.max_edit),
            ("计分方式", self.rule), ("", self.explain), ("参数", self.params), ("评分标准", self.description),
            ("备注", self.note))]
        if not adding:
            remove = QPushButton("删除此指标…")
            remove.clicked.connect(self._ask_delete)
            parts.append(fill(QHBoxLayout(), 1, remove))
        self.finish_layout(*parts)
        self.setMinimumWidth(560)
        self.first_field = self.title_edit
        if adding:
            self._explain()
        else:
            self._fill()

    def current(self) -> IndicatorNode | None:
        wanted = self.pick.currentData()
        return next((n for n in self.nodes if n.id == wanted), None)

    def _fill(self) -> None:
        n = self.current()
        if n is None:
            return
        self.title_edit.setText(n.title)
        self.max_edit.setText(rules.points(n.max_tenths))
        forms.select(self.rule, n.rule)
        self.params.setText(n.params)
        self.description.setPlainText(n.description)
        self.note.setPlainText(n.note)
        self._explain()

    def _explain(self) -> None:
        r = self.rule_help.get(self.rule.currentData())
        self.explain.setText("" if r is None else r.description + (f"\n参数：{r.params_hint}" if r.params_hint else ""))
        # 人工评分 and rules without parameters take none: an open box there only invites typing JSON
        takes = r is not None and bool(r.params_hint)
        self.params.setEnabled(takes or bool(self.params.text().strip()))
        self.params.setPlaceholderText("不填用默认值；写法照上面“参数”的样子" if takes else "此计分方式没有参数")

    def _ask_delete(self) -> None:
        self.delete_requested = self.current()
        if self.delete_requested is not None:
            self.reject()

    def prepare(self):
        if self.adding:
            parent_id, node_id, read_at = self.pick.currentData(), None, None
            if parent_id is None:
                raise ValidationError("所属二级指标", "本方案还没有二级指标")
        else:
            n = self.current()
            if n is None:
                raise ValidationError("指标", "本方案还没有考评指标")
            parent_id, node_id, read_at = n.parent_id, n.id, n.version  # the indicator as this form read it
        max_tenths = rules.check_max(rules.parse_points(self.max_edit.text(), "满分"))
        rules.parse_params(self.params.text())
        db, sid = self.db, self.scheme.id
        title, rule, params = self.title_edit.text(), self.rule.currentData(), self.params.text()
        description, note = self.description.toPlainText(), self.note.toPlainText()
        return lambda: asm.save_indicator(db, sid, node_id, parent_id, rules.INDICATOR, title, max_tenths, rule,
                                          params, description, note, expected_version=read_at)
