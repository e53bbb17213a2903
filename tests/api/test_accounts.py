"""Staff sign in like volunteers; sign-in tokens expire; logout, revocation and disabling take effect at once."""
from api.identity.accounts import create_staff, get_staff, sign_in
from api.identity.credentials import change_password, disable_account
from tests.helpers import Client


def make_staff(app, clock, **kwargs):
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        return create_staff(session, password="password1", now=clock.now(), **kwargs).id


def login(app, phone, password="password1"):
    return app.test_client().post("/api/v1/auth/login", json={"phone": phone, "password": password})


def test_an_organiser_signs_in_with_phone_and_password_and_gets_their_role(app, clock, community):
    make_staff(app, clock, role="organiser", name="民警", phone="13700000001", community_id=community["id"])
    answer = login(app, "13700000001")
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["role"], body["community_id"], body["member_id"]) == ("organiser", community["id"], None)
    assert body["expires_at"].startswith("2026-12-23T20:00")  # 720 hours after the test clock's now
    organiser = Client(app, body["token"])
    assert organiser.get("/api/v1/members", community_id=community["id"]).status_code == 200


def test_a_partner_clerk_signs_in_for_their_partner(app, clock, shop):
    make_staff(app, clock, role="partner", name="店员", phone="13700000002", partner_id=shop["barber"]["id"])
    body = login(app, "13700000002").get_json()
    assert (body["role"], body["partner_id"]) == ("partner", shop["barber"]["id"])


def test_a_volunteer_login_still_answers_member_id(app, volunteer):
    member, _ = volunteer
    body = login(app, member["phone"], "secret123").get_json()
    assert (body["role"], body["member_id"]) == ("volunteer", member["id"])


def test_a_wrong_password_and_an_unknown_phone_get_the_same_401(app, clock, community):
    make_staff(app, clock, role="organiser", name="民警", phone="13700000001", community_id=community["id"])
    wrong, unknown = login(app, "13700000001", "nope-nope"), login(app, "13799999999", "nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["message"] == unknown.get_json()["message"]


def test_a_sign_in_token_is_refused_once_it_has_expired(app, clock, volunteer):
    member, _ = volunteer
    token = Client(app, login(app, member["phone"], "secret123").get_json()["token"])
    assert token.get(f"/api/v1/members/{member['id']}/balance").status_code == 200
    clock.advance(hours=721)
    assert token.get(f"/api/v1/members/{member['id']}/balance").status_code == 401


def test_logout_revokes_the_callers_own_token_at_once(app, volunteer):
    member, _ = volunteer
    token = Client(app, login(app, member["phone"], "secret123").get_json()["token"])
    assert token.post("/api/v1/auth/logout").status_code == 204
    assert token.get(f"/api/v1/members/{member['id']}/balance").status_code == 401


def test_a_disabled_accounts_tokens_are_refused_at_once(app, clock, community):
    staff_id = make_staff(app, clock, role="organiser", name="民警", phone="13700000001", community_id=community["id"])
    token = Client(app, login(app, "13700000001").get_json()["token"])
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        disable_account(session, get_staff(session, staff_id), now=clock.now())
    assert token.get("/api/v1/members", community_id=community["id"]).status_code == 401
    refused = login(app, "13700000001")  # the right password: told the account is disabled (issue 24)
    assert (refused.status_code, refused.get_json()["code"]) == (403, "forbidden")


def test_a_password_change_ends_sign_in_tokens_but_not_issued_api_tokens(app, clock, volunteer):
    member, issued = volunteer
    token = Client(app, login(app, member["phone"], "secret123").get_json()["token"])
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        person = sign_in(session, phone=member["phone"], password="secret123")
        change_password(session, person, password="a-new-password", now=clock.now())
    assert token.get(f"/api/v1/members/{member['id']}/balance").status_code == 401
    assert issued.get(f"/api/v1/members/{member['id']}/balance").status_code == 200
    assert login(app, member["phone"], "a-new-password").status_code == 200


def test_admins_list_and_revoke_tokens_and_a_revoked_token_gets_401(app, admin, volunteer):
    member, issued = volunteer
    listed = admin.get("/api/v1/tokens").json["items"]
    mine = next(item for item in listed if item["member_id"] == member["id"])
    assert "token" not in mine and "token_hash" not in mine
    assert admin.delete(f"/api/v1/tokens/{mine['id']}").status_code == 204
    assert issued.get(f"/api/v1/members/{member['id']}/balance").status_code == 401
    assert all(item["id"] != mine["id"] for item in admin.get("/api/v1/tokens").json["items"])


def test_organisers_see_and_revoke_only_their_communitys_volunteer_and_partner_tokens(app, admin, organiser,
                                                                                      volunteer, shop):
    other = admin.post("/api/v1/communities", {"name": "别的社区", "code": "other"}).json
    stranger = admin.post("/api/v1/members", {"name": "外人", "phone": "13600000001",
                                              "community_id": other["id"]}).json
    foreign = admin.post("/api/v1/tokens", {"role": "volunteer", "name": "x", "member_id": stranger["id"]}).json
    listed = organiser.get("/api/v1/tokens").json["items"]
    roles = {item["role"] for item in listed}
    assert roles == {"volunteer", "partner"}
    assert foreign["id"] not in {item["id"] for item in listed}
    assert organiser.delete(f"/api/v1/tokens/{foreign['id']}").status_code == 404
    admin_token = next(item for item in admin.get("/api/v1/tokens").json["items"] if item["role"] == "admin")
    assert organiser.delete(f"/api/v1/tokens/{admin_token['id']}").status_code == 404
    volunteer_token = next(item for item in listed if item["role"] == "volunteer")
    assert organiser.delete(f"/api/v1/tokens/{volunteer_token['id']}").status_code == 204


def test_volunteers_and_partners_may_not_manage_tokens(volunteer, shop):
    _, phone = volunteer
    assert phone.get("/api/v1/tokens").status_code == 403
    assert shop["barber_clerk"].delete("/api/v1/tokens/1").status_code == 403


def test_a_staff_phone_cannot_also_be_a_volunteers(app, clock, volunteer, community):
    import pytest

    from points.errors import Conflict
    member, _ = volunteer
    with pytest.raises(Conflict):
        make_staff(app, clock, role="organiser", name="x", phone=member["phone"], community_id=community["id"])


def test_an_issued_token_lives_a_year_by_default_shows_when_it_ends_and_then_gets_401(app, admin, volunteer, clock):
    member, _ = volunteer
    made = admin.post("/api/v1/tokens", {"role": "volunteer", "name": "小程序", "member_id": member["id"]},
                      expect=201).json
    assert made["expires_at"].startswith("2027-11-23T20:00")  # 365 days after the test clock's now
    listed = next(item for item in admin.get("/api/v1/tokens").json["items"] if item["id"] == made["id"])
    assert listed["expires_at"] == made["expires_at"]
    program = Client(app, made["token"])
    clock.advance(days=365, seconds=-1)
    assert program.get(f"/api/v1/members/{member['id']}/balance").status_code == 200
    clock.advance(seconds=2)
    assert program.get(f"/api/v1/members/{member['id']}/balance").status_code == 401
    assert made["id"] not in {item["id"] for item in admin.get("/api/v1/tokens").json["items"]}


def test_a_token_takes_its_lifetime_in_seconds_and_the_default_is_a_setting(app, admin, shop, clock):
    partner = {"role": "partner", "name": "收银机", "partner_id": shop["barber"]["id"]}
    hour = admin.post("/api/v1/tokens", {**partner, "expires_in": 3600}, expect=201).json
    assert hour["expires_at"].startswith("2026-11-23T21:00")
    app.config["API_TOKEN_DAYS"] = 30
    month = admin.post("/api/v1/tokens", partner, expect=201).json
    assert month["expires_at"].startswith("2026-12-23T20:00")
    clock.advance(seconds=3601)
    assert Client(app, hour["token"]).get(f"/api/v1/partners/{shop['barber']['id']}/settlement").status_code == 401
    assert Client(app, month["token"]).get(f"/api/v1/partners/{shop['barber']['id']}/settlement").status_code == 200
    for wrong in (0, -5, "soon", 10 * 366 * 24 * 3600 + 1):
        answer = admin.post("/api/v1/tokens", {**partner, "expires_in": wrong})
        assert answer.status_code == 422 and "expires_in" in answer.json["errors"], (wrong, answer.json)
