"""用户管理: an account confined to one street is made in the account form and then sees only that street.

The district's database (two streets, each with a community, a branch and a member)
comes from the district roles test; the form and the list run against it as the
window does, and the trail must say how the account's scope changed.
"""

from __future__ import annotations

import pytest

from desktop_app.gui.users.page import COLUMNS, UserDialog, UsersPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import audit_log, auth, roster, site
from desktop_app.views.roster import MemberFilter
from tests.integration.test_district_roles import district  # noqa: F401  (the fixture)

PASSWORD = "Xinjiekou#2024"
SCOPE = [c.title for c in COLUMNS].index("管辖范围")


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def _scope_shown(page: UsersPage) -> dict[str, str]:
    m = page.panel.model
    return {u.login: m.data(m.index(i, SCOPE)) for i, u in enumerate(page.users)}


def _form(page, db, user=None) -> UserDialog:
    dlg = UserDialog(page, db, auth.grid_choices(db), user, auth.scope_choices(db))
    dlg.show()
    return dlg


def test_a_street_account_made_in_the_form_sees_only_its_street(qtbot, qapp, qtmodeltester, district,  # noqa: F811
                                                                wait_ops, tmp_path):
    from desktop_app.gui.app import make_app

    db, w = district
    make_app()
    page = UsersPage(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(page)
    page.refresh()
    wait_ops()
    assert _scope_shown(page) == {"admin": "全部", "meiyuan": "梅园街道党工委"}

    dlg = _form(page, db)
    qtbot.addWidget(dlg)
    labels = [dlg.org_id.itemText(i) for i in range(dlg.org_id.count())]
    assert labels[0] == "全部（整个数据库）" and dlg.org_id.currentData() == ""
    assert "新街口街道党工委 / 新街口社区党委" in labels  # communities too, named with their street
    dlg.login.setText("xinjiekou")
    dlg.display_name.setText("新街口操作员")
    dlg.org_id.setCurrentIndex(dlg.org_id.findData(w["b"]))
    dlg.password.setText(PASSWORD)
    dlg.repeat.setText(PASSWORD)
    dlg.grab().save(str(tmp_path / "user_form.png"))
    dlg.accept()
    wait_ops()
    assert dlg.saved is not None and dlg.saved.org_id == w["b"]

    page.refresh()
    wait_ops()
    assert _scope_shown(page)["xinjiekou"] == "新街口街道党工委"
    qtmodeltester.check(page.panel.model)
    trail = audit_log.history(db, "app_user", dlg.saved.id)
    created = [r for r in trail if r.action == "insert"]  # the trail names the organisation behind the id
    assert created and created[-1].after.get("org_id") == "新街口街道党工委"

    # narrowing it to the community is audited with both scopes
    edit = _form(page, db, page.users[[u.login for u in page.users].index("xinjiekou")])
    qtbot.addWidget(edit)
    assert edit.org_id.currentData() == w["b"]
    edit.org_id.setCurrentIndex(edit.org_id.findData(w["b_community"]))
    edit.accept()
    wait_ops()
    assert edit.saved.org_id == w["b_community"]
    last = audit_log.history(db, "app_user", edit.saved.id)[-1]
    assert last.action == "update"
    assert (last.before.get("org_id"), last.after.get("org_id")) == ("新街口街道党工委", "新街口社区党委")
    page.refresh()
    wait_ops()
    assert _scope_shown(page)["xinjiekou"] == "新街口社区党委"
    qtmodeltester.check(page.panel.model)

    auth.logout(db)
    auth.login(db, "xinjiekou", PASSWORD)
    auth.change_password(db, PASSWORD, PASSWORD + "x")
    assert roster.search_ids(db, MemberFilter()) == [w["b_member"]]
    assert roster.search_ids(db, MemberFilter(text="张梅园")) == []
