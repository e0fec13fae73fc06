"""Read models of residents and households: the lists, the edit forms and the resident picker.

Services build them (services.residents); the pages and the other service
modules (visits, wishes, projects, mediation) pass them around. Lists carry
phones and ID numbers already masked; a detail carries them whole for its form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.views.records import input_part


@dataclass(frozen=True)
class Grid:
    id: str
    name: str  # at a street led by its community where names repeat (梅园社区 · 第一网格党支部)
    community_id: str | None = None  # the community it belongs to, for the street's community selector
    community: str = ""


@dataclass(frozen=True)
class HouseholdInput:
    grid_id: str | None = None
    building: str = ""  # 楼栋, e.g. 梅园新村3栋
    unit: str = ""  # 单元
    room: str = ""  # 室
    address: str = ""  # full postal address; built from the parts when left empty
    head_name: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    grid_id: str | None
    grid_name: str
    label: str  # 梅园新村3栋2单元302室
    address: str
    head_name: str
    phone_masked: str
    residents: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ResidentInput:
    name: str = ""
    household_id: str | None = None
    grid_id: str | None = None  # taken from the household when one is chosen
    id_number: str = ""
    gender: str = ""
    birth_date: date | None = None
    phone: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ResidentRow:
    """One line of the residents table: masked, ready to show."""

    id: str
    name: str
    gender: str
    age: int | None
    grid_id: str | None
    grid_name: str
    household_id: str | None
    address: str  # the household's label
    phone_masked: str
    id_masked: str
    tags: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class ResidentDetail(ResidentInput):
    id: str = ""
    grid_name: str = ""
    address: str = ""
    age: int | None = None
    deleted: bool = False
    version: int = 0
    updated_at: datetime | None = None

    def to_input(self) -> ResidentInput:
        return input_part(self, ResidentInput)


@dataclass(frozen=True)
class HouseholdDetail(HouseholdInput):
    id: str = ""
    grid_name: str = ""
    label: str = ""
    residents: tuple[ResidentRow, ...] = ()
    version: int = 0

    def to_input(self) -> HouseholdInput:
        return input_part(self, HouseholdInput)


@dataclass(frozen=True)
class ResidentPick:
    """A resident as a picker offers them: who, where, and the ids a visit or wish needs."""

    resident_id: str
    household_id: str | None
    grid_id: str | None
    name: str
    address: str
    grid_name: str
    tags: tuple[str, ...]

    @property
    def label(self) -> str:
        parts = [self.name, self.address or "（无住址）", self.grid_name]
        if self.tags:
            parts.append("、".join(self.tags))
        return " · ".join(parts)
