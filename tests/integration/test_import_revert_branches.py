"""撤销这次导入 takes back the 党支部 the import created with its members, when they are left empty; a branch
that got a record of its own meanwhile (a meeting) is kept and named, and the revert goes on without it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, revert, roster
from desktop_app.store.models import Organization
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.audit import field_label
from tests.integration.test_member_import import HEADER, write_csv

NEW_BRANCHES = ["第七网格党支部", "第八网格党支部"]


def _rows() -> list[list]:
    return [[i + 1, name, NEW_BRANCHES[i % 2], idcard.make("320104", date(1975, 2, 1 + i), 5 + i, "男"), "男",
             "正式党员", "2001-07-01", "2002-07-01", f"1370000000{i}"] for i, name in enumerate(["赵甲", "钱乙", "孙丙"])]


def _import(db, tmp_path) -> dict[str, str]:
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))  # there before, untouched
    p = roster.preview_import(db, write_csv(tmp_path / "名册.csv", HEADER, _rows()))
    assert p.new_branches == NEW_BRANCHES
    done = roster.apply_import(db, p)
    assert done.added == 3 and done.branches_created == tuple(NEW_BRANCHES)
    return {n.name: n.id for n in orgs.list_tree(db)}


def _batch(db) -> str:
    with db.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    return e.note.rsplit("导入批次 ", 1)[1].rstrip("）")


def _live_branches(db) -> set[str]:
    return {n.name for n in orgs.list_tree(db) if n.kind == "branch"}


def test_the_branches_the_import_created_go_with_its_members(db, tmp_path):
    ids = _import(db, tmp_path)
    check = revert.revert_batch(db, _batch(db), dry_run=True)
    assert "将移除导入新增的 3 名党员，删除导入新建的 2 个党支部（第七网格党支部、第八网格党支部）" in check.summary()
    assert [i.label for i in check.items if i.table == "organization"] == NEW_BRANCHES
    assert _live_branches(db) == {"第一网格党支部", *NEW_BRANCHES}  # a check writes nothing

    out = revert.revert_batch(db, _batch(db))
    assert out.done and out.branches == tuple(NEW_BRANCHES)
    assert _live_branches(db) == {"第一网格党支部"}
    with db.session() as s:
        gone = s.scalars(select(Organization).where(Organization.id.in_([ids[b] for b in NEW_BRANCHES]))).all()
        assert all(o.deleted and o.version == 2 for o in gone)  # tombstones: they sync as deletes
        trail = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit_revert",
                                                   AuditEntry.table_name == "organization")).all()
    assert sorted(e.label for e in trail) == sorted(NEW_BRANCHES)
    assert all('"deleted": false' in e.before_json and '"deleted": true' in e.after_json for e in trail)
    assert field_label("member", "branch_ids") == "新建党支部编号"  # the import's entry names them on 操作记录


def test_a_branch_that_got_a_meeting_meanwhile_is_kept_and_named(db, tmp_path):
    ids = _import(db, tmp_path)
    ms.plan(db, ms.MeetingInput(org_id=ids["第八网格党支部"], kind=r.THEME_DAY, title="主题党日",
                                meeting_date=date.today()))
    check = revert.revert_batch(db, _batch(db), dry_run=True)
    text = check.summary()
    assert "删除导入新建的 1 个党支部（第七网格党支部）" in text
    assert "；保留导入新建的党支部“第八网格党支部”（已有三会一课记录）" in text

    out = revert.revert_batch(db, _batch(db))
    assert out.removed == 3 and out.branches == ("第七网格党支部",)
    assert _live_branches(db) == {"第一网格党支部", "第八网格党支部"}
