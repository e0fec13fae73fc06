"""五好党支部 assessment: the scheme as data, computed and manual scores, ranking, the street's comparison.

    scheme      the year's scheme: the shipped sample, copies, edits (settings.write)
    rules       the computed rules' registry: one decorated function per rule
    facts       the year's records for every branch, loaded once per computation
    scoring     the yearly assessment, manual scores and their evidence, titles
    comparison  communities side by side (互比互看) and printing (print_*)

`from desktop_app.services import assessment as asm; asm.assess_year(db, 2026)` reaches all of it.
"""

from desktop_app.services.assessment.comparison import (
    compare_communities, print_assessment_form, print_ranking, year_at_a_glance,
)
from desktop_app.services.assessment.rules import RULES, Measure, computed
from desktop_app.services.assessment.scheme import (
    computed_rules, copy_scheme, delete_indicator, load_sample, save_indicator, save_scheme, scheme, scheme_years,
)
from desktop_app.services.assessment.scoring import (
    add_evidence_file, assess_year, branch_assessment, branch_assessments, clear_score, delete_title,
    evidence_file_path, remove_evidence_file, save_title, set_score, titles,
)
from desktop_app.views.assessment import (
    AssessmentRow, AssessmentYear, BranchAssessment, CommunityRow, Comparison, EvidenceFile, EvidenceLine,
    IndicatorNode, IndicatorScore, RuleInfo, SchemeInfo, Share, TitleRow,
)

__all__ = [
    "RULES", "AssessmentRow", "AssessmentYear", "BranchAssessment", "CommunityRow", "Comparison", "EvidenceFile",
    "EvidenceLine", "IndicatorNode", "IndicatorScore", "Measure", "RuleInfo", "SchemeInfo", "Share", "TitleRow",
    "add_evidence_file", "assess_year", "branch_assessment", "branch_assessments", "clear_score",
    "compare_communities", "computed", "computed_rules", "copy_scheme", "delete_indicator", "delete_title",
    "evidence_file_path", "load_sample", "print_assessment_form", "print_ranking", "remove_evidence_file",
    "save_indicator", "save_scheme", "save_title", "scheme", "scheme_years", "set_score", "titles",
    "year_at_a_glance",
]
