"""The roster search remembers recent words' hits and narrows a longer word from them: as typed, deleted
and retyped in any order, every answer is still exactly the SQL search's."""

from __future__ import annotations

import random
from datetime import date

import pytest

from desktop_app.services import demo, roster
from desktop_app.services.database import open_database
from desktop_app.services.roster import queries, search
from desktop_app.views.roster import MemberFilter

WORDS = ["zhang", "zh", "wxm", "w", "王秀", "李建国", "3101", "31", "1391", "13", "x", "31x", "3x", "x3", "王 z",
         "zs", "ZH", "Zh", "秀 13", "320", "0x", "a", "an", "ang", "hang", "h"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db, _ = open_database(tmp_path_factory.mktemp("typing") / "demo.db")
    demo.generate(db, members=300, seed=5)
    yield db
    db.dispose()


def test_words_in_any_order_match_the_sql_search(demo_db):
    today = date.today()
    typed = [w[:k] for w in WORDS for k in range(1, len(w) + 1)]
    rng = random.Random(21)
    sequence = typed + rng.sample(typed, len(typed)) + list(reversed(typed))
    found = 0
    for text in sequence:
        flt = MemberFilter(text=text)
        want = queries._search_sql(demo_db, flt, "seq", False, today)
        assert roster.search_ids(demo_db, flt, sort="seq") == want, text
        found += bool(want)
    assert found > len(sequence) // 2


def test_remembered_hits_are_dropped_oldest_first_within_their_budget(monkeypatch):
    monkeypatch.setattr(search, "_HITS_BYTES_PER_MEMBER", 2)  # 20 bytes for 10 members: 5 hits of 4
    rows = [(f"id{i}", f"张{i}", f"zhang{i}", "Z", f"3201{i:04d}", "13900000000" if i < 6 else "") for i in range(10)]
    lists = search._Lists(rows)
    assert lists.hits(["zhang1"]) == ["id1"]
    assert lists.hits(["3"]) == [r[0] for r in rows]  # everyone: kept as a range, costing nothing
    assert isinstance(lists.match(["3"]), range)
    assert ("a", "zhang1") in lists._hits
    assert lists.hits(["139"]) == [f"id{i}" for i in range(6)]
    assert list(lists._hits) == [("9", "139")]  # 1 + 6 row numbers went past 5: older ones went, oldest first
    assert lists._hits_size == 6 * search._HIT_BYTES  # and their bytes with them
    assert lists.hits(["zhang1"]) == ["id1"]  # and is found again, the same


def test_hits_read_as_the_list_of_ids_they_stand_for():
    rows = [(f"id{i}", f"王{i}", f"wang{i}", "W", f"3202{i:04d}", "") for i in range(12)]
    lists = search._Lists(rows)
    hits = lists.hits(["1"])  # id1, id10, id11: the ID numbers holding a 1
    ids = [r[0] for r in rows if "1" in r[4] + r[5]]
    assert hits == ids and list(hits) == ids and len(hits) == len(ids)
    assert hits[0] == ids[0] and hits[-1] == ids[-1] and hits[1:] == ids[1:]
    assert [hits.index(i) for i in ids] == list(range(len(ids)))
    assert "id2" not in hits and "id1" in hits and "nobody" not in hits
    with pytest.raises(ValueError):
        hits.index("id2")  # one of the filter's, not a hit
    assert lists.hits([]) == [r[0] for r in rows]
    assert lists.hits(["nobody"]) == [] and not lists.hits(["nobody"])


def test_names_holding_latin_letters_or_digits_are_found_by_such_words():
    rows = [("a", "张三", "zhangsan", "ZS", "320102197001010011", "13900000001"),
            ("b", "Anna李", "annali", "AL", "320102197001010022", "13900000002"),
            ("c", "王5号", "wang5hao", "W5H", "320102197001010033", "13900000003"),
            ("d", "李四", "lisi", "LS", "320102197001010044", "13900000004")]
    lists = search._Lists(rows)
    assert lists.hits(["anna"]) == ["b"]  # in the pinyin and the name
    assert lists.hits(["nna李"]) == ["b"]  # a mixed word: the names alone
    assert lists.hits(["5"]) == ["c"]  # a digit only the name (and nobody's ID number or phone) holds
    assert lists.hits(["zhang", "a"]) == ["a"]
    assert lists.hits(["li", "5"]) == []


def test_a_word_nearly_everyone_holds_is_found_row_by_row_all_the_same():
    hay = [f"3101{i:04d}\0" for i in range(100)]
    assert search._holding(hay, "31") == range(100)  # everyone: no row numbers made
    hay[80] = "0000\0"  # one row past the first ones tested lacks it
    assert list(search._holding(hay, "31")) == [i for i in range(100) if i != 80]
    assert list(search._holding(hay, "0079")) == [79]
    rows = [(f"id{i}", f"张{i}", f"zhang{i}", "Z", h.rstrip("\0"), "") for i, h in enumerate(hay)]
    assert search._Lists(rows).hits(["3101"]) == [f"id{i}" for i in range(100) if i != 80]


def test_a_prepared_search_answers_the_same(demo_db):
    today = date.today()
    roster.prepare_search(demo_db, MemberFilter())
    lists = next(reversed(search._index_for(demo_db)._lists.values()))  # the one used last
    assert len(lists._chars) >= 36  # every letter and digit found ahead
    for text in ["z", "w", "1", "3", "x", "a", "王", "zh", "13"]:
        flt = MemberFilter(text=text)
        assert roster.search_ids(demo_db, flt) == queries._search_sql(demo_db, flt, "seq", False, today), text


def test_prepared_characters_of_names_find_each_member_once():
    rows = [("a", "王王", "wangwang", "WW", "", ""), ("b", "李四", "lisi", "LS", "", ""),
            ("c", "王五", "wangwu", "WW", "", "")]
    lists = search._Lists(rows)
    lists.prepare()
    assert lists.hits(["王"]) == ["a", "c"]  # 王王 holds it twice: one row
    assert lists.hits(["四"]) == ["b"] and lists.hits(["王五"]) == ["c"] and lists.hits(["张"]) == []
