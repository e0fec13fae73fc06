"""Read models of 矛盾纠纷调处: the case list, a case's detail, and what the filed record prints.

Services build them (services.mediation), reports render them (reports.mediation)
and the pages show them, so each needs them without importing the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from desktop_app.domain import service_flow as flow
from desktop_app.domain.members import full_years
from desktop_app.domain.service_flow import CaseInput
from desktop_app.views.records import input_part


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_no: str
    kind: str
    parties: str  # 张三 与 李四
    grid_name: str
    received_on: date
    mediator: str
    sessions: int
    state: str
    closed_on: date | None
    summary: str


@dataclass(frozen=True)
class PartyRow:
    id: str
    name: str
    role: str
    resident_id: str | None
    phone: str
    address: str


@dataclass(frozen=True)
class SessionRow:
    id: str
    session_date: date
    place: str
    mediators: str
    notes: str
    version: int = 0  # as read: the session form's save is refused over a later change


@dataclass(frozen=True)
class CaseDetail(CaseInput):
    id: str = ""
    case_no: str = ""
    state: str = flow.MEDIATING
    grid_name: str = ""
    closed_on: date | None = None
    agreement: str = ""
    transferred_to: str = ""
    party_rows: tuple[PartyRow, ...] = ()
    sessions: tuple[SessionRow, ...] = ()  # oldest first
    version: int = 0

    def to_input(self) -> CaseInput:
        return input_part(self, CaseInput)


# ---------------------------------------------------------------- 人民调解协议书

# 中共幸福里社区委员会 / 幸福里社区党委 -> 幸福里社区: the committee is the community's, not the party's.
_PARTY_PREFIXES = ("中国共产党", "中共")
_PARTY_SUFFIXES = ("党工委", "党总支部委员会", "党总支", "党支部委员会", "党支部", "党委", "委员会")


def committee_name(center_name: str) -> str:
    """The 人民调解委员会 whose seal the agreement carries, named after the center (幸福里社区人民调解委员会)."""
    name = center_name.strip()
    for prefix in _PARTY_PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in _PARTY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return f"{name}人民调解委员会"


def why_no_agreement(c: CaseDetail) -> str:
    """Why a case has no 人民调解协议书 to print ("" when it has): only a case closed as 调解成功 with its
    agreement written down has one (人民调解法 第二十八条: a written agreement when the parties want one)."""
    if c.state != flow.MEDIATION_SUCCESS:
        return f"案件是“{c.state}”：调解成功结案后才有调解协议书"
    if not c.agreement.strip():
        return "结案时没有写下协议内容，没有可打印的调解协议书"
    return ""


@dataclass(frozen=True)
class AgreementParty:
    """One party as the agreement names them: 性别 and 年龄 from the resident's record when the party is one
    ("" / None, printed as blanks to fill by hand, when not known)."""

    role: str  # 申请人 / 被申请人 / 当事人
    name: str
    gender: str = ""
    age: int | None = None
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MediationAgreement:
    """人民调解协议书 (人民调解法 第二十九条) as it prints: who the parties are, the facts and the dispute, what
    they agreed (履行方式和期限 as typed into the agreement), then everyone's signature and the seal."""

    center_name: str
    committee: str  # 幸福里社区人民调解委员会
    case_no: str
    kind: str
    parties: tuple[AgreementParty, ...]  # 申请人 first, then 被申请人; phones masked unless printed whole on purpose
    summary: str  # 纠纷主要事实、争议事项
    agreement: str  # 调解协议内容
    mediator: str
    agreed_on: date  # the case's 结案日期: the day the agreement was reached

    @property
    def copies(self) -> int:
        """一式几份: one for each party and one kept by the committee."""
        return len(self.parties) + 1


def agreement_of(c: CaseDetail, center_name: str,
                 residents: Mapping[str, tuple[str, date | None]] | None = None) -> MediationAgreement:
    """The agreement of a case `why_no_agreement` lets through, with its parties as `c` carries them, the
    申请人 before the 被申请人 before other parties. `residents` gives the (性别, 出生日期) of the residents
    among the parties, by resident id: 年龄 is their age on the day of the agreement."""
    assert c.closed_on is not None and not why_no_agreement(c)
    known = residents or {}
    parties = []
    for p in sorted(c.party_rows, key=lambda p: flow.PARTY_ROLES.index(p.role) if p.role in flow.PARTY_ROLES
                    else len(flow.PARTY_ROLES)):
        gender, born = known.get(p.resident_id or "", ("", None))
        parties.append(AgreementParty(p.role, p.name, gender, full_years(born, c.closed_on), p.address, p.phone))
    return MediationAgreement(center_name, committee_name(center_name), c.case_no, c.kind, tuple(parties),
                              c.summary, c.agreement, c.mediator, c.closed_on)
