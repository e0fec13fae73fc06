"""A district on PostgreSQL: community packages imported by one operator and by two at once, and search.

    python -m tests.benchmarks district           160 packages x 2,000 members, a year of records each
    python -m tests.benchmarks district --quick   2 x 60 (CI: proves it runs; the figures mean little)
    python -m tests.benchmarks.bench_district --communities 16 --members 2000 --search-members 320000
    python -m tests.benchmarks.bench_district --communities 8 --members 500 --no-search   imports alone
    python -m tests.benchmarks.bench_district --communities 8 --members 500 --operators 2   search after one phase

The district's database is a PostgreSQL database on a throwaway cluster that
this benchmark starts itself (tests/pgcluster.py: the distribution's server,
installed when missing and we may; a socket in a temporary folder; the
settings README recommends for a district's server, pgcluster.DISTRICT_SETTINGS;
stopped at the end), or the cluster DANGQUN_TEST_PG_URL names. Without a PostgreSQL
server that can be installed it says so and records nothing.

As in bench_sync, two communities are really generated (a year of meetings,
visits, ledger and dues per member) and the other packages are copies under
new ids, each enrolled as a community of its own. The street database (keys
and enrolments, no data) is made as a file and loaded into two fresh server
databases: one operator imports every package into the first, two operators
(two processes, each with its own connections, as two PCs) import half each
into the second at the same time (the first database is dropped before, so
the server's autovacuum of it does not land in the second phase, and each
phase starts after a CHECKPOINT). Figures: time, rows per second, and the
two-operator time over the one-operator time (target <= 0.59, a 1.7x speed-up).

Search: the members imported are copied under new ids and ID numbers until
there are --search-members of them (320,000 at full size), then the roster
search runs for typed prefixes (names, pinyin, initials, ID and phone
fragments) as the roster page asks (the matches and its first screenful of rows, the roster
open and prepared first); the figure is the 95th percentile per keystroke (target 30 ms).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = ["zhang", "wxm", "王秀", "李建国", "3101", "1391", "liu", "chen", "31x", "王 z", "zs", "秀 13", "4401", "huang"]


def _import_all(args: tuple) -> dict:
    """In a worker process (one operator's program): import the packages in order into the server database."""
    url, paths, data_dir = args
    os.environ["DANGQUN_DATA_DIR"] = data_dir
    from desktop_app.services import sync
    from desktop_app.services.database import open_database

    db, _ = open_database(url)
    rows = 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    try:
        for path in paths:
            report = sync.import_package(db, Path(path))
            assert report.total("conflicts") == 0 and not report.already_imported, path
            rows += report.total("inserted") + report.total("unchanged")
    finally:
        db.dispose()
    return {"rows": rows, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - cpu0}


def _lock_waits(url: str, stop: threading.Event, seen: list[int]) -> None:
    """Every 0.1 s until `stop`: is a merge at work ([0] += 1), is one waiting for a lock ([1] += 1)?"""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    q = text("SELECT count(*), count(*) FILTER (WHERE wait_event_type = 'Lock') FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'")
    try:
        with engine.connect() as c:
            while not stop.wait(0.1):
                busy, waiting = c.execute(q).one()
                c.rollback()
                seen[0] += busy > 0
                seen[1] += waiting > 0
    finally:
        engine.dispose()


def _server_cpu(url: str) -> float | None:
    """CPU seconds the cluster at `url` has used so far (its postmaster, the backends it reaped, those alive).

    Read from /proc, so only where the cluster runs on this machine (Linux);
    None elsewhere. Backends end when their connections close and the
    postmaster reaps them, so a finished phase's backends are counted.
    """
    from urllib.parse import parse_qs, urlsplit

    sock = parse_qs(urlsplit(url).query).get("host", [""])[0]
    pid_file = Path(sock).parent / "data" / "postmaster.pid"
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        master = int(pid_file.read_text().split()[0])

        def fields(pid: int) -> list[str]:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

        own = fields(master)
        total = sum(int(x) for x in own[11:15])  # utime, stime, cutime, cstime
        for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
            try:
                total += sum(int(x) for x in fields(int(child))[11:13])
            except OSError:  # ended meanwhile: the postmaster's cutime has it
                pass
    except (OSError, ValueError, IndexError):
        return None
    return total / tick


def _operators(url: str, packages: list[Path], folder: Path, n: int) -> tuple[float, int, float, float, float]:
    """`n` operators importing the packages between them (alternately dealt) at once.

    Wall time, rows, client CPU, the share of the time a merge waited for
    another's lock (0 when merges of different communities run side by side),
    and the server's CPU (nan when it cannot be read).
    """
    shares = [[str(p) for p in packages[i::n]] for i in range(n)]
    jobs = [(url, share, str(folder / f"operator{i}")) for i, share in enumerate(shares)]
    stop, seen = threading.Event(), [0, 0]
    watcher = threading.Thread(target=_lock_waits, args=(url, stop, seen), daemon=True)
    watcher.start()
    server0 = _server_cpu(url)
    t0 = time.perf_counter()
    try:
        with ProcessPoolExecutor(max_workers=n) as pool:
            done = list(pool.map(_import_all, jobs))
    finally:
        stop.set()
        watcher.join()
    wall = time.perf_counter() - t0
    time.sleep(0.5)  # the operators' backends end and are reaped
    server1 = _server_cpu(url)
    server = server1 - server0 if server0 is not None and server1 is not None else float("nan")
    return wall, sum(d["rows"] for d in done), sum(d["cpu"] for d in done), seen[1] / max(seen[0], 1), server


def _checkpoint(url: str) -> None:
    """Each phase starts from a clean cache and a fresh WAL budget, not with the pages the last one left dirty."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as c:
            c.execute(text("CHECKPOINT"))
    except DBAPIError:  # a server where the benchmark's account may not (not superuser, no pg_checkpoint)
        pass
    finally:
        engine.dispose()


def _grow_members(db, target: int) -> int:
    """Copies of the imported members under new ids and ID numbers until there are `target`; the count."""
    from sqlalchemy import func, select, text

    from desktop_app.store.models import Member

    with db.engine.begin() as conn:
        have = conn.scalar(select(func.count()).select_from(Member))
        cols = [c.name for c in Member.__table__.columns if c.name not in ("id", "id_number")]
        names = ", ".join(cols)
        copy = 0
        while have < target and copy < 90:
            copy += 1
            # An ID number no area code uses (7x...; package copies use 8 and 9), so the copies are live members of their own.
            conn.execute(text(
                f"INSERT INTO member (id, id_number, {names}) "
                f"SELECT gen_random_uuid()::text, '7' || lpad(:k, 2, '0') || substr(id_number, 4), {names} "
                f"FROM member WHERE id_number NOT LIKE '7%' AND length(id_number) = 18 LIMIT :n"),
                {"k": str(copy), "n": target - have})
            have = conn.scalar(select(func.count()).select_from(Member))
        conn.execute(text("ANALYZE member"))
    return have


def _search(db) -> tuple[list[float], list[float], int]:
    """Seconds per keystroke of the roster search, every prefix of WORDS, twice (the second as typed again):
    wall time and this process's CPU time (on a loaded machine the wall time is mostly waiting for a core).

    A keystroke is what the roster page asks: the matching members (search_hits) and the rows of its first
    screenful. The roster is open first as the page opens it: its lists read with the search box empty,
    then prepared while nobody types (prepare_search). The worst keystrokes are printed with their CPU.
    """
    from desktop_app.services import roster
    from desktop_app.views.roster import MemberFilter

    c0 = time.process_time()
    roster.search_hits(db, MemberFilter())
    opened = time.process_time() - c0
    roster.prepare_search(db, MemberFilter())
    print(f"  roster opened: lists read in {opened:.2f} s CPU, prepared in {time.process_time() - c0 - opened:.2f} s",
          flush=True)
    times: list[float] = []
    cpu: list[float] = []
    typed: list[tuple[float, str, int]] = []
    found = 0
    for again in range(2):
        for word in WORDS:
            for k in range(1, len(word) + 1):
                t0, c0 = time.perf_counter(), time.process_time()
                ids = roster.search_hits(db, MemberFilter(text=word[:k]))
                roster.rows(db, ids[:_SCREENFUL])
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                typed.append((cpu[-1], word[:k] + " (again)" * again, len(ids)))
                found += bool(ids)
    print("  slowest keystrokes, CPU: " + ", ".join(f"{w!r} {c * 1000:.1f} ms ({n:,} found)"
                                                  for c, w, n in sorted(typed, reverse=True)[:6]), flush=True)
    return times, cpu, found


_SCREENFUL = 60  # rows the page reads with a search's ids (gui.roster.models.FIRST_ROWS)


def _confined_reads(db) -> dict[str, float]:
    """CPU of a street operator's reads over an unconfined administrator's, per read (store.scope's cost)."""
    from sqlalchemy import select

    from desktop_app.services import auth, orgs, roster
    from desktop_app.store.models import Member, Organization
    from desktop_app.views.roster import MemberFilter

    with db.session() as s:  # confined to the community a member's branch is in
        branch = street = s.scalar(select(Member.org_id).limit(1))
        while s.scalar(select(Organization.kind).where(Organization.id == street)) != "community":
            street = s.scalar(select(Organization.parent_id).where(Organization.id == street))
        some = list(s.scalars(select(Member.id).where(Member.org_id == branch).limit(50)))
    auth.create_first_admin(db, "admin", "区管理员", "bench-admin-1")
    auth.create_user(db, "street", "街道操作员", "secretary", "bench-street-1", org_id=street,
                     must_change_password=False)
    reads = {"roster.get": lambda: roster.get(db, some[0]), "roster.rows(50)": lambda: roster.rows(db, some),
             "roster.stats": lambda: roster.stats(db), "orgs.list_tree": lambda: orgs.list_tree(db),
             "search 'zh'": lambda: roster.search_ids(db, MemberFilter(text="zh"))}
    cpu: dict[tuple[str, str], float] = {}
    for who, password in (("admin", "bench-admin-1"), ("street", "bench-street-1")):
        auth.login(db, who, password)
        for name, read in reads.items():
            read()  # the lists and caches of this account first
            c0 = time.process_time()
            for _ in range(10):
                read()
            cpu[(who, name)] = (time.process_time() - c0) / 10
        auth.logout(db)
    return {name: cpu[("street", name)] / max(cpu[("admin", name)], 1e-9) for name in reads}


def _cluster(folder: Path) -> tuple[str, bool]:
    """The cluster's URL, and whether we started it (and must stop it)."""
    given = os.environ.get("DANGQUN_TEST_PG_URL", "")
    if given:
        return given, False
    from tests import pgcluster

    return pgcluster.start(folder / "pg"), True


def main(quick: bool = False, scale: int = 1, communities: int | None = None, members: int | None = None,
         search_members: int | None = None, distinct: int = 2, operators: tuple[int, ...] = (1, 2)) -> None:
    communities = communities or (2 if quick else 160 * scale)
    members = members or (60 if quick else 2000)
    if search_members is None:
        search_members = 1000 if quick else 320_000 * scale
    distinct = max(1, min(1 if quick else distinct, communities))
    folder = Path(tempfile.mkdtemp(prefix="bench-district-"))
    started_cluster = False
    try:
        try:
            url, started_cluster = _cluster(folder)
        except (SystemExit, OSError) as exc:  # no server binaries and none installable here
            print(f"district: skipped, PostgreSQL cannot be installed here ({exc})", flush=True)
            return
        _run(url, folder, communities, members, search_members, distinct, operators)
    finally:
        if started_cluster:
            from tests import pgcluster

            pgcluster.stop(folder / "pg")
        shutil.rmtree(folder, ignore_errors=True)


def _run(url: str, folder: Path, communities: int, members: int, search_members: int, distinct: int,
         operators: tuple[int, ...] = (1, 2)) -> None:
    from desktop_app.services import site, sync
    from desktop_app.store.migrate import open_database
    from tests.benchmarks.bench_sync import _build_community, _clone, shared_ids
    from tests.benchmarks.figures import record
    from tests.integration.sync_world import drop_server, on_server

    os.environ["DANGQUN_DATA_DIR"] = str(folder / "data")
    os.environ.setdefault("DANGQUN_SYNC_PASSPHRASE", "bench-sync-passphrase")  # key files, in the workers too
    started = time.perf_counter()
    street_path = folder / "street.db"
    street, _ = open_database(street_path)
    info = site.init_site(street, "320102", "玄武区委（区级数据库）", "street")
    sync.new_key(street, folder / "street.dqkey")
    keep = shared_ids(street, info.id)  # the district's own site, org node and seeded 党费比例
    street.dispose()
    print(f"{communities} community packages x {members:,} members ({distinct} generated, the rest copies "
          f"under new ids) into PostgreSQL", flush=True)
    jobs = [(str(folder), i, members, 201 + i, str(street_path)) for i in range(distinct)]
    with ProcessPoolExecutor(max_workers=min(2, distinct)) as pool:
        built = list(pool.map(_build_community, jobs))
    packages = [Path(b["path"]) for b in built]
    clones = [(str(street_path), Path(built[n % distinct]["path"]), folder / f"clone{n}.dqsync", n, keep)
              for n in range(distinct, communities)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_clone, clones))
    packages.extend(c[2] for c in clones)
    print(f"  packages ready in {time.perf_counter() - started:.0f} s (copies {time.perf_counter() - t0:.0f} s)",
          flush=True)

    one, two = on_server(street_path, url), on_server(street_path, url)
    try:
        size = f"{communities} x {members:,} members, PostgreSQL"
        done: dict[int, tuple] = {}
        for n, target in ((1, one), (2, two)):
            if n not in operators:
                continue
            if n == 2 and 1 in done:
                # The first phase's database goes before the second starts: autovacuum would otherwise go on
                # vacuuming and analysing its 1.5 million new rows during the second phase (2 s of the
                # server's 43 s there at 8 x 2,000), counted as the two operators' work.
                drop_server(one, url)
            _checkpoint(url)
            load0 = os.getloadavg()[0]
            done[n] = t, rows, cpu, waited, server = _operators(target.url, packages, folder, n)
            who = "one operator" if n == 1 else "two operators at once"
            print(f"  {who}: {rows:,} rows in {t:.1f} s ({rows / t:,.0f} rows/s; CPU program {cpu:.1f} s + server "
                  f"{server:.1f} s; load {load0:.1f} -> {os.getloadavg()[0]:.1f}"
                  + (f"; a merge waiting for another's lock {waited:.0%} of the time" if n > 1 else "") + ")",
                  flush=True)
        if 1 in done:
            t_one, rows, cpu_one, _, srv_one = done[1]
            record("district", "import, one operator", t_one, "s", size=size, rows=rows, rows_per_s=rows / t_one,
                   cpu=cpu_one, server_cpu=srv_one)
        if 1 in done and 2 in done:
            t_two, rows_two, cpu_two, waited, srv_two = done[2]
            assert rows_two == rows, (rows, rows_two)
            print(f"  speed-up {t_one / t_two:.2f}x (compare under the same load only)", flush=True)
            record("district", "import, two operators at once", t_two, "s", t_one, "one operator", 1 / 1.7, size,
                   rows=rows_two, rows_per_s=rows_two / t_two, speed_up=t_one / t_two, cpu=cpu_two,
                   lock_waits=waited, server_cpu=srv_two)
        if not search_members:
            return
        searched = two if 2 in done else one  # the members the last phase imported
        total = _grow_members(searched, search_members)
        times, cpu, found = _search(searched)
        times.sort()
        cpu.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        cpu_p95 = cpu[int(0.95 * (len(cpu) - 1))]
        median = statistics.median(times)
        print(f"  search over {total:,} members: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; "
              f"CPU median {statistics.median(cpu) * 1000:.1f} ms, p95 {cpu_p95 * 1000:.1f} ms "
              f"({len(times)} keystrokes, {found} found someone; load {os.getloadavg()[0]:.1f})", flush=True)
        record("district", "search per keystroke, p95", p95, "s", target=0.030, size=f"{total:,} members",
               median=median, keystrokes=len(times), cpu_p95=cpu_p95)
        ratios = _confined_reads(searched)
        print("  a confined operator's reads, CPU over the administrator's: "
              + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items()), flush=True)
        record("district", "confined read CPU over unconfined, worst", max(ratios.values()), "x",
               size=f"{total:,} members", **{k.replace(" ", "_"): round(v, 2) for k, v in ratios.items()})
    finally:
        drop_server(one, url)
        drop_server(two, url)
    print(f"total benchmark time {time.perf_counter() - started:.0f} s", flush=True)


def _cli(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="bench_district")
    p.add_argument("--communities", type=int)
    p.add_argument("--members", type=int)
    p.add_argument("--search-members", type=int)
    p.add_argument("--distinct", type=int, default=2)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--no-search", action="store_true", help="imports only: no search, no confined reads")
    p.add_argument("--operators", default="1,2",
                   help="which import phases to run: 1 (one operator), 2 (two at once), or 1,2 (default)")
    a = p.parse_args(argv)
    operators = tuple(sorted({int(x) for x in a.operators.split(",") if x.strip()} & {1, 2})) or (1, 2)
    main(a.quick, 1, a.communities, a.members, 0 if a.no_search else a.search_members, a.distinct, operators)
    from tests.benchmarks.figures import RESULTS, table

    print(table(RESULTS))


if __name__ == "__main__":
    _cli(sys.argv[1:])
