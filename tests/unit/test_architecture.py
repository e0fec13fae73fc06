"""The shape of the code itself: no import cycles, no oversized modules.

The layer rules live in pyproject.toml as import-linter contracts (CI runs
`lint-imports`); this file checks what a contract cannot express. The graph
comes from grimp, import-linter's own graph library, so both read the same
imports. Imports under `if TYPE_CHECKING:` never run and are left out.
"""

from __future__ import annotations

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
