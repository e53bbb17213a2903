"""Where tips' photos are kept: a private directory under the instance folder, never a static path
(an S3-compatible store would be another `points.photos.PhotoStore`)."""
from pathlib import Path

from flask import current_app

from points.photos import DirectoryStore, PhotoStore


def photo_store() -> PhotoStore:
    return DirectoryStore(Path(current_app.instance_path) / "tip-photos")
