"""The shape of the code itself: no import cycles, no oversized modules.

The layer rules live in pyproject.toml as import-linter contracts (CI runs
`lint-imports`); this file checks what a contract cannot express. The graph
comes from grimp, import-linter's own graph library, so both read the same
imports. Imports under `if TYPE_CHECKING:` never run and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = "desktop_app"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE
MAX_LINES = 800


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(PACKAGE, cache_dir=None, exclude_type_checking_imports=True)


def strongly_connected(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is deep enough to hit Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_tarjan_finds_a_cycle_and_only_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected({"a", "b", "c", "d"}, edges) == [["a", "b", "c"]]
    assert strongly_connected({"a", "b"}, {"a": {"b"}}) == []


def test_no_import_cycles(graph):
    modules = set(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}
    cycles = strongly_connected(modules, edges)
    described = []
    for component in cycles:
        first = component[0]
        back = [m for m in component if m != first and graph.chain_exists(m, first)]
        chain = graph.find_shortest_chain(importer=first, imported=back[0]) if back else None
        described.append(" → ".join(chain or component) + f" → {first}")
    assert not cycles, "import cycles:\n" + "\n".join(described)


def test_no_module_over_800_lines():
    long = {
        str(p.relative_to(ROOT.parent)): n
        for p in ROOT.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these along their seams: {long}"


def _feature(module: str) -> str:
    """desktop_app.<layer>.<feature>: a feature's modules may share private names, no one else may."""
    return ".".join(module.split(".")[:3])


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))


def private_reaches(module: str, source: str) -> list[str]:
    """Private names (or names from private modules) `module` takes from another feature, when either
    side is a service: `from x import _y`, `from x._y import z`, `import x as m; m._y`."""
    tree = ast.parse(source)
    names: dict[str, str] = {}
    found: list[str] = []

    def check(target: str) -> None:
        services = PACKAGE + ".services."
        if (target.startswith(PACKAGE + ".") and _private(target) and _feature(target) != _feature(module)
                and (module.startswith(services) or target.startswith(services))):
            found.append(f"{module} uses {target}")

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                check(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in names
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            check(f"{names[node.value.id]}.{node.attr}")
    return found


def test_private_reach_check_can_fail():
    me = "desktop_app.services.meetings_import"
    assert private_reaches(me, "from desktop_app.services.meetings.lifecycle import _check_holder")
    assert private_reaches(me, "from desktop_app.services.meetings._common import Orgs")
    assert private_reaches(me, "from desktop_app.store import audit\naudit._entry(s)")
    assert private_reaches("desktop_app.gui.x", "from desktop_app.services import roster as r\nr._today()")
    assert not private_reaches(me, "from desktop_app.services.meetings.lifecycle import check_holder")
    assert not private_reaches("desktop_app.services.meetings.queries",
                               "from desktop_app.services.meetings._common import _Orgs")


def test_no_service_module_takes_another_features_private_names():
    reaches = [
        hit
        for p in sorted(ROOT.rglob("*.py"))
        for hit in private_reaches(
            ".".join(p.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__"),
            p.read_text(encoding="utf-8"),
        )
    ]
    assert not reaches, "give these a public name in their module or a shared helper:\n" + "\n".join(reaches)
