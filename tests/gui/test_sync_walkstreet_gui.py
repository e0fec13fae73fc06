"""The street's batch result says which enrolled communities brought nothing this time."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop_app.gui.sync.dialogs import BatchResultDialog
from desktop_app.services import site, sync
from desktop_app.store.migrate import open_database
from tests.gui.test_sync_gui import community, street_db  # noqa: F401 - fixtures
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
