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
