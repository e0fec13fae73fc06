"""共建单位年度共建情况: the lines under the tables (微心愿, 双进双认, 联席会议, 单位报到, 问需服务) print
each with its label where the unit has any, and not at all where it has none."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium

from desktop_app.reports.cobuilding import render_unit_year
from desktop_app.views.cobuilding import UnitRow, UnitYear
from tests.pdf_text import shipped_font  # noqa: F401 - the fixture

UNIT = UnitRow(id="u1", name="区人民医院", kind="医疗卫生", party_org="区人民医院党委", contact_person="王芳",
               phone="13800000000", address="人民路1号", joined_on=date(2025, 3, 1), offers="义诊", notes="")


def _text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r", "").replace("\n", "")


def test_each_line_prints_with_its_label_in_order(shipped_font):
    page = UnitYear(unit=UNIT, year=2026, activities=(), reporting=(), service_count=0, service_hours_tenths=0,
                    wishes=("XY2026-001 一副老花镜", "XY2026-002 上门理发"), pairing=("认亲戚 3栋2单元302室",),
                    topics=("楼道加装扶手",), reported=("2026-03-05 报到",), inquiries=("义诊需求：已办结",))
    text = _text(render_unit_year("梅园社区", page, printed_on=date(2026, 6, 1)))
    lines = ["认领的微心愿：XY2026-001 一副老花镜；XY2026-002 上门理发", "双进双认：认亲戚 3栋2单元302室",
             "联席会议认领议题：楼道加装扶手", "单位报到：2026-03-05 报到", "问需服务：义诊需求：已办结"]
    where = [text.find(line) for line in lines]
    assert -1 not in where, text
    assert where == sorted(where)


def test_a_unit_with_none_prints_no_empty_labels(shipped_font):
    page = UnitYear(unit=UNIT, year=2026, activities=(), reporting=(), service_count=0, service_hours_tenths=0,
                    wishes=(), topics=("楼道加装扶手",))
    text = _text(render_unit_year("梅园社区", page, printed_on=date(2026, 6, 1)))
    assert "联席会议认领议题：楼道加装扶手" in text
    for label in ("认领的微心愿：", "双进双认：", "单位报到：", "问需服务："):
        assert label not in text
