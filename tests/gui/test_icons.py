"""Every icon is the glyph qtawesome draws, pixel for pixel, without importing qtawesome at start.

Run in a child process: the icons are drawn before qtawesome (whose import loads
its eleven fonts into Qt's font database) and again by qtawesome, then compared.
"""

import json
import os
import subprocess
import sys

COMPARE = r"""
import json, sys
from PySide6.QtGui import QIcon, QImage
from PySide6.QtCore import QSize
from desktop_app.gui.app import make_app
app = make_app()
from desktop_app.gui import icons
modes = (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Active, QIcon.Mode.Selected)
sizes = (16, 20, 24, 32)
colors = ("#444444", icons.ACCENT, icons.NAV)

def images(make):
    return {(name, color, size, int(mode.value)): make(name, color).pixmap(QSize(size, size), mode).toImage()
            .convertToFormat(QImage.Format.Format_ARGB32)
            for name in sorted(icons._ICONS) for color in colors for size in sizes for mode in modes}

ours = images(icons.get)
loaded = "qtawesome" in sys.modules
import qtawesome as qta
theirs = images(lambda name, color: qta.icon(icons._ICONS[name], color=color))
differ = sorted(str(k) for k in ours if ours[k] != theirs[k])
blank = sorted(str(k) for k in ours if ours[k].isNull() or len(set(ours[k].bits().tobytes())) < 2)
print(json.dumps({"loaded": loaded, "compared": len(ours), "differ": differ[:20], "blank": blank[:20]}))
"""


def test_every_icon_is_qtawesome_s_glyph_pixel_for_pixel_and_qtawesome_is_not_imported():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", COMPARE], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["loaded"] is False
    assert got["compared"] > 1000
    assert got["differ"] == [] and got["blank"] == []


def test_an_icon_is_made_once_per_name_and_colour(qapp):
    from desktop_app.gui import icons

    assert icons.get("members") is icons.get("members")
    assert icons.get("members") is not icons.get("members", icons.NAV)
    assert not icons.get("usb").isNull()  # a brands glyph
