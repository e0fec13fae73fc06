"""What showing 党员名册 imports: the page and its reads, not the forms nor the import, export and print code.

Run in a child process, so modules other tests loaded do not count.
"""

import os
import subprocess
import sys

LATER = (
    "desktop_app.gui.roster.member_dialog",  # the member, status and transfer forms: imported when opened
    "desktop_app.gui.roster.import_dialog",
    "desktop_app.services.roster.edits",
    "desktop_app.services.roster.groups",
    "desktop_app.services.roster.importing",
    "desktop_app.services.roster.exporting",
    "desktop_app.services.roster.printing",
    "desktop_app.exchange.members",
    "openpyxl",
    "reportlab",
)

CODE = """
import sys
import desktop_app.gui.roster.page
print(",".join(m for m in sys.argv[1:] if m in sys.modules))
from desktop_app.services import roster
print(roster.create.__module__, roster.print_roster.__module__, roster.move_to_group.__module__)
"""


def test_the_roster_page_module_leaves_the_forms_and_the_file_code_for_later():
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CODE, *LATER], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded, lazy = out.stdout.splitlines()[-2:]
    assert loaded == ""
    # ...and the package still hands out every name, loading its module on first use
    assert lazy.split() == ["desktop_app.services.roster.edits", "desktop_app.services.roster.printing",
                            "desktop_app.services.roster.groups"]
