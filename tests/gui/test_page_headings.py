"""One name per feature: every page's heading starts with its name in the navigation.

矛盾调处 opened on 矛盾纠纷调处 and 微实事 on 微实事 · 项目清单, so the worker who looked for 矛盾调处 on the left read
another name at the top. A heading may add a sub-title after the name (概览 · 幸福里社区党委), not a different name.
"""

from PySide6.QtWidgets import QLabel

from desktop_app.gui.main_window import PAGES, MainWindow


def test_every_page_heading_starts_with_its_navigation_name(qtbot, app_ctx, wait_ops):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()

    def headings(title: str) -> list[str]:
        found = w.go_to(title).findChildren(QLabel, "pageHeading")
        wait_ops()
        return [label.text() for label in found]

    said = {spec.title: headings(spec.title) for spec in PAGES}
    assert {t: h for t, h in said.items() if len(h) != 1 or not h[0].startswith(t)} == {}
