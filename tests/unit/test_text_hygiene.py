"""Text hygiene: ASCII digits in ID numbers, Excel's 000 tail warned, control characters refused and escaped."""

import io
from datetime import date, timedelta

import pytest

from desktop_app.domain import idcard, service_flow, text
from desktop_app.domain import ledger as ledger_rules
from desktop_app.domain import members as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.exchange import members as ex

VALID = idcard.make("310101", date(1980, 1, 1), 1, idcard.MALE)


def script(number: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in number)


@pytest.mark.parametrize("zero, label", [(0x660, "阿拉伯-印度数字"), (0x6F0, "扩展阿拉伯-印度数字"),
                                         (0x966, "天城文数字"), (0x9E6, "孟加拉数字")])
def test_id_numbers_in_other_scripts_are_refused_by_name(zero, label):
    with pytest.raises(ValueError, match=f"含有非标准数字（{label}）"):
        idcard.parse(script(VALID, zero))
    assert not idcard.is_valid(script(VALID, zero))
    number, problem = ex._id_number(script(VALID, zero))
    assert problem and label in problem


def test_full_width_digits_and_x_fold_to_ascii():
    assert idcard.parse(script(VALID, 0xFF10)).number == VALID
    x = next(n for n in (idcard.make("110105", date(1949, 12, 31), s, idcard.FEMALE) for s in range(100))
             if n.endswith("X"))
    assert idcard.parse(x[:-1] + "ｘ").number == x


def a_valid_number_ending_in_000() -> str:
    d = date(1960, 1, 1)
    while True:
        first17 = f"320102{d:%Y%m%d}000"
        if idcard.check_digit(first17) == "0":
            return first17 + "0"
        d += timedelta(days=1)


def test_a_tail_of_000_is_warned_even_when_the_check_digit_fits():
    number = a_valid_number_ending_in_000()
    assert idcard.is_valid(number)
    assert idcard.warnings(number) == [idcard.EXCEL_ZEROS_WARNING]
    inp = rules.MemberInput(name="张三", id_number=number, category="正式党员", joined_date=date(1990, 7, 1),
                            confirmed_date=date(1991, 7, 1))
    _, errors, warnings = rules.check(inp, date(2026, 1, 1))
    assert errors == [] and idcard.EXCEL_ZEROS_WARNING in warnings
    assert idcard.warnings(VALID) == []


@pytest.mark.parametrize("bad", ["张\x1b[31m三", "张\x00三", "张\u202e三", "李\x07"])
def test_control_characters_are_refused_at_entry_with_the_field(bad):
    inp = rules.MemberInput(name="张三", id_number=VALID, category="正式党员", joined_date=date(2005, 7, 1),
                            confirmed_date=date(2006, 7, 1), address=bad)
    errors = rules.validate_all(inp, date(2026, 1, 1))
    assert [e.field for e in errors] == ["家庭住址"] and "控制字符" in errors[0].message
    with pytest.raises(ValidationError, match="摘要：含有不可见的控制字符"):
        ledger_rules.clean_text(bad, "摘要")
    with pytest.raises(ValidationError, match="姓名：含有不可见的控制字符"):
        service_flow.required(bad, "姓名")
    with pytest.raises(ValidationError, match="备注"):
        service_flow.optional(bad, "备注")


def test_tabs_and_newlines_are_not_control_characters_for_entry():
    assert service_flow.optional("第一行\n第二行\t", "备注") == "第一行\n第二行"


def test_a_member_file_row_with_a_control_character_names_row_and_field(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(f"姓名,公民身份号码,人员类别,加入党组织日期\n张\x1b三,{VALID},正式党员,2005-07-01\n",
                    encoding="utf-8")
    sheet = ex.read_member_file(path)
    row = sheet.rows[0]
    _, errors, _ = rules.check(rules.MemberInput(**row.values), date(2026, 1, 1))
    assert row.row_number == 2 and [e.field for e in errors] == ["姓名"]


def test_printing_escapes_control_and_bidi_characters_but_keeps_layout():
    assert text.printable("a\x1b[2Jb\u202ec\td\ne\r") == "a\\x1b[2Jb\\u202ec\td\ne\\x0d"
    out = io.StringIO()
    w = text.TerminalSafeWriter.wrap(out)
    assert text.TerminalSafeWriter.wrap(w) is w and text.TerminalSafeWriter.wrap(None) is None
    print("名字\x1b]0;pwned\x07", file=w)
    assert out.getvalue() == "名字\\x1b]0;pwned\\x07\n"


def test_an_attendance_row_with_a_control_character_names_row_and_field(tmp_path):
    from desktop_app.exchange import attendance

    path = tmp_path / "a.csv"
    path.write_text("会议编号,姓名,出勤情况,请假原因\nM-1,张三,请假,外出\x1b[2J\n", encoding="utf-8")
    errors = attendance.parse(path).errors
    assert [(e.row_number, e.field) for e in errors] == [(2, "请假原因")]
    assert "\x1b" not in errors[0].value
