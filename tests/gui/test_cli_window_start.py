"""`dangqun --db X gui` starts the window the fast way; `dangqun --db X` alone asks for a command."""

import json
import os
import subprocess
import sys

from desktop_app.cli import main

FRAME_WITH_OPTIONS = r"""
import json, runpy, sys
from desktop_app.gui import app as gui_app
got = {}


def run(db_path, demo=False):  # the window's start as far as its painted frame
    gui_app.make_app()
    gui_app.paint_frame()
    heavy = ("sqlalchemy", "reportlab", "openpyxl", "desktop_app.services", "desktop_app.store", "desktop_app.cli.roster")
    got.update(loaded=[m for m in heavy if m in sys.modules], db=str(db_path), demo=demo)
    return 0


gui_app.run = run
sys.argv = ["dangqun", "--db", sys.argv[1], "gui", "--demo"]  # the options before the command word
try:
    runpy.run_module("desktop_app", run_name="__main__")
except SystemExit as exc:
    got["exit"] = exc.code
print(json.dumps(got))
"""


def test_options_before_gui_take_the_windows_fast_start(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DANGQUN_DATA_DIR=str(tmp_path))
    db = str(tmp_path / "town.db")
    out = subprocess.run([sys.executable, "-c", FRAME_WITH_OPTIONS, db], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"loaded": [], "db": db, "demo": True, "exit": 0}


def test_a_database_option_and_no_command_prints_the_short_help(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DANGQUN_DATA_DIR", str(tmp_path))
    for words in (["--db", str(tmp_path / "x.db")], [f"--db={tmp_path / 'x.db'}"], ["--db-url", "postgresql://h/db"]):
        assert main(words) == 2
        err = capsys.readouterr().err
        assert err.startswith("用法：dangqun") and "请在选项后写出命令" in err and "Traceback" not in err
