"""QR symbols for print: decodable, with the caption beneath, in a font that has Chinese."""
import io
import xml.etree.ElementTree as ElementTree

from PIL import Image, ImageDraw

from points import qr

from ..helpers import decode_qr

URL = "https://benniu.example/c/a1c.toxr2o.TLEYe_YhqCYTFSKXvW2sMw"


def test_the_png_decodes_to_its_data_and_carries_the_caption_below():
    plain, captioned = qr.png(URL, []), qr.png(URL, ["夜间治安巡逻", "2026-11-23 20:00–22:00"])
    assert decode_qr(plain) == decode_qr(captioned) == URL
    width, height = Image.open(io.BytesIO(captioned)).size
    assert width >= 1000 and height > width


def test_a_cjk_font_is_installed_for_the_captions():
    assert qr.cjk_font_path() is not None, "apt-get install fonts-wqy-microhei (make install does)"


def test_the_svg_escapes_its_caption():
    root = ElementTree.fromstring(qr.svg(URL, ["<巡逻 & 宣传>"]))
    assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] == ["<巡逻 & 宣传>"]


def test_error_correction_survives_a_smudge():
    image = Image.open(io.BytesIO(qr.png(URL, []))).convert("L")
    side = image.size[0]
    ImageDraw.Draw(image).rectangle((side * 0.42, side * 0.42, side * 0.55, side * 0.55), fill=255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert decode_qr(buffer.getvalue()) == URL
