"""What the record read models of several features share.

A record's detail extends the input dataclass its form edits (CaseDetail(CaseInput),
MemberDetail(MemberInput) …): `input_part` gives that editable part back, so each
detail's `to_input()` says only which input it extends. The lists of members that
attendance and 党员管理 keep (rates, streaks, risks, 失联, 党章第九条) start from BranchMember;
the records kept about one member (exits, discipline, moves, transfers …) from MemberRecord;
a file kept in the data folder for a record (an activity's photo, a meeting's scan) from KeptFile.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Self, TypeVar

I = TypeVar("I")


def input_part(detail: Any, input_type: type[I], **given: Any) -> I:
    """The fields of `input_type` read off `detail` (which extends it or shows them under the same names),
    but those `given`: what the edit form starts from."""
    return input_type(**{f.name: given[f.name] if f.name in given else getattr(detail, f.name)
                         for f in fields(input_type)})


@dataclass(frozen=True)
class BranchMember:
    """A member as a list of members names one: the member's id, name and branch; the row is found again by the member."""

    member_id: str
    name: str
    branch_name: str

    @property
    def id(self) -> str:
        return self.member_id


@dataclass(frozen=True)
class KeptFile:
    """A file kept in the data folder for a record (store.base.StoredFileMixin): the row's id, the name the
    user gave it, where it is kept, its size in bytes."""

    id: str
    file_name: str
    stored_name: str
    size: int

    @classmethod
    def of(cls, row: Any, **own: Any) -> Self:
        """The read model of a kept file's row; `own` gives the fields a subclass adds."""
        return cls(row.id, row.file_name, row.stored_name, row.size, **own)


@dataclass(frozen=True)
class MemberRecord:
    """A record kept about one member: its own id, and the member's id and name as the list shows them."""

    id: str
    member_id: str
    member_name: str
