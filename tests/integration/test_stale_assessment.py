"""考评 forms (荣誉称号, 考评方案, 考评指标): a save over a change made after the form was read is
refused naming who saved it, not written back. Two programs on one real database file."""

from datetime import date

import pytest

from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.services import assessment as asm
from desktop_app.services import orgs, roster
from tests.integration.test_stale_forms import _accounts, two  # noqa: F401 - the fixture

YEAR = 2025


def _refused(first, second, what: str) -> None:
    """`first()` saves as 李委员; `second()`, from the older read, is refused naming 李委员."""
    first()
    with pytest.raises(ConcurrentEditError, match=f"这条记录（{what}）在你打开后已被他人修改（李委员 于 "):
        second()


def test_a_title_form_read_before_anothers_save_is_refused(two):  # noqa: F811
    a, b = two
    branch = orgs.create(a, "第一网格党支部", "32010200101", "branch", roster.root_org_id(a)).id
    _accounts(b, a, "li")
    t = asm.save_title(a, None, branch, YEAR, "红旗党支部", date(2026, 1, 20), "梅园街道党工委")
    _refused(lambda: asm.save_title(a, t.id, branch, YEAR, t.title, t.granted_on, t.issued_by, "表彰大会上颁发",
                                    expected_version=t.version),
             lambda: asm.save_title(b, t.id, branch, YEAR, t.title, t.granted_on, "梅园街道", t.note,
                                    expected_version=t.version), f"荣誉称号 {YEAR}年度红旗党支部")
    now = asm.titles(a, YEAR)[0]
    assert (now.issued_by, now.note) == ("梅园街道党工委", "表彰大会上颁发")


def test_scheme_and_indicator_forms_read_before_anothers_save_are_refused(two):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    sch = asm.load_sample(a, YEAR)
    _refused(lambda: asm.save_scheme(a, sch.id, "2025年度党支部考评", sch.excellent_tenths, sch.pass_tenths,
                                     expected_version=sch.version),
             lambda: asm.save_scheme(b, sch.id, sch.name, sch.excellent_tenths, sch.pass_tenths, "按街道通知",
                                     expected_version=sch.version), "考评方案 2025年度党支部考评")
    assert asm.scheme(a, YEAR).name == "2025年度党支部考评"
    n = asm.scheme(a, YEAR).indicators()[0]

    def save(db, note):
        return asm.save_indicator(db, sch.id, n.id, n.parent_id, n.level, n.title, n.max_tenths, n.rule, n.params,
                                  n.description, note, expected_version=n.version)

    _refused(lambda: save(a, "以会议记录为准"), lambda: save(b, "看台账"), f"指标 {n.title}")
    assert next(x for x in asm.scheme(a, YEAR).indicators() if x.id == n.id).note == "以会议记录为准"
