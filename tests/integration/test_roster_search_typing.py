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
    monkeypatch.setattr(search, "_HITS_BYTES_PER_MEMBER", 6)  # 60 bytes for 10 members: 5 hits of 12
    rows = [(f"id{i}", f"张{i}", f"zhang{i}", "Z", f"3201{i:04d}", "13900000000" if i < 6 else "") for i in range(10)]
    lists = search._Lists(rows)
    assert lists.match(["zhang1"]) == ["id1"]
    assert lists.match(["3"]) == [r[0] for r in rows]  # everyone: kept as a range, costing nothing
    assert ("a", "zhang1") in lists._hits
    assert lists.match(["139"]) == [f"id{i}" for i in range(6)]
    assert list(lists._hits) == [("9", "139")]  # 1 + 6 row numbers went past 5: older ones went, oldest first
    assert list(lists._shown) == [("9", "139")]  # the answers kept beside them went with them
    assert lists.match(["zhang1"]) == ["id1"]  # and is found again, the same
