"""The roster search's byte grids (search._Grid): a wide word looked for in every row at once answers
exactly as the row-by-row test and the SQL search do, whatever the rows hold."""

from __future__ import annotations

import random
from datetime import date

from desktop_app.services import demo, roster
from desktop_app.services.database import open_database
from desktop_app.services.roster import queries, search
from desktop_app.views.roster import MemberFilter

WORDS = ["zhang", "zh", "wxm", "w", "王秀", "3101", "31", "1391", "13", "x", "31x", "3x", "x3", "王 z", "zs", "ZH",
         "秀 13", "320", "0x", "an", "ang", "hang", "h", "li", "139 z"]


def test_a_search_through_the_grids_is_the_sql_search(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "_GRID_MIN_ROWS", 0)  # 300 members: grids as for 300,000
    db, _ = open_database(tmp_path / "demo.db")
    try:
        demo.generate(db, members=300, seed=7)
        today = date.today()
        roster.prepare_search(db, MemberFilter(), sort="name")
        lists = next(reversed(search._index_for(db)._lists.values()))
        assert {id(lists.letters), id(lists.digits)} <= set(lists._grids)  # prepared: both grids made
        typed = [w[:k] for w in WORDS for k in range(1, len(w) + 1)]
        for text in typed + random.Random(3).sample(typed, len(typed)):
            flt = MemberFilter(text=text)
            want = queries._search_sql(db, flt, "name", False, today)
            assert roster.search_ids(db, flt, sort="name") == want, text
    finally:
        db.dispose()


def test_the_grid_is_made_once_scans_row_by_row_add_up_to_its_cost(monkeypatch):
    monkeypatch.setattr(search, "_GRID_MIN_ROWS", 0)
    rows = [(f"id{i}", f"张{i}", f"zhang{i}", "Z", f"3201{i:06d}", f"139{i:08d}") for i in range(50)]
    lists = search._Lists(rows)
    assert lists.hits(["3"]) == [r[0] for r in rows] and not lists._grids  # one scan row by row: no grid yet
    for word in ["01", "20", "13", "39"]:
        assert lists.hits([word]) == [r[0] for r in rows if word in r[4] + "\0" + r[5]]
    assert id(lists.digits) in lists._grids  # three scans of every row later: the grid
    assert list(lists.hits(["0049"])) == ["id49"]


def test_a_grid_holds_long_and_wide_rows_and_never_matches_across_rows(monkeypatch):
    monkeypatch.setattr(search, "_GRID_WIDTH", 8)
    rng = random.Random(5)
    alphabet = "0123x9\0\x02ZHü王"
    hay = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(400)]
    hay[7] = "1" * 30  # far past the grid's width: tested row by row too
    grid = search._Grid(hay)
    assert grid._long and 7 in grid._long
    for word in ["0", "12", "x9", "\x02ZH", "ü王", "王", "111111111", "3x3", "0123x9", "王ü"]:
        held = grid.holding(word)
        assert [i for i, h in enumerate(hay) if held[i]] == [i for i, h in enumerate(hay) if word in h], word
    # A word ending one row and starting the next is no row's (words never hold a NUL: see _match).
    grid = search._Grid(["ab", "cd"])
    assert not grid.holding("bc").any()
    assert list(search._among(range(2), grid.holding("c"))) == [1]
    assert search._among(range(2), search._Grid(["ab", "cb"]).holding("b")) == range(2)  # everyone: a range
