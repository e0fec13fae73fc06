"""Organisations with the same name are shown with as much of their path as tells them apart."""

from desktop_app.views.orgs import OrgNode, path_names, with_paths


def node(i, name, kind, parent=None):
    return OrgNode(i, i, name, kind, parent, 0)


def test_groups_and_branches_that_repeat_are_told_apart():
    nodes = [
        node("s", "梅园街道党工委", "street"),
        node("c1", "梅园社区党委", "community", "s"), node("c2", "幸福里社区党委", "community", "s"),
        node("b1", "第一网格党支部", "branch", "c1"), node("b2", "第一网格党支部", "branch", "c2"),
        node("b3", "第二网格党支部", "branch", "c1"),
        node("g1", "第一党小组", "group", "b1"), node("g2", "第一党小组", "group", "b3"),
        node("g3", "第二党小组", "group", "b3"), node("g4", "第一党小组", "group", "b2"),
    ]
    names = path_names(nodes)
    assert names["b1"] == "梅园社区 · 第一网格党支部" and names["b2"] == "幸福里社区 · 第一网格党支部"
    assert names["b3"] == "第二网格党支部" and names["g3"] == "第二党小组"  # unique names stay bare
    assert names["g2"] == "第二网格党支部 · 第一党小组"
    assert names["g1"] == "梅园社区 · 第一网格党支部 · 第一党小组"  # its branch's name repeats too
    assert names["g4"] == "幸福里社区 · 第一网格党支部 · 第一党小组"
    assert len(set(names.values())) == len(nodes)
    shown = {n.id: n.shown for n in with_paths(nodes)}
    assert shown == names
