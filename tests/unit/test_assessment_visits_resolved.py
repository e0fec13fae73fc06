"""群众反映问题办结率: each raised problem is one evidence line, the open ones first and marked as costing points."""

from datetime import date
from types import SimpleNamespace

from desktop_app.domain import service_flow as flow
from desktop_app.services.assessment import rules
from desktop_app.services.assessment.facts import VisitFact


def _visit(n: int, state: str, raised: bool = True) -> VisitFact:
    return VisitFact(f"v{n}", date(2026, 3, n), f"居民{n}", "走访", raised, state, None, ("张三",))


def test_open_problems_come_first_and_only_closed_ones_count():
    visits = [_visit(1, flow.SOLVED), _visit(2, flow.PENDING), _visit(3, flow.NO_ACTION),
              _visit(4, flow.IN_PROGRESS), _visit(5, flow.PENDING, raised=False)]
    f = SimpleNamespace(branches=[SimpleNamespace(id="b1"), SimpleNamespace(id="b2")], visits={"b1": visits})
    got = rules.visits_resolved(f, {"full_at": 0.8})
    m = got["b1"]
    assert (m.achieved, m.required, m.full_at) == (2, 4, 0.8)
    assert [(e.on.day, e.text, e.ok) for e in m.evidence] == [
        (2, "居民2反映的问题：待处理", False), (4, "居民4反映的问题：处理中", False),
        (1, "居民1反映的问题：已解决", True), (3, "居民3反映的问题：无需处理", True)]
    assert m.hint == "2 件问题尚未办结，办结后可加分"
    assert got["b2"] == rules.Measure(0, 0, (), "", 0.8)  # nothing raised: nothing owed, no hint


def test_all_closed_leaves_no_hint():
    f = SimpleNamespace(branches=[SimpleNamespace(id="b1")], visits={"b1": [_visit(1, flow.SOLVED)]})
    m = rules.visits_resolved(f, {})["b1"]
    assert (m.achieved, m.required, m.hint, m.evidence[0].ok) == (1, 1, "", True)
