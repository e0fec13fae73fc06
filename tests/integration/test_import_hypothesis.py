"""Whatever a member file holds, preview only ever raises DomainError and apply is all or exactly the good rows."""

import csv
import uuid
from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import members as ex
from desktop_app.services import roster
from desktop_app.store.models import Member

COLUMNS = list(ex.TEMPLATE_COLUMNS)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
DATE_FORMS = ["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y.%m.%d}", "{:%Y年%m月%d日}", "{:%Y%m%d}"]


@st.composite
def a_date(draw) -> str:
    d = draw(st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 12, 31)))
    if draw(st.booleans()):
        return str((d - date(1899, 12, 30)).days)  # an Excel serial
    return draw(st.sampled_from(DATE_FORMS)).format(d)


ANY_CELL = st.one_of(
    st.just(""), TEXT, st.integers(-10**20, 10**20).map(str), st.floats().map(str), a_date(),
    st.sampled_from(["是", "否", "正式党员", "预备党员", "正常", "停止党籍", "男", "女", "1.10105E+17",
                     "第一网格党支部", "新支部", "13912345678", "+86 139 1234 5678"]),
)


@st.composite
def a_row(draw) -> list[str]:
    """A plausible member, then some cells replaced by anything at all."""
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2000, 12, 31)))
    gender = draw(st.sampled_from(["男", "女"]))
    joined = born + timedelta(days=365 * 19 + draw(st.integers(0, 3000)))
    row = {
        "序号": str(draw(st.integers(0, 500))), "姓名": draw(st.sampled_from(["张三", "李四", "欧阳娜娜", "曾红"])),
        "所在党支部": draw(st.sampled_from(["", "第一网格党支部", "新支部"])),
        "公民身份号码": idcard.make("320102", born, draw(st.integers(0, 99)), gender), "性别": gender,
        "民族": "汉族", "出生日期": "", "学历": "大专", "人员类别": "正式党员",
        "加入党组织日期": f"{joined:%Y-%m-%d}", "转为正式党员日期": f"{joined + timedelta(days=366):%Y-%m-%d}",
        "工作岗位": "", "手机号码": "13912345678", "固定电话": "", "家庭住址": "", "党籍状态": "正常",
        "是否为失联党员": "否", "失去联系日期": "", "是否为流动党员": "否", "外出流向": "", "备注": "",
    }
    for column, cell in draw(st.lists(st.tuples(st.sampled_from(COLUMNS), ANY_CELL), max_size=4)):
        row[column] = cell
    return [row[c] for c in COLUMNS]


def live_ids(db) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(Member.id_number).where(Member.deleted.is_(False))))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(a_row(), max_size=8), order=st.permutations(range(len(COLUMNS))),
       skip_invalid=st.booleans(), update_existing=st.booleans())
def test_any_file_previews_safely_and_imports_all_good_rows_or_nothing(
    db, tmp_path, rows, order, skip_invalid, update_existing
):
    # One database for all examples: each checks what it changed, not absolute counts.
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([COLUMNS[i] for i in order])
        w.writerows([[r[i] for i in order] for r in rows])
    before = live_ids(db)
    try:
        preview = roster.preview_import(db, path)
    except DomainError:
        event("file refused")
        assert live_ids(db) == before
        return
    assert preview.total_rows == len([r for r in rows if any(c.strip() for c in r)])
    assert len(preview.to_add) + len(preview.to_update) + preview.unchanged + preview.invalid_rows == preview.total_rows
    assert live_ids(db) == before  # preview writes nothing

    event("rows with errors" if preview.errors else "clean file")
    if preview.errors and not skip_invalid:
        try:
            roster.apply_import(db, preview, skip_invalid=False, update_existing=update_existing)
        except DomainError as exc:
            assert path.name in str(exc)
        else:
            raise AssertionError("a file with errors was imported")
        assert live_ids(db) == before
        return
    result = roster.apply_import(db, preview, skip_invalid=skip_invalid, update_existing=update_existing)
    added = live_ids(db) - before
    event("imported some rows" if added else "imported nothing new")
    assert added == {m.id_number for m in preview.to_add}
    assert result.added == len(added)
    assert result.updated <= len(preview.to_update) if update_existing else result.updated == 0
