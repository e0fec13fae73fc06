"""The XML of a workbook (.xlsx parts, an .ods's content.xml) is scanned a few MB at a time by one reader
(exchange.safety.xml_chunks): every chunk ends before a '<', so the scans always see a tag whole, and a tag
still open a whole chunk later is refused rather than carried along (copied again with every read: seconds per
hundred MB, and its size in memory, from a file of a few hundred KB)."""

from __future__ import annotations

import io
import zipfile

import pytest

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import legacy_sheets, safety, xlsx_fast
from tests.old_workbooks import write_ods


def _chunks(text: bytes, size: int) -> list[bytes]:
    return list(safety.xml_chunks(io.BytesIO(text), size))


def test_chunks_end_before_a_tag_and_join_back_to_the_part():
    text = b'<sheetData><row r="1"><c r="A1"><v>12</v></c></row><row r="2"/></sheetData>'
    chunks = _chunks(text, 16)
    assert b"".join(chunks) == text
    assert all(c.startswith(b"<") for c in chunks)
    assert all(c.count(b"<") == c.count(b">") for c in chunks)  # no tag cut in two


def test_text_longer_than_a_chunk_comes_through_whole():
    text = b"<t>" + b"x" * 100 + b"</t><t/>"
    assert b"".join(_chunks(text, 16)) == text


def test_a_tag_still_open_a_chunk_later_is_refused():
    with pytest.raises(ValueError, match="标签"):
        _chunks(b'<row r="1"' + b" " * 100 + b"><c/></row>", 16)


def _padded_xlsx(path, pad: int):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml",
                   '<worksheet><sheetData><row r="1"' + " " * pad + '><c r="A1"/></row></sheetData></worksheet>')
    return path


def test_a_workbook_with_a_tag_longer_than_a_chunk_is_left_to_openpyxl(tmp_path):
    assert xlsx_fast.safe_for_calamine(_padded_xlsx(tmp_path / "small.xlsx", 100))
    assert not xlsx_fast.safe_for_calamine(_padded_xlsx(tmp_path / "padded.xlsx", 2 * safety.XML_CHUNK))


def test_an_ods_with_a_tag_longer_than_a_chunk_is_refused(tmp_path):
    row = ('<table:table-row' + " " * 2 * safety.XML_CHUNK + 'table:number-rows-repeated="1000000">'
           '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
           "</table:table-row>")
    path = write_ods(tmp_path / "padded.ods", [["姓名"], ["张三"]], raw_rows=row)
    with pytest.raises(DomainError, match="padded.ods"):
        legacy_sheets.check_ods(path)
