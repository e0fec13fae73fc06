"""导入表格 → 发展党员 kept a 联系电话 that 登记入党申请人 refuses, so a slip stopped 上级党委审批 months later when
the roster took the number. The preview now checks it by the same rule, naming row, column and what to type."""

from datetime import date

from desktop_app.services import development_import
from desktop_app.services.database import open_database
from desktop_app.store.models_development import Applicant
from tests.integration.test_history_imports import P1, P2, serial, workbook, world  # noqa: F401 - fixture

HEADER = ["申请人姓名", "身份证号码", "所在党支部编码", "申请入党时间", "联系电话"]


def test_a_malformed_phone_is_a_row_error_and_a_good_one_is_kept_as_typed_in_the_form(world, tmp_path):
    path, _branch = world
    db, _ = open_database(path)
    rows = [["周一", P1, "32010200101", serial(date(2025, 3, 1)), "1381234567"],  # a digit short
            ["吴二", P2, "32010200101", "2023-01-05", "12345"]]
    plan = development_import.preview(db, workbook(tmp_path / "d.xlsx", HEADER, rows))
    assert [(e.row_number, e.field, e.value) for e in plan.errors] == [(2, "联系电话", "1381234567"),
                                                                      (3, "联系电话", "12345")]
    assert all("手机填 11 位" in e.reason and "固定电话带区号" in e.reason for e in plan.errors)
    rows[0][-1], rows[1][-1] = "138 1234 5678", "021-62345678"
    plan = development_import.preview(db, workbook(tmp_path / "d2.xlsx", HEADER, rows))
    assert not plan.errors
    assert development_import.apply(db, plan) == 2
    with db.session() as s:
        assert sorted(a.mobile for a in s.query(Applicant)) == ["021-62345678", "13812345678"]
    db.dispose()
