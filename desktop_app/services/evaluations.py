"""民主评议党员: a yearly grade per member (优秀 / 合格 / 基本合格 / 不合格), entered per branch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desktop_app.domain import meetings as rules
from desktop_app.domain import members as member_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth, orgtree
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.records import live
from desktop_app.services.site import center_name
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_cobuilding import registered_member_ids
from desktop_app.store.models_meetings import Evaluation, EvaluationBallot, EvaluationVote
from desktop_app.views.evaluations import (  # noqa: F401 - re-exported for callers
    BranchEvaluation,
    EvaluationEntry,
    EvaluationRow,
    EvaluationSummary,
    SaveResult,
)

_CHUNK = 500


def check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError("评议年度", f"“{year}”不是有效年份")
    return year


def _branch_and_groups(s, branch_id: str) -> tuple[Organization, dict[str, str]]:
    branch = live(s, Organization, branch_id, "党支部")
    if branch.kind != OrgKind.BRANCH:
        raise ValidationError("党支部", f"“{branch.name}”不是党支部，请选择党支部")
    groups = dict(s.execute(
        select(Organization.id, Organization.name)
        .where(Organization.parent_id == branch.id, Organization.deleted.is_(False),
               Organization.kind == OrgKind.GROUP)
    ).all())
    return branch, groups


def latest_by_member(s, model, ids: Sequence[str], year: int, *, removed: bool = False) -> dict:
    """member id -> its live row of `model` (a grade, a tally) for `year`, read in chunks; the latest edit
    wins should two sites both have entered one.

    removed=True: its latest removed row instead, to bring back rather than add a second row: a package
    carrying both a removal and a new row of one member and year would meet the street's unique index
    (db/versions/0039) with the new row first, inserts being written before updates, and be refused whole."""
    found: dict = {}
    for i in range(0, len(ids), _CHUNK):
        for row in s.scalars(select(model).where(
            model.member_id.in_(ids[i:i + _CHUNK]), model.year == year, model.deleted.is_(removed),
        ).order_by(model.updated_at)):
            found[row.member_id] = row
    return found


def second_row_refused(db: Database, exc: IntegrityError, added: Sequence[str], year: int,
                       branch_id: str = "") -> ValidationError:
    """What to say when the unique index (db/versions/0039) refused a second live grade, tally or ballot
    count of a member (branch) and year: another window or account saved one meanwhile. Names the member
    and what is already there; `added` are the members this save was adding a row for."""
    auth.require(db, "evaluations.read")  # it reads what is there (the caller checked evaluations.write)
    text = str(exc.orig)
    with db.session() as s:
        if "evaluation_ballot" in text:
            b = s.scalars(select(EvaluationBallot).where(
                EvaluationBallot.org_id == branch_id, EvaluationBallot.year == year, EvaluationBallot.deleted.is_(False),
            ).order_by(EvaluationBallot.updated_at.desc())).first()
            there = f"（发出 {b.issued} 张 · 收回 {b.returned} 张）" if b is not None else ""
            name, what = (orgtree.shown_names(s).get(branch_id, "") if branch_id else ""), "民主测评票数"
        else:
            model, what = (EvaluationVote, "民主测评票数") if "evaluation_vote" in text else (Evaluation, "评议结果")
            found = latest_by_member(s, model, list(added), year)
            if not found:
                raise exc
            mid, row = next(iter(found.items()))
            name = s.scalar(select(Member.name).where(Member.id == mid)) or ""
            there = (f"“{row.grade}”" if model is Evaluation else
                     f"（优秀 {row.excellent} · 合格 {row.qualified} · 基本合格 {row.basic} · 不合格 {row.unqualified}）")
    return ValidationError(what, f"{name} {year} 年度已有{what}{there}，是另一窗口或另一账户刚保存的；每年只能有一条，"
                                 "本次没有保存任何内容。请刷新后核对，再修改保存")


def grid_rows(s, branch_id: str, year: int) -> list[EvaluationRow]:
    branch, groups = _branch_and_groups(s, branch_id)
    org_ids = [branch.id, *groups]
    # Who is to be graded for `year`: a member who joined the party after it, or whose 组织关系 is at an
    # employer (moved into the 双报到 register), is not; they show only with a grade entered for them.
    expected = (Member.joined_date.is_(None) | (Member.joined_date <= date(year, 12, 31))) & (
        Member.id.not_in(registered_member_ids()))
    members = s.execute(
        select(Member.id, Member.seq, Member.name, Member.org_id, Member.category, expected)
        .where(Member.org_id.in_(org_ids), Member.deleted.is_(False),
               Member.status.not_in(member_rules.GONE_STATUSES))
        .order_by(Member.seq, Member.name_pinyin)
    ).all()
    ids = [m[0] for m in members]
    found = latest_by_member(s, Evaluation, ids, year)
    out = []
    for mid, seq, name, org_id, category, due in members:
        e = found.get(mid)
        if e is None and not due:
            continue
        out.append(EvaluationRow(mid, seq, name, groups.get(org_id, ""), category,
                                 e.grade if e else "", e.notes if e else "", e.id if e else None))
    return out


def grid(db: Database, branch_id: str, year: int) -> list[EvaluationRow]:
    """Every member of the branch (and its groups) to be graded for `year`, with the grade entered, if any."""
    auth.require(db, "evaluations.read")
    year = check_year(year)
    with db.session() as s:
        return grid_rows(s, branch_id, year)


def save(db: Database, branch_id: str, year: int, entries: Sequence[EvaluationEntry]) -> SaveResult:
    """Write a branch's grid in one transaction; a blank grade removes an entered one."""
    auth.require(db, "evaluations.write")
    year = check_year(year)
    cleaned = clean_entries(entries)
    added: list[str] = []
    try:
        with UnitOfWork(db) as uow:
            res = write_grades(uow.session, branch_id, year, cleaned, added)
            uow.commit()
    except IntegrityError as exc:
        raise second_row_refused(db, exc, added, year) from None
    return res


def clean_entries(entries: Sequence[EvaluationEntry]) -> list[tuple[str, str, str]]:
    """(member_id, grade, notes) per line, checked; a refusal names its line."""
    cleaned: list[tuple[str, str, str]] = []
    for i, e in enumerate(entries, start=1):
        grade = (e.grade or "").strip()
        if grade:
            try:
                grade = rules.check_grade(grade)
            except ValidationError as exc:
                raise ValidationError(exc.field, f"第 {i} 行：{exc.message}") from None
        notes = (e.notes or "").strip()
        if len(notes) > 500:
            raise ValidationError("备注", f"第 {i} 行：不能超过 500 个字")
        cleaned.append((e.member_id, grade, notes))
    return cleaned


def branch_members(s, branch_id: str, ids: Sequence[str]) -> tuple[Organization, dict[str, Member]]:
    """The branch and the members `ids` names, each checked to be of it (a refusal names its line)."""
    branch, groups = _branch_and_groups(s, branch_id)
    allowed = {branch.id, *groups}
    # The members in chunks up front: one get() each, every one flushing the grades before it, took
    # seconds for a branch of several hundred.
    members: dict[str, Member] = {}
    for i in range(0, len(ids), _CHUNK):
        members.update((m.id, m) for m in s.scalars(select(Member).where(Member.id.in_(ids[i:i + _CHUNK]))))
    for i, mid in enumerate(ids, start=1):
        m = members.get(mid)
        if m is None or m.deleted:
            raise ValidationError("党员", f"第 {i} 行：该党员不存在或已删除")
        if m.org_id not in allowed:
            raise ValidationError("党员", f"第 {i} 行：{m.name}不是{branch.name}的党员")
    return branch, members


def trail_label(name: str, year: int) -> str:
    """What 操作记录 calls a member's or a branch's row of one year (a grade or tally has no name of its own)."""
    return f"{name} {year}年度"


def write_grades(s, branch_id: str, year: int, cleaned: Sequence[tuple[str, str, str]],
                 added: list[str] | None = None) -> SaveResult:
    """The grades of `cleaned` into the session (the caller's unit of work commits); only changes are written.
    `added` gets the members given a new row (to name one should the unique index refuse it)."""
    ids = [c[0] for c in cleaned]
    _branch, members = branch_members(s, branch_id, ids)
    existing = latest_by_member(s, Evaluation, ids, year)
    removed = latest_by_member(s, Evaluation, [c[0] for c in cleaned if c[1] and c[0] not in existing], year,
                               removed=True)
    n_added = changed = cleared = unchanged = 0
    for mid, grade, notes in cleaned:
        m = members[mid]
        ev = existing.get(mid)
        if not grade:
            if ev is not None:
                ev.deleted = True
                ev.audit_label = trail_label(m.name, year)
                cleared += 1
            else:
                unchanged += 1
            continue
        if ev is None and mid in removed:  # a grade cleared and entered again: the same row back
            ev = removed[mid]
            ev.deleted, ev.org_id, ev.grade, ev.notes = False, m.org_id, grade, notes
            ev.audit_label = trail_label(m.name, year)
            if added is not None:
                added.append(mid)
            n_added += 1
        elif ev is None:
            ev = Evaluation(member_id=mid, org_id=m.org_id, year=year, grade=grade, notes=notes)
            ev.audit_label = trail_label(m.name, year)
            s.add(ev)
            if added is not None:
                added.append(mid)
            n_added += 1
        elif (ev.grade, ev.notes) != (grade, notes):
            ev.grade, ev.notes = grade, notes
            ev.audit_label = trail_label(m.name, year)
            changed += 1
        else:
            unchanged += 1
    return SaveResult(n_added, changed, cleared, unchanged)


def summary(db: Database, year: int, org_id: str | None = None) -> EvaluationSummary:
    """Every branch (under `org_id`) with its members' grades for `year`, in tree order."""
    auth.require(db, "evaluations.read")
    year = check_year(year)
    with db.session() as s:
        center = center_name(s)
        orgs = s.execute(
            select(Organization.id, Organization.parent_id, Organization.kind, Organization.name)
            .where(Organization.deleted.is_(False))
            .order_by(Organization.sort_order, Organization.code)
        ).all()
        children: dict[str | None, list[tuple]] = {}
        for o in orgs:
            children.setdefault(o[1], []).append(o)
        branches: list[tuple] = []

        def walk(parent: str | None, inside: bool) -> None:
            for o in children.get(parent, []):
                here = inside or o[0] == org_id
                if o[2] == OrgKind.BRANCH and here:
                    branches.append(o)
                walk(o[0], here)

        walk(None, org_id is None)
        names = orgtree.shown_names(s)  # a street's communities each have a 第一网格党支部
        out = tuple(BranchEvaluation(names.get(b[0], b[3]), tuple(grid_rows(s, b[0], year))) for b in branches)
        return EvaluationSummary(center, year, out)


def print_evaluation(db: Database, year: int, out: Path | None = None, org_id: str | None = None, *,
                     printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """民主评议党员结果汇总表 for `year` (branches under `org_id`) as PDF bytes; also written to `out`."""
    # reportlab loads on the first print, not at start-up.
    from desktop_app.reports.evaluation import render_evaluation

    return render_evaluation(summary(db, year, org_id), out, printed_on=printed_on, font_path=font_path)
