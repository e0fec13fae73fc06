"""导入三会一课 and 导入发展党员 naming an organisation the center does not have: the refusal lists
the ones it has (a few, then 等 N 个) and says what to do, as 导入居民 does for its grids."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.exchange.history import unknown_org
from desktop_app.services import development_import, meetings_import, orgs
from tests.integration.test_history_imports import DEV_HEADER, MEET_HEADER, workbook


def _branches(db, count):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return [orgs.create(db, f"第{i}网格党支部", f"B{i:02}", "branch", community.id) for i in range(1, count + 1)]


def test_a_meeting_of_an_unknown_organisation_names_the_ones_there_are(db, tmp_path):
    _branches(db, 2)
    row = ["党员大会", "第九网格党支部", "党员大会", None, "2025-03-05", "会议室", "张三", "李四"]
    p = meetings_import.preview(db, workbook(tmp_path / "会议.xlsx", MEET_HEADER, [row]))
    (e,) = [e for e in p.errors if e.field == "党组织"]
    assert "第1网格党支部、第2网格党支部" in e.reason and "“党组织”页新建" in e.reason


def test_an_applicant_of_an_unknown_branch_names_the_branches_a_few_then_how_many(db, tmp_path):
    _branches(db, 10)
    person = idcard.make("320102", date(1998, 5, 6), 11, "男")
    row = [1, "周一", "1", person, "第九十网格党支部", "2025-03-01", None, None, None, None, "申请人"]
    p = development_import.preview(db, workbook(tmp_path / "发展.xlsx", DEV_HEADER, [row]))
    (e,) = [e for e in p.errors if e.field == "所在党支部"]
    assert "第1网格党支部" in e.reason and "第8网格党支部" in e.reason and "第9网格党支部" not in e.reason
    assert "等 10 个" in e.reason and "请改成其中之一" in e.reason


def test_with_none_yet_it_says_to_make_one():
    assert unknown_org([], "党支部", "党支部") == "本单位还没有党支部：请先在“党组织”页新建"
    assert unknown_org(["第一党小组", "第一党小组"]).count("第一党小组") == 1  # a shared name once
