"""Tips with photos: re-encoded without EXIF, refused when not a sane photo, and read only by the member
who sent them and staff who see tips."""
import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select

from api.identity.accounts import StaffAccount
from points.audit import AuditEntry
from points.claims import Claim

from ..helpers import Client

GPS = {1: "N", 2: (32.0, 30.0, 32.0), 3: "E", 4: (120.0, 8.0, 45.0)}


def jpeg_with_gps(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), "#3a7")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x8825] = GPS  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(0x8825)  # the GPS is really in there
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb's opening)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def send(client: Client, *photos, description="5栋302出租屋新住户未登记，门锁坏了"):
    data = {"rule_code": "rental_tip", "description": description,
            "photo": [(io.BytesIO(body), name) for name, body in photos]}
    return client.app.test_client().post("/api/v1/claims", data=data, headers=client.headers(),
                                         content_type="multipart/form-data")


@pytest.fixture
def police(app, clock, community, staff, session):
    """An organiser staff account that sees tips, with a token of its own."""
    from api.identity.tokens import issue_token
    phone = staff("organiser", name="罗塘派出所 民警")
    with app.extensions["benniu"].sessionmaker() as writing, writing.begin():
        account = writing.scalars(select(StaffAccount).where(StaffAccount.phone == phone)).one()
        account.sees_tips = True
        plain, _ = issue_token(writing, role="organiser", name="民警", community_id=community["id"],
                               staff_id=account.id, now=clock.now())
    return Client(app, plain)


def test_a_photo_comes_back_without_exif_or_gps_and_at_most_1600_px(volunteer, rules, police, session):
    _, phone = volunteer
    response = send(phone, ("tip.jpg", jpeg_with_gps()), ("door.png", png_declaring(1, 1) and _png(800, 600)))
    assert response.status_code == 201, response.get_json()
    claim = response.json
    assert claim["photos"] == [f"/api/v1/claims/{claim['id']}/photos/1", f"/api/v1/claims/{claim['id']}/photos/2"]
    for client in (phone, police):
        first = client.get(claim["photos"][0])
        assert (first.status_code, first.mimetype) == (200, "image/jpeg")
        image = Image.open(io.BytesIO(first.data))
        assert max(image.size) == 1600 and image.size == (1600, 1067)
        assert not image.getexif() and "exif" not in image.info
        assert b"PhoneModel" not in first.data and b"GPS" not in first.data
    second = Image.open(io.BytesIO(phone.get(claim["photos"][1]).data))
    assert (second.format, second.size, second.info.get("exif")) == ("PNG", (800, 600), None)
    opened = session.scalars(select(AuditEntry).where(AuditEntry.action == "tip_photo_opened")).all()
    assert [(row.actor_kind, row.facts["photo"]) for row in opened] == [("volunteer", 1), ("organiser", 1),
                                                                        ("volunteer", 2)]


def _png(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (200, 30, 30, 255)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("name, body, said", [
    ("bomb.png", png_declaring(100_000, 100_000), "too many pixels"),
    ("tip.jpg", b"this is no photo at all, only text named .jpg" * 10, "not a JPEG or PNG photo"),
    ("big.jpg", b"\xff\xd8" + b"\0" * (10 * 1024 * 1024), "at most 10 MB"),
])
def test_a_bomb_a_non_image_or_an_oversized_file_is_refused_with_a_sentence_and_nothing_kept(
        volunteer, rules, session, name, body, said):
    _, phone = volunteer
    response = send(phone, (name, body))
    assert response.status_code == 422, response.get_json()
    assert response.json["code"] == "validation_error" and said in str(response.json)
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_four_photos_are_refused(volunteer, rules, session):
    _, phone = volunteer
    response = send(phone, *[(f"{i}.png", _png(10, 10)) for i in range(4)])
    assert (response.status_code, response.json["code"]) == (422, "validation_error")
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_only_the_sender_and_staff_who_see_tips_read_a_tip(app, clock, admin, volunteer, enrol, organiser, police,
                                                          rules, community):
    from ..conftest import _token
    _, phone = volunteer
    claim = send(phone, ("tip.jpg", jpeg_with_gps(400, 300))).json
    photo = claim["photos"][0]
    _, neighbour = enrol(name="李梅")
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    stranger = Client(app, _token(app, clock, role="organiser", name="保利 民警", community_id=other["id"]))
    assert neighbour.get(photo).status_code == 404  # another volunteer's claim does not exist for them
    assert stranger.get(photo).status_code == 404  # another community's
    assert organiser.get(photo).status_code == 403  # sees the tip, not its photos
    assert admin.get(photo).status_code == 403  # an admin token without sees_tips neither
    assert police.get(photo).status_code == 200
    assert phone.get(f"/api/v1/claims/{claim['id']}/photos/2").status_code == 404
    seen = organiser.get(f"/api/v1/claims/{claim['id']}").json
    assert (seen["rule_code"], seen["status"], "description" in seen, "photos" in seen) == (
        "rental_tip", "pending", False, False)
    listed = organiser.get("/api/v1/claims").json["items"]
    assert [("description" in item, item["member_id"]) for item in listed] == [(False, claim["member_id"])]
    read = police.get(f"/api/v1/claims/{claim['id']}").json
    assert read["description"].startswith("5栋302") and read["photos"] == [photo]
    assert phone.get(f"/api/v1/claims/{claim['id']}").json["description"].startswith("5栋302")


def test_a_tip_sent_as_json_still_works_and_has_no_photos(volunteer, rules, police):
    _, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "无照片"}, expect=201).json
    assert claim["photos"] == [] and police.get(f"/api/v1/claims/{claim['id']}").json["description"] == "无照片"


def test_photos_of_a_rejected_tip_go_after_the_days_and_others_stay(app, volunteer, rules, organiser, police, clock,
                                                                    tmp_path):
    from api.acts.tips import forget_old_tip_photos
    from api.http.photo_store import photo_store
    _, phone = volunteer
    rejected = send(phone, ("a.png", _png(20, 20))).json
    pending = send(phone, ("b.png", _png(20, 20))).json
    organiser.post(f"/api/v1/claims/{rejected['id']}/reject", {"reason": "查无此事"}, expect=200)
    kept = sorted(path.name for path in (tmp_path / "instance" / "tip-photos").iterdir())
    assert len(kept) == 2

    def forget():
        with app.app_context(), app.extensions["benniu"].sessionmaker() as session, session.begin():
            return forget_old_tip_photos(session, days=app.config["TIP_PHOTO_DAYS"], store=photo_store(),
                                         now=clock.now())
    clock.advance(days=89)
    assert forget() == 0
    clock.advance(days=2)
    assert forget() == 1 and forget() == 0
    assert len(list((tmp_path / "instance" / "tip-photos").iterdir())) == 1
    assert police.get(rejected["photos"][0]).status_code == 404
    assert police.get(f"/api/v1/claims/{rejected['id']}").json["photos"] == []
    assert police.get(pending["photos"][0]).status_code == 200


def _photo_files(tmp_path) -> list[str]:
    folder = tmp_path / "instance" / "tip-photos"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_tip_refused_after_its_photo_was_kept_leaves_no_file_behind(volunteer, rules, tmp_path, monkeypatch):
    import api.acts.claims
    from points.errors import Conflict

    def refuse(*args, **kwargs):
        raise Conflict("refused after the photos were kept")
    monkeypatch.setattr(api.acts.claims, "announce", refuse)
    response = send(volunteer[1], ("a.png", _png(20, 20)))
    assert response.status_code == 409
    assert _photo_files(tmp_path) == []


def test_a_tip_retried_whole_after_a_lock_keeps_only_the_committed_photo(volunteer, rules, police, tmp_path,
                                                                          monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import api.acts.claims
    announce, tries = api.acts.claims.announce, []

    def locked_once(*args, **kwargs):
        tries.append(1)
        if len(tries) == 1:
            raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
        return announce(*args, **kwargs)
    monkeypatch.setattr(api.acts.claims, "announce", locked_once)
    tip = send(volunteer[1], ("a.png", _png(20, 20)))
    assert tip.status_code == 201 and len(tries) == 2
    files = _photo_files(tmp_path)
    assert len(files) == 1
    assert police.get(tip.json["photos"][0]).status_code == 200
