"""What an operation changed, as a set of `Change` values (Anki's OpChanges in miniature).

A write operation in the GUI declares what it changes; the bus carries that set
and each page refreshes only when something it shows is in it. The values are
the names pages used before, so old and new spellings compare equal.
"""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    ORGS = "orgs"
    MEMBERS = "members"
    MEETINGS = "meetings"
    DEVELOPMENT = "development"  # 发展党员: applicants and their steps
    EVALUATIONS = "evaluations"
    RESIDENTS = "residents"
    SERVICE_LISTS = "service_lists"  # reference lists: problem kinds, tags …
    VISITS = "visits"
    WISHES = "wishes"
    PROJECTS = "projects"
    MEDIATION = "mediation"
    COBUILDING = "cobuilding"  # partner units, activities, the 双报到 register
    LEDGER = "ledger"
    DUES = "dues"
    ASSESSMENT = "assessment"
    SYNC = "sync"
    USERS = "users"
    ACCESS_POLICY = "access_policy"
    ALL = "*"  # a restore or a sync import: anything may have changed


Changes = frozenset[Change]


def changes(*items: Change | str) -> Changes:
    return frozenset(Change(i) for i in items)


def touches(changed: Changes, watched: Changes) -> bool:
    """Does a change set concern a page that watches `watched`?"""
    return bool(changed & watched) or Change.ALL in changed or Change.ALL in watched
