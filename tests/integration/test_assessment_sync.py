"""Assessment across sync: the street ranks its communities from what they sent, with the same scores
each community sees at home; the street's scheme goes down to a community like any reference list."""

from datetime import date

import pytest

from desktop_app.domain.errors import Conflict
from desktop_app.services import assessment as asm
from tests.integration.sync_world import World, build_templates

YEAR = date.today().year
AS_OF = date(YEAR, 11, 30) if date.today() > date(YEAR, 11, 30) else date.today()


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("assessment-sync"), members=40, seeds=(31, 32))


@pytest.fixture
def world(templates, tmp_path):
    w = World.copy_from(templates, tmp_path)
    yield w
    w.close()


def test_the_street_compares_communities_with_the_scores_they_have_at_home(world):
    world.up(world.c1)
    world.up(world.c2)
    at_home = {}
    for c in (world.c1, world.c2):
        for d in asm.branch_assessments(c, YEAR - 1, as_of=date(YEAR - 1, 12, 31)):
            at_home[d.row.branch_id] = (d.row.total_tenths, d.row.manual_tenths, d.row.unscored, d.scheme_name)
    street = {d.row.branch_id: (d.row.total_tenths, d.row.manual_tenths, d.row.unscored, d.scheme_name)
              for d in asm.branch_assessments(world.street, YEAR - 1, as_of=date(YEAR - 1, 12, 31))}
    assert street == at_home and len(street) >= 4

    c = asm.compare_communities(world.street, YEAR, as_of=AS_OF)
    assert len(c.rows) == 2 and sorted(r.rank for r in c.rows) == [1, 2]
    assert all(r.members > 0 and r.compliance.required > 0 and r.attendance.required > 0 for r in c.rows)
    home = {r.name: r for community in (world.c1, world.c2)
            for r in asm.compare_communities(community, YEAR, as_of=AS_OF).rows}
    assert set(home) == {r.name for r in c.rows}
    for row in c.rows:
        mine = home[row.name]
        assert (mine.compliance, mine.attendance, mine.dues_on_time, mine.evaluation_done, mine.average_tenths) == (
            row.compliance, row.attendance, row.dues_on_time, row.evaluation_done, row.average_tenths)


def test_the_streets_scheme_goes_down_to_a_community(world):
    ahead = YEAR + 1
    sent = asm.load_sample(world.street, ahead)
    world.up(world.c1)  # the street learns the community's organisations first
    world.down(world.c1)
    got = asm.scheme(world.c1, ahead)
    assert got is not None and got.id == sent.id and got.shape == sent.shape
    rows = asm.assess_year(world.c1, ahead, as_of=date(ahead, 1, 1)).rows
    assert rows and all(r.max_tenths == 1000 for r in rows)
    # the community adapts a copy; the street's own stays as it sent it
    assert not got.editable
    with pytest.raises(Conflict, match="街道下发"):
        asm.save_scheme(world.c1, got.id, "改名", 900, 750)
    mine = asm.copy_scheme(world.c1, ahead, ahead)
    assert mine.editable and mine.id != sent.id and asm.scheme(world.c1, ahead).id == mine.id
    asm.save_scheme(world.c1, mine.id, "本社区方案", 850, 700)
    world.up(world.c1)
    world.up(world.c2)
    assert asm.scheme(world.street, ahead).name == sent.name  # the street's own, untouched
    at_street = asm.branch_assessments(world.street, ahead, as_of=date(ahead, 1, 1))
    assert {d.scheme_name for d in at_street} == {"本社区方案", sent.name}  # c1 by its copy, c2 by the street's
