"""Tips' photos (随手拍): sent with a claim as multipart/form-data, read back one at a time by the
member who sent them and staff who see tips, each opening in the audit trail."""
from functools import wraps

from flask import Response, request

from points.photos import MAX_PHOTOS

from ..acts.tips import open_tip_photo
from ..http import db
from ..http.clock import now
from ..http.photo_store import PHOTOS_BYTES, photo_store, sent_photos
from ..http.smorest import BINARY, Blueprint
from ..identity.authentication import current_principal

blp = Blueprint("tip_photos", __name__, url_prefix="/api/v1/claims", description="Claims awaiting review")

MULTIPART_DOC = {"requestBody": {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["rule_code", "description"],
    "properties": {"rule_code": {"type": "string"}, "description": {"type": "string", "maxLength": 2000},
                   "photo": {"type": "array", "maxItems": MAX_PHOTOS,
                             "items": {"type": "string", "format": "binary"},
                             "description": "JPEG or PNG, at most 10 MB each; kept re-encoded (at most 1600 px, "
                                            "no EXIF or GPS)"}}}}}}}


def with_photos(view):
    """Hand the view the `photo` files of a multipart request, once the caller is known: only then
    may the body be as large as three photos."""
    @wraps(view)
    def photos_read(*args, **kwargs):
        photos = []
        if request.mimetype == "multipart/form-data":
            request.max_content_length = PHOTOS_BYTES
            photos = sent_photos()
        return view(*args, photos=photos, **kwargs)
    return photos_read


def photo_urls(claim) -> list[str]:
    return [f"/api/v1/claims/{claim.id}/photos/{photo.position}" for photo in claim.kept_photos]


@blp.route("/<id:claim_id>/photos/<int(min=1, max=3):n>", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.doc(responses={"200": {"description": "the photo (JPEG or PNG), re-encoded", "content": {
    "image/jpeg": BINARY, "image/png": BINARY}}})
def tip_photo(claim_id, n):
    """One photo of a tip: for the member who sent it and staff who see tips (the audit notes who opened it)."""
    data, mimetype = open_tip_photo(db.writer(), current_principal(), claim_id=claim_id, position=n,
                                    store=photo_store(), now=now())
    return Response(data, mimetype=mimetype, headers={"Cache-Control": "private, no-store"})
