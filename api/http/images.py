"""QR images as HTTP responses: each image at `<rule>.png` and `<rule>.svg`, two operations that
each declare their one media type (a client generator then reads each as bytes)."""
from functools import wraps

from flask import Response

from points import qr

from .smorest import BINARY

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def qr_image(data: str, caption: list[str], fmt: str, filename: str) -> Response:
    """`data` as a QR PNG or SVG with `caption` beneath, named `filename` for saving and printing."""
    body = qr.svg(data, caption) if fmt == "svg" else qr.png(data, caption)
    return Response(body, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'inline; filename="{filename}.{fmt}"',
                             "Cache-Control": "private, max-age=300"})


def image_doc(fmt: str) -> dict:
    """The 200 answer of an image operation: its one media type, as bytes."""
    return {"responses": {"200": {"description": f"a QR image ({fmt.upper()})",
                                  "content": {MEDIA_TYPES[fmt]: BINARY}}}}


def image_routes(blp, rule: str, *roles: str):
    """Serve `draw(fmt, **path)` at `rule.png` and `rule.svg` to `roles`, as the operations
    `<name>_png` and `<name>_svg` (the old addresses, each now documented with its own type)."""
    def register(draw):
        for fmt in MEDIA_TYPES:
            view = blp.allow(*roles)(blp.doc(**image_doc(fmt))(_in_format(draw, fmt)))
            blp.route(f"{rule}.{fmt}", methods=["GET"], endpoint=f"{draw.__name__}_{fmt}")(view)
        return draw
    return register


def _in_format(draw, fmt: str):
    @wraps(draw)
    def view(**path):
        return draw(fmt, **path)
    summary, _, rest = (draw.__doc__ or "").strip().partition("\n")
    view.__doc__ = f"{summary.rstrip('.')}, as {fmt.upper()}.\n{rest}"
    view.__name__ = f"{draw.__name__}_{fmt}"
    return view
