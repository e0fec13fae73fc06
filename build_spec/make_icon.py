"""Draw the program's icon (resources/dangqun.ico and .png) from the shipped CJK font.

The repository had no icon; Windows shows one for the executable, the Start menu
entry and the window. Drawn rather than hand-made so it can be redrawn at any size:
    .venv/bin/python build_spec/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "DroidSansFallbackFull.ttf"
RED = (196, 30, 36, 255)
GOLD = (255, 214, 102, 255)


def draw(size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = size // 16
    d.rounded_rectangle((pad, pad, size - pad, size - pad), radius=size // 6, fill=RED)
    font = ImageFont.truetype(str(FONT), int(size * 0.62))
    # 党群: the first character stands for the whole name at icon sizes.
    d.text((size / 2, size / 2), "党", font=font, fill=GOLD, anchor="mm")
    return img


def main() -> None:
    img = draw(256)
    img.save(ROOT / "resources" / "dangqun.png")
    img.save(ROOT / "resources" / "dangqun.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
