"""Dialogs of sync: choosing files and USB drives, the preview of an import (and its result), export summaries,
and for several packages at once one confirmation listing them and one result.

File choosers are module functions so tests replace them in one place, like
common.ask. They remember the folder last chosen (a stick the program did not
recognise as one, or a folder on it), so the next package is looked for there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Mapping, Sequence

from PySide6.QtCore import QStorageInfo, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QInputDialog, QLabel, QTableView, QVBoxLayout, QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.sync_rules import table_label
from desktop_app.gui import icons
from desktop_app.gui.widgets import forms
from desktop_app.gui.widgets.layouts import column
from desktop_app.gui.widgets.table import LEFT, RIGHT, Column, ColumnModel, table_view
from desktop_app.views.sync import CANCELLED, BatchItem, BatchReport, ExportResult, ImportReport, PackageCheck

PACKAGE_FILTER = "同步数据包 (*.dqsync *.zip);;所有文件 (*)"
KEY_FILTER = "同步私钥 (*.dqkey);;所有文件 (*)"
REQUEST_FILTER = "登记申请 (*.dqreq);;所有文件 (*)"
REPLY_FILTER = "登记回执 (*.dqreply);;所有文件 (*)"
RED = QColor("#c8161e")
_USB_FILESYSTEMS = {"vfat", "exfat", "fat", "fat32", "msdos", "fuseblk"}


# --- small formatting shared with the page --------------------------------------------

def local_time(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Times are kept in UTC; people read their own clock (domain.clock, as everywhere)."""
    return clock.local_text(dt, fmt, empty="—")


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


# --- where files go -----------------------------------------------------------------

def usb_drives() -> list[Path]:
    """Mounted removable-looking volumes (FAT/exFAT), the likely USB sticks."""
    out = []
    for vol in QStorageInfo.mountedVolumes():
        fs = bytes(vol.fileSystemType()).decode(errors="ignore").lower()
        if vol.isValid() and vol.isReady() and not vol.isReadOnly() and fs in _USB_FILESYSTEMS and not vol.isRoot():
            out.append(Path(vol.rootPath()))
    return out


_LAST_FOLDER = "sync/last_folder"


def _remembered(drives: Sequence[Path]) -> Path | None:
    """The folder a sync file was last saved to or taken from, while it is there (a stick pulled out is not),
    unless a stick is in and that folder is not on it: the stick just plugged in is where the package is."""
    from desktop_app.gui.widgets.memory import ui_settings

    last = ui_settings().value(_LAST_FOLDER)
    if not last:
        return None
    path = Path(str(last))
    try:
        if not path.is_dir() or forms._inside_data_dir(path):
            return None
        if drives and not any(path.resolve().is_relative_to(d.resolve()) for d in drives):
            return None
    except OSError:
        return None
    return path


def remember_folder(path: Path | None) -> None:
    """Note where a sync file went or came from (a file's folder), for the next dialog."""
    if path is None:
        return
    from desktop_app.gui.widgets.memory import ui_settings

    store = ui_settings()
    store.setValue(_LAST_FOLDER, str(path if path.is_dir() else path.parent))
    store.sync()


def default_folder() -> str:
    """The last folder used when it is still there, else a stick when one is in, else Documents."""
    drives = usb_drives()
    last = _remembered(drives)
    if last is not None:
        return str(last)
    if drives:
        return str(drives[0])
    return str(forms.documents_dir())  # never the data folder, as every other open dialog


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, default_folder())
    chosen = Path(folder) if folder else None
    remember_folder(chosen)
    return chosen


def choose_open(parent: QWidget | None, title: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, default_folder(), filters)
    chosen = Path(name) if name else None
    remember_folder(chosen)
    return chosen


def choose_files(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, default_folder(), filters)
    chosen = [Path(n) for n in names]
    remember_folder(chosen[0] if chosen else None)
    return chosen


def choose_save(parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
    """Key files take the one save flow: the folder last used or a USB stick when one is in, else the 打印文件
    folder; never the data folder."""
    drives = usb_drives()
    folder = _remembered(drives) or (drives[0] if drives else None)
    chosen = forms.ask_save_path(parent, title, suggested, filters, folder=folder)
    if not suggested.endswith(".dqkey"):  # a private key is kept apart from the stick: not where packages go
        remember_folder(chosen)
    return chosen


def choose_street(parent: QWidget | None, community: str, streets: Sequence[tuple[str, str]],
                  text: str = "") -> str | None:
    """At a district: the 街道党工委 (a combo of the district's) a community enrolling is under; its id."""
    dlg = QInputDialog(parent)
    dlg.setWindowTitle("所属街道")
    dlg.setLabelText(text or f"{community}属于哪个街道党工委？\n它的第一个数据包导入后，社区党委就挂在这个街道之下。")
    dlg.setComboBoxItems([name for _, name in streets])
    dlg.setComboBoxEditable(False)
    dlg.setOkButtonText("确定")
    dlg.setCancelButtonText("取消")
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dict((n, i) for i, n in streets).get(dlg.textValue())


# --- the dry run, and the result --------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    cells: Sequence[str]
    total: bool = False  # the 合计 line, in bold


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], bold_last: bool = False) -> QTableView:
    """A read-only summary: the first column names the line, the figures right-aligned, the last line a total."""
    model = ColumnModel([Column(h, lambda line, i=i: line.cells[i], RIGHT if i else LEFT, bold=lambda line: line.total)
                         for i, h in enumerate(headers)])
    model.set_rows([_Line(cells, bold_last and r == len(rows) - 1) for r, cells in enumerate(rows)])
    t = table_view(model, fit=False)
    model.setParent(t)
    t.setAlternatingRowColors(False)
    t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    t.verticalHeader().resetDefaultSectionSize()  # a few lines: the roomier rows of a dialog, not a list's
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, len(headers)):
        t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    return t


def report_rows(report: ImportReport) -> list[list[str]]:
    rows = [
        [t.label, str(t.inserted), str(t.updated), str(t.unchanged), str(t.older), str(t.conflicts)]
        for t in report.tables if t.total
    ]
    rows.append(["合计", *(str(report.total(k)) for k in ("inserted", "updated", "unchanged", "older", "conflicts"))])
    return rows


def _figures(report: ImportReport, result: bool) -> str:
    """The import in one line above its table of 30-odd tables, whose 合计 sits below the fold."""
    if report.changes_nothing:
        return "未改变本库的任何数据。" if result else "导入不会改变本库的任何数据。"
    done = [f"{verb} {report.total(what):,} 条记录" for verb, what in (("新增", "inserted"), ("更新", "updated"))
            if report.total(what)]
    kept = report.total("conflicts")
    return (("已" if result else "导入后将") + "，".join(done or ["不新增也不更新记录"])
            + (f"；{kept:,} 条两边都改过，保留双方版本待处理" if kept else "") + "。")


class ImportPreviewDialog(QDialog):
    """What importing a package would do (its preview), or did (result=True), table by table."""

    def __init__(self, parent: QWidget | None, report: ImportReport, result: bool = False, upper: str = "街道"):
        super().__init__(parent)
        self.report = report
        src = report.from_site
        self.setWindowTitle("导入结果" if result else "导入前预览")
        self.head = head = QLabel(
            f"<b>{src.org_name}</b>（{src.org_code}）的{'下发包' if report.kind == 'downstream' else '数据包'}<br>"
            f"生成于 {local_time(report.created_at)}，{'全部数据' if report.full else '变化部分'}，"
            f"{size_text(report.size)}，{'已加密' if report.encrypted else '未加密'}；签名、校验值均已核对无误。"
            f"<br><b>{_figures(report, result)}</b>"
        )
        head.setWordWrap(True)
        notes = []
        if report.new_community:
            notes.append("这是第一次收到这个社区的数据包，已登记为新社区。" if result
                         else "这是第一次收到这个社区的数据包，导入后会登记为新社区。")
        if report.already_imported:
            notes.append("这个数据包以前导入过，再次导入不会有任何变化。")
        notes.extend(w if w.endswith("。") else w + "。" for w in report.warnings)  # each a sentence of its own
        if report.total("conflicts"):
            if result:
                notes.append(f"有 {report.total('conflicts')} 条记录两边都改过，已保留双方版本，请到“冲突”中逐条处理。")
            else:
                notes.append(f"有 {report.total('conflicts')} 条记录两边都改过：导入时不覆盖，保留双方版本等待处理。")
        if result and report.confirmed:
            notes.append(f"{upper}已确认收到本社区的 {report.confirmed} 个数据包，下次报送只需导出之后的变化。")
        self.notes = QLabel("\n".join(notes))
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #b26a00")
        self.table = _table(["表", "新增", "更新", "未变", "较旧（保留本地）", "冲突"], report_rows(report),
                            bold_last=True)
        buttons = QDialogButtonBox()
        if result:
            buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            ok = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
            ok.setIcon(icons.get("package-in"))
            buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        if notes:
            lay.addWidget(self.notes)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.resize(640, 520)


def _list(columns: Sequence[Column], rows: Sequence) -> QTableView:
    """A read-only list of files for a dialog: the reason column takes what room is left, wrapped in its tooltip."""
    model = ColumnModel(columns)
    model.set_rows(rows)
    t = table_view(model, fit=False)
    model.setParent(t)
    t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    t.verticalHeader().resetDefaultSectionSize()
    head = t.horizontalHeader()
    for c in range(len(columns)):
        head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    head.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return t


def _long(text: str) -> str | None:
    return text if len(text) > 12 else None


def _reasons(pairs: Sequence[tuple[Path, str]]) -> QLabel:
    """Each refused file's reason in full, under the list (where a long one is cut short)."""
    label = QLabel("\n".join(f"{path.name}：{why}" for path, why in pairs))
    label.setWordWrap(True)
    label.setStyleSheet("color: #c8161e")
    label.setVisible(bool(pairs))
    return label


def _stack(dialog: QDialog, head: QLabel, table: QTableView, reasons: QLabel, buttons: QDialogButtonBox) -> None:
    """A batch dialog's one layout: what it is about, the list of files, the reasons in full, the buttons."""
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    column(dialog, head, (table, 1), reasons, buttons)
    dialog.resize(820, 440)


class BatchConfirmDialog(QDialog):
    """Several packages chosen at once: each file, its community and rows, a refused one with its reason; one OK."""

    def __init__(self, parent: QWidget | None, checks: Sequence[PackageCheck]):
        super().__init__(parent)
        self.checks = list(checks)
        ok = [c for c in self.checks if not c.refused]
        again = sum(c.already for c in ok)
        self.setWindowTitle("导入多个数据包")
        if not ok:  # nothing to import: not "其中 0 个可以导入，共 0 条记录", but where to read why
            head = QLabel(f"选择的 {len(self.checks)} 个数据包都不能导入，原因写在下面。")
        elif again == len(ok):  # nothing new: not "共 0 条记录", but when each was taken
            head = QLabel(
                ("选择的数据包" if len(ok) == len(self.checks) else f"可以导入的 {len(ok)} 个数据包")
                + "均已导入过，无需再导入：\n" + "\n".join(
                    f"{c.path.name}（{c.org_name}）：{local_time(c.imported_at)} 导入" for c in ok))
        else:
            head = QLabel(
                f"选择了 {len(self.checks)} 个数据包，其中 {len(ok)} 个可以导入"
                + (f"（{again} 个以前导入过，再次导入不改变任何数据）" if again else "")
                + f"，共 {sum(c.rows for c in ok if not c.already):,} 条记录。"
                "它们将一起导入：导入前逐个核对签名和内容，某个不能导入时只跳过它，其余照常导入。"
            )
        head.setWordWrap(True)
        self.table = _list([
            Column("文件", lambda c: c.path.name),
            Column("社区", lambda c: c.org_name or "—"),
            Column("生成于", lambda c: local_time(c.created_at)),
            Column("记录", lambda c: f"{c.rows:,}" if not c.refused else "—", RIGHT),
            Column("核对", lambda c: f"不能导入：{c.refused}" if c.refused else "以前导入过" if c.already else "可以导入",
                   color=lambda c: RED if c.refused else None, tooltip=lambda c: _long(c.refused)),
        ], self.checks)
        self.reasons = _reasons([(c.path, c.refused) for c in self.checks if c.refused])
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(f"导入 {len(ok)} 个", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setIcon(icons.get("package-in"))
        self.ok_button.setEnabled(bool(ok) and again < len(ok))
        if ok and again == len(ok):
            self.ok_button.setText("无需导入")
        buttons.addButton("关闭" if ok and again == len(ok) else "取消", QDialogButtonBox.ButtonRole.RejectRole)
        _stack(self, head, self.table, self.reasons, buttons)

    @property
    def paths(self) -> list[Path]:
        """The files to import: those not refused already."""
        return [c.path for c in self.checks if not c.refused]


def _outcome(item: BatchItem) -> str:
    if item.report is None:
        return f"未导入：{item.refused}"
    if item.report.already_imported:
        return "以前导入过，未改变任何数据"
    return "；".join(["已导入", *item.report.warnings])


def _figure(item: BatchItem, what: str) -> str:
    return f"{item.report.total(what):,}" if item.report is not None else "—"


def skipped_text(skipped: Sequence[Path]) -> str:
    return f"{len(skipped)} 个核对未通过，没有导入：" + "、".join(p.name for p in skipped)


class BatchResultDialog(QDialog):
    """What a batch import did, file by file."""

    def __init__(self, parent: QWidget | None, report: BatchReport, skipped: Sequence[Path] = (),
                 why: Mapping[Path, str] | None = None):
        """`skipped`: files refused at the check before the batch, `why` each one's reason (the confirmation
        showed it, but that dialog is closed by now: the result keeps it under the list)."""
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("导入结果")
        lines = [report.summary() + "。"]
        if skipped:  # refused at the check before: still the worker's files, so the result accounts for them
            lines.insert(0, f"选择了 {len(report.items) + len(skipped)} 个数据包，{skipped_text(skipped)}。")
        if report.cancelled:
            lines.append("导入已取消：取消前导入的数据包已保存，取消时正在导入的和之后的都没有导入，可以再次导入。")
        if report.total("conflicts"):
            lines.append(f"有 {report.total('conflicts')} 条记录两边都改过，已保留双方版本，请到“冲突”中逐条处理。")
        if report.absent:  # whom to ring up: the stick collected this round lacks their packages
            lines.append(report.absent_text() + "。")
        head = QLabel("\n".join(lines))
        head.setWordWrap(True)
        self.table = _list([
            Column("文件", lambda i: i.path.name),
            Column("社区", lambda i: i.report.from_site.org_name if i.report is not None else "—"),
            Column("新增", lambda i: _figure(i, "inserted"), RIGHT),
            Column("更新", lambda i: _figure(i, "updated"), RIGHT),
            Column("冲突", lambda i: _figure(i, "conflicts"), RIGHT),
            Column("结果", _outcome, color=lambda i: RED if i.report is None else None,
                   tooltip=lambda i: _long(_outcome(i))),
        ], report.items)
        self.reasons = _reasons([(p, (why or {})[p]) for p in skipped if (why or {}).get(p)]
                                + [(i.path, i.refused) for i in report.refused if i.refused != CANCELLED])
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        _stack(self, head, self.table, self.reasons, buttons)


class ExportSummaryDialog(QDialog):
    """Where the package(s) went and what they carry."""

    def __init__(self, parent: QWidget | None, results: Sequence[ExportResult], upper: str = "街道"):
        super().__init__(parent)
        self.results = list(results)
        self.setWindowTitle("数据包已生成")
        first = self.results[0]
        if first.kind == "downstream":
            lead = f"已生成 {len(self.results)} 个下发包，请拷给对应的社区导入："
        else:
            scope = "全部数据" if first.full else f"上次{upper}确认后的变化"
            lead = f"已生成数据包（{scope}），请交给{first.to_org_name or upper}导入："
        text = QLabel(lead)
        text.setWordWrap(True)
        single = len(self.results) == 1
        if single:
            what = QLabel(
                f"<b>{first.path}</b><br>{first.rows:,} 条记录，{size_text(first.size)}"
                + (f"（给{first.to_org_name}）" if first.kind == "downstream" else "")
            )
            what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            what.setWordWrap(True)
        else:
            what = _table(["文件", "社区", "记录", "大小"], [
                [r.path.name, r.to_org_name, f"{r.rows:,}", size_text(r.size)] for r in self.results
            ])
        self.table = what
        warn = QLabel("未加密：文件中的身份证号等信息任何人都能打开，请勿在公共场合存放。"
                      if any(r.plain for r in self.results) else _sealed_to(self.results, upper))
        warn.setWordWrap(True)
        if any(r.plain for r in self.results):
            warn.setStyleSheet("color: #c8161e")
        self.detail = _table(["表", "记录"], [[k, f"{v:,}"] for k, v in _labelled(first.counts) if v])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("好")
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(self.table, 0 if single else 1)
        lay.addWidget(warn)
        skipped = getattr(results, "skipped_text", lambda: "")()  # 给全部社区: a revoked key is left out, not fatal
        self.skipped = QLabel(f"{skipped}。请让这些社区在“数据同步”中“重新登记”，接受后再生成。" if skipped else "")
        self.skipped.setWordWrap(True)
        self.skipped.setStyleSheet("color: #c8161e")
        self.skipped.setVisible(bool(skipped))
        lay.addWidget(self.skipped)
        if single:
            lay.addWidget(QLabel("其中："))
            lay.addWidget(self.detail, 1)
        lay.addWidget(buttons)
        self.resize(600, 460)


def _sealed_to(results: Sequence[ExportResult], upper: str) -> str:
    """Who can open what was written: a send-down is sealed to its community, not to the street that made it."""
    first = results[0]
    if first.kind != "downstream":
        return f"已加密：只有{first.to_org_name or upper}能打开。"
    if len(results) == 1:
        return f"已加密：只有收件社区（{first.to_org_name}）能打开，拷错给别的社区也打不开。"
    return "已加密：每个下发包只有它的收件社区能打开，请按文件名中的组织代码分发。"


def _labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(table_label(k), v) for k, v in counts.items()]
