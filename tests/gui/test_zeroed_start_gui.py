"""Starting the window on a file whose start was overwritten with zeros: the newest good backup is offered, no key asked."""

import pytest

from desktop_app.gui import app as gui_app
from desktop_app.gui.shell.key_dialog import KeyDialog
from desktop_app.gui.widgets import common
from desktop_app.services import backup
from tests.integration.test_damaged_start_walk import _zero_the_start

pytestmark = pytest.mark.sqlite_only


def test_a_zeroed_file_is_offered_its_backup_not_asked_for_a_key(app_ctx, monkeypatch):
    db = app_ctx.db
    good = backup.backup_now(db.path, "manual")
    data = _zero_the_start(db)
    monkeypatch.setattr(KeyDialog, "exec", lambda self: pytest.fail("asked for a key: " + self.message.text()))
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    ctx = gui_app._open_or_recover(db.path, demo=False)
    assert asked and "损坏" in asked[0] and f"{backup.newest_good(db.path.stem).taken_at:%Y-%m-%d %H:%M}" in asked[0]
    assert ctx.site.org_name == "幸福里社区党委"
    kept = [p for p in db.path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == data
    assert good.exists()
    ctx.db.dispose()
