"""A tip's photos (随手拍): re-encoded on arrival (at most 1600 px, every EXIF field and the GPS
dropped), kept in a store behind a small interface, read back only through the access policy."""
import io
import secrets
import warnings
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, and_, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from .claims import Claim
from .db import Base, UTCDateTime
from .errors import Invalid, NotFound

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024  # one photo as sent
MAX_SIDE = 1600  # the longer side as kept
MAX_PIXELS = 50_000_000  # a declared size beyond this is a decompression bomb, never decoded
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
UNCOMMITTED = "photos_not_yet_committed"  # session.info: (store, name) of files its transaction wrote


class NotAPhoto(Invalid):
    """What was sent is not a JPEG or PNG photo we will decode (not an image, too big, too many pixels)."""

    def __init__(self, message: str, *, why: str):
        super().__init__(message, field="photo")
        self.facts = {"kind": why}  # which: not_image, too_large, too_many_pixels, too_many (a page's sentence)


class ClaimPhoto(Base):
    __tablename__ = "claim_photos"
    __table_args__ = (
        UniqueConstraint("claim_id", "position"),
        CheckConstraint(f"position BETWEEN 1 AND {MAX_PHOTOS}", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    position: Mapped[int] = mapped_column()
    stored_as: Mapped[str] = mapped_column(String(100))
    mimetype: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# A claim's photos still kept, in order: loaded for one claim when first read, or for a page of
# claims at once by `kept_photos`.
Claim.kept_photos = relationship(ClaimPhoto, primaryjoin=and_(ClaimPhoto.claim_id == Claim.id,
                                                               ClaimPhoto.deleted_at.is_(None)),
                                 order_by=ClaimPhoto.position, viewonly=True)


class PhotoStore(Protocol):
    """Where photos' bytes live (a directory now; an S3-compatible store would do the same three things)."""

    def put(self, name: str, data: bytes) -> None: ...
    def get(self, name: str) -> bytes: ...
    def delete(self, name: str) -> None: ...


class DirectoryStore:
    """Photos as files in one private directory (under the instance folder, never a static path)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def put(self, name: str, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        partial = self.root / f".{name}.part"
        partial.write_bytes(data)
        partial.replace(self.root / name)  # a reader never sees half a photo

    def get(self, name: str) -> bytes:
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            raise NotFound("photo not found") from None

    def delete(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)


def reencode(data: bytes) -> tuple[bytes, str, int, int]:
    """A photo as kept: decoded (JPEG or PNG only, within MAX_PIXELS), turned upright, shrunk to
    MAX_SIDE and encoded anew with no metadata at all. Returns (bytes, mimetype, width, height)."""
    if len(data) > MAX_BYTES:
        raise NotAPhoto("a photo may be at most 10 MB", why="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if image.width * image.height > MAX_PIXELS:  # read from the header: nothing decoded yet
                raise Image.DecompressionBombError(f"{image.width} x {image.height}")
            kind = image.format
            if kind == "JPEG":  # decoded at 1/2, 1/4 or 1/8 scale when that still covers MAX_SIDE: less memory
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image = ImageOps.exif_transpose(image)  # the phone's rotation, before EXIF is dropped
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            encoded = _encoded(image, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAPhoto("the photo declares too many pixels to be a photo", why="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAPhoto("not a JPEG or PNG photo", why="not_image") from None
    return encoded, FORMATS[kind], image.width, image.height


def _encoded(image: Image.Image, kind: str) -> bytes:
    """Only the pixels: a fresh image carries no EXIF, ICC, text chunks or GPS of the original."""
    if kind == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    out = io.BytesIO()
    bare.save(out, format=kind, **({"quality": 85, "optimize": True} if kind == "JPEG" else {"optimize": True}))
    return out.getvalue()


def keep_photos(session: Session, store: PhotoStore, *, claim_id: int, photos: list[bytes],
                now: datetime) -> list[ClaimPhoto]:
    """Re-encode and keep a claim's photos (at most MAX_PHOTOS), in the order sent."""
    if len(photos) > MAX_PHOTOS:
        raise NotAPhoto(f"at most {MAX_PHOTOS} photos", why="too_many")
    made = [reencode(data) for data in photos]  # every photo is checked before any is kept
    kept = []
    for position, (data, mimetype, width, height) in enumerate(made, start=1):
        name = f"claim-{claim_id}-{position}-{secrets.token_hex(8)}.{'jpg' if mimetype == 'image/jpeg' else 'png'}"
        _put(session, store, name, data)
        kept.append(ClaimPhoto(claim_id=claim_id, position=position, stored_as=name, mimetype=mimetype,
                               width=width, height=height, created_at=now))
    session.add_all(kept)
    session.flush()
    return kept


def _put(session: Session, store: PhotoStore, name: str, data: bytes) -> None:
    """Put a file in the store that lasts only if `session`'s transaction commits: a transaction
    that rolls back (a later refusal, a lock retried, the request failing) deletes it again."""
    if UNCOMMITTED not in session.info:
        session.info[UNCOMMITTED] = []
        if not event.contains(session, "after_transaction_end", _forget_uncommitted):
            event.listen(session, "after_commit", _keep_committed)
            event.listen(session, "after_transaction_end", _forget_uncommitted)
    session.info[UNCOMMITTED].append((store, name))
    store.put(name, data)


def _keep_committed(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint released is not yet the outer commit
        session.info.pop(UNCOMMITTED, None)


def _forget_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without its commit
        for store, name in session.info.pop(UNCOMMITTED, ()):
            store.delete(name)


def kept_photos(session: Session, claims: list[Claim]) -> None:
    """Load the kept photos of many claims in one query, as each claim's `kept_photos`."""
    found: dict[int, list[ClaimPhoto]] = {claim.id: [] for claim in claims}
    if found:  # joined by the relationship's own condition: which photos are still kept is said once
        for photo in session.scalars(select(ClaimPhoto).select_from(Claim).join(Claim.kept_photos).where(Claim.id.in_(found))
                                     .order_by(ClaimPhoto.claim_id, ClaimPhoto.position)):
            found[photo.claim_id].append(photo)
    for claim in claims:
        set_committed_value(claim, "kept_photos", found[claim.id])


def photo_of(claim: Claim, *, position: int) -> ClaimPhoto:
    """The claim's kept photo at `position` (from 1)."""
    for photo in claim.kept_photos:
        if photo.position == position:
            return photo
    raise NotFound(f"photo {position} of claim {claim.id} not found")


def forget_rejected(session: Session, store: PhotoStore, *, reviewed_before: datetime, now: datetime) -> int:
    """Delete the photos of tips rejected before `reviewed_before` (BENNIU_TIP_PHOTO_DAYS ago):
    the files go, the rows stay marked deleted. Returns how many photos went."""
    gone = list(session.scalars(select(ClaimPhoto).join(Claim, Claim.id == ClaimPhoto.claim_id).where(
        Claim.status == "rejected", Claim.reviewed_at < reviewed_before, ClaimPhoto.deleted_at.is_(None))))
    for photo in gone:
        store.delete(photo.stored_as)
        photo.deleted_at = now
    session.flush()
    return len(gone)
