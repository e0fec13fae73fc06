"""The street's batch result says which enrolled communities brought nothing this time."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop_app.gui.sync.dialogs import BatchResultDialog
from desktop_app.services import site, sync
from desktop_app.store.migrate import open_database
from tests.gui.test_sync_gui import _street_ctx, community, page_for, street_db  # noqa: F401 - fixtures
from tests.integration.sync_world import enrol


def test_the_batch_result_names_the_communities_that_sent_nothing(qtbot, community, street_db,  # noqa: F811
                                                                   tmp_path, shot):
    enrol(street_db, community.db, tmp_path)
    silent, _ = open_database(tmp_path / "silent.db")
    site.init_site(silent, "320102002", "望江社区党委", "community", street_name="梅园街道党工委")
    enrol(street_db, silent, tmp_path, "silent")  # enrolled, never sent a package
    silent.dispose()
    pkg = sync.export_package(community.db, tmp_path / "本月.dqsync").path
    junk = tmp_path / "坏包.dqsync"
    junk.write_bytes(b"not a package")

    # what the page hands the dialog once the batch is merged (test_sync_batch_gui walks the page's buttons)
    result = BatchResultDialog(None, sync.import_packages(street_db, [pkg, junk]))
    qtbot.addWidget(result)
    result.resize(820, 440)
    shot(result, "batch-result-absent.png")
    head = result.findChild(QLabel).text()
    assert "这次没有导入数据包的社区（1 个）：望江社区党委（从未报送）。" in head
    assert "幸福里" not in head  # its package went in


def test_the_import_list_shows_one_community_s_packages(qtbot, community, street_db,  # noqa: F811
                                                        tmp_path, wait_ops, shot):
    enrol(street_db, community.db, tmp_path)
    other, _ = open_database(tmp_path / "other.db")
    site.init_site(other, "320102002", "望江社区党委", "community", street_name="梅园街道党工委")
    enrol(street_db, other, tmp_path, "other")
    ours = [sync.export_package(community.db, tmp_path / f"幸福里第{k}次.dqsync").path for k in (1, 2)]
    theirs = sync.export_package(other, tmp_path / "望江.dqsync").path
    other.dispose()
    sync.import_packages(street_db, [ours[0], theirs, ours[1]])
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    page.resize(1280, 600)
    assert page.imports.rowCount() == 3

    # a community asks whether its packages came: chosen in the box, its packages alone, newest first
    box = page.import_community
    box.setCurrentIndex(box.findText("幸福里社区党委"))
    wait_ops()
    assert [page.imports.row(r).file_name for r in range(page.imports.rowCount())] == [p.name for p in ours[::-1]]
    page.tabs.setCurrentIndex(1)
    shot(page, "sync-imports-one-community.png")
    page.refresh()  # a refresh keeps the choice
    wait_ops()
    assert box.currentText() == "幸福里社区党委" and page.imports.rowCount() == 2
    box.setCurrentIndex(0)
    wait_ops()
    assert page.imports.rowCount() == 3
