"""Find a CJK TrueType font that reportlab can embed, and register it once.

A PDF that relies on the reader's CID fonts (STSong-Light) prints blank or as
boxes on a PC without Chinese fonts, so every form embeds a TrueType subset.
Order of choice: DANGQUN_PDF_FONT (forces a path), the configured path
(Settings.pdf_font_path), the system's fonts, the font the program ships.
The CID font is only the last resort when even the shipped file is missing.

Some CJK fonts (Droid Sans Fallback, the one we ship) have no Latin letters or
digits at all. For those, `latin_name` is Helvetica, one of the PDF standard
fonts every reader has, and `text_runs` splits text so each character is drawn
by a font that has it. Renderers draw through base.py's helpers, which do this.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.settings import resource_path

log = logging.getLogger(__name__)

ENV_VAR = "DANGQUN_PDF_FONT"
SHIPPED_FONT = ("fonts", "DroidSansFallbackFull.ttf")
CID_FALLBACK = "STSong-Light"
LATIN_FALLBACK = "Helvetica"  # standard PDF font: always available, so not embedded

# A font that lacks any of these is no use for our forms.
_PROBE_TEXT = "党员花名册第页共签到表经费台账"
# Printable ASCII: if all present, one font draws everything.
_LATIN_PROBE = "".join(chr(c) for c in range(0x21, 0x7F))


@dataclass(frozen=True)
class FontInfo:
    """The font the PDF forms use: pass `name` to reportlab styles."""

    name: str
    path: str
    source: str  # "configured" | "system" | "shipped" | "cid" (not embedded)
    subfont_index: int = 0
    # Font for characters this one lacks (Latin, digits); equal to `name` when it has them all.
    latin_name: str = ""
    # Code points the font has; None means "treat as complete" (no splitting needed).
    glyphs: frozenset[int] | None = field(default=None, repr=False, compare=False)
    # Candidates tried before this one and why they failed (for the settings page / logs).
    rejected: tuple[str, ...] = field(default=(), compare=False)

    @property
    def embedded(self) -> bool:
        return self.source != "cid"

    def has(self, char: str) -> bool:
        return self.glyphs is None or ord(char) in self.glyphs


def _latin_has(char: str) -> bool:
    # Helvetica in reportlab is WinAnsi-encoded, i.e. cp1252.
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def text_runs(text: str, font: FontInfo) -> list[tuple[str, str]]:
    """Split `text` into (font name, run) pairs: each character goes to a font that has it.

    Characters neither font has stay with the CJK font (they print as a blank,
    as they would in any single-font form).
    """
    if not text:
        return []
    if font.latin_name in ("", font.name):
        return [(font.name, text)]
    runs: list[tuple[str, str]] = []
    current, start = "", 0
    for i, char in enumerate(text):
        name = font.name if font.has(char) or not _latin_has(char) else font.latin_name
        if name != current:
            if i > start:
                runs.append((current, text[start:i]))
            current, start = name, i
    runs.append((current, text[start:]))
    return runs


def shipped_font_path() -> Path:
    return resource_path(*SHIPPED_FONT)


def system_font_candidates() -> list[tuple[str, int]]:
    """(path, subfont index) of TrueType CJK fonts where each platform keeps them."""
    if sys.platform.startswith("win"):
        fonts = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
        names = ["simsun.ttc", "simhei.ttf", "msyh.ttc", "msyh.ttf"]
        return [(str(fonts / n), 0) for n in names]
    if sys.platform == "darwin":
        found = sorted(glob.glob("/System/Library/Fonts/STHeiti*.ttc"))
        found += [
            "/System/Library/Fonts/Supplemental/Songti.ttc",
            "/Library/Fonts/Arial Unicode.ttf",
            "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
        ]
        return [(p, 0) for p in found]
    found = [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    ]
    # Droid Sans Fallback lives in different folders per distribution.
    found += sorted(glob.glob("/usr/share/fonts/**/DroidSansFallback*.ttf", recursive=True))
    return [(p, 0) for p in found]


def _font_name(font: TTFont, subfont_index: int) -> str:
    # One name per face: reportlab ignores a second registration under a taken name,
    # so a single fixed name could not switch fonts within one process (tests do).
    face = font.face.name
    face = face.decode("latin-1") if isinstance(face, bytes) else str(face)
    slug = re.sub(r"[^A-Za-z0-9]+", "", face) or "Font"
    return f"CJK-{slug}" + (f"-{subfont_index}" if subfont_index else "")


def _load(path: str, subfont_index: int) -> TTFont:
    """Load and vet one candidate; raise with a reason if it will not do."""
    if not os.path.isfile(path):
        raise FileNotFoundError("文件不存在")
    # TTFont checks outlines (PostScript .ttc/.otf are refused) and embedding rights.
    font = TTFont("CJK-probe", path, subfontIndex=subfont_index)
    missing = [c for c in _PROBE_TEXT if ord(c) not in font.face.charToGlyph]
    if missing:
        raise ValueError("缺少汉字字形：" + "".join(missing))
    font.fontName = _font_name(font, subfont_index)
    return font


def _candidates(preferred_path: str | None) -> list[tuple[str, int, str]]:
    """(path, subfont index, source) in the order they are tried."""
    shipped = shipped_font_path()
    out: list[tuple[str, int, str]] = []
    for explicit in (os.environ.get(ENV_VAR), preferred_path):
        if explicit and explicit.strip():
            path = explicit.strip()
            same = _same_file(path, shipped)
            out.append((path, 0, "shipped" if same else "configured"))
    out += [(p, i, "system") for p, i in system_font_candidates()]
    out.append((str(shipped), 0, "shipped"))
    return out


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_lock = threading.Lock()
_cache: dict[tuple[str | None, str | None], FontInfo] = {}


def register_cjk_font(preferred_path: str | None = None) -> FontInfo:
    """Register the best CJK font with reportlab and say which one it is.

    Cached per (DANGQUN_PDF_FONT, preferred_path): the lookup reads font files
    of several MB, so later calls are free. Safe to call from worker threads.
    """
    key = (os.environ.get(ENV_VAR) or None, preferred_path or None)
    with _lock:
        info = _cache.get(key)
        if info is None:
            info = _find_and_register(preferred_path)
            _cache[key] = info
        return info


def clear_cache() -> None:
    """Forget earlier choices (after the user changes the font setting)."""
    with _lock:
        _cache.clear()


def _find_and_register(preferred_path: str | None) -> FontInfo:
    rejected: list[str] = []
    for path, index, source in _candidates(preferred_path):
        try:
            font = _load(path, index)
        except Exception as exc:  # noqa: BLE001 - any unreadable font just moves us on
            if source != "system" or os.path.exists(path):
                rejected.append(f"{path}: {exc}")
            continue
        pdfmetrics.registerFont(font)
        glyphs = frozenset(font.face.charToGlyph)
        complete = all(ord(c) in glyphs for c in _LATIN_PROBE)
        latin = font.fontName if complete else LATIN_FALLBACK
        if rejected:
            log.warning("PDF font: skipped %s", "; ".join(rejected))
        log.info("PDF font: %s (%s)", path, source)
        return FontInfo(
            font.fontName, path, source, index, latin, None if complete else glyphs, tuple(rejected)
        )
    # The shipped file is missing (broken install): print with the reader's font
    # rather than not at all.
    log.error("PDF font: no embeddable CJK font found; using %s. Tried: %s", CID_FALLBACK, rejected)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return FontInfo(CID_FALLBACK, "", "cid", 0, CID_FALLBACK, None, tuple(rejected))
