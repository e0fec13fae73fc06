"""The yearly assessment: every branch scored against the year's scheme, ranked, with its evidence.

Computed indicators are measured from the year's records each time (so a
secretary sees, months before the inspection, where points are being lost);
manual scores, their evidence files and the titles a branch received are
kept rows. One computation serves every branch: the facts load once per year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import assessment as rules
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import attachments, auth
from desktop_app.services.assessment.facts import YearFacts
from desktop_app.services.assessment.rules import RULES, measure_all
from desktop_app.services.assessment.scheme import info_of, own_org_id, pick, year_schemes
from desktop_app.services.database import Database
from desktop_app.services.records import (
    assign, copied, keep_file, live, stored_file, tombstone, unchanged_since, writes,
)
from desktop_app.services.site import center_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Organization
from desktop_app.store.models_assessment import (
    AssessmentEvidence, AssessmentIndicator, AssessmentScore, AssessmentTitle,
)
from desktop_app.views.assessment import (
    AssessmentRow, AssessmentYear, BranchAssessment, CategoryScore, EvidenceFile, EvidenceLine, IndicatorScore,
    SchemeInfo, TitleRow,
)

EVIDENCE_FOLDER = "assessment"
WEAKEST = 5


class _Year:
    """One computation: the schemes, the facts and every branch's indicator scores.

    Each branch is scored by its community's scheme for the year (its own
    adaptation, else the street's): at a street office every community's
    branches keep the scheme their manual scores were given under.
    """

    def __init__(self, db: Database, s: Session, year: int, as_of: date | None):
        as_of = min(as_of or date.today(), date(year, 12, 31))  # a past year as it stood at its end
        self.year, self.as_of = year, as_of
        self.center = center_name(s)
        self.facts = YearFacts(db, s, year, as_of)
        candidates = year_schemes(s, year)
        communities = {o.id for o in self.facts.orgs.by_id.values() if o.kind == OrgKind.COMMUNITY}
        own = pick(candidates, own_org_id(s), communities)
        self.infos: dict[str, SchemeInfo] = {}

        def info(sch) -> SchemeInfo | None:
            if sch is None:
                return None
            if sch.id not in self.infos:
                self.infos[sch.id] = info_of(s, sch)
            return self.infos[sch.id]

        self.scheme: SchemeInfo | None = info(own)
        self.branch_scheme: dict[str, SchemeInfo] = {}
        for b in self.facts.branches:
            community = self.facts.orgs.community_of(b.id)
            found = info(pick(candidates, community.id if community else None, communities))
            if found is not None:
                self.branch_scheme[b.id] = found
        self.scores: dict[str, list[IndicatorScore]] = {}
        self.rows: dict[str, AssessmentRow] = {}
        self.titles: dict[str, list[TitleRow]] = defaultdict(list)
        names = {b.id: b.name for b in self.facts.branches}
        for t in s.scalars(select(AssessmentTitle).where(AssessmentTitle.deleted.is_(False),
                                                         AssessmentTitle.year == year)
                           .order_by(AssessmentTitle.granted_on)):
            self.titles[t.org_id].append(TitleRow(t.id, t.org_id, names.get(t.org_id, ""), t.year, t.title,
                                                  t.granted_on, t.issued_by, t.note, t.version))
        if self.scheme is not None:
            self._score(s)

    def _score(self, s: Session) -> None:
        manual: dict[tuple[str, str], AssessmentScore] = {
            (r.org_id, r.indicator_id): r for r in s.scalars(
                select(AssessmentScore).where(AssessmentScore.deleted.is_(False), AssessmentScore.year == self.year))}
        files: dict[str, list[EvidenceFile]] = defaultdict(list)
        for f in s.execute(select(AssessmentEvidence.score_id, AssessmentEvidence.id, AssessmentEvidence.file_name,
                                  AssessmentEvidence.stored_name, AssessmentEvidence.size)
                           .join(AssessmentScore, AssessmentScore.id == AssessmentEvidence.score_id)
                           .where(AssessmentEvidence.deleted.is_(False), AssessmentScore.year == self.year)):
            files[f.score_id].append(EvidenceFile.of(f))
        trees = {sid: {n.id: n for n in info.nodes} for sid, info in self.infos.items()}
        for b in self.facts.branches:
            scheme = self.branch_scheme[b.id]
            nodes = trees[scheme.id]
            lines = []
            for ind in scheme.indicators():
                item = nodes.get(ind.parent_id or "")
                cat = nodes.get(item.parent_id or "") if item else None
                base = dict(indicator_id=ind.id, code=ind.code, title=ind.title, category=cat.title if cat else "",
                            item=item.title if item else "", max_tenths=ind.max_tenths, rule=ind.rule,
                            rule_label=ind.rule_label)
                if ind.rule in RULES:
                    m = measure_all(self.facts, ind.rule, rules.parse_params(ind.params))[b.id]
                    lines.append(IndicatorScore(**base, computed=True, score_tenths=m.score(ind.max_tenths),
                                                measure=m.text(), hint=m.hint, note=ind.note, evidence=m.evidence))
                    continue
                r = manual.get((b.id, ind.id))
                evidence = tuple(line for line in (r.evidence.splitlines() if r else []) if line.strip())
                lines.append(IndicatorScore(
                    **base, computed=False, score_tenths=r.score_tenths if r else None,
                    hint="" if r else "尚未打分", note=(r.note if r else "") or ind.note,
                    evidence=tuple(EvidenceLine(None, e) for e in evidence),
                    files=tuple(files.get(r.id, [])) if r else (), score_id=r.id if r else None,
                ))
            self.scores[b.id] = lines
        totals = {b: sum(x.score_tenths or 0 for x in lines) for b, lines in self.scores.items()}
        ranks = rules.ranks(totals)
        for b in self.facts.branches:
            lines, scheme = self.scores[b.id], self.branch_scheme[b.id]
            community = self.facts.orgs.community_of(b.id)
            weak = self.weakest(b.id)
            self.rows[b.id] = AssessmentRow(
                b.id, b.name, community.name if community else "", totals[b.id], scheme.total_tenths,
                sum(x.score_tenths or 0 for x in lines if x.computed),
                sum(x.score_tenths or 0 for x in lines if not x.computed),
                sum(1 for x in lines if x.score_tenths is None),
                rules.result_of(totals[b.id], scheme.excellent_tenths, scheme.pass_tenths),
                ranks[b.id], "；".join(f"{x.title}（失 {rules.points(x.lost_tenths)} 分）" for x in weak[:3]),
                "、".join(t.title for t in self.titles.get(b.id, [])), _categories(lines),
            )

    def weakest(self, branch_id: str) -> list[IndicatorScore]:
        lines = {x.indicator_id: x for x in self.scores.get(branch_id, [])}
        chosen = rules.weakest([rules.Lost(x.indicator_id, x.lost_tenths, x.max_tenths) for x in lines.values()],
                               WEAKEST)
        return [lines[c.key] for c in chosen]

    def ordered_rows(self) -> tuple[AssessmentRow, ...]:
        return tuple(sorted(self.rows.values(), key=lambda r: (r.rank, r.branch_name)))


def _categories(lines: list[IndicatorScore]) -> tuple[CategoryScore, ...]:
    """Subtotals by category, in the scheme's order."""
    sums: dict[str, list[int]] = {}
    for x in lines:
        part = sums.setdefault(x.category, [0, 0])
        part[0] += x.score_tenths or 0
        part[1] += x.max_tenths
    return tuple(CategoryScore(title, got, most) for title, (got, most) in sums.items())


def _no_scheme(year: int) -> ValidationError:
    return ValidationError("考评方案", f"{year} 年度还没有考评方案，请先载入示例方案或复制上一年度的方案")


def assess_year(db: Database, year: int, as_of: date | None = None) -> AssessmentYear:
    """Every branch scored for `year` as of `as_of` (default today), ranked, with the grid's cells."""
    auth.require(db, "assessment.read")
    year = rules.check_year(year)
    with db.session() as s:
        y = _Year(db, s, year, as_of)
        cells = {(b, x.indicator_id): x.score_tenths for b, lines in y.scores.items() for x in lines}
        return AssessmentYear(y.center, year, y.scheme, y.ordered_rows(), cells, y.as_of)


def _find_branch(s: Session, branch: str) -> Organization:
    wanted = (branch or "").strip()
    found = s.scalars(select(Organization).where(
        Organization.deleted.is_(False), Organization.kind == OrgKind.BRANCH,
        (Organization.id == wanted) | (Organization.code == wanted) | (Organization.name == wanted))).all()
    if len(found) != 1:
        found = s.scalars(select(Organization).where(
            Organization.deleted.is_(False), Organization.kind == OrgKind.BRANCH,
            Organization.name.contains(wanted))).all() if not found else found
    if len(found) != 1:
        raise ValidationError("党支部", f"找不到唯一的党支部“{wanted}”" if not found
                              else f"“{wanted}”对应多个党支部，请写全名")
    return found[0]


def branch_assessment(db: Database, year: int, branch: str, as_of: date | None = None) -> BranchAssessment:
    """One branch's year (`branch`: id, code or name): scores, evidence, weakest indicators, titles."""
    auth.require(db, "assessment.read")
    year = rules.check_year(year)
    with db.session() as s:
        org = _find_branch(s, branch)
        y = _Year(db, s, year, as_of)
        if y.scheme is None:
            raise _no_scheme(year)
        return _detail(y, org.id)


def _detail(y: _Year, branch_id: str) -> BranchAssessment:
    scheme = y.branch_scheme[branch_id]
    return BranchAssessment(
        y.center, y.year, scheme.name, scheme.excellent_tenths, scheme.pass_tenths, y.rows[branch_id],
        len(y.rows), tuple(y.scores[branch_id]), tuple(y.weakest(branch_id)), tuple(y.titles.get(branch_id, [])),
        y.as_of,
    )


def branch_assessments(db: Database, year: int, branch: str | None = None,
                       as_of: date | None = None) -> list[BranchAssessment]:
    """Every branch's detail (or one), from a single computation: what the printed forms need."""
    auth.require(db, "assessment.read")
    year = rules.check_year(year)
    with db.session() as s:
        wanted = _find_branch(s, branch).id if branch else None
        y = _Year(db, s, year, as_of)
        if y.scheme is None:
            raise _no_scheme(year)
        return [_detail(y, r.branch_id) for r in y.ordered_rows() if wanted in (None, r.branch_id)]


# ---------------------------------------------------------------- manual scores


def _manual_indicator(s: Session, indicator_id: str) -> AssessmentIndicator:
    ind = s.get(AssessmentIndicator, indicator_id)
    if ind is None or ind.deleted or ind.level != rules.INDICATOR:
        raise NotFound("该考评指标不存在或已删除")
    if ind.rule != rules.MANUAL:
        raise ValidationError("考评指标", f"“{ind.title}”按记录自动计分，不能人工打分")
    return ind


def _branch(s: Session, branch_id: str) -> Organization:
    org = s.get(Organization, branch_id)
    if org is None or org.deleted or org.kind != OrgKind.BRANCH:
        raise ValidationError("党支部", "请选择一个党支部")
    return org


def set_score(db: Database, branch_id: str, year: int, indicator_id: str, score_tenths: int, note: str = "",
              evidence: str = "", today: date | None = None, add_files: Sequence[str | Path] = (),
              remove_files: Sequence[str] = ()) -> str:
    """Give a branch its manual score on one indicator for `year`; returns the score's id.

    The score form saves as one act: the evidence files it took off (`remove_files`, their ids) and
    the ones it picked (`add_files`, checked first, a refusal naming the file) go with the score,
    all or nothing, so a refused file leaves the score as it was and no copy in the data folder."""
    actor = auth.require(db, "assessment.write")
    year = rules.check_year(year)
    note, evidence = (note or "").strip(), (evidence or "").strip()
    if len(note) > 1000 or len(evidence) > 4000:
        raise ValidationError("说明" if len(note) > 1000 else "佐证材料", "内容过长")
    sources = attachments.check_sources(add_files) if add_files else []
    with copied(sources, EVIDENCE_FOLDER) as files, UnitOfWork(db) as uow:
        s = uow.session
        org = _branch(s, branch_id)
        ind = _manual_indicator(s, indicator_id)
        rules.check_manual_score(score_tenths, ind.max_tenths)
        r = s.scalars(select(AssessmentScore).where(
            AssessmentScore.org_id == branch_id, AssessmentScore.year == year,
            AssessmentScore.indicator_id == indicator_id, AssessmentScore.deleted.is_(False))).first()
        if r is None:
            r = AssessmentScore(org_id=branch_id, year=year, indicator_id=indicator_id)
            s.add(r)
        r.audit_label = _score_label(org, year, ind)  # so the trail says whose score on what was changed
        for key, value in (("score_tenths", score_tenths), ("note", note), ("evidence", evidence),
                           ("scored_by", actor.name[:40]), ("scored_on", today or date.today())):
            if getattr(r, key) != value:
                setattr(r, key, value)
        s.flush()
        for file_id in remove_files:
            tombstone(s, AssessmentEvidence, file_id, "该佐证材料不存在或已删除")
        s.add_all(AssessmentEvidence(score_id=r.id, **file) for file in files)
        score_id = r.id
        uow.commit()
        return score_id


@writes("assessment.write")
def clear_score(uow: UnitOfWork, branch_id: str, year: int, indicator_id: str) -> None:
    """Take a manual score back: the indicator shows as not scored again."""
    s = uow.session
    for r in s.scalars(select(AssessmentScore).where(
            AssessmentScore.org_id == branch_id, AssessmentScore.year == year,
            AssessmentScore.indicator_id == indicator_id, AssessmentScore.deleted.is_(False))):
        org, ind = s.get(Organization, branch_id), s.get(AssessmentIndicator, indicator_id)
        if org is not None and ind is not None:
            r.audit_label = _score_label(org, year, ind)
        r.deleted = True


def _score_label(org: Organization, year: int, ind: AssessmentIndicator) -> str:
    return f"{org.name} {year}年 {ind.code} {ind.title}"


def add_evidence_file(db: Database, score_id: str, source: str | Path) -> EvidenceFile:
    """Attach a file (a scan, a photo) to a manual score; it is copied into the data folder."""
    auth.require(db, "assessment.write")
    source = attachments.check_source(source)
    e = keep_file(db, source, EVIDENCE_FOLDER, lambda s, file: AssessmentEvidence(
        score_id=live(s, AssessmentScore, score_id, "评分").id, **file))
    return EvidenceFile.of(e)


def evidence_file_path(db: Database, file_id: str) -> Path:
    auth.require(db, "assessment.read")
    return stored_file(db, AssessmentEvidence, file_id, "佐证材料")


@writes("assessment.write")
def remove_evidence_file(uow: UnitOfWork, file_id: str) -> None:
    tombstone(uow.session, AssessmentEvidence, file_id, "该佐证材料不存在或已删除")


# ---------------------------------------------------------------- titles


def titles(db: Database, year: int | None = None) -> list[TitleRow]:
    """Titles branches received (in `year`, or all), newest first."""
    auth.require(db, "assessment.read")
    with db.session() as s:
        q = (select(AssessmentTitle, Organization.name).join(Organization, Organization.id == AssessmentTitle.org_id)
             .where(AssessmentTitle.deleted.is_(False)))
        if year:
            q = q.where(AssessmentTitle.year == year)
        return [TitleRow(t.id, t.org_id, name, t.year, t.title, t.granted_on, t.issued_by, t.note, t.version)
                for t, name in s.execute(q.order_by(AssessmentTitle.year.desc(), AssessmentTitle.granted_on))]


@writes("assessment.write")
def save_title(uow: UnitOfWork, title_id: str | None, branch_id: str, year: int, title: str,
               granted_on: date | None = None, issued_by: str = "", note: str = "",
               expected_version: int | None = None) -> TitleRow:
    """Record (title_id None) or correct a title a branch received, with its date and issuing body.
    `expected_version`: the version the form was read at; a record changed since is refused."""
    year = rules.check_year(year)
    title = rules.check_title_text(title)
    issued_by = (issued_by or "").strip()
    if len(issued_by) > 60:
        raise ValidationError("授予单位", "不能超过 60 个字")
    if granted_on is not None and granted_on.year < year:
        raise ValidationError("授予日期", "不能早于所评年度")
    s = uow.session
    org = _branch(s, branch_id)
    if title_id:
        t = live(s, AssessmentTitle, title_id, "荣誉称号记录")
        unchanged_since(s, t, expected_version, f"荣誉称号 {t.year}年度{t.title}")
    else:
        t = AssessmentTitle(org_id=org.id, year=year, title=title)
        s.add(t)
    assign(t, {"org_id": org.id, "year": year, "title": title, "granted_on": granted_on, "issued_by": issued_by,
               "note": (note or "").strip()})
    s.flush()
    return TitleRow(t.id, org.id, org.name, t.year, t.title, t.granted_on, t.issued_by, t.note, t.version)


@writes("assessment.write")
def delete_title(uow: UnitOfWork, title_id: str) -> None:
    tombstone(uow.session, AssessmentTitle, title_id, "该荣誉称号记录不存在或已删除")
