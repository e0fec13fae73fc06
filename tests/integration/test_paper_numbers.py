"""Wishes, projects and mediation cases are numbered per year; a deleted record's number is not handed out again."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.service_flow import CaseInput, PartyInput, ProjectInput, WishInput
from desktop_app.services import mediation, projects, wishes
from tests.integration.test_visits_wishes_projects import TODAY, town  # noqa: F401  the fixture


def test_numbers_follow_the_year_and_skip_deleted_ones(db, town):  # noqa: F811
    def case(on):
        return mediation.create_case(db, CaseInput(kind="邻里纠纷", summary="噪音", received_on=on, grid_id=town["g1"], mediator="张建国",
                                                   parties=(PartyInput("王秀英", "申请人"), PartyInput("赵德明", "被申请人"))),
                                     TODAY)

    def wish(on):
        return wishes.post_wish(db, WishInput(wisher_name="王秀英", content="一台收音机", posted_on=on,
                                              grid_id=town["g1"]), TODAY)

    def project(on):
        return projects.create_project(db, ProjectInput(name="加装扶手", category="其他", owner_name="张建国",
                                                        grid_id=town["g1"], start_date=on, deadline=date(2024, 12, 31)),
                                       TODAY)

    for make, delete, number, prefix in ((case, mediation.delete_case, lambda r: r.case_no, "TJ"),
                                         (wish, wishes.delete_wish, lambda r: r.wish_no, "XY"),
                                         (project, projects.delete_project, lambda r: r.project_no, "XM")):
        first = make(date(2024, 1, 5))
        assert number(first) == f"{prefix}2024-001"
        assert number(make(date(2023, 12, 30))) == f"{prefix}2023-001"  # its own year's series
        delete(db, first.id)
        assert number(make(date(2024, 2, 1))) == f"{prefix}2024-002"
