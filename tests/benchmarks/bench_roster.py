"""The roster at 100,000 members: CSV import beside raw sqlite3, and search latency per keystroke.

Import: a template CSV of 100,000 members is previewed and imported through the
program (parse, validate every row, pinyin keys, one transaction), beside raw
sqlite3 `executemany` of the same parsed rows into a plain table of the same
columns in a fresh file: the floor for writing the data at all.

Search: on the imported roster, the ids for each prefix of a few typed queries
(name, pinyin, initials, ID and phone fragments) are fetched the way the roster
page does on every keystroke; median and 95th percentile.

Run: python -m tests.benchmarks roster   (DANGQUN_BENCH_MEMBERS=20000 for a quick run)
"""

from __future__ import annotations

import csv
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

MEMBERS = int(os.environ.get("DANGQUN_BENCH_MEMBERS", "100000"))
QUERIES = ["zhang", "wxm", "王秀", "李建国", "3101", "1391", "liu", "chen"]


def _write_csv(path: Path, n: int) -> None:
    from desktop_app.demo import pools as demo_pools
    from desktop_app.domain import idcard
    from desktop_app.exchange.members import TEMPLATE_COLUMNS

    rng = random.Random(11)
    used: set[str] = set()
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(TEMPLATE_COLUMNS)
        for i in range(1, n + 1):
            gender = rng.choice((idcard.MALE, idcard.FEMALE))
            while True:
                born = date(1940, 1, 1) + timedelta(days=rng.randrange(55 * 365))
                number = idcard.make("310105", born, rng.randrange(100), gender)
                if number not in used:
                    used.add(number)
                    break
            joined = born + timedelta(days=365 * 20 + rng.randrange(3000))
            name = demo_pools.person_name(rng, gender, born.year)
            row = {
                "序号": i, "姓名": name, "所在党支部": f"第{i % 40 + 1}网格党支部", "公民身份号码": number,
                "性别": gender, "民族": "汉族", "出生日期": born.isoformat(), "学历": "本科",
                "人员类别": "正式党员", "加入党组织日期": joined.isoformat(),
                "转为正式党员日期": (joined + timedelta(days=366)).isoformat(), "工作岗位": "退休",
                "手机号码": f"139{rng.randrange(10**8):08d}", "固定电话": "", "家庭住址": "幸福里3栋",
                "党籍状态": "正常", "是否为失联党员": "否", "失去联系日期": "", "是否为流动党员": "否",
                "外出流向": "", "备注": "",
            }
            w.writerow([row[c] for c in TEMPLATE_COLUMNS])


def _raw_baseline(path: Path, rows: list[tuple]) -> float:
    con = sqlite3.connect(path)
    cols = ", ".join(f"c{i}" for i in range(len(rows[0])))
    con.execute(f"CREATE TABLE member ({cols})")
    t0 = time.perf_counter()
    con.executemany(f"INSERT INTO member VALUES ({', '.join('?' * len(rows[0]))})", rows)
    con.commit()
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def main() -> None:
    from desktop_app.services import roster, site
    from desktop_app.services.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "members.csv"
        _write_csv(source, MEMBERS)
        db, _ = open_database(tmp / "bench.db")
        site.init_site(db, "310105001", "幸福里社区党委", "community")

        t0 = time.perf_counter()
        preview = roster.preview_import(db, source)
        t1 = time.perf_counter()
        result = roster.apply_import(db, preview)
        t2 = time.perf_counter()
        assert result.added == MEMBERS, result

        with open(source, encoding="utf-8-sig") as fh:
            rows = [tuple(r) for r in csv.reader(fh)][1:]
        raw = _raw_baseline(tmp / "raw.db", rows)

        ours = t2 - t0
        print(f"import {MEMBERS:,} members from CSV: {ours:.1f} s (preview {t1 - t0:.1f} s, write {t2 - t1:.1f} s)")
        print(f"raw sqlite3 executemany of the same rows: {raw:.2f} s")
        print(f"ratio: {ours / raw:.0f}x")

        flt = roster.MemberFilter
        roster.search_ids(db, flt())  # warm the page cache as a running program has it
        times = []
        for query in QUERIES:
            for k in range(1, len(query) + 1):
                t = time.perf_counter()
                roster.search_ids(db, flt(text=query[:k]))
                times.append(time.perf_counter() - t)
        t = time.perf_counter()
        roster.search_ids(db, flt())
        everyone = time.perf_counter() - t
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"search per keystroke on {MEMBERS:,} members ({len(times)} keystrokes): "
              f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        print(f"all {MEMBERS:,} ids in roster order (empty search box): {everyone * 1000:.0f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
