"""The command line on hostile files: exit 2 with one line naming the file and the reason; no escape code reaches the terminal."""

import zipfile

from openpyxl import Workbook

from desktop_app.cli import main
from desktop_app.domain import idcard


def init(tmp_path):
    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    return db


def test_broken_sheet_xml_exits_2_naming_the_file(tmp_path, capsys):
    db = init(tmp_path)
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    path = tmp_path / "坏表.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"</sheetData>", b"<row><c>")
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    capsys.readouterr()
    assert main(["import", "members", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "坏表.xlsx" in err and "损坏" in err and "Traceback" not in err


def test_a_name_with_escape_codes_is_refused_and_printed_escaped(tmp_path, capsys):
    db = init(tmp_path)
    number = idcard.make("320102", __import__("datetime").date(1970, 1, 1), 3, idcard.MALE)
    path = tmp_path / "m.csv"
    path.write_text(f"姓名,公民身份号码,人员类别,加入党组织日期,转为正式党员日期\n"
                    f"张\x1b[2J三,{number},正式党员,2000-07-01,2001-07-01\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "members", str(path), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    both = captured.out + captured.err
    assert "\x1b" not in both
    assert "第 2 行" in both and "姓名" in both and "控制字符" in both


def test_utf16_unicode_text_imports_from_the_command_line(tmp_path, capsys):
    db = init(tmp_path)
    number = idcard.make("320102", __import__("datetime").date(1970, 1, 1), 3, idcard.MALE)
    path = tmp_path / "unicode.txt"
    path.write_bytes(("姓名\t公民身份号码\t人员类别\t加入党组织日期\t转为正式党员日期\r\n"
                      f"张三\t{number}\t正式党员\t2000-07-01\t2001-07-01\r\n").encode("utf-16"))
    capsys.readouterr()
    assert main(["import", "members", str(path), "--db", str(db)]) == 0
    assert "新增 1 人" in capsys.readouterr().out
