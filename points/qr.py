"""QR symbols for print and screen, as PNG and SVG, with a caption in Chinese under the code.

Both formats are drawn from the same module matrix. Error correction Q (25 % of the
symbol may be lost: a smudged or creased print still scans) and the standard four-module
quiet zone. The PNG is about 9 cm wide at 300 dpi; the caption needs a CJK font (Debian's
fonts-wqy-microhei or fonts-noto-cjk, or one named by BENNIU_FONT_PATH).
"""
import io
import os
from functools import lru_cache
from xml.sax.saxutils import escape

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_Q

QUIET_ZONE = 4
PNG_WIDTH = 1080
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
SVG_FONTS = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def matrix(data: str) -> list[list[bool]]:
    """The symbol's modules, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def png(data: str, caption: list[str]) -> bytes:
    """A print-ready PNG: the symbol, then each caption line centred beneath it."""
    modules = matrix(data)
    scale = max(1, PNG_WIDTH // len(modules))
    side = len(modules) * scale
    font = _font(size=max(24, side // 18))
    line_height = int(font.size * 1.4)
    image = Image.new("L", (side, side + line_height * len(caption) + (scale * 2 if caption else 0)), 255)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle((x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1), fill=0)
    for index, line in enumerate(caption):
        width = draw.textlength(line, font=font)
        draw.text(((side - width) / 2, side + index * line_height), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def svg(data: str, caption: list[str]) -> str:
    """The same symbol as scalable SVG (one path), with the caption as real text."""
    modules = matrix(data)
    size = len(modules)
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(modules) for x, dark in enumerate(row) if dark)
    line_height = 2.4
    height = size + (line_height * len(caption) + 1 if caption else 0)
    texts = "".join(
        f'<text x="{size / 2}" y="{size + line_height * (index + 0.8)}" font-size="1.8" '
        f'text-anchor="middle" font-family="{SVG_FONTS}">{escape(line)}</text>'
        for index, line in enumerate(caption))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height:g}" '
            f'width="{size * 8}" height="{height * 8:g}" shape-rendering="crispEdges">'
            f'<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="{path}"/>{texts}</svg>')


def cjk_font_path() -> str | None:
    """The first CJK font found, or None (captions then come out as boxes)."""
    for path in (os.environ.get("BENNIU_FONT_PATH"), *FONT_CANDIDATES):
        if path and os.path.exists(path):
            return path
    return None


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)
