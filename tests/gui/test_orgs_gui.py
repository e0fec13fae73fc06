"""The organisation tree page's item model."""

from desktop_app.gui.orgs.page import ID_ROLE, build_model
from desktop_app.services import orgs


def test_the_tree_model_passes_the_model_tester(qtmodeltester, app_ctx):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    orgs.create(db, "第一党小组", "G01", "group", branch.id)
    model = build_model(orgs.list_tree(db))
    qtmodeltester.check(model)

    def ids_under(parent):
        for row in range(model.rowCount(parent)):
            child = model.index(row, 0, parent)
            yield child.data(ID_ROLE)
            yield from ids_under(child)

    assert list(ids_under(model.index(0, 0).parent())) == [n.id for n in orgs.list_tree(db)]  # tree order
