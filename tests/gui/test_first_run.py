"""First start on an empty database: set up the center, or load demo data."""

from sqlalchemy import select

from desktop_app.domain.members import GONE_STATUSES
from desktop_app.gui.app import make_app, open_context
from desktop_app.services import orgs
from desktop_app.services.overview import overview
from desktop_app.store.models import Member
from desktop_app.store.models_cobuilding import registered_member_ids


def test_first_start_sets_up_the_center(qapp, tmp_path):
    make_app()

    def fill(dlg):
        dlg.code.setText("320102001")
        dlg.name.setText("幸福里社区党委")
        dlg.street.setText("梅园街道党工委")
        dlg.accept()

    ctx = open_context(tmp_path / "new.db", demo=False, ask_setup=fill)
    assert ctx.site.org_name == "幸福里社区党委"
    assert [n.kind for n in orgs.list_tree(ctx.db)] == ["street", "community"]


def test_setup_dialog_refuses_a_bad_code_until_fixed(qapp, tmp_path):
    from desktop_app.gui.shell.setup import SetupDialog

    dlg = SetupDialog()
    dlg.code.setText("有 空格")
    dlg.name.setText("某社区")
    dlg.accept()
    assert dlg.result() != SetupDialog.DialogCode.Accepted and "组织代码" in dlg.error.text()


def test_first_start_can_load_demo_data_with_progress(qapp, tmp_path):
    make_app()

    def choose_demo(dlg):
        dlg.rb_demo.setChecked(True)
        dlg.members.setValue(20)
        dlg.accept()

    ctx = open_context(tmp_path / "demo.db", demo=False, ask_setup=choose_demo)
    ov = overview(ctx.db)
    with ctx.db.session() as s:
        statuses = list(s.scalars(select(Member.status).where(Member.deleted.is_(False))))
        reporting = len(s.scalars(registered_member_ids()).all())
    assert len(statuses) == 20  # the demo wrote the 20 members asked for
    # The overview counts the community's own roster: not those who died or transferred
    # out, nor the 在职党员 the demo moved into the 双报到 register.
    on_roster = sum(1 for st in statuses if st not in GONE_STATUSES) - reporting
    assert ov.members == on_roster > 0 and ov.residents > 0


def _gui_thread_sessions(monkeypatch) -> list[str]:
    """Every session opened on the GUI thread from now on, by who opened it."""
    import threading
    import traceback

    from desktop_app.services.database import Database

    opened: list[str] = []
    session = Database.session

    def watched(self, *args, **kw):
        if threading.current_thread() is threading.main_thread():
            opened.append("".join(traceback.format_stack(limit=8)[:-1]))
        return session(self, *args, **kw)

    monkeypatch.setattr(Database, "session", watched)
    return opened


def test_start_up_reads_the_database_once_off_the_gui_thread_and_the_window_reads_nothing(
        qapp, qtbot, tmp_path, monkeypatch, wait_ops):
    from desktop_app.gui.app import _WindowKeeper
    from desktop_app.services import auth, site
    from desktop_app.services.database import open_database

    make_app()
    path = tmp_path / "center.db"
    db, _ = open_database(path)
    site.init_site(db, org_code="320102001", org_name="幸福里社区党委", street_name="梅园街道党工委")
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.set_idle_minutes(db, 7)
    db.engine.dispose()

    opened = _gui_thread_sessions(monkeypatch)
    ctx = open_context(path, demo=False)
    assert (ctx.site.org_name, ctx.start.has_users, ctx.start.idle_minutes) == ("幸福里社区党委", True, 7)
    assert opened == []  # opening, upgrading and the start state all ran in the background

    who = auth.login(ctx.db, "admin", "xingfuli2026")  # what the log-in dialog does (off the GUI thread there)
    opened.clear()
    keeper = _WindowKeeper(path)
    keeper.show(ctx, who)
    qtbot.addWidget(keeper.window)
    assert keeper.idle.timer.interval() == 7 * 60_000  # the policy came with the start state
    assert opened == []
    wait_ops()
    keeper.window.skip_exit_backup = True


def test_a_database_without_accounts_opens_with_the_first_start_state(qapp, tmp_path):
    make_app()

    def fill(dlg):
        dlg.code.setText("320102001")
        dlg.name.setText("幸福里社区党委")
        dlg.street.setText("梅园街道党工委")
        dlg.accept()

    ctx = open_context(tmp_path / "new.db", demo=False, ask_setup=fill)
    assert ctx.start.site == ctx.site and ctx.start.has_users is False


def test_setup_dialog_says_what_the_organisation_code_is_and_whom_to_ask(qapp):
    """A worker setting up the center meets 组织代码 first: the form says what it is and where to get it."""
    from PySide6.QtWidgets import QLabel

    from desktop_app.gui.shell.setup import SetupDialog

    dlg = SetupDialog()
    shown = " ".join(label.text() for label in dlg.findChildren(QLabel))
    assert "组织代码" in shown and "问街道" in shown
    dlg.adjustSize()
    assert dlg.sizeHint().height() < 768 - 40


def test_a_district_is_set_up_at_first_run_with_its_district_committee(qapp, tmp_path):
    """级别 区: the database heads its tree with a 区委 and names itself 区 (its streets are added under it)."""
    make_app()

    def fill(dlg):
        dlg.code.setText("320102")
        dlg.name.setText("玄武区委")
        dlg.level.setCurrentIndex(dlg.level.findData("district"))
        assert not dlg.street.isEnabled()  # 所属街道 is a community's question
        dlg.accept()

    ctx = open_context(tmp_path / "new.db", demo=False, ask_setup=fill)
    assert (ctx.site.level, ctx.site.level_label, ctx.site.is_top) == ("district", "区", True)
