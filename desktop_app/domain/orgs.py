"""The organisation tree: kinds, what may sit under what, code format."""

from __future__ import annotations

import re

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.labels import LabelledEnum, labels
from desktop_app.domain.text import required_text


class OrgKind(LabelledEnum):
    DISTRICT = "district", "区委"
    STREET = "street", "街道党工委"
    COMMUNITY = "community", "社区党委"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


KIND_LABELS: dict[OrgKind, str] = labels(OrgKind)

# Parent kind -> kinds it may hold. A community may hold branches directly
# (网格党支部) and party groups sit under branches.
ALLOWED_CHILDREN: dict[OrgKind, tuple[OrgKind, ...]] = {
    OrgKind.DISTRICT: (OrgKind.STREET,),
    OrgKind.STREET: (OrgKind.COMMUNITY, OrgKind.BRANCH),
    OrgKind.COMMUNITY: (OrgKind.BRANCH,),
    OrgKind.BRANCH: (OrgKind.GROUP,),
    OrgKind.GROUP: (),
}

_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$")


def kind_from_label(text: str) -> OrgKind:
    for kind, label in KIND_LABELS.items():
        if text in (label, kind.value):
            return kind
    raise ValidationError("类型", f"未知的组织类型“{text}”")


def check_name(name: str) -> str:
    return required_text(name, "名称", 60)


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError("组织代码", "不能为空")
    if not _CODE.match(code):
        raise ValidationError("组织代码", "只能用字母、数字、下划线和短横线，最长 32 位")
    return code


def check_child(parent: OrgKind | None, child: OrgKind) -> None:
    if parent is None:
        if child not in (OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY):
            raise ValidationError("上级组织", f"{KIND_LABELS[child]}必须有上级组织")
        return
    if child not in ALLOWED_CHILDREN[parent]:
        raise ValidationError(
            "类型", f"{KIND_LABELS[parent]}下不能直接设{KIND_LABELS[child]}"
        )
