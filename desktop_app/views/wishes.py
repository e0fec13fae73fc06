"""Read models of 微心愿: the wish list, a wish's detail, partner units, and what the cards print.

Services build them (services.wishes), reports render them (reports.wishes)
and the pages show them, so each needs them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import WishInput
from desktop_app.views.records import KeptFile, input_part


@dataclass(frozen=True)
class PartnerUnitRow:
    id: str
    name: str
    contact_person: str
    phone: str
    notes: str
    claims: int  # wishes claimed, withdrawn ones left out
    version: int = 0  # as read: the unit form's save is refused over a later change


@dataclass(frozen=True)
class WishRow:
    id: str
    wish_no: str
    wisher_name: str
    grid_id: str | None
    grid_name: str
    address: str
    content: str
    background: str
    estimated_fen: int
    posted_on: date
    state: str
    claimant_kind: str
    claimant_name: str
    claimed_on: date | None
    fulfilled_on: date | None
    fulfil_note: str
    photos: int = 0  # live photos kept with the wish


@dataclass(frozen=True)
class WishPhotoRow(KeptFile):
    """A photo of a wish: its card before, the hand-over when it came true."""


@dataclass(frozen=True)
class ClaimRow:
    id: str
    claimant_kind: str
    claimant_name: str
    claimed_on: date
    status: str
    ended_on: date | None
    note: str


@dataclass(frozen=True)
class WishDetail(WishInput):
    id: str = ""
    wish_no: str = ""
    state: str = flow.WISH_POSTED
    grid_name: str = ""
    address: str = ""
    claimant_kind: str = ""
    claimant_member_id: str | None = None
    claimant_unit_id: str | None = None
    claimant_name: str = ""
    claimed_on: date | None = None
    fulfilled_on: date | None = None
    fulfil_note: str = ""
    claims: tuple[ClaimRow, ...] = ()  # oldest first
    photos: tuple[WishPhotoRow, ...] = ()  # oldest first
    version: int = 0

    def to_input(self) -> WishInput:
        return input_part(self, WishInput)
