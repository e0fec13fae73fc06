"""Demo data generators: a made-up community and a realistic past year of every module.

Each generator plans in memory from one seeded `random.Random` (same seed and
day, same data) and writes with bulk inserts through the session it is handed,
like sync's merge writer. An adapter below services: it imports store, domain
and views, never services or gui. services/demo.py is the use case that checks
the permission, opens the unit of work, sets up the site and the ledger's
accounts, calls these and records the fill in the audit trail.

    community  branches, groups, members, households, residents
    meetings   a year of 三会一课, attendance, committees, 民主评议
    service    visits, wishes, 微实事 projects, mediation
    ledger     the funds' books and members' dues
    photos     a few drawn photos of the year's 共建活动 and a 微心愿 (kept by services/demo.py)
    pools      the word pools (names, places, jobs) they draw from
"""
