"""共建活动's photos on the page, as 微心愿's: the details pane shows them as thumbnails that open the file,
删除照片 asks which one and takes it off; with none, 删除照片 is greyed and says why."""

from __future__ import annotations

from desktop_app.gui.cobuilding.activities import ActivitiesPage
from desktop_app.gui.widgets import photos
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import ActivityInput
from tests.gui.test_cobuilding_more_gui import TODAY, town  # noqa: F401  the fixture
from tests.gui.test_service_gui import show
from tests.gui.test_wish_photos import assert_click_opens, assert_named_and_told, image, remove_the_first


def test_an_activitys_photos_show_open_and_are_removed(qtbot, app_ctx, wait_ops, town, monkeypatch, tmp_path,  # noqa: F811
                                                       shot):
    db = app_ctx.db
    act = cb.record_activity(db, ActivityInput(TODAY, "义诊", "夏季义诊", residents_served=20,
                                               org_ids=[town["g1"]], unit_ids=[town["hospital"]]), TODAY)
    page = show(qtbot, wait_ops, ActivitiesPage(app_ctx))
    page.resize(1366, 700)
    page.panel.select_id(act.id)
    wait_ops()
    assert page.act_photos.isEnabled() and not page.act_unphoto.isEnabled()
    assert "还没有照片" in page.act_unphoto.toolTip()

    scene, group = image(tmp_path / "义诊现场.png", "orange"), image(tmp_path / "合影.jpg", "teal", (90, 160))
    cb.add_photos(db, act.id, [scene, group])
    page.refresh()
    wait_ops()
    page.panel.select_id(act.id)
    wait_ops()
    html = page.panel.details.text()
    assert html.count("<img") == 2 and "照片 2 张（单击打开）" in html and html.count(f'href="{photos.PHOTO}') == 2
    assert page.act_unphoto.isEnabled()
    shot(page, "activity_photos_page.png")

    assert_click_opens(page, monkeypatch, cb.get_activity(db, act.id).photos[0].id, scene)
    assert remove_the_first(page, monkeypatch, wait_ops) == ["活动“夏季义诊”"]
    assert [p.file_name for p in cb.get_activity(db, act.id).photos] == ["合影.jpg"]
    assert "已删除活动“夏季义诊”的照片“义诊现场.png”" in page.message.text()
    assert page.panel.model.rows[0].photos == 1
    wait_ops()
    assert page.panel.details.text().count("<img") == 1


def test_a_photo_gone_from_the_data_folder_is_named_and_says_why(qtbot, app_ctx, wait_ops, town, monkeypatch,  # noqa: F811
                                                                 tmp_path):
    db = app_ctx.db
    act = cb.record_activity(db, ActivityInput(TODAY, "义诊", "秋季义诊", org_ids=[town["g1"]]), TODAY)
    kept = cb.add_photo(db, act.id, image(tmp_path / "横幅.png", "gray"))
    cb.photo_path(db, kept.id).unlink()
    page = show(qtbot, wait_ops, ActivitiesPage(app_ctx))
    page.panel.select_id(act.id)
    wait_ops()
    assert_named_and_told(page, monkeypatch, kept)
