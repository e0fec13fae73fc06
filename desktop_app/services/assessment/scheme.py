"""The assessment scheme as data: load the shipped sample, copy a year, edit names, points and rules.

A scheme belongs to a year; the street's scheme reaches its communities by
sync like the other reference lists, and a community may adapt its copy. The
sample (resources/assessment/sample_scheme.json, 6 / 19 / 42) is read only
when someone loads it. Editing a scheme is a settings write.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import assessment as rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.assessment.rules import RULES, rule_infos, rule_label
from desktop_app.services.database import Database
from desktop_app.services.records import assign, live, unchanged_since, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Organization, Site
from desktop_app.store.models_assessment import AssessmentIndicator, AssessmentScheme
from desktop_app.views.assessment import IndicatorNode, RuleInfo, SchemeInfo

SAMPLE_FILE = ("assessment", "sample_scheme.json")


def _sample() -> dict:
    from desktop_app.settings import resource_path

    return json.loads(resource_path(*SAMPLE_FILE).read_text(encoding="utf-8"))


def own_org_id(s: Session) -> str | None:
    """This database's own organisation (its community, or the street at a street office)."""
    code = s.scalar(select(Site.org_code).limit(1))
    return s.scalar(select(Organization.id).where(Organization.code == code, Organization.deleted.is_(False))
                    .order_by(Organization.created_at).limit(1)) if code else None


def year_schemes(s: Session, year: int) -> list[AssessmentScheme]:
    return list(s.scalars(select(AssessmentScheme).where(
        AssessmentScheme.deleted.is_(False), AssessmentScheme.year == year)))


def pick(candidates: list[AssessmentScheme], org_id: str | None, communities: set[str]) -> AssessmentScheme | None:
    """The scheme a community works by: its own, else one from above (the street's), else any.

    Among equals an adapted scheme comes before the untouched sample, the newest first.
    """
    def rank(sch: AssessmentScheme) -> tuple:
        owner = 0 if org_id is not None and sch.org_id == org_id else 1 if sch.org_id not in communities else 2
        return owner, sch.is_sample, -(sch.updated_at.timestamp() if sch.updated_at else 0)
    return min(candidates, key=rank, default=None)


def _communities(s: Session) -> set[str]:
    return set(s.scalars(select(Organization.id).where(Organization.kind == OrgKind.COMMUNITY)))


def scheme_row(s: Session, year: int, org_id: str | None = None) -> AssessmentScheme | None:
    """The year's scheme for `org_id`'s community (default this database's own organisation)."""
    return pick(year_schemes(s, year), org_id or own_org_id(s), _communities(s))


def info_of(s: Session, sch: AssessmentScheme) -> SchemeInfo:
    rows = s.scalars(
        select(AssessmentIndicator)
        .where(AssessmentIndicator.scheme_id == sch.id, AssessmentIndicator.deleted.is_(False))
        .order_by(AssessmentIndicator.sort_order, AssessmentIndicator.code)
    ).all()
    children: dict[str | None, list[AssessmentIndicator]] = defaultdict(list)
    for r in rows:
        children[r.parent_id].append(r)

    def total(r: AssessmentIndicator) -> int:
        if r.level == rules.INDICATOR:
            return r.max_tenths
        return sum(total(c) for c in children.get(r.id, []))

    nodes: list[IndicatorNode] = []

    def walk(parent: str | None, prefix: str) -> None:
        for i, r in enumerate(children.get(parent, []), start=1):
            code = f"{prefix}{i}"
            nodes.append(IndicatorNode(r.id, r.parent_id, r.level, code, r.title, r.description, total(r),
                                       r.rule, rule_label(r.rule), r.params, r.note, r.sort_order, r.version))
            walk(r.id, code + ".")

    walk(None, "")
    shape = rules.shape_of((n.level, n.max_tenths) for n in nodes)
    return SchemeInfo(sch.id, sch.year, sch.name, sch.is_sample, sch.excellent_tenths, sch.pass_tenths, sch.notes,
                      shape.label(), shape.total_tenths, tuple(nodes), editable_here(s, sch), sch.version)


def editable_here(s: Session, sch: AssessmentScheme) -> bool:
    """A community edits its own schemes only; the street's come down and are adapted as a copy.

    The street office (or a district) edits any (an edit at the street goes back as a correction).
    """
    own = own_org_id(s)
    if sch.org_id in (None, own):
        return True
    return s.scalar(select(Organization.kind).where(Organization.id == own)) in (OrgKind.STREET, OrgKind.DISTRICT)


def scheme(db: Database, year: int) -> SchemeInfo | None:
    """The scheme in force for `year`, None when the year has none yet."""
    auth.require(db, "assessment.read")
    with db.session() as s:
        sch = scheme_row(s, rules.check_year(year))
        return info_of(s, sch) if sch is not None else None


def scheme_years(db: Database) -> list[int]:
    """Years that have a scheme, newest first."""
    auth.require(db, "assessment.read")
    with db.session() as s:
        return sorted(set(s.scalars(select(AssessmentScheme.year).where(AssessmentScheme.deleted.is_(False)))),
                      reverse=True)


def computed_rules(db: Database) -> list[RuleInfo]:
    """The rules an indicator may use: manual and every computed rule."""
    auth.require(db, "assessment.read")
    return rule_infos()


def _add_tree(s: Session, sch: AssessmentScheme, data: dict) -> None:
    for ci, cat in enumerate(data["categories"], start=1):
        c = AssessmentIndicator(scheme_id=sch.id, level=rules.CATEGORY, code=str(ci), title=cat["title"],
                                description=cat.get("description", ""), sort_order=ci)
        s.add(c)
        s.flush()
        for ii, item in enumerate(cat["items"], start=1):
            it = AssessmentIndicator(scheme_id=sch.id, parent_id=c.id, level=rules.ITEM, code=f"{ci}.{ii}",
                                     title=item["title"], description=item.get("description", ""), sort_order=ii)
            s.add(it)
            s.flush()
            for ni, ind in enumerate(item["indicators"], start=1):
                rule = ind.get("rule", rules.MANUAL)
                if rule != rules.MANUAL and rule not in RULES:
                    raise ValidationError("计分规则", f"“{ind['title']}”的规则 {rule} 不存在")
                s.add(AssessmentIndicator(
                    scheme_id=sch.id, parent_id=it.id, level=rules.INDICATOR, code=f"{ci}.{ii}.{ni}",
                    title=ind["title"], description=ind.get("description", ""),
                    max_tenths=rules.parse_points(ind["max"], "满分"), rule=rule,
                    params=json.dumps(ind.get("params") or {}, ensure_ascii=False) if ind.get("params") else "",
                    note=ind.get("note", ""), sort_order=ni,
                ))


@writes("settings.write")
def load_sample(uow: UnitOfWork, year: int) -> SchemeInfo:
    """Create `year`'s scheme from the shipped sample (refused when the year already has one)."""
    year = rules.check_year(year)
    data = _sample()
    s = uow.session
    own = own_org_id(s)
    if any(x.org_id in (own, None) for x in year_schemes(s, year)):
        raise Conflict(f"{year} 年度已有考评方案，可直接修改")
    sch = AssessmentScheme(org_id=own, year=year, name=data["name"], is_sample=bool(data.get("sample", True)),
                           excellent_tenths=rules.parse_points(data["excellent"]),
                           pass_tenths=rules.parse_points(data["passed"]), notes=data.get("notes", ""))
    s.add(sch)
    s.flush()
    _add_tree(s, sch, data)
    s.flush()
    return info_of(s, sch)


@writes("settings.write")
def copy_scheme(uow: UnitOfWork, from_year: int, to_year: int) -> SchemeInfo:
    """Start `to_year` with a copy of `from_year`'s scheme, points and rules included."""
    to_year = rules.check_year(to_year)
    s = uow.session
    src = scheme_row(s, rules.check_year(from_year))
    if src is None:
        raise NotFound(f"{from_year} 年度没有考评方案")
    own = own_org_id(s)
    if any(x.org_id in (own, None) for x in year_schemes(s, to_year)):
        raise Conflict(f"{to_year} 年度已有考评方案")
    dst = AssessmentScheme(year=to_year, name=src.name, is_sample=src.is_sample, org_id=own,
                           excellent_tenths=src.excellent_tenths, pass_tenths=src.pass_tenths, notes=src.notes)
    s.add(dst)
    s.flush()
    old = s.scalars(select(AssessmentIndicator).where(
        AssessmentIndicator.scheme_id == src.id, AssessmentIndicator.deleted.is_(False))).all()
    new_ids: dict[str, str] = {}
    for level in rules.LEVELS:  # parents before children
        for r in old:
            if r.level != level:
                continue
            n = AssessmentIndicator(scheme_id=dst.id, parent_id=new_ids.get(r.parent_id or ""), level=r.level,
                                    code=r.code, title=r.title, description=r.description,
                                    max_tenths=r.max_tenths, rule=r.rule, params=r.params, note=r.note,
                                    sort_order=r.sort_order)
            s.add(n)
            s.flush()
            new_ids[r.id] = n.id
    return info_of(s, dst)


def _live_scheme(s: Session, scheme_id: str) -> AssessmentScheme:
    sch = live(s, AssessmentScheme, scheme_id, "考评方案")
    if not editable_here(s, sch):
        raise Conflict("这是街道下发的考评方案，不能直接修改；请先复制为本社区的方案，再修改副本")
    return sch


@writes("settings.write")
def save_scheme(uow: UnitOfWork, scheme_id: str, name: str, excellent_tenths: int, pass_tenths: int,
                notes: str = "", expected_version: int | None = None) -> SchemeInfo:
    """Rename a scheme and set its result thresholds; an edited sample is no longer marked a sample.
    `expected_version`: the version the form was read at; a scheme changed since is refused."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("方案名称", "不能为空")
    if len(name) > 60:
        raise ValidationError("方案名称", "不能超过 60 个字")
    s = uow.session
    sch = _live_scheme(s, scheme_id)
    unchanged_since(s, sch, expected_version, f"考评方案 {sch.name}")
    total = info_of(s, sch).total_tenths
    excellent_tenths, pass_tenths = rules.check_thresholds(excellent_tenths, pass_tenths, total)
    assign(sch, {"name": name, "excellent_tenths": excellent_tenths, "pass_tenths": pass_tenths,
                 "notes": notes or "", "is_sample": False})
    s.flush()
    return info_of(s, sch)


@writes("settings.write")
def save_indicator(uow: UnitOfWork, scheme_id: str, node_id: str | None, parent_id: str | None, level: str,
                   title: str, max_tenths: int = 0, rule: str = rules.MANUAL, params: str = "",
                   description: str = "", note: str = "", expected_version: int | None = None) -> SchemeInfo:
    """Add (node_id None) or change a node of the scheme's tree; only indicators carry points and a rule.
    `expected_version`: the node's version when the form read it; a node changed since is refused."""
    if level not in rules.LEVELS:
        raise ValidationError("层级", f"未知的层级 {level}")
    title = (title or "").strip()
    if not title:
        raise ValidationError("名称", "不能为空")
    if len(title) > 100:
        raise ValidationError("名称", "不能超过 100 个字")
    if level == rules.INDICATOR:
        rules.check_max(max_tenths)
        if rule != rules.MANUAL and rule not in RULES:
            raise ValidationError("计分规则", f"未知的计分规则 {rule}")
        rules.parse_params(params)
    else:
        max_tenths, rule, params = 0, rules.MANUAL, ""
    want_parent = {rules.CATEGORY: None, rules.ITEM: rules.CATEGORY, rules.INDICATOR: rules.ITEM}[level]
    s = uow.session
    sch = _live_scheme(s, scheme_id)
    if want_parent is not None:
        parent = s.get(AssessmentIndicator, parent_id) if parent_id else None
        if parent is None or parent.deleted or parent.scheme_id != sch.id or parent.level != want_parent:
            raise ValidationError("上级", f"请选择所属的{rules.LEVEL_LABELS[want_parent]}")
    else:
        parent_id = None
    if node_id:
        node = s.get(AssessmentIndicator, node_id)
        if node is None or node.deleted or node.scheme_id != sch.id:
            raise NotFound("该指标不存在或已删除")
        unchanged_since(s, node, expected_version, f"指标 {node.title}")
    else:
        siblings = s.scalars(select(AssessmentIndicator.sort_order).where(
            AssessmentIndicator.scheme_id == sch.id, AssessmentIndicator.parent_id.is_(None) if parent_id is None
            else AssessmentIndicator.parent_id == parent_id, AssessmentIndicator.deleted.is_(False))).all()
        node = AssessmentIndicator(scheme_id=sch.id, level=level, sort_order=max(siblings, default=0) + 1)
        s.add(node)
    assign(node, {"parent_id": parent_id, "level": level, "title": title, "max_tenths": max_tenths, "rule": rule,
                  "params": (params or "").strip(), "description": (description or "").strip(),
                  "note": (note or "").strip()})
    if sch.is_sample:
        sch.is_sample = False
    s.flush()
    return info_of(s, sch)


@writes("settings.write")
def delete_indicator(uow: UnitOfWork, node_id: str) -> SchemeInfo:
    """Tombstone a node and everything under it (scores given on it stay, unseen)."""
    s = uow.session
    node = live(s, AssessmentIndicator, node_id, "指标")
    todo = [node]
    while todo:
        n = todo.pop()
        n.deleted = True
        todo.extend(s.scalars(select(AssessmentIndicator).where(
            AssessmentIndicator.parent_id == n.id, AssessmentIndicator.deleted.is_(False))))
    sch = _live_scheme(s, node.scheme_id)
    sch.is_sample = False
    s.flush()
    return info_of(s, sch)
