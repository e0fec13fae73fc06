"""数据库密钥恢复单: the encrypted database's key on paper, to keep in the safe.

Without the key an encrypted database and all its backups are lost for good,
so the administrator prints this sheet when the database is encrypted. It holds
the key itself (whoever has the sheet can open the data: it belongs in a safe)
and a short fingerprint, so a key typed later can be checked against it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desktop_app.reports.base import A4_PORTRAIT, ReportRenderer, chinese_date, rich


class KeySheetReport(ReportRenderer):
    title = "数据库密钥恢复单"
    pagesize = A4_PORTRAIT

    def __init__(self, center_name: str, db_file: str, key: str, fingerprint: str, **kwargs) -> None:
        super().__init__(center_name, **kwargs)
        self.db_file = db_file
        self.key = key
        self.fingerprint = fingerprint

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        st = self.styles
        body = st["Normal"]
        rows = [
            ["单位", Paragraph(rich(self.center_name, self.font), body)],
            ["数据库文件", Paragraph(rich(self.db_file, self.font), body)],
            ["加密日期", chinese_date(self.printed_on)],
            ["密钥", Paragraph(f'<font size="15">{rich(self.key, self.font)}</font>', body)],
            ["密钥指纹", self.fingerprint],
        ]
        table = Table(rows, colWidths=[30 * mm, self.frame_width - 30 * mm])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font.name),
            ("FONTSIZE", (0, 0), (-1, -1), 11),
            ("GRID", (0, 0), (-1, -1), 0.6, "#444444"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ("BACKGROUND", (0, 0), (0, -1), "#F2F2F2"),
        ]))
        notes = [
            "本数据库已加密（SQLCipher）。没有这个密钥，数据库和它的全部备份都无法打开，任何人都无法找回数据。",
            "请把本单锁在保险柜里：拿到本单的人就能打开全部党员和居民信息。不要拍照、扫描或存进电脑。",
            "需要密钥时（换电脑、从备份恢复、设置环境变量 DANGQUN_DB_KEY），照本单输入；输入后可核对密钥指纹。",
            "更换密钥后，本单作废，请销毁并打印新的恢复单。",
        ]
        story: list[Flowable] = [Paragraph(rich("数据库密钥恢复单", self.font), st["Title"]), Spacer(1, 6 * mm), table,
                                 Spacer(1, 8 * mm)]
        for i, text in enumerate(notes, 1):
            story.append(Paragraph(rich(f"{i}. {text}", self.font), body))
            story.append(Spacer(1, 2 * mm))
        story += [Spacer(1, 14 * mm), Paragraph(rich("保管人签字：＿＿＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日", self.font), body)]
        return story


def render_key_sheet(center_name: str, db_file: str, key: str, fingerprint: str, out: Path,
                     printed_on: date | None = None) -> Path:
    KeySheetReport(center_name, db_file, key, fingerprint, printed_on=printed_on).render_to(out)
    return out
