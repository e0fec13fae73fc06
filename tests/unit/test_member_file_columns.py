"""A member file's column parsed at once (texts of the plain shape taken as they stand) reads as cell by cell."""

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.exchange import members as mf

_ODD = ["", " ", "1", "007", "3.0", "-1", "１２", "1234567890", " 张三", "张三\u3000", "张 三", "a\x1cb", "\x1c",
        "13912345678", "+86 139 1234 5678", "'13912345678", '="13912345678"', "\t13912345678",
        "110105194912310029", "11010519491231002x", "11010519491231002X", "110105194912310000",
        "11010519491231002", " 110105194912310029", "１10105194912310029", "1.10105E+17",
        "1985-03-02", "1985/3/2", "2023-02-30", "2100-12-31", "1899-12-31", "2101-01-01", "2024-02-29",
        "2023-13-01", "是", "Y", "x"]


def _one_by_one(column: str, cells: list) -> tuple[list, dict]:
    values, failed = [], {}
    for i, cell in enumerate(cells):
        if column == mf._ID_COLUMN:
            number, problem = mf._id_number(cell)
            values.append(number)
            if problem is not None:
                failed[i] = problem
            continue
        try:
            values.append(mf._PARSERS[column][1](cell))
        except ValueError as exc:
            values.append(mf._Failed(str(exc)))
            failed[i] = str(exc)
    return values, failed


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(mf.TEMPLATE_COLUMNS),
       st.lists(st.one_of(st.sampled_from(_ODD), st.text(alphabet="0123456789X x-", max_size=19)), max_size=12))
def test_a_column_parses_as_its_cells_do(column, cells):
    got, failed, text_only = mf._parsed_column(column, cells)
    want, want_failed = _one_by_one(column, cells)
    assert text_only and failed == want_failed
    assert [g for i, g in enumerate(got) if i not in failed] == [w for i, w in enumerate(want) if i not in failed]
