"""发展党员 history import: the stages a center has already recorded, into the pipeline of services.development.

One row is one person: the dates of 递交入党申请书, 确定为入党积极分子, 确定为发展对象,
入党 (支部大会, with the 志愿书编号) and 转正 become the pipeline's dated steps, and
the stage follows from the last of them (a 当前发展阶段 column must agree). The
past is recorded as it was: the dates must follow one another, but the time
rules of today's steps (a year of 积极分子, the votes) are not asked of it.
A 预备党员 must already be on the roster (import the members first) so that
转正 later updates their record. preview() writes nothing; apply() writes the
preview's applicants in one transaction, all or nothing, after checking again
that nobody it adds has meanwhile been entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import development as rules
from desktop_app.domain import idcard
from desktop_app.domain import members as member_rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.exchange import history
from desktop_app.services import imports, orgs, revert_imported
from desktop_app.services.database import Database
from desktop_app.services.roster import org_name_map
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_development import Applicant, DevelopmentStep
from desktop_app.views.imports import HistoryPreview, Mapping
from desktop_app.views.roster import RowError

__all__ = ["PlannedApplicant", "apply", "preview"]

_BODY = {rules.MAKE_ACTIVIST: "支委会", rules.MAKE_CANDIDATE: "支委会", rules.ADMIT: "支部大会",
         rules.APPROVE: "上级党委", rules.CONFIRM: "支部大会"}
_NOTE = "导入的历史记录"


@dataclass(frozen=True)
class PlannedApplicant:
    row_number: int
    name: str
    id_number: str
    gender: str
    birth_date: date | None
    education: str
    job: str
    mobile: str
    org_id: str
    stage: str
    applied_on: date
    contacts: str
    notes: str
    steps: tuple[tuple[str, date, str], ...]  # (step, date, document number)
    member_id: str | None


def _steps(v: dict) -> list[tuple[str, date, str]]:
    out = [(rules.APPLY, v["applied"], "")]
    if v["activist"]:
        out.append((rules.MAKE_ACTIVIST, v["activist"], ""))
    if v["candidate"]:
        out.append((rules.MAKE_CANDIDATE, v["candidate"], ""))
    if v["admitted"]:
        # The 支部大会 and the 上级党委's approval: the sheet keeps one 入党时间 for both.
        out.append((rules.ADMIT, v["admitted"], v["volunteer_no"]))
        out.append((rules.APPROVE, v["admitted"], ""))
    if v["confirmed"]:
        out.append((rules.CONFIRM, v["confirmed"], ""))
    return out


_DATE_COLUMN = {rules.APPLY: "提交申请书时间", rules.MAKE_ACTIVIST: "确定为入党积极分子时间",
                rules.MAKE_CANDIDATE: "确定为发展对象时间", rules.ADMIT: "入党时间", rules.APPROVE: "入党时间",
                rules.CONFIRM: "转正时间"}


def _check(row: history.Row, today: date) -> tuple[list[tuple[str, date, str]], str, list[RowError]]:
    v = row.values
    errors, fail = history.refusals(row)  # its cells all read: _checked asks only such rows
    if not v["name"]:
        fail("姓名", "请填写姓名")
    if v["applied"] is None:
        fail("提交申请书时间", "请填写递交入党申请书的日期")
        return [], "", errors
    steps = _steps(v)
    for (step, on, _doc), (prev, before, _d) in zip(steps[1:], steps):
        if on < before:
            fail(_DATE_COLUMN[step], f"早于{_DATE_COLUMN[prev]}（{before.isoformat()}）")
    if v["confirmed"] and not v["admitted"]:
        fail("入党时间", "有转正时间，请填写入党时间")
    if v["admitted"] and not v["candidate"]:
        fail("确定为发展对象时间", "有入党时间，请填写确定为发展对象时间")
    if v["candidate"] and not v["activist"]:
        fail("确定为入党积极分子时间", "有确定为发展对象时间，请填写确定为入党积极分子时间")
    for step, on, _doc in steps:
        if on > today:
            fail(_DATE_COLUMN[step], "不能晚于今天")
    if v["planned"] and v["planned"] > today:
        fail("列入发展计划时间", "不能晚于今天")
    stage = rules.APPLICANT
    for step, _on, _doc in steps:
        stage = rules.step_kind(step).to_stage or stage
    given = v["stage"]
    if given:
        if given not in rules.STAGES:
            fail("当前发展阶段", f"应为{'、'.join(rules.STAGES)}之一")
        elif given in (rules.STOPPED, rules.CANCELLED):
            stage = given  # the end of the way, dated by no column of the sheet
        elif given != stage:
            fail("当前发展阶段", f"与所填日期不符：按日期应为“{stage}”")
    try:  # as typed in 登记入党申请人: a slip let through stops 上级党委审批 when the roster takes the number
        v["mobile"] = rules.contact_phone(v["mobile"])  # kept as the form keeps it (138 1234 5678 → 13812345678)
    except ValidationError as exc:
        fail("联系电话", exc.message)
    if v["birth_date"] is not None or v["id_number"]:
        birth = v["birth_date"] or idcard.parse(v["id_number"]).birth_date
        try:
            rules.check_age(birth, v["applied"])
        except ValidationError as exc:
            fail("提交申请书时间", exc.message)
    return steps, stage, errors


def preview(db: Database, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None,
            today: date | None = None) -> HistoryPreview:
    """Read a 发展党员 sheet and check every row against the pipeline, the branches and the roster; writes nothing."""
    return imports.preview_history(db, "development", path, mapping, sheet, today, _checked)


def _checked(db: Database, parsed: history.Parsed, mapping: Mapping | None, today: date) -> HistoryPreview:
    lookup = org_name_map(db)
    tree = orgs.list_tree(db)
    kinds = {n.id: n.kind for n in tree}
    unknown_branch = history.unknown_org([n.name for n in tree if n.kind == "branch"], "党支部", "党支部")
    parents = {n.id: n.parent_id for n in tree}
    numbers = [r.values["id_number"] for r in parsed.rows if r.values["id_number"]]
    with db.session() as s:
        taken = set(s.scalars(select(Applicant.id_number).where(
            Applicant.deleted.is_(False), Applicant.id_number.in_(numbers))))
        members = {number: (member_id, category) for number, member_id, category in s.execute(
            select(Member.id_number, Member.id, Member.category).where(
                Member.deleted.is_(False), Member.id_number.in_(numbers)))}
    items: list[PlannedApplicant] = []
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for row in parsed.rows:
        v = row.values
        row_errors = list(row.errors)
        steps, stage, problems = _check(row, today) if not row_errors else ([], "", [])
        row_errors += problems
        org_id = lookup.get(v["branch"]) if v["branch"] else None
        if not v["branch"]:
            row_errors.append(RowError(row.row_number, "所在党支部", "", "请填写所在党支部（名称、路径或组织代码）"))
        elif org_id is None:
            why = (f"有多个党组织名为“{v['branch']}”：{lookup.candidates(v['branch'])}，请写明路径或组织代码"
                   if lookup.candidates(v["branch"]) else unknown_branch + lookup.near(v["branch"]))
            row_errors.append(RowError(row.row_number, "所在党支部", v["branch"], why))
        elif kinds.get(org_id) not in ("branch", "group"):
            row_errors.append(RowError(row.row_number, "所在党支部", v["branch"], "发展党员由党支部负责，请填写党支部"))
        number = v["id_number"]
        member_id, category = members.get(number, (None, "")) if number else (None, "")
        if number in taken:
            row_errors.append(RowError(row.row_number, "公民身份号码", idcard.mask(number), "已在发展党员名单中"))
        if number and number in first:
            row_errors.append(RowError(row.row_number, "公民身份号码", idcard.mask(number),
                                       f"与第 {first[number]} 行重复"))
        elif number:
            first[number] = row.row_number
        if stage == rules.PROBATIONARY and member_id is None:
            row_errors.append(RowError(row.row_number, "公民身份号码", idcard.mask(number),
                                       "预备党员须已在党员名册中（请先导入党员信息），转正时才能更新其记录"))
        elif stage == rules.PROBATIONARY and category == member_rules.FULL:
            # The roster and the pipeline must tell one story: 转正 would later confirm a 正式党员 again.
            row_errors.append(RowError(row.row_number, "转正时间", "", (
                f"{v['name']}在党员名册中是正式党员：已转正的请填写转正时间，未转正的请先在党员名册中改为预备党员")))
        if row_errors:
            errors += row_errors
            continue
        if kinds.get(org_id) == "group":
            org_id = parents[org_id]
        notes = "；".join(t for t in (v["notes"], f"列入发展计划：{v['planned'].isoformat()}" if v["planned"] else "")
                         if t)
        items.append(PlannedApplicant(
            row.row_number, v["name"], number, v["gender"] or (idcard.parse(number).gender if number else ""),
            v["birth_date"] or (idcard.parse(number).birth_date if number else None), v["education"], v["job"],
            v["mobile"], org_id, stage, v["applied"], v["contacts"], notes, tuple(steps), member_id,
        ))
    by_stage: dict[str, int] = {}
    for it in items:
        by_stage[it.stage] = by_stage.get(it.stage, 0) + 1
    lines = [f"{stage} {n} 名" for stage, n in by_stage.items()]
    return HistoryPreview.of_sheet("development", parsed, items, errors, lines, mapping)


@writes("development.write")
def apply(uow: UnitOfWork, plan: HistoryPreview) -> int:
    """Write the previewed applicants and their steps in one transaction; nothing when the sheet had errors."""
    plan.check_applicable("development", "发展党员")
    s = uow.session
    numbers = [it.id_number for it in plan.items if it.id_number]
    if numbers and (clash := s.scalar(select(Applicant.name).where(
            Applicant.deleted.is_(False), Applicant.id_number.in_(numbers)).limit(1))):
        raise Conflict(f"预览之后{clash}已登记为发展对象，未导入任何数据。请重新预览")
    with revert_imported.tracking(s) as added:  # kept so 操作记录 can take the whole import back
        for it in plan.items:
            a = Applicant(name=it.name, gender=it.gender[:2], birth_date=it.birth_date, id_number=it.id_number,
                          education=it.education[:20], job=it.job[:60], mobile=it.mobile[:20], org_id=it.org_id,
                          stage=it.stage, applied_on=it.applied_on, contacts=it.contacts[:60], notes=it.notes,
                          member_id=it.member_id)
            s.add(a)
            s.flush()
            for step, on, doc in it.steps:
                kind = rules.step_kind(step)
                s.add(DevelopmentStep(applicant_id=a.id, step=step, done_on=on, body=_BODY.get(step, ""),
                                      document_no=doc[:40], documents="、".join(kind.documents[:1]), note=_NOTE))
        s.flush()
    revert_imported.record(s, "applicant", f"导入发展党员 {len(plan.items)} 名（{plan.file_name}）",
                           {"applicants": len(plan.items)}, added)
    return len(plan.items)
