"""年度台账: the organisations' names are read once for the whole folder, not again by every chapter."""

from __future__ import annotations

from types import SimpleNamespace

from desktop_app.services import orgtree
from desktop_app.services.overview import annual
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


def test_the_folder_reads_organisation_names_once(db, town, monkeypatch):  # noqa: F811
    # Each chapter naming a branch or grid read the names and the tree again: seven chapters, fifteen reads.
    plain = annual.annual_folder(db, TODAY.year, TODAY)
    reads: list[str] = []

    def shown_names(s):
        reads.append("names")
        return orgtree.shown_names(s)

    def tree(s):
        reads.append("tree")
        return orgtree.OrgTree(s)

    monkeypatch.setattr(annual, "orgtree", SimpleNamespace(shown_names=shown_names, OrgTree=tree))
    counted = annual.annual_folder(db, TODAY.year, TODAY)
    assert sorted(reads) == ["names", "tree"]
    assert counted.sections == plain.sections  # the same names in every chapter
    assert any(row[1] for row in counted.sections[0].rows)  # 三会一课 names each meeting's branch
