"""撤销回执: a 回执已收到 recorded by mistake could not be cleared, so the transfer stayed complete in the register.
It can now be undone by whoever may record it, with the trail keeping the date before and after, and is refused
in words once the member has a later transfer that went ahead on the strength of it."""

from datetime import date

import pytest

from desktop_app.domain.errors import Conflict
from desktop_app.services import audit_log, auth, roster, transfers
from tests.integration.test_transfer_letter import _moved as moved
from tests.integration.test_roles import PASSWORD, fast_kdf, town  # noqa: F401 - the accounts of every role

TODAY = date(2025, 6, 1)


def _moved(db):
    tid, _number = moved(db)
    (row,) = transfers.transfers(db)
    return row.member_id, tid


def test_a_receipt_recorded_by_mistake_is_undone_and_the_trail_keeps_it(db):
    _, tid = _moved(db)
    transfers.record_receipt(db, tid, date(2025, 4, 2), TODAY)
    assert transfers.transfers(db, open_only=True) == []
    transfers.undo_receipt(db, tid)
    (row,) = transfers.transfers(db, open_only=True)
    assert row.id == tid and row.receipt_on is None
    last = audit_log.history(db, "transfer", tid)[-1]  # oldest first
    assert last.before.get("receipt_on") and not last.after.get("receipt_on")
    with pytest.raises(Conflict, match="还没有登记回执"):
        transfers.undo_receipt(db, tid)


def test_undo_is_refused_once_a_later_transfer_depends_on_it(db):
    mid, tid = _moved(db)
    transfers.record_receipt(db, tid, date(2025, 4, 2), TODAY)
    roster.transfer(db, mid, "转入", date(2025, 5, 6), from_org="城西社区党委", to_org="第一网格党支部")
    with pytest.raises(Conflict, match="王建国在此之后又办理了2025-05-06的转入.*不能撤销"):
        transfers.undo_receipt(db, tid)
    assert next(r for r in transfers.transfers(db) if r.id == tid).receipt_on == date(2025, 4, 2)


def test_undo_needs_the_permission_that_records_the_receipt(db, town):
    auth.login(db, "admin", PASSWORD)
    _, tid = _moved(db)
    transfers.record_receipt(db, tid, date(2025, 4, 2), TODAY)
    auth.login(db, "street", PASSWORD)  # 只读
    with pytest.raises(auth.PermissionDenied):
        transfers.undo_receipt(db, tid)
