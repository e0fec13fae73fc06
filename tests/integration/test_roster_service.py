"""The roster service on real SQLite files: edits, search, status, transfers, statistics, bulk import."""

import time
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, inspect, select

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services.roster import MemberFilter
from desktop_app.services.uow import site_id_of
from desktop_app.store.base import Base
from desktop_app.store.models import Member, MemberStatusChange, Transfer
from tests.party_people import floating_out

TODAY = date(2026, 6, 15)


def number(born: date, gender: str = "男", seq: int = 1, region: str = "320102") -> str:
    return idcard.make(region, born, seq, gender)


def person(name: str, org_id: str, born: date, gender: str = "男", seq_no: int = 1, **kw) -> MemberInput:
    joined = kw.pop("joined_date", date(born.year + 25, 7, 1))
    category = kw.pop("category", "正式党员")
    confirmed = kw.pop("confirmed_date", None if category == "预备党员" else date(joined.year + 1, 7, 1))
    return MemberInput(name=name, org_id=org_id, id_number=number(born, gender, seq_no), gender=gender,
                       joined_date=joined, confirmed_date=confirmed, category=category, **kw)


def count(db, model=Member) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def tree(db):
    """community -> 第一支部 -> 第一小组, community -> 第二支部."""
    root = roster.root_org_id(db)
    b1 = orgs.create(db, "第一网格党支部", "32010200101", "branch", root)
    g1 = orgs.create(db, "第一党小组", "3201020010101", "group", b1.id)
    b2 = orgs.create(db, "第二网格党支部", "32010200102", "branch", root)
    return {"root": root, "b1": b1.id, "g1": g1.id, "b2": b2.id}


# ---------------------------------------------------------------- schema

@pytest.mark.sqlite_only  # the models' tables are made in an SQLite file: type names differ on a server
def test_migrated_schema_matches_the_models(db, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
    Base.metadata.create_all(engine, tables=[Member.__table__, MemberStatusChange.__table__,
                                             Transfer.__table__, Base.metadata.tables["organization"]])
    from_models, migrated = inspect(engine), inspect(db.engine)
    for table in ("member", "member_status_change", "transfer"):
        def columns(insp):
            return {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(table)}

        def indexes(insp):
            return {i["name"]: tuple(i["column_names"]) for i in insp.get_indexes(table)}

        assert columns(migrated) == columns(from_models), table
        assert indexes(migrated) == indexes(from_models), table
    assert "ix_member_roster" in {i["name"] for i in migrated.get_indexes("member")}
    engine.dispose()


# ---------------------------------------------------------------- create, update, delete

def test_create_fills_derived_fields_and_search_keys(db, tree):
    d = roster.create(db, person("张三", tree["b1"], date(1980, 5, 6), mobile="+86 139-1234-5678"), today=TODAY)
    assert d.birth_date == date(1980, 5, 6) and d.gender == "男"
    assert d.mobile == "13912345678" and d.org_name == "第一网格党支部"
    assert d.status == "正常" and d.seq == 1 and d.age == 46
    got = roster.get(db, d.id)
    assert got.id_number == d.id_number and got.version == 1
    with db.session() as s:
        m = s.get(Member, d.id)
        assert (m.name_pinyin, m.name_initials) == ("zhangsan", "zs")
    second = roster.create(db, person("李四", tree["b1"], date(1981, 1, 1), seq_no=2), today=TODAY)
    assert second.seq == 2  # next free place in the roster


def test_create_refuses_bad_input_and_writes_nothing(db, tree):
    with pytest.raises(ValidationError) as exc:
        roster.create(db, person("张三", tree["b1"], date(1980, 5, 6), mobile="123"), today=TODAY)
    assert exc.value.field == "手机号码"
    with pytest.raises(ValidationError) as exc:
        roster.create(db, person("张三", None, date(1980, 5, 6)), today=TODAY)
    assert exc.value.field == "所在党支部"
    assert count(db) == 0


def test_duplicate_id_number_is_refused_and_nothing_written(db, tree):
    first = roster.create(db, person("张三", tree["b1"], date(1980, 5, 6)), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        roster.create(db, person("张山", tree["b2"], date(1980, 5, 6)), today=TODAY)
    assert exc.value.field == "公民身份号码" and "已登记为张三" in exc.value.message
    assert count(db) == 1
    other = roster.create(db, person("李四", tree["b2"], date(1970, 1, 1), seq_no=3), today=TODAY)
    with pytest.raises(ValidationError):
        roster.update(db, other.id, replace(other.to_input(), id_number=first.id_number), today=TODAY)
    assert roster.get(db, other.id).id_number != first.id_number
    assert roster.get(db, other.id).version == 1


def test_update_changes_only_what_changed_and_bumps_the_version_once(db, tree):
    d = roster.create(db, person("张三", tree["b1"], date(1980, 5, 6)), today=TODAY)
    same = roster.update(db, d.id, d.to_input(), today=TODAY)
    assert same.version == 1  # saving an unchanged form is not an edit
    inp = d.to_input()
    changed = roster.update(db, d.id, replace(inp, name="章三", org_id=tree["b2"]), today=TODAY)
    assert changed.version == 2 and changed.org_name == "第二网格党支部"
    assert roster.search_ids(db, MemberFilter(text="zhangsan")) == [d.id]


def test_update_of_flags_moves_the_status_and_records_it(db, tree):
    d = roster.create(db, person("张三", tree["b1"], date(1980, 5, 6)), today=TODAY)
    out = roster.update(db, d.id, replace(d.to_input(), is_lost=True), today=TODAY)
    assert out.status == "失联"
    assert [h.status for h in out.history] == ["失联"]


def test_the_floating_flag_follows_the_outflow_register(db, tree):
    """流动 is the 流出 register's: a record (or a new one) set 流动 without it is refused, and one with an open
    流出 is not set back by the record; the 返回 does that, with its day."""
    with pytest.raises(ValidationError, match="流动与失联"):
        roster.create(db, replace(person("李四", tree["b1"], date(1981, 5, 6)), is_floating=True, floating_to="广东深圳"),
                      today=TODAY)
    d = roster.create(db, person("张三", tree["b1"], date(1980, 5, 6)), today=TODAY)
    with pytest.raises(ValidationError, match="张三没有登记流出"):
        roster.update(db, d.id, replace(d.to_input(), is_floating=True, floating_to="广东深圳"), today=TODAY)
    floating_out(db, d.id, date(2026, 1, 5), "广东深圳", today=TODAY)
    d = roster.get(db, d.id, today=TODAY)
    assert (d.status, d.outing.place, d.outing.start_date) == ("流动", "广东深圳", date(2026, 1, 5))
    with pytest.raises(ValidationError, match="尚未返回：返回请在“流动与失联”"):
        roster.update(db, d.id, replace(d.to_input(), is_floating=False, floating_to=""), today=TODAY)
    assert roster.update(db, d.id, replace(d.to_input(), mobile="13912345678"), today=TODAY).status == "流动"


def test_delete_sets_the_tombstone_and_restore_undoes_it(db, tree):
    d = roster.create(db, person("张三", tree["b1"], date(1980, 5, 6)), today=TODAY)
    roster.delete(db, d.id)
    assert roster.search_ids(db, MemberFilter()) == []
    assert roster.search_ids(db, MemberFilter(include_deleted=True)) == [d.id]
    assert roster.get(db, d.id).deleted is True
    with pytest.raises(NotFound):
        roster.delete(db, d.id)
    # while deleted, the ID number is free for a new record; restoring would then duplicate it
    again = roster.create(db, person("张三", tree["b2"], date(1980, 5, 6)), today=TODAY)
    with pytest.raises(Conflict):
        roster.restore(db, d.id)
    roster.delete(db, again.id)
    roster.restore(db, d.id)
    assert roster.search_ids(db, MemberFilter()) == [d.id]
    assert count(db) == 2  # tombstones are kept for sync


# ---------------------------------------------------------------- search and sort

@pytest.fixture
def people(db, tree):
    rows = [
        ("张三", tree["b1"], date(1950, 1, 1), "男"),
        ("张珊珊", tree["g1"], date(1990, 2, 2), "女"),
        ("李四", tree["b2"], date(1985, 3, 3), "男"),
        ("王五", tree["root"], date(1960, 4, 4), "男"),
        ("曾小红", tree["b1"], date(1975, 5, 5), "女"),
    ]
    ids = {}
    for i, (name, org, born, gender) in enumerate(rows, start=1):
        ids[name] = roster.create(db, person(name, org, born, gender, seq_no=i, mobile=f"1380000000{i}"),
                                  today=TODAY).id
    return ids


def names(db, ids):
    return [r.name for r in roster.rows(db, ids, today=TODAY)]


@pytest.mark.parametrize("text,expected", [
    ("zs", ["张三", "张珊珊"]), ("zhangsan", ["张三"]), ("zhang", ["张三", "张珊珊"]), ("ZHANG", ["张三", "张珊珊"]),
    ("张", ["张三", "张珊珊"]), ("zeng", ["曾小红"]), ("xiaohong", ["曾小红"]), ("zxh", ["曾小红"]),
    ("13800000003", ["李四"]), ("李 1380", ["李四"]), ("nobody", []), ("%", []), ("_", []),
])
def test_text_search_by_name_pinyin_initials_and_numbers(db, people, text, expected):
    assert names(db, roster.search_ids(db, MemberFilter(text=text), today=TODAY)) == expected


def test_text_search_by_id_fragment(db, people):
    with db.session() as s:
        wang = s.get(Member, people["王五"]).id_number
    assert names(db, roster.search_ids(db, MemberFilter(text=wang[6:14]))) == ["王五"]
    assert names(db, roster.search_ids(db, MemberFilter(text=wang[-6:].lower()))) == ["王五"]


def test_org_filter_includes_descendants(db, tree, people):
    assert names(db, roster.search_ids(db, MemberFilter(org_id=tree["b1"]))) == ["张三", "张珊珊", "曾小红"]
    assert names(db, roster.search_ids(db, MemberFilter(org_id=tree["g1"]))) == ["张珊珊"]
    assert len(roster.search_ids(db, MemberFilter(org_id=tree["root"]))) == 5


def test_sorting_in_sql(db, people):
    def order(sort, desc=False):
        return names(db, roster.search_ids(db, MemberFilter(), sort=sort, descending=desc, today=TODAY))

    assert order("seq") == ["张三", "张珊珊", "李四", "王五", "曾小红"]
    assert order("seq", True) == ["曾小红", "王五", "李四", "张珊珊", "张三"]
    assert order("name") == ["李四", "王五", "曾小红", "张三", "张珊珊"]  # li, wang, zeng, zhang
    assert order("age") == ["张珊珊", "李四", "曾小红", "王五", "张三"]  # youngest first
    assert order("birth_date") == ["张三", "王五", "曾小红", "李四", "张珊珊"]
    assert order("gender")[:3] == ["张三", "李四", "王五"]
    assert order("org")[0] == "王五"  # the community's own code sorts before its branches'
    for key in roster.SORT_KEYS + ("org_name", "id_masked", "mobile_masked"):
        assert len(order(key)) == 5
    with pytest.raises(ValueError):
        order("shoe_size")


def test_filters_by_category_band_reporting_and_floating(db, tree, people):
    roster.create(db, person("新人", tree["b2"], date(2000, 1, 1), seq_no=9, category="预备党员",
                             joined_date=date(2026, 1, 10), reporting_employer="区教育局"), today=TODAY)
    assert names(db, roster.search_ids(db, MemberFilter(category="预备党员"))) == ["新人"]
    assert names(db, roster.search_ids(db, MemberFilter(reporting=True))) == ["新人"]
    assert len(roster.search_ids(db, MemberFilter(reporting=False))) == 5
    assert names(db, roster.search_ids(db, MemberFilter(age_band="35岁及以下"), today=TODAY)) == ["新人"]
    assert names(db, roster.search_ids(db, MemberFilter(age_band="71-80岁"), today=TODAY)) == ["张三"]
    # 张三 joined 1975-07-01, confirmed 1976-07-01: 49 full years on TODAY
    assert names(db, roster.search_ids(db, MemberFilter(party_age_band="30-50年"), today=TODAY)) == ["张三", "王五"]
    floating_out(db, people["李四"], date(2026, 1, 1), "上海", today=TODAY)
    assert names(db, roster.search_ids(db, MemberFilter(floating=True))) == ["李四"]
    assert names(db, roster.search_ids(db, MemberFilter(status="流动"))) == ["李四"]


def test_rows_come_back_in_the_order_asked_and_masked(db, people):
    ids = list(reversed(roster.search_ids(db, MemberFilter())))
    ids.insert(2, "no-such-id")
    got = roster.rows(db, ids, today=TODAY)
    assert [r.id for r in got] == [i for i in ids if i != "no-such-id"]
    zhang = next(r for r in got if r.name == "张三")
    assert zhang.id_masked.startswith("320102") and "*" in zhang.id_masked
    assert zhang.mobile_masked == "138****0001" and zhang.age == 76 and zhang.party_age == 49


def test_rows_chunk_past_the_variable_limit(db, people):
    ids = roster.search_ids(db, MemberFilter())
    many = ids + [f"missing-{i}" for i in range(2500)]
    assert [r.id for r in roster.rows(db, many)] == ids


# ---------------------------------------------------------------- status and transfers

def test_change_status_records_history_and_keeps_flags_consistent(db, people):
    mid = people["张三"]
    with pytest.raises(ValidationError, match="流动与失联"):  # a bare 流动: the 流出 is registered there
        roster.change_status(db, mid, "流动", date(2026, 1, 5), destination="江苏苏州", note="务工", today=TODAY)
    floating_out(db, mid, date(2026, 1, 5), "江苏苏州", today=TODAY)
    d = roster.get(db, mid, today=TODAY)
    assert (d.status, d.is_floating, d.floating_to) == ("流动", True, "江苏苏州")
    d = roster.change_status(db, mid, "失联", date(2026, 3, 1), today=TODAY)
    assert (d.status, d.is_lost, d.lost_date) == ("失联", True, date(2026, 3, 1))
    d = roster.change_status(db, mid, "停止党籍", date(2026, 4, 1), today=TODAY)
    assert (d.status, d.party_status) == ("停止党籍", "停止党籍")
    d = roster.change_status(db, mid, "正常", date(2026, 5, 1), today=TODAY)
    assert (d.status, d.party_status, d.is_lost, d.is_floating, d.floating_to) == ("正常", "正常", False, False, "")
    assert [h.status for h in d.history] == ["正常", "停止党籍", "失联", "流动"]
    assert d.history[-1].note == "流出登记"
    with pytest.raises(ValidationError):
        roster.change_status(db, mid, "休眠", date(2026, 5, 1), today=TODAY)
    with pytest.raises(ValidationError):
        roster.change_status(db, mid, "正常", date(2026, 7, 1), today=TODAY)
    assert count(db, MemberStatusChange) == 4
    # the record saved as-is through the form keeps the status the flags imply
    assert roster.update(db, mid, d.to_input(), today=TODAY).status == "正常"


def test_transfer_out_and_back_in(db, tree, people):
    mid = people["李四"]
    d = roster.transfer(db, mid, "转出", date(2026, 2, 1), to_org="鼓楼区某社区党委", today=TODAY)
    assert d.status == "转出"
    assert (d.transfers[0].from_org, d.transfers[0].to_org) == ("第二网格党支部", "鼓楼区某社区党委")
    assert mid not in roster.search_ids(db, MemberFilter(active_only=True))
    with pytest.raises(ValidationError):
        roster.transfer(db, mid, "转出", date(2026, 2, 2), today=TODAY)
    d = roster.transfer(db, mid, "转入", date(2026, 5, 1), from_org="鼓楼区某社区党委",
                        new_org_id=tree["b1"], today=TODAY)
    assert (d.status, d.org_id, d.org_name) == ("正常", tree["b1"], "第一网格党支部")
    assert [t.direction for t in d.transfers] == ["转入", "转出"]
    assert [h.status for h in d.history] == ["正常", "转出"]
    with pytest.raises(ValidationError):
        roster.transfer(db, mid, "调动", date(2026, 5, 1), today=TODAY)


def test_transferred_member_keeps_status_when_edited(db, people):
    mid = people["王五"]
    d = roster.transfer(db, mid, "转出", date(2026, 2, 1), to_org="外区", today=TODAY)
    assert roster.update(db, mid, replace(d.to_input(), job="退休"), today=TODAY).status == "转出"


# ---------------------------------------------------------------- lists and counts

def test_probationary_due_lists_due_and_overdue_only(db, tree):
    def probationer(name, joined, seq_no):
        return roster.create(db, person(name, tree["b1"], date(1995, 1, seq_no), seq_no=seq_no,
                                        category="预备党员", joined_date=joined), today=TODAY)

    probationer("已逾期", date(2025, 5, 1), 1)  # due 2026-05-01
    probationer("今天到期", date(2025, 6, 15), 2)
    probationer("三十天后", date(2025, 7, 15), 3)  # due in exactly 30 days
    probationer("三十一天后", date(2025, 7, 16), 4)
    probationer("刚入党", date(2026, 1, 1), 5)
    due = roster.probationary_due(db, TODAY, within_days=30)
    assert [r.name for r in due] == ["已逾期", "今天到期", "三十天后"]


def test_stats_count_by_every_dimension(db, tree, people):
    roster.create(db, person("新人", tree["b2"], date(2000, 1, 1), "女", seq_no=9, category="预备党员",
                             joined_date=date(2026, 1, 10), education="大学本科"), today=TODAY)
    roster.transfer(db, people["王五"], "转出", date(2026, 2, 1), to_org="外区", today=TODAY)
    st = roster.stats(db, today=TODAY)
    assert st.total == 5  # 王五 has left the roster
    assert st.by_category == {"正式党员": 4, "预备党员": 1}
    assert st.by_gender == {"男": 2, "女": 3}
    assert list(st.by_age_band) == [*rules.AGE_BANDS, "未填"]
    assert st.by_age_band["35岁及以下"] == 1 and st.by_age_band["36-45岁"] == 2
    assert st.by_age_band["71-80岁"] == 1
    assert sum(st.by_party_age_band.values()) == 4  # 预备党员 have no party age
    assert st.by_branch == {"第一网格党支部": 3, "第二网格党支部": 2}  # a 党小组's member counts for its branch
    assert st.by_status["正常"] == 5 and st.by_status["转出"] == 0
    assert st.by_education == {"未填": 4, "大学本科": 1}
    everyone = roster.stats(db, MemberFilter(), today=TODAY)
    assert everyone.total == 6 and everyone.by_status["转出"] == 1
    only_b1 = roster.stats(db, MemberFilter(org_id=tree["b1"]), today=TODAY)
    assert only_b1.total == 3


# ---------------------------------------------------------------- bulk

def test_import_members_inserts_creates_branches_and_updates_in_one_go(db, tree):
    rows = [person(f"成员{i}", None, date(1970, 1, 1) + timedelta(days=i), seq_no=i % 100,
                   mobile=f"139{i:08d}") for i in range(300)]
    rows = [replace(r, org_name="新建支部" if i % 2 else "第一网格党支部") for i, r in enumerate(rows)]
    res = roster.import_members(db, rows, False, ["新建支部"], tree["root"], today=TODAY)
    assert (res.added, res.updated, res.branches_created) == (300, 0, ("新建支部",))
    new_branch = next(o for o in orgs.list_tree(db) if o.name == "新建支部")
    assert new_branch.kind == "branch" and new_branch.code.startswith("320102001")
    assert new_branch.member_count == 150
    assert roster.search_ids(db, MemberFilter(text="chengyuan1"))  # search keys were filled
    with db.session() as s:
        versions = set(s.scalars(select(Member.version)))
        sites = set(s.scalars(select(Member.updated_by_site)))
    assert versions == {1} and sites == {site_id_of(db)}

    again = roster.import_members(db, rows, True, [], tree["root"], today=TODAY)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 300)
    moved = [replace(rows[0], mobile="13700000000")]
    res = roster.import_members(db, moved, True, [], tree["root"], fields=["mobile"], today=TODAY)
    assert res.updated == 1
    with db.session() as s:
        assert set(s.scalars(select(Member.version))) == {1, 2}


def test_import_members_is_all_or_nothing(db, tree):
    good = person("好人", tree["b1"], date(1970, 1, 1), seq_no=1)
    bad = person("坏人", tree["b1"], date(1971, 1, 1), seq_no=2, mobile="12")
    with pytest.raises(ValidationError):
        roster.import_members(db, [good, bad], False, ["要新建的支部"], tree["root"], today=TODAY)
    with pytest.raises(ValidationError):
        roster.import_members(db, [good, good], False, [], tree["root"], today=TODAY)
    assert count(db) == 0
    assert "要新建的支部" not in {o.name for o in orgs.list_tree(db)}


def test_search_ids_on_20000_members_is_reported(db, tree):
    rows = [
        MemberInput(name=("张王李赵刘陈杨黄"[i % 8] + "明华建国伟芳娜敏"[(i // 8) % 8] + "强磊军洋"[(i // 64) % 4]),
                    id_number=number(date(1940, 1, 1) + timedelta(days=i % 16000), "男女"[i % 2], i % 100,
                                     region=f"3201{i // 16000 + 10:02d}"),
                    org_id=tree["b1"] if i % 3 else tree["b2"], joined_date=date(2005, 1, 1),
                    confirmed_date=date(2006, 1, 1), mobile=f"138{i:08d}")
        for i in range(20000)
    ]
    started = time.perf_counter()
    roster.import_members(db, rows, False, [], tree["root"], today=TODAY)
    imported = time.perf_counter() - started
    timings = {}
    for text in ("", "z", "zh", "zhang", "zmq", "张明", "1380001"):
        roster.search_ids(db, MemberFilter(text=text))
        started = time.perf_counter()
        found = roster.search_ids(db, MemberFilter(text=text))
        timings[text or "(all)"] = (len(found), round((time.perf_counter() - started) * 1000, 1))
    print(f"\nimport_members 20,000 rows: {imported:.2f} s; search_ids (hits, ms): {timings}")
    assert timings["(all)"][0] == 20000
    assert timings["zhang"][0] == 2500
    again = roster.import_members(db, rows, True, [], tree["root"], today=TODAY)  # big diff: one scan
    assert (again.added, again.updated, again.unchanged) == (0, 0, 20000)


# ---------------------------------------------------------------- export: masking and the personal-data gate

def test_export_rows_mask_numbers_unless_the_actor_may_and_asks_to_reveal(db, tree, tmp_path, monkeypatch):
    from desktop_app.services import auth
    from desktop_app.services.auth import PermissionDenied
    from desktop_app.store.models_access import AuditEntry

    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    password = "xingfuli2026"
    auth.create_first_admin(db, "admin", "王书记", password)
    auth.create_user(db, "street", "街道小钱", "viewer", password)
    zhang = roster.create(db, person("张三", tree["b1"], date(1960, 3, 2), mobile="13912345678",
                                     phone="025-84561234"), TODAY)

    auth.login(db, "street", password)  # may read the roster, may not reveal or export personal data
    for rows in (roster.export_rows(db, today=TODAY), roster.export_rows(db, today=TODAY, reveal=True)):
        (row,) = rows
        assert row["公民身份号码"] == idcard.mask(zhang.id_number) != zhang.id_number
        assert row["手机号码"] == "139****5678"
        assert row["固定电话"] == idcard.mask_phone("025-84561234") != "025-84561234"
    with pytest.raises(PermissionDenied):
        roster.export_members(db, tmp_path / "名册.csv")
    assert not (tmp_path / "名册.csv").exists()

    auth.login(db, "admin", password)
    (row,) = roster.export_rows(db, today=TODAY)
    assert row["公民身份号码"] == idcard.mask(zhang.id_number)  # masked unless asked for
    (row,) = roster.export_rows(db, today=TODAY, reveal=True)
    assert (row["公民身份号码"], row["手机号码"]) == (zhang.id_number, "13912345678")
    assert roster.export_members(db, tmp_path / "名册.csv") == 1
    assert zhang.id_number in (tmp_path / "名册.csv").read_text(encoding="utf-8-sig")

    with db.session() as s:
        trail = list(s.scalars(select(AuditEntry)))
    exports = [e for e in trail if e.action == "export"]
    assert len(exports) == 1 and "名册.csv" in exports[0].note and "共 1 条" in exports[0].note
    assert any(e.action == "reveal" and e.table_name == "member" for e in trail)
