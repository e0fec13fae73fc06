"""A member file naming an organisation several share (every branch has a 第一党小组) is resolved by
its path or code, and a bare ambiguous name is refused naming the candidates."""

import csv
from datetime import date

from desktop_app.domain import idcard
from desktop_app.services import orgs, roster

HEADER = ["姓名", "所在党支部", "公民身份号码", "性别", "人员类别", "加入党组织日期"]


def test_ambiguous_group_names_need_a_path_or_a_code(db, tmp_path):
    root = roster.root_org_id(db)
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", root)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", root)
    g1 = orgs.create(db, "第一党小组", "B01G1", "group", b1.id)
    g2 = orgs.create(db, "第一党小组", "B02G1", "group", b2.id)
    rows = [
        ["甲", "第一党小组", idcard.make("320102", date(1970, 1, 1), 1, "男"), "男", "正式党员", "1995-07-01"],
        ["乙", "第二网格党支部 / 第一党小组", idcard.make("320102", date(1971, 1, 1), 2, "男"), "男", "正式党员",
         "1995-07-01"],
        ["丙", "B01G1", idcard.make("320102", date(1972, 1, 1), 3, "男"), "男", "正式党员", "1995-07-01"],
        ["丁", "幸福里社区党委/第一网格党支部/第一党小组", idcard.make("320102", date(1973, 1, 1), 4, "男"), "男",
         "正式党员", "1995-07-01"],
    ]
    path = tmp_path / "名册.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    preview = roster.preview_import(db, path)
    (err,) = preview.errors
    assert err.field == "所在党支部" and "第一网格党支部 / 第一党小组（B01G1）" in err.reason
    assert "第二网格党支部 / 第一党小组（B02G1）" in err.reason
    assert preview.new_branches == []
    roster.apply_import(db, preview, skip_invalid=True)
    placed = {d.name: d.org_id for d in (roster.get(db, i) for i in roster.search_ids(db, roster.MemberFilter()))}
    assert placed == {"乙": g2.id, "丙": g1.id, "丁": g1.id}
