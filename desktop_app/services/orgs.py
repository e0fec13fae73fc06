"""The organisation tree: list, create, rename, move, delete (only when empty)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import column, func, select, table
from sqlalchemy.orm import Session

from desktop_app.domain import orgs as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.site import is_top, root_kind
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.orgtree import descendant_ids, org_name_map
from desktop_app.services.records import live, over_children, writes
from desktop_app.services.site import upper_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import scope
from desktop_app.store.base import Flag
from desktop_app.store.models import Household, Member, Organization, Resident, Site
from desktop_app.store.models_cadence import BranchCadence
from desktop_app.views.orgs import OrgNode, with_paths

__all__ = ["OrgNode", "list_tree", "tree_nodes", "get", "find", "search_orgs", "suggest_code", "create", "rename", "move",
           "delete"]


# The 双报到 register's member ids, as store.models_cobuilding.registered_member_ids() has them but
# without mapping its classes (the roster page reads the tree when it opens): members moved into the
# register are off the community's roster, so off its counts too.
_REGISTER = table("reporting_member", column("member_id"), column("deleted", Flag))


def _live(session: Session, org_id: str) -> Organization:
    return live(session, Organization, org_id, "组织")


def _node(org: Organization, members: int = 0) -> OrgNode:
    return OrgNode(org.id, org.code, org.name, org.kind, org.parent_id, org.sort_order, members)


def list_tree(db: Database) -> list[OrgNode]:
    """Every live organisation, parents before children, siblings in sort order."""
    auth.require(db, "orgs.read")
    with db.session() as s:
        return tree_nodes(s)


def member_counts(s: Session, org_ids: list[str] | None = None) -> dict[str, int]:
    """Members directly in each organisation (of `org_ids`, or all): not those who left (转出, 去世, 出党),
    nor those in the 双报到 register, as the roster counts them."""
    q = select(Member.org_id, func.count()).where(
        Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES),
        Member.id.not_in(select(_REGISTER.c.member_id).where(
            _REGISTER.c.member_id.is_not(None), _REGISTER.c.deleted.is_(False))))
    if org_ids is not None:
        q = q.where(Member.org_id.in_(org_ids))
    return dict(s.execute(q.group_by(Member.org_id)).all())


def tree_nodes(s: Session) -> list[OrgNode]:
    """list_tree() inside the caller's session (the printed roster reads tree and members in one)."""
    counts = member_counts(s)
    rows = s.scalars(
        select(Organization)
        .where(Organization.deleted.is_(False))
        .order_by(Organization.sort_order, Organization.code)
    ).all()
    by_parent: dict[str | None, list[Organization]] = {}
    ids = {o.id for o in rows}
    for o in rows:
        parent = o.parent_id if o.parent_id in ids else None
        by_parent.setdefault(parent, []).append(o)
    out: list[OrgNode] = []

    def walk(parent: str | None) -> None:
        for o in by_parent.get(parent, []):
            out.append(_node(o, counts.get(o.id, 0)))
            walk(o.id)

    walk(None)
    return with_paths(out)  # same-named organisations shown with their path


def get(db: Database, org_id: str) -> OrgNode:
    auth.require(db, "orgs.read")
    with db.session() as s:
        return _node(_live(s, org_id))


def find(db: Database, text: str, field: str = "组织") -> OrgNode:
    """The organisation `text` names: its code, else its name (or path, 社区 / 支部) read as the imports read
    one (第１支部 for 第1支部). A name several organisations bear is refused naming them with their codes;
    an account confined to one street finds only its own subtree."""
    auth.require(db, "orgs.read")
    text = (text or "").strip()
    if not text:
        raise ValidationError(field, "请写出组织代码或名称")
    with db.session() as s:
        by_code = s.scalar(select(Organization).where(Organization.code == text, Organization.deleted.is_(False)))
        if by_code is not None:
            return _node(by_code)
        lookup = org_name_map(s)
        found = lookup.get(text)
        if found is not None:
            return _node(_live(s, found))
    same = lookup.candidates(text) or "、".join(
        c for name, cs in lookup.ambiguous.items() if rules.spelling_key(name) == rules.spelling_key(text) for c in cs)
    if same:
        raise ValidationError(field, f"“{text}”有同名的几个组织：{same}，请改写组织代码")
    raise ValidationError(field, f"找不到组织“{text}”{lookup.near(text)}（组织代码见 dangqun orgs list）")


def search_orgs(db: Database, text: str, limit: int = 20) -> list[OrgNode]:
    """Organisations whose name, code or pinyin holds every word (as the 党组织 page's filter finds them),
    in sort order: 查找's answer for a branch or a grid. Only the organisations found have their members
    counted (as the tree counts them): counting every organisation's costs more than the search."""
    auth.require(db, "orgs.read")
    words = text.split()
    if not words:
        return []
    from desktop_app.domain import pinyin

    def hit(n: OrgNode) -> bool:
        return all(pinyin.matches(w, n.name) or w.lower() in n.code.lower() for w in words)

    with db.session() as s:
        rows = s.scalars(select(Organization).where(Organization.deleted.is_(False))
                         .order_by(Organization.sort_order, Organization.code)).all()
        found = [n for n in with_paths([_node(o) for o in rows]) if hit(n)][:limit]
        counts = member_counts(s, [n.id for n in found]) if found else {}
    return [replace(n, member_count=counts.get(n.id, 0)) for n in found]


def _check_code_free(s: Session, code: str, except_id: str | None = None) -> None:
    # read past a confined account's filter: a street's operator must not take the code of another street
    # (the district's accounts, reports and packages find an organisation by it)
    org = Organization.__table__
    q = select(org.c.id).where(org.c.code == code, org.c.deleted.is_(False), org.c.id != (except_id or ""))
    if scope.read_past(s, q.limit(1)).first() is not None:
        raise ValidationError("组织代码", f"“{code}”已被其他组织使用")


def suggest_code(db: Database, parent_id: str | None) -> str:
    """Parent's code plus the next free two-digit number."""
    auth.require(db, "orgs.read")
    with db.session() as s:
        base = _live(s, parent_id).code if parent_id else "ORG"
        taken = set(s.scalars(select(Organization.code).where(Organization.deleted.is_(False))))
    for n in range(1, 1000):
        code = f"{base}{n:02d}"
        if code not in taken:
            return code
    raise Conflict("无法生成组织代码，请手工填写")


@writes("orgs.write")
def create(uow: UnitOfWork, name: str, code: str, kind: str, parent_id: str | None,
           tracking_since: date | None = None) -> OrgNode:
    """A new organisation; a branch's 三会一课 count from `tracking_since`, by default the first of this month."""
    name = rules.check_name(name)
    code = rules.check_code(code)
    try:
        kind_ = OrgKind(kind)
    except ValueError:
        raise ValidationError("类型", f"未知的组织类型“{kind}”") from None
    s = uow.session
    if parent_id is None and kind_ == OrgKind.STREET:
        parent_id = _district_root(s)  # a district's streets sit under its 区委
    parent = _live(s, parent_id) if parent_id else None
    rules.check_child(OrgKind(parent.kind) if parent else None, kind_)
    _check_code_free(s, code)
    last = over_children(s, func.max(Organization.sort_order), Organization.parent_id, parent_id)
    org = Organization(
        name=name, code=code, kind=kind_.value, parent_id=parent_id,
        sort_order=(last or 0) + 1,
    )
    s.add(org)
    s.flush()
    if kind_ == OrgKind.BRANCH:
        start_tracking(s, org.id, tracking_since)
    return _node(org)


def start_tracking(s: Session, branch_id: str, since: date | None = None) -> None:
    """Count a branch just created here as owing meetings from `since` (the first of this month unless
    given): a branch that did not exist in the program in March was not overdue in March. Branches
    arriving by sync keep the settings their own center wrote."""
    s.add(BranchCadence(org_id=branch_id, tracking_since=since or date.today().replace(day=1)))


@writes("orgs.write")
def rename(uow: UnitOfWork, org_id: str, name: str, code: str | None = None) -> OrgNode:
    name = rules.check_name(name)
    s = uow.session
    org = _live(s, org_id)
    org.name = name
    if code is not None and code.strip() != org.code:
        code = rules.check_code(code)
        _check_code_free(s, code, except_id=org.id)
        org.code = code
    s.flush()
    return _node(org)


def _district_root(s: Session) -> str | None:
    return s.scalar(
        select(Organization.id)
        .where(Organization.kind == OrgKind.DISTRICT.value, Organization.parent_id.is_(None),
               Organization.deleted.is_(False))
        .order_by(Organization.created_at)
        .limit(1)
    )


def _site_root_level(s: Session, org: Organization) -> str:
    """The level of this database when `org` is the organisation it was set up as, else "".

    A street's or district's is the head of its tree. A community's 社区党委 sits under the street that
    put it there (the enrolment reply, the street's packages): a move elsewhere would go up in its next
    package, which the street refuses; it may go back under a 街道党工委 (one moved by an older version)."""
    here = s.execute(select(Site.org_code, Site.level).limit(1)).first()
    if here is None or org.code != here.org_code or org.kind != root_kind(here.level).value:
        return ""
    return here.level


@writes("orgs.write")
def move(uow: UnitOfWork, org_id: str, new_parent_id: str | None, position: int | None = None) -> OrgNode:
    """Put an organisation under another one (at `position` among its siblings, else last), or at the top of
    the tree when `new_parent_id` is None (a 街道党工委 made under the wrong parent, a community arrived by sync)."""
    s = uow.session
    org = _live(s, org_id)
    if org.id == scope.root_of(s):
        raise Conflict(f"“{org.name}”是当前账户所管的组织本身，只能由区里的管理员移动，未作任何改动")
    level = _site_root_level(s, org) if new_parent_id != org.parent_id else ""
    if is_top(level):
        raise ValidationError("上级组织", f"“{org.name}”是本库的最上级组织，不能移到别的组织之下")
    if new_parent_id == org.id or (new_parent_id and new_parent_id in descendant_ids(s, org.id)):
        raise ValidationError("上级组织", "不能移到自己或自己的下级组织之下")
    parent = _live(s, new_parent_id) if new_parent_id else None
    if level and (parent is None or parent.kind != OrgKind.STREET.value):
        raise ValidationError("上级组织", f"“{org.name}”是本库的社区党委：它在哪个街道党工委之下由{upper_in(s)}确定"
                                          "（登记回执和下发包带来），不能移到别处")
    rules.check_child(OrgKind(parent.kind) if parent else None, OrgKind(org.kind))
    siblings = list(
        s.scalars(
            select(Organization)
            .where(
                Organization.parent_id == new_parent_id,
                Organization.deleted.is_(False),
                Organization.id != org.id,
            )
            .order_by(Organization.sort_order, Organization.code)
        )
    )
    pos = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(pos, org)
    org.parent_id = new_parent_id
    for i, sib in enumerate(siblings, start=1):
        if sib.sort_order != i:
            sib.sort_order = i
    s.flush()
    return _node(org)


@writes("orgs.write")
def delete(uow: UnitOfWork, org_id: str) -> None:
    """Tombstone an organisation that holds no sub-organisations, members or residents."""
    s = uow.session
    org = _live(s, org_id)

    def count(model, column) -> int:
        return s.scalar(
            select(func.count()).select_from(model).where(column == org.id, model.deleted.is_(False))
        ) or 0

    children = count(Organization, Organization.parent_id)
    members = count(Member, Member.org_id)
    residents = count(Resident, Resident.grid_id) + count(Household, Household.grid_id)
    parts = [f"{n} {what}" for n, what in ((children, "个下级组织"), (members, "名党员"),
                                            (residents, "条居民或住户记录")) if n]
    if parts:
        raise Conflict(f"“{org.name}”下还有" + "、".join(parts) + "，请先移走或删除后再删除该组织")
    org.deleted = True
