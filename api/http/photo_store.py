"""Where tips' photos are kept: a private directory under the instance folder, never a static path
(an S3-compatible store would be another `points.photos.PhotoStore`)."""
from pathlib import Path

from flask import current_app, request

from points.photos import MAX_BYTES, MAX_PHOTOS, DirectoryStore, NotAPhoto, PhotoStore

FORM_BYTES = 64 * 1024  # a tip's text fields, beside its photos
PHOTOS_BYTES = MAX_PHOTOS * MAX_BYTES + FORM_BYTES  # the largest body a tip with photos may be


def photo_store() -> PhotoStore:
    return DirectoryStore(Path(current_app.instance_path) / "tip-photos")


def sent_photos() -> list[bytes]:
    """The `photo` files of this multipart request, read (at most MAX_PHOTOS of MAX_BYTES each);
    a file input left empty sends none."""
    files = [file for file in request.files.getlist("photo") if file.filename]
    if len(files) > MAX_PHOTOS:
        raise NotAPhoto(f"at most {MAX_PHOTOS} photos", why="too_many")
    photos = []
    for file in files:
        file.stream.seek(0)  # a request retried whole (a lock, a deadlock) reads its photos again
        data = file.stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise NotAPhoto("a photo may be at most 10 MB", why="too_large")
        photos.append(data)
    return photos
