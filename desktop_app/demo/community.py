"""The demo community: branches, party groups, members with valid ID numbers, households and residents.

The whole community is planned in memory first (pure, from one seeded
`random.Random`), then written with bulk inserts through the session the
caller hands in: services.demo sets the site up in the same transaction, so a
failure leaves the database as empty as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.demo import pools
from desktop_app.demo.bulk import insert_rows
from desktop_app.domain import idcard, pinyin
from desktop_app.domain.errors import Conflict
from desktop_app.domain.idcard import FEMALE, MALE
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.models import Household, Member, Organization, Resident, Site

MAX_MEMBERS = 20_000
HOUSEHOLDS_PER_MEMBER = 0.8
RESIDENTS_PER_MEMBER = 1.5
PROBATIONARY_SHARE = 0.05
REPORTING_SHARE = 0.15
_REPORT_EVERY = 500  # progress steps between two progress() calls

Progress = Callable[[int, int], None]

# Community rosters lean old: most members of a 社区党委 are retirees.
_MEMBER_BIRTH_YEARS: pools.Weighted[tuple[int, int]] = pools.Weighted([
    ((1935, 1944), 12), ((1945, 1954), 22), ((1955, 1964), 22), ((1965, 1974), 15),
    ((1975, 1984), 13), ((1985, 1994), 11), ((1995, 2004), 5),
])
# Households a center keeps records of are mostly elderly-headed.
_HEAD_BIRTH_YEARS: pools.Weighted[tuple[int, int]] = pools.Weighted([
    ((1926, 1944), 25), ((1945, 1959), 30), ((1960, 1974), 20), ((1975, 1989), 15),
    ((1990, 2000), 10),
])


def planned_counts(members: int) -> tuple[int, int]:
    """(households, residents) generated for a given number of members."""
    households = max(1, round(members * HOUSEHOLDS_PER_MEMBER))
    return households, max(households, round(members * RESIDENTS_PER_MEMBER))


def ensure_empty(s: Session) -> None:
    """Demo data only goes into an empty database: never mixed with real records."""
    taken = any(s.scalar(select(model.id).limit(1)) for model in (Site, Organization, Member, Resident))
    if taken:
        raise Conflict("数据库中已有数据，演示数据只能填入空数据库，请新建一个数据库文件后再试")


class Steps:
    """Forwards progress now and then, not on every row: a GUI repaints on each call."""

    def __init__(self, callback: Progress | None, total: int):
        self.callback, self.total = callback, total
        self.done = self.reported = 0
        if callback:
            callback(0, total)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.callback and self.done - self.reported >= _REPORT_EVERY:
            self.reported = self.done
            self.callback(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.callback and self.reported != self.total:
            self.callback(self.total, self.total)


def plan_community(seed: int, members: int, today: date, progress: Progress | None = None) -> tuple[Plan, Steps]:
    """The whole community in memory, and the progress steps left for writing it."""
    planner = _Planner(seed, members, today)
    steps = Steps(progress, planner.total_steps)
    return planner.plan(steps.advance), steps


def write(s: Session, plan: Plan, site_id: str, advance: Callable[[int], None]) -> None:
    """Every planned row, with bulk inserts, under the community the caller's site set-up made."""
    community_id = s.scalar(
        select(Organization.id).where(
            Organization.kind == OrgKind.COMMUNITY.value, Organization.code == plan.org_code
        )
    )
    branches = [{**row, "parent_id": community_id} for row in plan.branches]
    tables = [
        (Organization, branches + plan.groups),
        (Member, plan.members),
        (Household, plan.households),
        (Resident, plan.residents),
    ]
    now = utcnow()
    for model, rows in tables:
        insert_rows(s, model, rows, site_id, now, None if model is Organization else advance)


# --- planning ---------------------------------------------------------------

@dataclass
class _Building:
    label: str  # 梅园新村3栋
    street_address: str  # 南京市玄武区中山路128号
    units: int
    floors: int
    grid: int = 0  # index of its grid branch

    @property
    def capacity(self) -> int:
        return self.units * self.floors * 2  # two flats per floor and unit


@dataclass
class Plan:
    org_code: str
    org_name: str
    street_name: str
    branches: list[dict] = field(default_factory=list)  # parent_id filled in at write time
    groups: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    residents: list[dict] = field(default_factory=list)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February: the birthday falls on 1 March, as the roster counts it
        return date(d.year + years, 3, 1)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Planner:
    def __init__(self, seed: int, members: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.n_members = members
        self.n_households, self.n_residents = planned_counts(members)
        self.used_ids: set[str] = set()
        rng = self.rng
        self.district = rng.choice(pools.DISTRICTS)
        # Taken from the seed directly, so nearby seeds never share a community name.
        self.community = pools.COMMUNITIES[seed % len(pools.COMMUNITIES)]
        self.street = rng.choice(pools.STREET_OFFICES)
        # 12 digits like the statistical division codes: county(6) + street(3) + community(3);
        # init_site derives the street node's code by dropping the last three.
        self.org_code = f"{self.district.region}{rng.randint(1, 18):03d}{rng.randint(1, 30):03d}"

    # helpers

    def _date_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _birth(self, years: tuple[int, int], latest: date) -> date:
        # Clamped to `latest` so a child "born" in the future becomes a newborn instead.
        first = min(date(years[0], 1, 1), latest)
        return self._date_between(first, min(date(years[1], 12, 31), latest))

    def _id_number(self, born: date, gender: str) -> str:
        for _ in range(300):
            number = idcard.make(self.district.region, born, self.rng.randrange(100), gender)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError(f"no free ID number left for {born}")

    def _address(self, b: _Building, unit: int, floor: int, flat: int) -> tuple[str, str, str]:
        return f"{unit}单元", f"{floor}{flat:02d}室", f"{b.street_address}{b.label}{unit}单元{floor}{flat:02d}室"

    # plan

    @property
    def total_steps(self) -> int:
        """Progress steps: each member and resident planned, each person and household written."""
        return 2 * (self.n_members + self.n_residents) + self.n_households

    def plan(self, advance: Callable[[int], None] = lambda n: None) -> Plan:
        plan = Plan(
            org_code=self.org_code,
            org_name=f"{self.community}社区党委",
            street_name=f"{self.street}党工委",
        )
        self._orgs(plan)
        self._buildings()
        self._members(plan, advance)
        self._households(plan, advance)
        return plan

    def _orgs(self, plan: Plan) -> None:
        rng = self.rng
        n_grids = rng.randint(4, 8)
        names = [f"第{pools.ordinal(i)}网格党支部" for i in range(1, n_grids + 1)] + ["退休党员党支部"]
        for i, name in enumerate(names, start=1):
            branch = {
                "id": new_id(), "code": f"{self.org_code}{i:02d}", "name": name,
                "kind": OrgKind.BRANCH.value, "sort_order": i,
            }
            plan.branches.append(branch)
            for j in range(1, rng.randint(2, 3) + 1):
                plan.groups.append({
                    "id": new_id(), "code": f"{branch['code']}{j:02d}",
                    "name": f"第{pools.ordinal(j)}党小组", "kind": OrgKind.GROUP.value,
                    "parent_id": branch["id"], "sort_order": j,
                })
        self.grid_ids = [b["id"] for b in plan.branches[:n_grids]]
        self.retired_branch = n_grids  # index of the 退休党员党支部, after the grids
        self._retired_id = plan.branches[-1]["id"]

    def _buildings(self) -> None:
        """Estates and buildings, enough for every household to have a flat of its own."""
        rng = self.rng
        n_estates = rng.randint(1, 3)
        stems = rng.sample([s for s in pools.ESTATE_STEMS if s != self.community], n_estates)
        roads = rng.sample(pools.ROADS, n_estates)
        city, district = self.district.city, self.district.name
        estates = [
            (f"{stem}{rng.choice(pools.ESTATE_SUFFIXES)}", f"{city}{district}{road}{rng.randint(1, 300)}号")
            for stem, road in zip(stems, roads)
        ]
        per_estate = [0] * n_estates
        buildings: list[tuple[int, int, _Building]] = []
        capacity = 0
        n_grids = len(self.grid_ids)
        while capacity < 2 * self.n_households or len(buildings) < 2 * n_grids:
            e = rng.randrange(n_estates)
            per_estate[e] += 1
            name, street_address = estates[e]
            b = _Building(
                label=f"{name}{per_estate[e]}栋", street_address=street_address,
                units=rng.choice((1, 2, 2, 3, 3, 4)), floors=rng.choice((5, 6, 6, 7, 11, 18, 26)),
            )
            buildings.append((e, per_estate[e], b))
            capacity += b.capacity
        buildings.sort(key=lambda t: (t[0], t[1]))
        self.buildings = [b for _, _, b in buildings]
        # Each grid covers a run of neighbouring buildings.
        for i, b in enumerate(self.buildings):
            b.grid = i * n_grids // len(self.buildings)
        self.grid_buildings = [[b for b in self.buildings if b.grid == g] for g in range(n_grids)]

    def _members(self, plan: Plan, advance: Callable[[int], None]) -> None:
        rng, today = self.rng, self.today
        n = self.n_members
        # The youngest members are at least 20, so everyone can have joined at 18+.
        latest_birth = min(date(2004, 12, 31), _add_years(today, -20))
        people = []
        for _ in range(n):
            gender = MALE if rng.random() < 0.6 else FEMALE
            people.append((gender, self._birth(_MEMBER_BIRTH_YEARS.pick(rng), latest_birth)))
        young = [i for i, (_, born) in enumerate(people) if born.year >= 1975] or list(range(n))
        probationary = set(rng.sample(young, min(len(young), round(n * PROBATIONARY_SHARE))))

        rows: list[tuple[int, dict]] = []
        for i, (gender, born) in enumerate(people):
            rows.append(self._member(gender, born, i in probationary))
            advance(1)
        self._reporting([row for _, row in rows])
        rows.sort(key=lambda t: (t[0], t[1]["joined_date"]))
        for seq, (_, row) in enumerate(rows, start=1):
            row["seq"] = seq
            plan.members.append(row)

    def _member(self, gender: str, born: date, probationary: bool) -> tuple[int, dict]:
        """One member row and the index of its branch (for ordering the roster)."""
        rng, today = self.rng, self.today
        age = _age(born, today)
        name = pools.person_name(rng, gender, born.year)
        full_pinyin, initials = pinyin.keys(name)

        adult = _add_years(born, 18)
        if probationary:
            joined = max(adult, self._date_between(today - timedelta(days=360), today - timedelta(days=1)))
            confirmed = None
        else:
            offset = timedelta(days=int(rng.triangular(0, 30, 6) * 365.25))
            joined = min(adult + offset, today - timedelta(days=366))
            confirmed = _add_years(joined, 1)

        if age >= (60 if gender == MALE else 55):
            job = pools.RETIRED
        elif age < 23 and rng.random() < 0.6:
            job = pools.STUDENT
        else:
            job = pools.JOBS.pick(rng)

        status, notes = "正常", ""
        is_lost, lost_date, is_floating, floating_to = False, None, False, ""
        if confirmed:
            roll = rng.random()
            if born.year < 1950 and roll < 0.03:
                status = "去世"
                died = self._date_between(today - timedelta(days=3 * 365), today - timedelta(days=30))
                notes = f"{died.year}年{died.month}月去世"
            elif 22 <= age < 60 and job != pools.STUDENT and roll < 0.08:
                status, is_floating = "流动", True
                floating_to = rng.choice(pools.FLOATING_DESTINATIONS)
                notes = rng.choice(("外出务工", "随子女外出居住", "异地工作"))
            elif roll > 0.99:
                status, is_lost = "失联", True
                lost_date = self._date_between(
                    max(confirmed, today - timedelta(days=5 * 365)), today - timedelta(days=180)
                )
        is_hardship = status == "正常" and job in (pools.RETIRED, pools.UNEMPLOYED) and rng.random() < 0.04
        if is_hardship:
            notes = "困难党员，节日走访慰问"

        if job == pools.RETIRED and age >= 60 and rng.random() < 0.4:
            branch = self.retired_branch
            building = rng.choice(self.buildings)
        else:
            branch = rng.randrange(len(self.grid_ids))
            building = rng.choice(self.grid_buildings[branch])
        _, _, address = self._address(
            building, rng.randint(1, building.units), rng.randint(1, building.floors), rng.randint(1, 2)
        )
        has_mobile = rng.random() < (0.8 if born.year < 1945 else 0.97)
        return branch, {
            "seq": 0,
            "name": name,
            "name_pinyin": full_pinyin,
            "name_initials": initials,
            "org_id": self._branch_id(branch),
            "id_number": self._id_number(born, gender),
            "gender": gender,
            "ethnicity": pools.ETHNICITIES.pick(rng),
            "birth_date": born,
            "education": pools.education(rng, born.year),
            "category": "预备党员" if probationary else "正式党员",
            "joined_date": joined,
            "confirmed_date": confirmed,
            "job": job,
            "mobile": pools.mobile(rng) if has_mobile else "",
            "phone": pools.landline(rng, self.district.area_code) if rng.random() < 0.25 else "",
            "address": address,
            "party_status": "正常",
            "is_lost": is_lost,
            "lost_date": lost_date,
            "is_floating": is_floating,
            "floating_to": floating_to,
            "notes": notes,
            "status": status,
            "reporting_employer": "",
            "reporting_post": "",
            "reporting_date": None,
            "reporting_services": "",
            "is_hardship": is_hardship,
        }

    def _branch_id(self, branch: int) -> str:
        return self.grid_ids[branch] if branch < len(self.grid_ids) else self._retired_id

    def _reporting(self, rows: list[dict]) -> None:
        """在职党员报到: employed members living here who report to the community."""
        rng = self.rng
        candidates = [r for r in rows if r["job"] not in pools.NOT_EMPLOYED and r["status"] == "正常"]
        chosen = rng.sample(candidates, min(len(candidates), round(len(rows) * REPORTING_SHARE)))
        for row in chosen:
            employer, posts = rng.choice(pools.EMPLOYERS)
            post = rng.choice(posts)
            row["job"] = post
            row["reporting_employer"] = employer
            row["reporting_post"] = post
            row["reporting_date"] = self._date_between(
                max(date(2015, 1, 1), row["joined_date"]), self.today - timedelta(days=7)
            )
            row["reporting_services"] = "、".join(rng.sample(pools.REPORTING_SERVICES, rng.randint(1, 2)))

    def _households(self, plan: Plan, advance: Callable[[int], None]) -> None:
        rng = self.rng
        sizes = [1] * self.n_households
        for _ in range(self.n_residents - self.n_households):
            sizes[rng.randrange(self.n_households)] += 1
        weights = [b.capacity for b in self.buildings]
        taken: set[tuple[int, int, int, int]] = set()
        for size in sizes:
            while True:
                bi = rng.choices(range(len(self.buildings)), weights=weights)[0]
                b = self.buildings[bi]
                flat = (bi, rng.randint(1, b.units), rng.randint(1, b.floors), rng.randint(1, 2))
                if flat not in taken:
                    taken.add(flat)
                    break
            unit, room, address = self._address(b, *flat[1:])
            household_id = new_id()
            grid_id = self.grid_ids[b.grid]
            people = self._residents(size)
            for row in people:
                row["household_id"] = household_id
                row["grid_id"] = grid_id
            plan.residents.extend(people)
            advance(len(people))
            plan.households.append({
                "id": household_id,
                "grid_id": grid_id,
                "building": b.label,
                "unit": unit,
                "room": room,
                "address": address,
                "head_name": people[0]["name"],
                "phone": next((p["phone"] for p in people if p["phone"]), ""),
                "notes": "",
            })

    def _residents(self, size: int) -> list[dict]:
        """A household's people: head first, then spouse and children."""
        rng, today = self.rng, self.today
        head_gender = MALE if rng.random() < 0.55 else FEMALE
        head_born = self._birth(_HEAD_BIRTH_YEARS.pick(rng), _add_years(today, -18))
        surname = pools.SURNAMES.pick(rng)
        people = [(head_gender, head_born, pools.person_name(rng, head_gender, head_born.year, surname))]
        for k in range(1, size):
            if k == 1 and rng.random() < 0.8:
                gender = FEMALE if head_gender == MALE else MALE
                year = head_born.year + rng.randint(-6, 6)
                born = self._birth((year, year), _add_years(today, -18))
                name = pools.person_name(rng, gender, born.year)
            else:
                gender = rng.choice((MALE, FEMALE))
                year = head_born.year + rng.randint(22, 34)
                born = self._birth((year, year), today - timedelta(days=1))
                name = pools.person_name(rng, gender, born.year, surname)
            people.append((gender, born, name))

        elderly_only = all(_age(born, today) >= 60 for _, born, _ in people)
        low_income = rng.random() < 0.03
        hardship = rng.random() < 0.03
        rows = []
        for k, (gender, born, name) in enumerate(people):
            age = _age(born, today)
            tags: list[str] = []
            if age >= 60 and size == 1 and rng.random() < 0.6:
                tags.append("独居老人")
            elif age >= 60 and size == 2 and elderly_only and rng.random() < 0.4:
                tags.append("空巢老人")
            if age >= 80 and rng.random() < 0.4:
                tags.append("高龄老人")
            if k == 0 and low_income:
                tags.append("低保户")
            if k == 0 and hardship:
                tags.append("困难群众")
            if rng.random() < 0.03:
                tags.append("残疾人")
            if gender == MALE and age >= 22 and rng.random() < 0.04:
                tags.append("退役军人")
            # Records rarely carry more than one tag.
            tags = tags[:2] if rng.random() < 0.2 else tags[:1]
            notes = rng.choice(pools.RESIDENT_NOTES[tags[0]]) if tags and rng.random() < 0.3 else ""

            has_id = rng.random() < 0.65
            if age < 14:
                phone = ""
            elif rng.random() < 0.75:
                phone = pools.mobile(rng)
            elif age >= 70 and rng.random() < 0.5:
                phone = pools.landline(rng, self.district.area_code)
            else:
                phone = ""
            full_pinyin, initials = pinyin.keys(name)
            rows.append({
                "name": name,
                "name_pinyin": full_pinyin,
                "name_initials": initials,
                "id_number": self._id_number(born, gender) if has_id else "",
                "gender": gender,
                "birth_date": born if has_id or rng.random() < 0.5 else None,
                "phone": phone,
                "tags": ",".join(tags),
                "notes": notes,
            })
        return rows
