"""Whatever bytes a member file holds, the readers give rows or a DomainError: no traceback, bounded memory, no partial import."""

import io
import tracemalloc
import uuid
import zipfile
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import members as ex
from desktop_app.services import roster
from desktop_app.store.models import Member

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MEMORY_LIMIT = 64 * 1024 * 1024  # far above what a small file needs, far below a bomb


def good_rows(n: int = 3) -> list[list]:
    rows = [["姓名", "所在党支部", "公民身份号码", "人员类别", "加入党组织日期", "转为正式党员日期", "备注"]]
    for i in range(n):
        number = idcard.make("320102", date(1960 + i, 3, 4), i, idcard.MALE)
        rows.append([f"党员{i}", "第一党支部", number, "正式党员", "1990-07-01", "1991-07-01", "=1+1"])
    return rows


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", sep=",") -> bytes:
    return "\r\n".join(sep.join(str(c) for c in r) for r in rows).encode(encoding)


def read_bounded(path):
    """read_member_file under tracemalloc: the sheet or the DomainError, and the peak memory."""
    tracemalloc.start()
    try:
        try:
            result = ex.read_member_file(path)
        except DomainError as exc:
            assert path.name in str(exc) or str(exc)  # a message, never empty
            result = exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, peak
    return result


@st.composite
def mutated(draw, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[i:i + draw(st.integers(1, 64))]
        else:
            data[i:i] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


CSV_SEED = csv_bytes(good_rows())
XLSX_SEED = xlsx_bytes(good_rows())


@FUZZ
@given(data=st.one_of(st.binary(max_size=2000), mutated(CSV_SEED),
                      st.text(max_size=300).map(lambda t: t.encode("utf-16")),
                      st.text(max_size=300).map(lambda t: t.encode("utf-8"))))
def test_any_csv_bytes_read_as_rows_or_a_domain_error(tmp_path, data):
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(data)
    read_bounded(path)


@FUZZ
@given(data=st.one_of(st.binary(max_size=2000), mutated(XLSX_SEED)))
def test_any_xlsx_bytes_read_as_rows_or_a_domain_error(tmp_path, data):
    path = tmp_path / f"{uuid.uuid4().hex}.xlsx"
    path.write_bytes(data)
    read_bounded(path)


def _rezip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    return buf.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


@FUZZ
@given(part=st.sampled_from([SHEET, "xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml"]),
       edit=st.data())
def test_mutated_xml_inside_a_valid_zip_is_rows_or_a_domain_error(tmp_path, part, edit):
    with zipfile.ZipFile(io.BytesIO(XLSX_SEED)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[part] = edit.draw(mutated(parts[part]))
    path = tmp_path / f"{uuid.uuid4().hex}.xlsx"
    path.write_bytes(_rezip(parts))
    read_bounded(path)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(dimension=st.sampled_from(["A1:XFD1048576", "A1:A1", "ZZZ", "A1:XFD1", ""]),
       far_row=st.integers(1, 1_048_576), far_col=st.sampled_from(["A", "Z", "XFD"]))
def test_declared_and_scattered_cells_never_exhaust_memory(tmp_path, dimension, far_row, far_col):
    with zipfile.ZipFile(io.BytesIO(XLSX_SEED)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts[SHEET].decode()
    if "<dimension" in xml:
        xml = xml.replace(xml[xml.index("<dimension"):xml.index("/>", xml.index("<dimension")) + 2],
                          f'<dimension ref="{dimension}"/>')
    xml = xml.replace("</sheetData>",
                      f'<row r="{far_row + 10}"><c r="{far_col}{far_row + 10}" t="inlineStr"><is><t>x</t></is></c>'
                      "</row></sheetData>")
    parts[SHEET] = xml.encode()
    path = tmp_path / f"{uuid.uuid4().hex}.xlsx"
    path.write_bytes(_rezip(parts))
    read_bounded(path)


def live(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Member).where(Member.deleted.is_(False)))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(mutated(XLSX_SEED), mutated(CSV_SEED)), suffix=st.sampled_from([".xlsx", ".csv"]),
       skip_invalid=st.booleans())
def test_an_import_of_a_damaged_file_is_all_the_good_rows_or_nothing(db, tmp_path, data, suffix, skip_invalid):
    path = tmp_path / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(data)
    before = live(db)
    try:
        preview = roster.preview_import(db, path)
        result = roster.apply_import(db, preview, skip_invalid=skip_invalid)
    except DomainError:
        assert live(db) == before  # refused: nothing written
        return
    assert live(db) - before == result.added == len(preview.to_add)
