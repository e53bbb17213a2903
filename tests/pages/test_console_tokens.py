"""The console's tokens and sign-ins: listed with when each ends, and revoked with one button, at once."""
from html import unescape

from tests.helpers import Client


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_the_console_lists_a_token_with_its_end_and_revoking_it_refuses_it_at_once(app, console_pages, organiser,
                                                                                    volunteer):
    member, _ = volunteer
    made = organiser.post("/api/v1/tokens", {"role": "volunteer", "name": "小程序", "member_id": member["id"]},
                          expect=201).json
    program = Client(app, made["token"])
    balance = f"/api/v1/members/{member['id']}/balance"
    assert program.get(balance).status_code == 200
    page = text(console_pages.get("/console/tokens"))
    row = page[page.index(f'id="token-{made["id"]}"'):]
    row = row[:row.index("</tr>")]
    assert "小程序" in row and "程序令牌" in row and "2027-11-23 20:00" in row and "吊销" in row
    answer = console_pages.submit("/console/tokens", f"/console/tokens/{made['id']}/revoke")
    assert answer.status_code == 303
    assert program.get(balance).status_code == 401
    after = text(console_pages.get("/console/tokens"))
    assert "已吊销 小程序" in after and f'id="token-{made["id"]}"' not in after


def test_an_organiser_cannot_see_or_revoke_a_token_outside_their_reach(app, console_pages, admin):
    admin_token = next(item for item in admin.get("/api/v1/tokens").json["items"] if item["role"] == "admin")
    assert f'id="token-{admin_token["id"]}"' not in text(console_pages.get("/console/tokens"))
    refused = console_pages.submit("/console/tokens", f"/console/tokens/{admin_token['id']}/revoke")
    assert refused.status_code == 404
    assert admin.get("/api/v1/tokens").status_code == 200  # the admin's token still works
