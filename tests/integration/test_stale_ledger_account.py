"""修改账户 form: two operators on one account. A form read before the other's rename is refused,
not written back. Two programs on one real database file."""

import pytest

from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.services import ledger
from tests.integration.test_stale_forms import two  # noqa: F401 - the fixture


def test_an_account_form_read_before_anothers_rename_is_refused(two):  # noqa: F811
    a, b = two
    ledger.ensure_accounts(a)
    acc = ledger.add_account(a, "共建单位资助", "街道拨付")
    mine = next(x for x in ledger.list_accounts(a) if x.id == acc.id)
    theirs = next(x for x in ledger.list_accounts(b) if x.id == acc.id)
    ledger.rename_account(a, acc.id, mine.name, "2026年街道拨付", expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="账户 共建单位资助.*你的修改没有保存"):
        ledger.rename_account(b, acc.id, "共建资助", theirs.note, expected_version=theirs.version)
    now = next(x for x in ledger.list_accounts(a) if x.id == acc.id)
    assert (now.name, now.note) == ("共建单位资助", "2026年街道拨付")
    # read again, the same form saves
    ledger.rename_account(b, acc.id, "共建资助", now.note, expected_version=now.version)
    assert ledger.find_account(a, "共建资助").note == "2026年街道拨付"
