import pytest

from desktop_app.gui import ops


@pytest.fixture
def wait_ops(qtbot):
    """Wait until every background operation has delivered to the GUI thread."""

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: ops.pending() == 0, timeout=timeout)
        qtbot.wait(10)  # let queued slots that the delivery triggered run

    return wait


@pytest.fixture
def app_ctx(db, qapp):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site

    make_app()  # fonts and style sheet as the real program has them
    return AppContext(db=db, site=site.get_site(db))
