"""A PDF the program prints is readable by the colleague it is saved for, as any file the user saves."""

import os
import stat

import pytest

from desktop_app.services import assessment as asm
from tests.integration.test_assessment_service import AS_OF, TODAY, YEAR, town  # noqa: F401


@pytest.mark.skipif(os.name != "posix", reason="Windows keeps no read permission bits")
def test_a_printed_pdf_gets_the_mode_a_plain_open_gives(db, town, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "U盘" / "排名表.pdf"
        asm.print_ranking(db, YEAR, out, as_of=AS_OF, printed_on=TODAY)
    finally:
        os.umask(old)
    assert out.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not 0600: the colleague's account can open it
