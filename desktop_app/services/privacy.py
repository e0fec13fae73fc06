"""Personal data shown masked by default; revealing one value or exporting whole files is logged.

In the spirit of the Personal Information Protection Law: lists, forms and
printouts show 110105********002X and 139****5678. A person whose role allows
it may reveal one value of one record (`reveal`), which writes a 'reveal'
entry to the audit trail naming the field, never the value. A file that
carries full ID numbers or phones (an export for the national member system,
a sync package without masking) is confirmed and logged with
`confirm_personal_export` after the user has seen PERSONAL_EXPORT_WARNING. A list's
导出Excel, which carries only the columns as shown, asks LIST_EXPORT_WARNING instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from desktop_app.domain import idcard
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.services.database import Database
from desktop_app.store.models import Household, Member, Resident

# (table, field) -> (model, permission, Chinese field name). The permission of
# a grid-bound role also needs the row's grid (see grid_of).
REVEALABLE: dict[tuple[str, str], tuple[type, str, str]] = {
    ("member", "id_number"): (Member, "members.reveal", "公民身份号码"),
    ("member", "mobile"): (Member, "members.reveal", "手机号码"),
    ("member", "phone"): (Member, "members.reveal", "固定电话"),
    ("resident", "id_number"): (Resident, "residents.reveal", "公民身份号码"),
    ("resident", "phone"): (Resident, "residents.reveal", "联系电话"),
    ("household", "phone"): (Household, "residents.reveal", "联系电话"),
}

# Which fields the masking helpers touch, and how.
MASKERS = {
    "id_number": idcard.mask,
    "mobile": idcard.mask_phone,
    "phone": idcard.mask_phone,
}

PERSONAL_EXPORT_WARNING = (
    "将要导出的文件含有完整的公民身份号码和电话号码。\n\n"
    "按照《个人信息保护法》，请只把它交给有权使用的人，妥善保管（不要放在公共电脑或群聊里），"
    "用完及时删除。本次导出会记入操作记录。\n\n确定要导出吗？"
)

# 导出Excel of a list (services/table_export.py) carries only what the list shows, masked as this account
# sees it: saying "full ID numbers" there would be untrue and teach people to click past the warning.
LIST_EXPORT_WARNING = (
    "将要导出的文件含有列表中人员的姓名，以及列表显示的各列内容（与屏幕上看到的一样，"
    "身份证号、电话等按本账户的显示方式部分隐藏）。\n\n"
    "按照《个人信息保护法》，请只把它交给有权使用的人，妥善保管（不要放在公共电脑或群聊里），"
    "用完及时删除。本次导出会记入操作记录。\n\n确定要导出吗？"
)


def _grid_of(row: Any) -> str | None:
    return getattr(row, "grid_id", None)


def reveal(db: Database, table: str, row_id: str, field: str) -> str:
    """The whole value of one masked field, for a person allowed to see it; logged."""
    try:
        model, permission, label = REVEALABLE[(table, field)]
    except KeyError:
        raise ValidationError("字段", f"“{table}.{field}”不是可以查看完整内容的字段") from None
    auth.require(db, permission)
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.get(model, row_id)
        if row is None:
            raise NotFound("该记录不存在")
        if model is not Member:
            auth.require(db, permission, grid_id=_grid_of(row))
        value = getattr(row, field) or ""
        name = getattr(row, "name", None) or getattr(row, "head_name", "") or ""
        audit.record(s, "reveal", table, row.id, f"查看完整{label}", label=name, after={field: value})
        uow.commit()
    return value


def record_reveal(db: Database, table: str, note: str, row_id: str = "", label: str = "") -> None:
    """Log that full numbers were shown (a form, a list asked for unmasked); the caller checked the right."""
    with UnitOfWork(db) as uow:
        audit.record(uow.session, "reveal", table, row_id, note, label=label)
        uow.commit()


def confirm_personal_export(db: Database, what: str, path: str, rows: int | None = None,
                            table: str = "") -> None:
    """Log an export that carries full personal data (after the user confirmed the warning).

    Call it right before writing the file; without "export.personal" it raises
    PermissionDenied and nothing should be written.
    """
    auth.require(db, "export.personal")
    detail = f"导出{what}（含完整个人信息）到 {path}" + (f"，共 {rows} 条" if rows is not None else "")
    with UnitOfWork(db) as uow:
        audit.record(uow.session, "export", table, "", detail, label=what[:120],
                     after={"file": str(path), "rows": rows})
        uow.commit()


T = TypeVar("T")


def mask_record(obj: T, fields: tuple[str, ...] = tuple(MASKERS)) -> T:
    """A copy of a dataclass (or dict) with its ID number and phone fields masked."""
    if isinstance(obj, dict):
        return {k: (MASKERS[k](v) if k in fields and k in MASKERS and v else v) for k, v in obj.items()}  # type: ignore[return-value]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = {f.name for f in dataclasses.fields(obj)}
        changes = {
            f: MASKERS[f](getattr(obj, f)) for f in fields
            if f in names and f in MASKERS and getattr(obj, f)
        }
        return dataclasses.replace(obj, **changes) if changes else obj
    raise TypeError(f"cannot mask {type(obj).__name__}")


def mask_unless(db: Database, permission: str, value: T, fields: tuple[str, ...] = tuple(MASKERS)) -> T:
    """`value` (a record or a list of them) as is when the actor holds `permission`, else masked.

    One line at the end of a detail read: `return privacy.mask_unless(db, "members.reveal", detail)`.
    """
    if auth.can(db, permission):
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(mask_record(v, fields) for v in value)  # type: ignore[return-value]
    return mask_record(value, fields)
