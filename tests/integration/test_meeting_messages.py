"""Refusals of the meeting lifecycle read as a worker would say them: the field once, then what is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import meetings as ms
from tests.integration.test_meetings_service import TODAY, cm, meeting  # noqa: F401  (cm is a fixture)


def test_holding_a_future_meeting_names_the_date_once(db, cm):  # noqa: F811
    future = ms.plan(db, meeting(cm, day=date(2025, 6, 1)), today=TODAY)
    with pytest.raises(ValidationError) as e:
        ms.all_present(db, future.id, today=TODAY)
    assert str(e.value) == "会议日期：2025-06-01 还没到，不能登记为已召开"
