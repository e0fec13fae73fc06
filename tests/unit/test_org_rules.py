import pytest

from desktop_app.domain import orgs, pinyin
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.orgs import OrgKind


def test_allowed_children_follow_the_party_structure():
    orgs.check_child(OrgKind.COMMUNITY, OrgKind.BRANCH)
    orgs.check_child(OrgKind.BRANCH, OrgKind.GROUP)
    orgs.check_child(None, OrgKind.COMMUNITY)
    with pytest.raises(ValidationError) as err:
        orgs.check_child(OrgKind.GROUP, OrgKind.BRANCH)
    assert err.value.field == "类型"
    with pytest.raises(ValidationError, match="必须有上级组织"):
        orgs.check_child(None, OrgKind.GROUP)


@pytest.mark.parametrize("code", ["", "有中文", "a b", "x" * 33])
def test_bad_codes_name_the_field(code):
    with pytest.raises(ValidationError) as err:
        orgs.check_code(code)
    assert err.value.field == "组织代码"


def test_names_are_trimmed_and_required():
    assert orgs.check_name("  第一党支部 ") == "第一党支部"
    with pytest.raises(ValidationError, match="名称"):
        orgs.check_name("   ")


def test_kind_from_label_accepts_chinese_and_code():
    assert orgs.kind_from_label("党小组") is OrgKind.GROUP
    assert orgs.kind_from_label("branch") is OrgKind.BRANCH


@pytest.mark.parametrize(
    "name, full, initials",
    [("张三", "zhangsan", "zs"), ("单田芳", "shantianfang", "stf"), ("曾志伟", "zengzhiwei", "zzw"), ("", "", "")],
)
def test_pinyin_keys(name, full, initials):
    assert pinyin.keys(name) == (full, initials)
