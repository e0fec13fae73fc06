"""Search keys of a name: read character by character, surnames by their surname reading."""

import pytest

from desktop_app.domain.pinyin import keys


@pytest.mark.parametrize("name, expected", [
    ("张三", ("zhangsan", "zs")),
    ("于思雨", ("yusiyu", "ysy")),  # a phrase reading would give yu-sai-yu
    ("单田芳", ("shantianfang", "stf")),  # 单 as a surname
    ("曾国藩", ("zengguofan", "zgf")),
    ("卜凡", ("bufan", "bf")),
    ("阿依古丽·买买提", ("ayiguli·maimaiti", "aygl·mmt")),
    ("Anna 李", ("annali", "annal")),
    ("  王 五 ", ("wangwu", "ww")),
    ("", ("", "")),
])
def test_keys(name, expected):
    assert keys(name) == expected


def test_a_surname_character_later_in_the_name_keeps_its_common_reading():
    assert keys("王单")[0] == "wangdan"


def test_the_shipped_reading_table_is_pypinyins_first_reading_of_every_character():
    # Regenerate with `python -m tests.pinyin_table` when this fails after a pypinyin upgrade.
    from pathlib import Path

    from tests.pinyin_table import OUT, readings, render

    assert Path(OUT).read_text(encoding="utf-8") == render(readings())


def test_reading_names_does_not_import_pypinyin():
    import subprocess
    import sys

    code = ("import sys; from desktop_app.domain.pinyin import keys; "
            "assert keys('于思雨') == ('yusiyu', 'ysy'); print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
