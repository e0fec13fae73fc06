"""民主测评 rows travel as 民主评议's do (owned by the member's organisation): a community's tallies reach
its street; a package written for a street on an older program (before 0038) leaves the two tables out,
and an older community's package without them is read."""

from __future__ import annotations

from datetime import date

import pytest
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster, sync
from desktop_app.services import evaluation_votes as ev
from desktop_app.services.evaluations import EvaluationEntry
from desktop_app.store import migrate
from desktop_app.store.models_meetings import EvaluationBallot, EvaluationVote
from desktop_app.views.evaluations import BallotInfo, VoteEntry
from tests.integration.test_sync_format import relabelled, street_and_community
from tests.integration.test_wish_photo_sync import rows, tables_of

OLDER = "0037"  # a program before the 民主测评 tables, inside the range this one reads
TABLES = {"evaluation_ballot", "evaluation_vote"}


def street_with_member(tmp_path):
    """A street and its community, whose branch has one member, 张伟: (street, community, branch id, member)."""
    street, community = street_and_community(tmp_path)
    branch = next(n.id for n in orgs.list_tree(community) if n.kind == "branch")
    m = roster.create(community, MemberInput(
        name="张伟", org_id=branch, id_number=idcard.make("320102", date(1970, 5, 6), 1, idcard.MALE),
        joined_date=date(1995, 7, 1)), today=date(2026, 3, 1))
    return street, community, branch, m


@pytest.fixture
def pair(tmp_path):
    street, community, branch, m = street_with_member(tmp_path)
    ev.save(community, branch, 2025, [EvaluationEntry(m.id, "优秀")], BallotInfo(12, 11, date(2026, 1, 20)),
            [VoteEntry(m.id, 9, 2, 0, 0)])
    yield street, community, branch
    street.dispose()
    community.dispose()


def test_the_tallies_reach_the_street(pair, tmp_path):
    street, community, branch = pair
    up = sync.export_package(community, tmp_path / "up1.zip", plain=True).path
    assert TABLES <= tables_of(up)
    sync.import_package(street, up)
    t = ev.tallies(street, branch, 2025)
    assert t.ballot == BallotInfo(12, 11, date(2026, 1, 20))
    got = {r.row.name: (r.row.grade, r.tally.counts()) for r in t.rows}
    assert got["张伟"] == ("优秀", (9, 2, 0, 0))


def test_an_older_communitys_package_without_the_tables_is_read(pair, tmp_path):
    street, community, _branch = pair
    plain = sync.export_package(community, tmp_path / "up1.zip", plain=True).path
    older = tmp_path / "older.zip"
    older.write_bytes(relabelled(plain, tmp_path / "c1.dqkey", OLDER, frozenset(TABLES)))
    sync.import_package(street, older)
    assert (rows(street, EvaluationBallot), rows(street, EvaluationVote)) == (0, 0)


def test_a_package_for_a_street_on_an_older_program_leaves_the_tables_out(pair, tmp_path):
    street, community, _branch = pair
    sync.import_package(street, sync.export_package(community, tmp_path / "up1.zip", plain=True).path)
    down = sync.send_package(street, tmp_path / "down.zip", "320102001", plain=True).path
    older = tmp_path / "down-older.zip"
    older.write_bytes(relabelled(down, tmp_path / "street.dqkey", OLDER,
                                 frozenset(t for t, since in migrate.SYNCED_SINCE.items() if since > OLDER)))
    sync.import_package(community, older)  # the community now knows its street reads OLDER
    up = sync.export_package(community, tmp_path / "up2.zip", full=True, plain=True).path
    names = tables_of(up)
    assert not TABLES & names and "evaluation" in names and "wish_photo" in names
