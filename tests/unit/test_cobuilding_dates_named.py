"""三单: a claim or completion dated too early names the date it may not precede, so the worker knows what to type."""

from datetime import date

import pytest

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError

TODAY = date(2026, 6, 28)


def test_a_claim_before_the_project_was_raised_names_that_day():
    with pytest.raises(ValidationError) as e:
        rules.check_claim(rules.PROJECT_OPEN, date(2026, 3, 1), date(2026, 3, 10), TODAY)
    assert (e.value.field, e.value.message) == ("认领日期", "不能早于项目登记日期 2026-03-10")


def test_a_completion_before_the_claim_names_that_day():
    with pytest.raises(ValidationError) as e:
        rules.check_done(rules.PROJECT_CLAIMED, date(2026, 3, 11), date(2026, 3, 12), TODAY)
    assert (e.value.field, e.value.message) == ("完成日期", "不能早于认领日期 2026-03-12")
