"""互比互看: the street sets its communities side by side from the same year's records.

Rows synced up from communities carry their organisation, so grouping every
branch under its community in the org tree is enough. The figures are the
computed rules' measures summed over a community's branches (one computation
for all branches), plus the assessment results where the year has a scheme.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from desktop_app.domain import assessment as rules
from desktop_app.domain import development as dev_rules
from desktop_app.services import auth
from desktop_app.services.assessment.rules import measure_all
from desktop_app.services.assessment.scoring import _detail, _Year
from desktop_app.services.database import Database
from desktop_app.views.assessment import AssessmentYear, BranchAssessment, CommunityRow, Comparison, SchemeInfo, Share

DIRECT = "街道直属"


def _sum(measures: dict, branch_ids: list[str]) -> Share:
    return Share(sum(measures[b].achieved for b in branch_ids), sum(measures[b].required for b in branch_ids))


def compare_communities(db: Database, year: int, as_of: date | None = None) -> Comparison:
    """Each community's compliance, attendance, dues on time, 民主评议 done and results, ranked."""
    auth.require(db, "assessment.read")
    year = rules.check_year(year)
    with db.session() as s:
        return _comparison(_Year(db, s, year, as_of))


def year_at_a_glance(db: Database, year: int, as_of: date | None = None
                     ) -> tuple[SchemeInfo | None, list[BranchAssessment], Comparison]:
    """The year's scheme, every branch's assessment and the communities' comparison from one computation:
    what the assessment page shows."""
    auth.require(db, "assessment.read")
    year = rules.check_year(year)
    with db.session() as s:
        y = _Year(db, s, year, as_of)
        forms = [_detail(y, r.branch_id) for r in y.ordered_rows()] if y.scheme is not None else []
        return y.scheme, forms, _comparison(y)


def _comparison(y: _Year) -> Comparison:
    f = y.facts
    groups: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for b in f.branches:
        c = f.orgs.community_of(b.id)
        key = c.id if c else ""
        names[key] = c.name if c else DIRECT
        groups[key].append(b.id)
    compliance = measure_all(f, "meetings_on_time", {})
    attendance = measure_all(f, "attendance_rate", {})
    dues = measure_all(f, "dues_on_time", {})
    evaluation = measure_all(f, "evaluation_done", {})
    development = measure_all(f, "development_on_time", {})
    admitted = _admitted(f)
    activities = f.activities_of_community()
    averages: dict[str, int] = {}
    results: dict[str, dict[str, int]] = {}
    for key, ids in groups.items():
        rows = [y.rows[b] for b in ids if b in y.rows]
        averages[key] = round(sum(r.total_tenths for r in rows) / len(rows)) if rows else 0
        results[key] = {r: sum(1 for x in rows if x.result == r) for r in rules.RESULTS}
    ranks = rules.ranks(averages) if y.scheme is not None else {}
    out = [
        CommunityRow(
            key, names[key], len(ids), sum(len(f.roster.get(b, [])) for b in ids),
            _sum(compliance, ids), _sum(attendance, ids), _sum(dues, ids), _sum(evaluation, ids),
            _development(sum(admitted.get(b, 0) for b in ids), _sum(development, ids)),
            f"{activities.get(key, 0)} 次",
            results[key][rules.EXCELLENT], results[key][rules.PASSED], results[key][rules.FAILED],
            averages[key], ranks.get(key, 0),
        )
        for key, ids in groups.items()
    ]
    out.sort(key=lambda r: (r.rank or 10**6, r.name))
    return Comparison(y.center, y.year, tuple(out), y.scheme.name if y.scheme else "", y.as_of)


def _admitted(f) -> dict[str, int]:
    """New 预备党员 per branch: those whose admission the upper committee approved in the year."""
    last = min(f.as_of, f.last)
    return {b: sum(1 for _name, history in people
                   if any(d.step == dev_rules.APPROVE and f.first <= d.on <= last for d in history))
            for b, people in f.development.items()}


def _development(admitted: int, on_time: Share) -> str:
    """发展党员 in the comparison: new 预备党员 and the share of time limits met (发展 2 名，按时 90.0%)."""
    if not on_time.required and not admitted:
        return "无"
    return f"发展 {admitted} 名，按时 {on_time.text()}"


def print_assessment_form(db: Database, year: int, out: Path | None = None, branch: str | None = None, *,
                          as_of: date | None = None, printed_on: date | None = None,
                          font_path: str | None = None) -> bytes:
    """五好党支部考评表 of one branch (id, code or name) or of every branch, with evidence lists; PDF bytes."""
    from desktop_app.reports.assessment import render_assessment_forms  # reportlab loads on the first print
    from desktop_app.services.assessment.scoring import branch_assessments

    auth.require(db, "assessment.read")
    forms = branch_assessments(db, year, branch, as_of)
    return render_assessment_forms(forms, out, printed_on=printed_on, font_path=font_path)


def print_ranking(db: Database, year: int, out: Path | None = None, *, as_of: date | None = None,
                  printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """互比互看排名表: communities side by side, then every branch ranked by its total; PDF bytes."""
    from desktop_app.reports.assessment import render_ranking

    auth.require(db, "assessment.read")
    year = rules.check_year(year)
    with db.session() as s:
        y = _Year(db, s, year, as_of)
        ranked = AssessmentYear(y.center, year, y.scheme, y.ordered_rows(), {}, y.as_of)
        comparison = _comparison(y)
    return render_ranking(comparison, ranked, out, printed_on=printed_on, font_path=font_path)
