"""Demo 五好党支部 assessment: this year's and last year's scheme, manual scores and a few titles.

The schemes are the shipped sample (resources/assessment/sample_scheme.json):
last year's adapted by the community (no longer marked a sample), this year's
still the sample. Last year every manual indicator is scored; this year about
two thirds, as a community mid-way through its year would have it. The
computed indicators need nothing here: they read the demo's meetings, dues,
visits and wishes. Planned from one seeded Random, written with bulk inserts.
"""

from __future__ import annotations

import json
import random
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.demo.bulk import insert_rows
from desktop_app.domain import assessment as rules
from desktop_app.domain.errors import Conflict
from desktop_app.domain.orgs import OrgKind
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.models import Organization, Site
from desktop_app.store.models_assessment import (
    AssessmentIndicator, AssessmentScheme, AssessmentScore, AssessmentTitle,
)

SCORED_THIS_YEAR = 0.65
NOTES = ("材料齐全，记录规范", "已查阅台账", "现场查看", "群众测评结果", "有待进一步规范", "个别材料缺失")
EVIDENCE = ("会议记录本", "活动照片", "公示栏照片", "签到表", "工作台账", "群众测评表", "上级通报文件")


def _sample() -> dict:
    from desktop_app.settings import resource_path

    return json.loads(resource_path("assessment", "sample_scheme.json").read_text(encoding="utf-8"))


def _scheme_rows(data: dict, year: int, name: str, sample: bool,
                 org_id: str | None) -> tuple[dict, list[dict], list[dict]]:
    """The scheme row and its tree rows, parents first; and the manual indicators."""
    scheme = {"id": new_id(), "org_id": org_id, "year": year, "name": name, "is_sample": sample,
              "excellent_tenths": rules.parse_points(data["excellent"]),
              "pass_tenths": rules.parse_points(data["passed"]), "notes": data.get("notes", "")}
    nodes: list[dict] = []

    def node(parent, level, code, title, order, **kw):
        row = {"id": new_id(), "scheme_id": scheme["id"], "parent_id": parent, "level": level, "code": code,
               "title": title, "description": kw.get("description", ""), "max_tenths": kw.get("max_tenths", 0),
               "rule": kw.get("rule", rules.MANUAL), "params": kw.get("params", ""), "note": kw.get("note", ""),
               "sort_order": order}
        nodes.append(row)
        return row

    for ci, cat in enumerate(data["categories"], start=1):
        c = node(None, rules.CATEGORY, str(ci), cat["title"], ci)
        for ii, item in enumerate(cat["items"], start=1):
            it = node(c["id"], rules.ITEM, f"{ci}.{ii}", item["title"], ii)
            for ni, ind in enumerate(item["indicators"], start=1):
                node(it["id"], rules.INDICATOR, f"{ci}.{ii}.{ni}", ind["title"], ni,
                     description=ind.get("description", ""), max_tenths=rules.parse_points(ind["max"]),
                     rule=ind.get("rule", rules.MANUAL), note=ind.get("note", ""),
                     params=json.dumps(ind["params"], ensure_ascii=False) if ind.get("params") else "")
    manual = [n for n in nodes if n["level"] == rules.INDICATOR and n["rule"] == rules.MANUAL]
    return scheme, nodes, manual


def _score(rng: random.Random, max_tenths: int, strength: float) -> int:
    """Most indicators full or nearly so; weaker branches lose more."""
    lost = 0 if rng.random() < strength else rng.choice((5, 5, 10, max_tenths // 2))
    return max(0, max_tenths - lost)


def fill(s: Session, site_id: str, seed: int, today: date) -> dict[str, int]:
    """Schemes for last year and this, manual scores of every branch, and titles; counts of what was added."""
    if s.scalar(select(func.count()).select_from(AssessmentScheme)):
        raise Conflict("数据库中已有考评方案，演示考评只能加到新生成的演示数据中")
    rng = random.Random(seed * 7717 + 18)
    data = _sample()
    center = s.scalar(select(Site.org_name).limit(1)) or "本社区"
    street = s.scalar(select(Organization.name).where(
        Organization.deleted.is_(False), Organization.kind == OrgKind.STREET).limit(1)) or "街道党工委"
    community = s.scalar(select(Organization.id).where(  # the community's own schemes
        Organization.deleted.is_(False), Organization.kind == OrgKind.COMMUNITY).order_by(Organization.code).limit(1))
    branches = list(s.scalars(select(Organization.id).where(
        Organization.deleted.is_(False), Organization.kind == OrgKind.BRANCH).order_by(Organization.code)))
    schemes, nodes, scores, titles = [], [], [], []
    for year, name, sample, share in (
        (today.year - 1, f"{center}五好党支部考评方案", False, 1.0),
        (today.year, data["name"], True, SCORED_THIS_YEAR),
    ):
        scheme, tree, manual = _scheme_rows(data, year, name, sample, community)
        schemes.append(scheme)
        nodes.extend(tree)
        for b in branches:
            strength = rng.uniform(0.55, 0.95)
            for ind in manual:
                if rng.random() > share:
                    continue
                scores.append({
                    "org_id": b, "year": year, "indicator_id": ind["id"],
                    "score_tenths": _score(rng, ind["max_tenths"], strength), "note": rng.choice(NOTES),
                    "evidence": "\n".join(rng.sample(EVIDENCE, rng.randint(1, 3))), "scored_by": "王书记",
                    "scored_on": date(year, 12, rng.randint(10, 28)) if year < today.year else today,
                })
    for title, issuer in (("红旗党支部", street), ("示范点", "区委组织部")):
        if branches:
            titles.append({"org_id": rng.choice(branches), "year": today.year - 1, "title": title,
                           "granted_on": date(today.year, 1, rng.randint(10, 25)) if today.month > 1 else None,
                           "issued_by": issuer, "note": ""})
    now = utcnow()
    insert_rows(s, AssessmentScheme, schemes, site_id, now)
    insert_rows(s, AssessmentIndicator, nodes, site_id, now)
    insert_rows(s, AssessmentScore, scores, site_id, now)
    insert_rows(s, AssessmentTitle, titles, site_id, now)
    return {"schemes": len(schemes), "indicators": len(nodes), "scores": len(scores), "titles": len(titles)}
