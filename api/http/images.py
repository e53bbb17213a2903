"""QR images as HTTP responses."""
from flask import Response, request

from points import qr


def qr_image(data: str, caption: list[str], fmt: str, filename: str) -> Response:
    """`data` as a QR PNG or SVG with `caption` beneath, named `filename` for saving and printing."""
    body, mimetype = (qr.svg(data, caption), "image/svg+xml") if fmt == "svg" else (qr.png(data, caption), "image/png")
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'inline; filename="{filename}.{fmt}"',
                             "Cache-Control": "private, max-age=300"})


def requested_format() -> str:
    """`png` or `svg`, from the path the image was asked for by."""
    return request.path.rsplit(".", 1)[-1]


IMAGE_DOC = {"responses": {"200": {
    "description": "a QR image (PNG or SVG, as the path says)",
    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string"}}},
}}}
