"""年度党建工作台账 is the community's year-end inspection file: a 网格员 may not make it (the service refuses,
in words saying whose it is), the 书记 and a read-only account still may."""

from __future__ import annotations

import pytest

from desktop_app.services import overview
from desktop_app.services.auth import PermissionDenied
from tests.integration.test_overview_grid_scope import grids  # noqa: F401
from tests.integration.test_roles import TODAY, as_user, fast_kdf, town, world  # noqa: F401


@pytest.mark.parametrize("login", ["grid1", "grid12"])
def test_a_grid_worker_may_not_make_the_folder(db, grids, tmp_path, login):  # noqa: F811
    as_user(db, login)
    assert not overview.may_print_folder(db)
    out = tmp_path / "台账.pdf"
    for make in (lambda: overview.annual_folder(db, TODAY.year, TODAY),
                 lambda: overview.print_annual_folder(db, TODAY.year, out, today=TODAY, photos=False)):
        with pytest.raises(PermissionDenied, match="网格员）不能生成年度党建工作台账：台账是社区的年终检查材料"):
            make()
    assert not out.exists()


@pytest.mark.parametrize("login", ["sec", "street"])
def test_the_secretary_and_a_reader_still_make_it(db, grids, login):  # noqa: F811
    as_user(db, login)
    assert overview.may_print_folder(db)
    folder = overview.annual_folder(db, TODAY.year, TODAY, photos=False)
    assert folder.board.scope == "幸福里社区党委"
