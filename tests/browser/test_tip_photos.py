"""A tip with a photo from a phone, in a real browser: the photo is shrunk on the phone before it is sent."""
import io

from PIL import Image
from sqlalchemy import select

from points.photos import ClaimPhoto

from ..api.test_tip_photos import jpeg_with_gps
from .test_pages import WAIT, sign_in


def test_a_volunteer_sends_a_tip_with_a_photo_shrunk_on_the_phone(app, live_server, phone, volunteer, rules, session,
                                                                   shot, tmp_path):
    member, _ = volunteer
    original = jpeg_with_gps(3000, 2000)
    picture = tmp_path / "door.jpg"
    picture.write_bytes(original)
    sent, served = [], app.wsgi_app

    def recording(environ, start_response):  # what the server received: the photo as the phone sent it
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/me/claims/new":
            body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
            sent.append(body)
            environ["wsgi.input"] = io.BytesIO(body)
        return served(environ, start_response)
    app.wsgi_app = recording
    sign_in(phone, live_server, member["phone"], "secret123", "/me/claims/new")
    phone.get_by_label("说明").fill("6栋 门锁被撬")
    phone.get_by_label("照片").set_input_files(str(picture))
    shot(phone, "1-tip-with-photo")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/me/claims", timeout=WAIT)
    shot(phone, "2-sent")
    [body] = sent
    uploaded = Image.open(io.BytesIO(body[body.index(b"\xff\xd8\xff"):]))
    assert uploaded.size == (1600, 1067) and len(body) < len(original)  # shrunk before it left the phone
    session.rollback()
    [photo] = session.scalars(select(ClaimPhoto)).all()
    assert (photo.width, photo.height) == (1600, 1067)
