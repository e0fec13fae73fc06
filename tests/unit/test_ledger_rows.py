"""The ledger's fast row builder makes exactly the EntryRow its constructor makes."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from datetime import date, datetime

import pytest

from desktop_app.services.ledger.entries import _make_row
from desktop_app.views.ledger import EntryRow


def test_a_row_built_fast_equals_the_constructed_one_and_stays_frozen():
    values = {f.name: f"v-{f.name}" for f in fields(EntryRow)}
    values.update(entry_date=date(2024, 3, 1), amount_fen=12345, attachments=2, month_closed=True, is_dues=False,
                  created_at=datetime(2024, 3, 1, 8, 30), reversal_of=None, reversed_by="r1")
    fast, slow = _make_row(dict(values)), EntryRow(**values)
    assert fast == slow and hash(repr(fast)) == hash(repr(slow))
    assert fast.income_fen == slow.income_fen and fast.can_reverse == slow.can_reverse
    with pytest.raises(FrozenInstanceError):
        fast.amount_fen = 1
    # The builder relies on a plain frozen dataclass: no __post_init__ to skip, no slots to miss.
    assert not hasattr(EntryRow, "__post_init__") and "__slots__" not in vars(EntryRow)
