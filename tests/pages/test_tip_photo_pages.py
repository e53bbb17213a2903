"""/me/claims/new with photos (照片): sent with the form's CSRF token, refused with a sentence when not a photo."""
import io

from PIL import Image
from sqlalchemy import func, select

from points.claims import Claim
from points.photos import ClaimPhoto

from ..api.test_tip_photos import jpeg_with_gps


def test_a_volunteer_files_a_tip_with_photos_and_a_non_image_is_refused_in_a_sentence(volunteer_pages, rules,
                                                                                     session):
    form = volunteer_pages.hidden("/me/claims/new")
    page = volunteer_pages.get("/me/claims/new").get_data(as_text=True)
    assert "照片" in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    refused = volunteer_pages.client.post("/me/claims/new", content_type="multipart/form-data", data={
        **form, "rule_code": "rental_tip", "description": "门锁坏了",
        "photo": [(io.BytesIO(b"not an image at all" * 20), "lock.jpg")]})
    assert refused.status_code == 422
    assert "照片只能是 JPEG 或 PNG 图片" in refused.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Claim)) == 0
    form = volunteer_pages.hidden("/me/claims/new")
    sent = volunteer_pages.client.post("/me/claims/new", content_type="multipart/form-data", data={
        **form, "rule_code": "rental_tip", "description": "门锁坏了",
        "photo": [(io.BytesIO(jpeg_with_gps(2400, 1800)), "lock.jpg"), (io.BytesIO(b""), "")]})
    assert sent.status_code == 303
    session.rollback()
    [photo] = session.scalars(select(ClaimPhoto)).all()
    assert (photo.width, photo.height, photo.mimetype) == (1600, 1200, "image/jpeg")


def test_a_tip_larger_than_three_photos_may_be_is_refused_unread(volunteer_pages, rules, session):
    form = volunteer_pages.hidden("/me/claims/new")
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    huge = volunteer_pages.client.post("/me/claims/new", content_type="multipart/form-data", data={
        **form, "rule_code": "rental_tip", "description": "x",
        "photo": [(io.BytesIO(b"\0" * (31 * 1024 * 1024)), "big.png")]})
    assert huge.status_code == 413
    assert session.scalar(select(func.count()).select_from(Claim)) == 0
