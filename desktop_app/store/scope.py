"""An account confined to one organisation's subtree sees and changes only that subtree, on every session.

At a district several streets share one database; a street's operator is an
account whose `org_id` is that street (domain.access.Actor.org_id). Rather
than every service and page remembering to filter, the session does it once:
the actor a session carries (session.info, set by Database.session and the
unit of work) decides

- reads: every ORM query gets `org column IN (the subtree)` on each table it
  mentions that belongs to an organisation (with_loader_criteria, also on
  Session.get; only the tables the statement mentions, since building all of
  them for every read cost more than the read); a row of a child table (an
  attendance) follows its parent (the meeting). A row whose organisation is
  empty belongs to nobody's subtree and stays hidden from a confined account.
  共驻共建 rows that name no organisation (BROUGHT: partner units, activities)
  belong to the community whose package brought them. SELECTs run on the
  engine's own connections (the roster's fast reads) get the same condition
  on each table they read rows of (install_engine). HANDED_DOWN rows of the
  organisations above (the district's scheme) are readable, never writable;
- writes: a flush, a bulk INSERT and an UPDATE/DELETE statement may touch only
  rows of the subtree; anything else raises OutOfScope and nothing is written.
  Writes that skip the ORM altogether (the sync merge into a file) call
  check_org first.

Which column names a table's organisation is derived from the schema by the
rule sync.ownership states as data (org_id, grid_id, else the foreign key to
such a table, else the site that brought the row); tests/integration/test_district_roles.py
keeps them in step.
An actor with no org_id (the district, a street's or community's own file,
the command line) pays one dictionary lookup per statement and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Join, Select, Table, bindparam, event, inspect, literal, select, union_all
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import Delete, Insert, Update
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.selectable import SelectState, TableClause

from desktop_app.domain.errors import DomainError
from desktop_app.store import audit
from desktop_app.store.base import Base
from desktop_app.store.models import Organization, Site

_UNSCOPED_KEY = "dangqun_unscoped"
_UNSCOPED = {_UNSCOPED_KEY: True}  # this module's own look-ups of the tree (never filtered)
_VETTED_KEY = "dangqun.scope_vetted"
_CONFINED_KEY = "dangqun_confined"  # a session's read whose every scoped table the ORM criteria filter
_IDS_KEY = "dangqun.scope"  # session.info: the Scope of the session's actor
# What a confined account may read from the organisations above it (never write): the district's scheme.
HANDED_DOWN = frozenset({"assessment_scheme"})
# Not an organisation's rows: accounts (app_user.org_id is the scope itself) and the street's
# register of enrolled communities and their keys (so a package from elsewhere is refused by
# what it would write, with the reason, not as if its sender were unknown).
EXEMPT = frozenset({"app_user", "sync_enrolment", "sync_peer"})
# 共驻共建 rows that name no organisation (a partner unit, an activity, a 慰问, a pairing, a 兼职委员 seat)
# belong, as sync.ownership has it, to the community whose package brought them here first
# (sync_row_state.introduced, that peer's sync_peer.org_id). A confined account reads and changes those
# of its subtree's communities; rows this database made itself belong to no community's subtree, so
# only an unconfined account (the district's administrator) sees and makes them.
BROUGHT = frozenset({"partner_unit", "cobuild_activity", "cobuild_care", "cobuild_pairing", "cobuild_committee"})


class OutOfScope(DomainError):
    """A confined account reached for a row outside its organisation's subtree."""


@dataclass(frozen=True)
class Rule:
    """How one table's rows reach their organisation."""

    table: Table
    column: str  # the organisation column, or the foreign key to the parent table
    parent: Table | None = None  # None: `column` holds the organisation itself (or the row's id: BROUGHT)
    parent_column: str = ""  # the parent's organisation column
    brought: bool = False  # the row belongs to the community that brought it (BROUGHT)


@cache
def rules() -> dict[str, Rule]:
    """table name -> Rule, for every mapped table that belongs to an organisation."""
    from desktop_app.store import schema  # noqa: F401 - every module's tables mapped before they are read

    direct: dict[str, Rule] = {}
    for m in Base.registry.mappers:
        t = m.local_table
        if t.name in EXEMPT:
            continue
        name = "id" if t.name == "organization" else next((c for c in ("org_id", "grid_id") if c in t.c), None)
        if name:
            direct[t.name] = Rule(t, name)
    out = dict(direct)
    _hang_under(out, direct)  # a row of a child table follows its parent (an attendance its meeting)
    for name in BROUGHT:
        out[name] = Rule(Base.metadata.tables[name], "id", brought=True)
    while _hang_under(out, out):  # what hangs under a brought row (an activity's photos), or under that
        pass
    return out


def _hang_under(out: dict[str, Rule], parents: dict[str, Rule]) -> bool:
    """Give each table not yet in `out` its first foreign key into `parents`; whether any was added."""
    added = False
    for m in Base.registry.mappers:
        t = m.local_table
        if t.name in out or t.name in EXEMPT:
            continue
        for c in t.columns:
            found = [fk.column.table for fk in c.foreign_keys if fk.column.table.name in parents]
            if found:
                out[t.name] = Rule(t, c.name, found[0], parents[found[0].name].column)
                added = True
                break
    return added


@cache
def _classes() -> dict[str, tuple[type, Rule]]:
    """table name -> (its mapped class, Rule), for the tables rules() names."""
    by_table = rules()
    return {m.local_table.name: (m.class_, by_table[m.local_table.name]) for m in Base.registry.mappers
            if m.local_table.name in by_table}


def _read_tables(stmt) -> tuple[set[str], bool]:
    """The names of the scoped tables `stmt` mentions anywhere (froms, joins, subqueries, columns),
    and whether each is mentioned through its ORM entity (which the loader criteria reach) at least once.
    """
    orm: set[str] = set()
    plain: set[str] = set()
    by_table = _classes()
    stack, seen = [stmt], set()
    while stack:
        el = stack.pop()
        if id(el) in seen:
            continue
        seen.add(id(el))
        if isinstance(el, (TableClause, ColumnClause)):  # a column's table is mentioned as the column is
            name = getattr(el if isinstance(el, TableClause) else el.table, "name", None)
            if name in by_table:
                (orm if "parententity" in el._annotations else plain).add(name)
            continue
        stack.extend(el.get_children())
    return orm | plain, plain <= orm


def root_of(session: Session) -> str:
    """The organisation the session's actor is confined to ("": not confined, or the work vetted whole)."""
    if session.info.get(_VETTED_KEY):
        return ""
    actor = session.info.get(audit.ACTOR_KEY)
    return getattr(actor, "org_id", "") or "" if actor is not None else ""


def confined_to(session: Session) -> tuple[str, str] | None:
    """The names of the organisation the session's actor is confined to and of the one above it
    ("" at the top); None when not confined. Read past the filter: the street above is outside the
    subtree, but its name is what tells the operator where their organisation stands.
    """
    root = root_of(session)
    if not root:
        return None
    org = Organization.__table__
    up = org.alias("scope_up_org")
    row = session.connection().execute(
        select(org.c.name, up.c.name).select_from(org.outerjoin(up, up.c.id == org.c.parent_id)).where(org.c.id == root),
        execution_options=_UNSCOPED).first()
    return (row[0], row[1] or "") if row else None


def read_past(session: Session, stmt: Select):
    """`stmt` run on the session's connection unfiltered, for a rule that holds across the whole database
    (an organisation's code is unique at the district, not in one street): the caller reads what the
    rule needs, never rows to show."""
    return session.connection().execute(stmt, execution_options=_UNSCOPED)


def reach(session: Session) -> set[str] | None:
    """The organisations the session's actor reaches (its subtree); None when it is not confined.

    For what is kept by site rather than by organisation (the sync records: the communities heard
    from, their packages, the conflicts kept with both versions of a row), which no filter here
    reaches: the service that reads them narrows them by this.
    """
    root = root_of(session)
    return scope_of(session, root).ids if root else None


@dataclass
class Scope:
    """What a confined actor reaches: its subtree (reads and writes) and, read-only, what comes from above."""

    root: str
    ids: set[str]  # root and everything under it, deleted nodes included (their rows stay the subtree's)
    above: set[str]  # the organisations over root and the database's own: their HANDED_DOWN rows are readable
    options: dict | None = None  # table name -> its ORM criteria, built from the sets above on first read

    def readable(self, rule: Rule) -> list[str]:
        handed = rule.table.name in HANDED_DOWN or (rule.parent is not None and rule.parent.name in HANDED_DOWN)
        return sorted(self.ids | self.above if handed else self.ids)


@cache
def _scope_select() -> Select:
    """One statement for the whole scope of :root: its subtree (0), the chain above it (1), and the
    database's own organisation (1: at a district the streets sit beside it, and it hands down too).
    Built once: making the recursive CTEs cost more than running them.
    """
    org, site = Organization.__table__, Site.__table__
    root = bindparam("root")
    tree = select(org.c.id).where(org.c.id == root).cte("scope_tree", recursive=True)
    tree = tree.union_all(select(org.c.id).where(org.c.parent_id == tree.c.id))
    up = select(org.c.parent_id.label("id")).where(org.c.id == root).cte("scope_up", recursive=True)
    up = up.union_all(select(org.c.parent_id).where(org.c.id == up.c.id))
    own = select(org.c.id, literal(1)).where(org.c.code == select(site.c.org_code).limit(1).scalar_subquery())
    return union_all(select(tree.c.id, literal(0)), select(up.c.id, literal(1)), own)


def scope_on(conn, root: str) -> Scope:
    """Read the subtree and the chain above `root` (a plain SELECT of CTEs: no table here is filtered)."""
    ids: set[str] = set()
    above: set[str] = set()
    for org_id, is_above in conn.execute(_scope_select(), {"root": root}, execution_options=_UNSCOPED):
        if org_id:
            (above if is_above else ids).add(org_id)
    return Scope(root, ids, above - ids)


def scope_of(session: Session, root: str) -> Scope:
    """The session's actor's scope, read once per session (orgs it creates are added as they come)."""
    cached = session.info.get(_IDS_KEY)
    if cached is None or cached.root != root:
        cached = session.info[_IDS_KEY] = scope_on(session.connection(), root)
    return cached


def _brought_by(table: str, ids: list[str]) -> Select:
    """The ids of `table`'s rows that a community of `ids` brought here (read from the peer: its key's prefix)."""
    # imported here: only a confined account's read gets here, and its seven mapped classes cost ~40 ms of every start
    from desktop_app.store.models_sync import SyncPeer, SyncRowState

    rs, peer = SyncRowState.__table__, SyncPeer.__table__
    return (select(rs.c.row_id).select_from(peer.join(rs, rs.c.peer_site == peer.c.site_id))
            .where(peer.c.org_id.in_(ids), rs.c.table_name == table, rs.c.introduced.is_(True)))


def _visible(rule: Rule, ids: list[str]):
    col = rule.table.c[rule.column]
    if rule.parent is None:
        return col.in_(_brought_by(rule.table.name, ids)) if rule.brought else col.in_(ids)
    parent = rules()[rule.parent.name]
    return col.in_(select(rule.parent.c.id).where(_visible(parent, ids)))


def _refuse(rule: Rule, value) -> OutOfScope:
    from desktop_app.domain.sync_rules import table_label  # the sync rules' labels: only for this refusal

    what = table_label(rule.table.name)
    return OutOfScope(f"当前账户只管本单位及下级组织的数据：“{what}”中有属于其他单位"
                      f"{'' if value else '或未指定单位'}的记录，未作任何改动")


def _row_in(conn, rule: Rule, value, ids: set[str], seen: dict) -> bool:
    """May a row whose organisation column (or parent key) holds `value` be written?"""
    if rule.parent is None and not rule.brought:
        return value in ids
    if value is None:
        return False
    key = (rule.table.name if rule.brought else rule.parent.name, value)
    if key not in seen:  # the row itself (brought) or its parent: is it one of the subtree's?
        owner = rule if rule.brought else rules()[rule.parent.name]
        t = owner.table
        found = select(t.c.id).where(t.c.id == value, _visible(owner, sorted(ids)))
        seen[key] = conn.execute(found, execution_options=_UNSCOPED).first() is not None
    return seen[key]


def _check_insert(conn, rule: Rule, params, sc: Scope) -> None:
    rows = params if isinstance(params, list) else [params or {}]
    seen: dict = {}
    for row in rows:
        is_org = rule.table.name == "organization"
        value = row.get("parent_id") if is_org else row.get(rule.column)
        if not _row_in(conn, rule, value, sc.ids, seen):
            raise _refuse(rule, value)
        if is_org:
            sc.ids.add(row.get("id"))
            sc.options = None


def check_org(session: Session, org_id: str | None, what: str) -> None:
    """Let the session's work go ahead unfiltered if the actor reaches `org_id`'s subtree, else refuse.

    For work checked whole by its own rules: a community's package, whose every
    row sync.ownership proves to be its sender's. Its merge must see the whole
    database (the street's own node, rows it decides on) to decide rightly.
    """
    root = root_of(session)
    if not root:
        return
    if org_id not in scope_of(session, root).ids:
        raise OutOfScope(f"当前账户只管本单位及下级组织的数据：{what}属于其他单位（或尚未导入过），未作任何改动")
    session.info[_VETTED_KEY] = True  # for this session's life: a unit of work
    session.connection().execution_options(**_UNSCOPED)  # this transaction's connection (not the pool's)


def _on_execute(state: ORMExecuteState) -> None:
    root = root_of(state.session)
    if not root:
        return
    sc = scope_of(state.session, root)
    stmt = state.statement
    if state.is_select:
        if state.is_column_load:
            return  # a deferred column of an object already read
        # Criteria only for the tables this statement reads: attaching all of them to every read
        # made the ORM build, key and compile about sixty conditions per statement.
        names, orm_only = _read_tables(stmt)
        if sc.options is None:
            sc.options = {}
        options = []
        for name in sorted(names):
            option = sc.options.get(name)
            if option is None:  # made once per session: the same criteria for each of its reads
                cls, rule = _classes()[name]
                option = sc.options[name] = with_loader_criteria(
                    cls, _visible(rule, sc.readable(rule)), include_aliases=True, propagate_to_loaders=True)
            options.append(option)
        if options:
            state.statement = stmt.options(*options)
        if orm_only:  # nothing left for the engine's check (install_engine) to add
            state.update_execution_options(**{_CONFINED_KEY: True})
        return
    table = getattr(stmt, "table", None)
    rule = rules().get(getattr(table, "name", ""))
    if rule is None:
        return
    if isinstance(stmt, Insert):
        _check_insert(state.session.connection(), rule, state.parameters, sc)
    elif isinstance(stmt, (Update, Delete)):
        state.statement = stmt.where(_visible(rule, sorted(sc.ids)))
        if isinstance(stmt, Update) and rule.parent is None and not rule.brought:
            target = "parent_id" if rule.table.name == "organization" else rule.column
            values = {getattr(k, "key", k): v for k, v in (stmt._values or {}).items()}
            new = getattr(values.get(target), "value", values.get(target))
            if target in values and new not in sc.ids:
                raise _refuse(rule, new)


def _before_flush(session: Session, _ctx, _instances) -> None:
    root = root_of(session)
    if not root:
        return
    sc = scope_of(session, root)
    by_table = rules()
    seen: dict = {}
    conn = session.connection()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        rule = by_table.get(getattr(getattr(obj, "__table__", None), "name", ""))
        if rule is None:
            continue
        if rule.table.name == "organization":
            if obj in session.new or obj.id not in sc.ids:
                if obj.parent_id not in sc.ids:
                    raise _refuse(rule, obj.parent_id)
                sc.ids.add(obj.id)
                sc.options = None
            elif obj.id != root and obj.parent_id not in sc.ids:
                raise _refuse(rule, obj.parent_id)
            elif obj.id == root and inspect(obj).attrs.parent_id.history.has_changes():
                raise _refuse(rule, obj.parent_id)  # its own organisation out from under the one above
            continue
        value = getattr(obj, inspect(obj).mapper.get_property_by_column(rule.table.c[rule.column]).key, None)
        if not _row_in(conn, rule, value, sc.ids, seen):
            raise _refuse(rule, value)


def install(factory) -> None:
    """Attach the confinement to a session factory (store.db.make_session_factory)."""
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "before_flush", _before_flush)


# ---------------------------------------------------------------- reads on a bare connection

def _primary_tables(from_) -> list[Table]:
    """The tables a FROM reads rows of: both sides of an inner join, the left of an outer join."""
    if isinstance(from_, Table):
        return [from_]
    if isinstance(from_, Join):
        return _primary_tables(from_.left) + ([] if from_.isouter else _primary_tables(from_.right))
    return []


def _final_froms(stmt: Select) -> list:
    """stmt.get_final_froms() as Core works it out: the ORM's own way builds a whole compile state
    (up to 30 ms for the roster's counts), and the tables in the FROM are the same."""
    try:
        return SelectState(stmt, None)._get_display_froms()
    except Exception:  # noqa: BLE001 - a statement Core's plain state cannot take: the ORM's answer
        return stmt.get_final_froms()


def confine(conn, stmt: Select, root: str) -> Select:
    """`stmt` reading only rows of `root`'s scope from each table it reads rows of."""
    sc = None
    by_table = rules()
    for from_ in _final_froms(stmt):
        for table in _primary_tables(from_):
            rule = by_table.get(table.name)
            if rule is not None:  # (the ORM hands its tables over annotated: the same table by name)
                sc = sc or scope_on(conn, root)
                stmt = stmt.where(_visible(rule, sc.readable(rule)))
    return stmt


def install_engine(engine, actor_of) -> None:
    """Confine the SELECTs run on `engine`'s own connections too (the roster's fast reads skip the ORM).

    `actor_of()` is who acts on the database in this process (Database.actor).
    Statements a session runs come here as well; filtering them twice changes nothing.
    """
    def before_execute(conn, clause, multiparams, params, execution_options):
        actor = actor_of()
        root = getattr(actor, "org_id", "") if actor is not None else ""
        if (root and isinstance(clause, Select) and not execution_options.get(_UNSCOPED_KEY)
                and not execution_options.get(_CONFINED_KEY)):
            clause = confine(conn, clause, root)
        return clause, multiparams, params

    event.listen(engine, "before_execute", before_execute, retval=True)
