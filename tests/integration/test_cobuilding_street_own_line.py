"""共驻共建街道汇总表 printed at a community: its own line, as its package will add it at the street, instead of
an empty sheet saying no community has synced (a community hears from none)."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium

from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs
from desktop_app.services.cobuilding import ActivityInput, UnitInput

TODAY = date(2026, 6, 28)


def _text(path) -> str:
    pdf = pdfium.PdfDocument(path.read_bytes())
    return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r\n", "")


def test_a_community_prints_its_own_line(db, tmp_path):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    grid = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    unit = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院"), TODAY).id
    for day in (3, 17):
        cb.record_activity(db, ActivityInput(date(2026, 5, day), "义诊", "夏季义诊", residents_served=25,
                                             org_ids=[grid], unit_ids=[unit]), TODAY)
    out = tmp_path / "街道汇总.pdf"
    assert cb.print_street_summary(db, 2026, out, today=TODAY) == 1
    text = _text(out)
    assert "尚未收到" not in text and "合计" not in text
    assert "本社区的一行" in text
    line = text[text.index("幸福里社区党委", text.index("共建经费")):]
    assert line.split()[:4] == ["幸福里社区党委", "2", "0", "50"], line  # 活动, 四进, 服务居民
