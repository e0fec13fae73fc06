"""The box a worker sees when the database does not open at start names it once, and never shows a
password written into a server's address."""

from PySide6.QtWidgets import QMessageBox

from desktop_app.gui import app as gui_app


def test_a_server_that_does_not_answer_is_named_without_its_password_and_once(qtbot, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a: said.append(text)))
    # port 1 on this machine: nothing listens, the connection is refused at once
    assert gui_app.run("postgresql://op1:s3cret-pw@127.0.0.1:1/dangqun") == 2
    (text,) = said
    assert "s3cret-pw" not in text
    assert text.startswith("无法打开数据库") and text.count("127.0.0.1:1") <= 1


def test_a_file_that_cannot_be_opened_is_named(tmp_path, qtbot):
    target = tmp_path / "不是数据库.db"
    target.write_bytes(b"this is not a database file at all" * 100)
    text = gui_app.cannot_open(target, ValueError("文件不是数据库"))
    assert str(target) in text and "文件不是数据库" in text
