"""The roster search's lists lower their columns all at once, exactly as one text at a time would."""

from desktop_app.services.roster.search import _Lists, _low, _low_all


def test_lowering_all_at_once_is_lowering_each():
    texts = ["ZhangSan", None, "", "王ＡB秀", "11010519491231002X", "Ärger", "a\0B", "13800138000"]
    assert _low_all(texts) == [_low(t) for t in texts]  # a NUL inside a text: each on its own
    assert _low_all(texts[:1] + texts[2:6]) == [_low(t) for t in texts[:1] + texts[2:6]]
    assert _low_all(["王ＡB秀"]) == ["王Ａb秀"]  # only ASCII letters, as SQLite's LIKE compares them
    assert _low_all(["ÄB"]) == ["Äb"] and _low_all([]) == []


def test_the_lists_hold_each_rows_fields_lowered():
    rows = [("m1", "王Ａb", "WangAB", "wab", "11010519491231002X", "13800138000"),
            ("m2", None, None, None, None, None)]
    lists = _Lists(rows)
    assert lists.ids == ["m1", "m2"]
    assert lists.names == ["王Ａb", ""]
    assert lists.letters == ["wangab\0\x02WAB", "\0\x02"]
    assert lists.digits == ["11010519491231002x\x0013800138000", "\0"]
