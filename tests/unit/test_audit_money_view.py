"""The audit trail keeps money in fen, as the tables do; what people read of it is in 元 with two decimals."""

from datetime import datetime

from desktop_app.views.audit import AuditRow, shown_field
from desktop_app.views.revert import RevertItem


def _row(before, after, action="update", table="ledger_entry"):
    return AuditRow(id="e1", at=datetime(2026, 12, 5, 9, 0), user_id="", user_name="张三", site_id="s",
                    table=table, row_id="r1", label="2026-0007", action=action, note="", before=before, after=after)


def test_a_changed_amount_reads_in_yuan():
    r = _row({"amount_fen": 34729, "memo": "水电"}, {"amount_fen": 1234567, "memo": "水电"})
    amount, memo = r.changes()
    assert (amount.label, amount.before, amount.after) == ("金额（元）", "347.29", "12,345.67")
    assert (memo.before, memo.after) == ("水电", "水电")  # other fields as they were
    assert r.summary == "金额（元）：347.29 → 12,345.67"


def test_an_empty_amount_stays_empty_and_non_money_keeps_its_label():
    r = _row({}, {"fixed_fen": None, "min_fen": 20, "category": "农民"}, action="insert", table="dues_rate_rule")
    fixed, low, category = r.changes()
    assert (fixed.label, fixed.after) == ("固定金额（元）", None)
    assert (low.label, low.after) == ("下限（元）", "0.20")
    assert shown_field("dues_rate_rule", "category", "农民")[1] == "农民"


def test_a_revert_line_reads_in_yuan_too():
    item = RevertItem("e1", "ledger_entry", "r1", "2026-0007", now={"amount_fen": 100000},
                      restored={"amount_fen": 100})
    assert item.lines() == ["金额（元）：1,000.00 → 1.00"]


def test_a_corrected_score_reads_in_points_not_tenths():
    """A branch disputes a 2-point indicator scored 1 and it is corrected: the trail reads 1 → 2, not 10 → 20."""
    r = _row({"score_tenths": 10, "note": "较好"}, {"score_tenths": 20, "note": "好"}, table="assessment_score")
    score, _note = r.changes()
    assert (score.label, score.before, score.after) == ("得分（分）", "1", "2")
    assert r.summary.startswith("得分（分）：1 → 2")
    assert shown_field("assessment_indicator", "max_tenths", 25) == ("满分（分）", "2.5")
    assert shown_field("reporting_service", "hours_tenths", 35) == ("时长（小时）", "3.5")
    assert shown_field("assessment_score", "score_tenths", None) == ("得分（分）", None)
