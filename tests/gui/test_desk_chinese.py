"""Qt's own buttons in Chinese: the translations shipped with PySide6 are loaded at start."""

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from desktop_app.gui.translations import install_translations, translation_dirs


def test_standard_buttons_are_chinese(app_ctx, qtbot):
    from PySide6.QtWidgets import QApplication

    assert install_translations(QApplication.instance()) == ["qtbase"]
    box = QMessageBox(QMessageBox.Icon.Question, "问", "继续吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text().replace("&", "").startswith("是")
    assert box.button(QMessageBox.StandardButton.No).text().replace("&", "").startswith("否")
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                          | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(bb)
    texts = {b: bb.button(b).text().replace("&", "") for b in (
        QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel,
        QDialogButtonBox.StandardButton.Save)}
    assert texts[QDialogButtonBox.StandardButton.Ok].startswith("确定")
    assert texts[QDialogButtonBox.StandardButton.Cancel].startswith("取消")
    assert texts[QDialogButtonBox.StandardButton.Save].startswith("保存")


def test_the_bundle_ships_the_chinese_catalogue():
    assert any((d / "qtbase_zh_CN.qm").is_file() for d in translation_dirs())
    spec = (Path(__file__).resolve().parents[2] / "build_spec" / "dangqun.spec").read_text(encoding="utf-8")
    assert "qtbase_zh_CN.qm" in spec and '"PySide6/Qt/translations"' in spec
