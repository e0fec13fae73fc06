"""The organisation tree: kinds, what may sit under what, code format."""

from __future__ import annotations

import re
import unicodedata

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


_NUMERALS = dict(zip("一二三四五六七八九", range(1, 10)))


def spelling_key(name: str) -> str:
    """A name as compared: full-width letters, digits and brackets as half-width, no spaces (第１支部 is 第1支部)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _number(text: str) -> str:
    """一 … 九十九 in Arabic digits (十一 → 11, 二十 → 20)."""
    if "十" not in text:
        return "".join(str(_NUMERALS[c]) for c in text)
    tens, _, units = text.partition("十")
    return str((_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(units, 0) if units else 0))


def likeness_key(name: str) -> str:
    """What stays of a name without 第, 党 and a closing 支部, its numbers in digits: 第一党支部, 一支部 and
    第1支部 agree, as do 第一网格 and 第一网格党支部.
    Names alike so may be one organisation or two; only the worker can say which."""
    text = spelling_key(name).replace("第", "").replace("党", "").removesuffix("支部")  # 第一网格 and 第一网格党支部
    return re.sub(r"[一二三四五六七八九十]+", lambda m: _number(m[0]), text)
