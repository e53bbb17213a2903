"""Everyone can get in: activation codes for members without a password, temporary passwords
changed first, and residents joining by themselves — through the API, on either database."""
from datetime import timedelta

import pytest

from api.acts.members import reset_password
from api.identity.principal import Principal
from points.audit import audit_trail

from ..helpers import Client, at_once, decode_qr


def error_code(response) -> str:
    return response.get_json()["code"]


def sign_in(app, phone, password):
    return app.test_client().post("/api/v1/auth/login", json={"phone": phone, "password": password})


@pytest.fixture
def roster(enrol):
    """Three members imported without a password (two of team A), and one who has a password."""
    return {"a1": enrol(name="王一", team="A队", password=None)[0], "a2": enrol(name="王二", team="A队", password=None)[0],
            "b1": enrol(name="李三", team="B队", password=None)[0], "has": enrol(name="赵四", team="A队")[0]}


def actions(app, **where) -> list[str]:
    with app.extensions["benniu"].sessionmaker() as session:
        return [entry.action for entry in audit_trail(session, **where)]


# Activation codes ------------------------------------------------------------------------------

def test_an_organiser_prints_codes_for_members_without_a_password_and_each_signs_in_once(app, organiser, community,
                                                                                         roster):
    slips = organiser.post(f"/api/v1/communities/{community['id']}/activations", {}, expect=201).json["items"]
    assert sorted(slip["name"] for slip in slips) == ["李三", "王一", "王二"]  # 赵四 has a password
    slip = next(slip for slip in slips if slip["member_id"] == roster["a1"]["id"])
    assert slip["url"] == f"https://benniu.test/activate/{slip['code']}" and len(slip["code"]) == 10
    assert slip["expires_at"] == "2026-12-23T20:00:00+08:00"  # BENNIU_ACTIVATION_DAYS: 30
    signed_in = app.test_client().post("/api/v1/auth/activate", json={"code": slip["code"].lower(),
                                                                       "password": "wang-yi-2026"})
    assert signed_in.status_code == 200 and signed_in.json["member_id"] == roster["a1"]["id"]
    assert signed_in.json["must_change_password"] is False
    assert Client(app, signed_in.json["token"]).get(f"/api/v1/members/{roster['a1']['id']}/balance").status_code == 200
    assert sign_in(app, roster["a1"]["phone"], "wang-yi-2026").status_code == 200
    again = app.test_client().post("/api/v1/auth/activate", json={"code": slip["code"], "password": "other-pass-1"})
    assert (again.status_code, error_code(again)) == (409, "already_used")
    assert sign_in(app, roster["a1"]["phone"], "other-pass-1").status_code == 401
    assert actions(app, member_id=roster["a1"]["id"]) == ["member_activated", "member_added"]
    assert actions(app, community_id=community["id"], action="activation_issued") == ["activation_issued"]


def test_a_team_or_named_members_get_codes_and_an_earlier_slip_stops_working(app, organiser, community, roster):
    path = f"/api/v1/communities/{community['id']}/activations"
    first = organiser.post(path, {"team": "A队"}, expect=201).json["items"]
    assert sorted(slip["name"] for slip in first) == ["王一", "王二"]
    [reprinted] = organiser.post(path, {"member_ids": [roster["a2"]["id"], roster["has"]["id"]]}, expect=201).json["items"]
    old = next(slip for slip in first if slip["member_id"] == roster["a2"]["id"])
    refused = app.test_client().post("/api/v1/auth/activate", json={"code": old["code"], "password": "password-22"})
    assert (refused.status_code, error_code(refused)) == (410, "code_expired")
    assert app.test_client().post("/api/v1/auth/activate", json={"code": reprinted["code"],
                                                                  "password": "password-22"}).status_code == 200


def test_unknown_expired_and_short_passwords_are_refused_in_the_contracts_words(app, clock, organiser, community,
                                                                              roster):
    [slip] = organiser.post(f"/api/v1/communities/{community['id']}/activations",
                            {"member_ids": [roster["b1"]["id"]]}, expect=201).json["items"]
    client = app.test_client()
    unknown = client.post("/api/v1/auth/activate", json={"code": "ABCDEFGHJK", "password": "password-1"})
    assert (unknown.status_code, error_code(unknown)) == (404, "not_found")
    short = client.post("/api/v1/auth/activate", json={"code": slip["code"], "password": "short"})
    assert short.status_code == 422
    clock.advance(days=30)
    expired = client.post("/api/v1/auth/activate", json={"code": slip["code"], "password": "password-1"})
    assert (expired.status_code, error_code(expired)) == (410, "code_expired")


def test_two_phones_using_one_code_at_the_same_moment_set_one_password(app, organiser, community, roster):
    [slip] = organiser.post(f"/api/v1/communities/{community['id']}/activations",
                            {"member_ids": [roster["a1"]["id"]]}, expect=201).json["items"]
    answers = at_once([lambda password=password: app.test_client().post(
        "/api/v1/auth/activate", json={"code": slip["code"], "password": password}).status_code
        for password in ("first-pass-1", "second-pass-2")])
    assert sorted(answers) == [200, 409]
    assert [sign_in(app, roster["a1"]["phone"], password).status_code
            for password in ("first-pass-1", "second-pass-2")].count(200) == 1


def test_activation_codes_are_kept_only_as_hashes(app, organiser, community, roster, session):
    from api.identity.activation import ActivationCode
    [slip] = organiser.post(f"/api/v1/communities/{community['id']}/activations",
                            {"member_ids": [roster["a1"]["id"]]}, expect=201).json["items"]
    stored = session.query(ActivationCode).one()
    assert slip["code"] not in stored.code_hash and len(stored.code_hash) == 64


# Temporary passwords -----------------------------------------------------------------------------

@pytest.fixture
def reset_member(app, clock, community):
    """An organiser resets a member's password (a temporary one)."""
    def reset(member_id: int, password: str):
        organiser = Principal(1, "organiser", "罗塘派出所 民警", community["id"])
        with app.extensions["benniu"].sessionmaker() as session, session.begin():
            reset_password(session, organiser, member_id=member_id, password=password, now=clock.now())
    return reset


def test_a_temporary_password_signs_in_only_to_change_it(app, volunteer, reset_member):
    member, _ = volunteer
    reset_member(member["id"], "temp-pass-1")
    signed_in = sign_in(app, member["phone"], "temp-pass-1")
    assert signed_in.status_code == 200 and signed_in.json["must_change_password"] is True
    phone = Client(app, signed_in.json["token"])
    for refused in (phone.get(f"/api/v1/members/{member['id']}/balance"), phone.post("/api/v1/claims", {})):
        assert (refused.status_code, error_code(refused)) == (403, "password_change_required")
    wrong = phone.post("/api/v1/auth/password", {"old_password": "not-it-123", "new_password": "mine-now-1"})
    assert wrong.status_code == 422 and error_code(wrong) == "validation_error"
    assert phone.post("/api/v1/auth/password", {"old_password": "temp-pass-1", "new_password": "mine-now-1"},
                      expect=204)
    assert phone.get(f"/api/v1/members/{member['id']}/balance").status_code == 200  # the same token, freed
    again = sign_in(app, member["phone"], "mine-now-1")
    assert again.status_code == 200 and again.json["must_change_password"] is False
    assert sign_in(app, member["phone"], "temp-pass-1").status_code == 401
    assert actions(app, member_id=member["id"])[:2] == ["password_changed", "password_reset"]


def test_a_temporary_password_may_sign_out(app, volunteer, reset_member):
    member, _ = volunteer
    reset_member(member["id"], "temp-pass-1")
    phone = Client(app, sign_in(app, member["phone"], "temp-pass-1").json["token"])
    assert phone.post("/api/v1/auth/logout", {}).status_code == 204
    assert phone.post("/api/v1/auth/password", {"old_password": "temp-pass-1",
                                                "new_password": "mine-now-1"}).status_code == 401


def test_changing_ones_own_password_ends_the_other_sign_ins(app, volunteer):
    member, _ = volunteer
    first, second = (Client(app, sign_in(app, member["phone"], "secret123").json["token"]) for _ in range(2))
    assert first.post("/api/v1/auth/password", {"old_password": "secret123", "new_password": "new-secret-1"},
                      expect=204)
    assert first.get(f"/api/v1/members/{member['id']}/balance").status_code == 200
    assert second.get(f"/api/v1/members/{member['id']}/balance").status_code == 401


# Joining -----------------------------------------------------------------------------------------

def test_a_resident_applies_is_approved_and_signs_in_with_the_password_they_chose(app, organiser, community):
    filed = app.test_client().post(f"/api/v1/communities/{community['id']}/applications", json={
        "name": "孙小美", "phone": "+86 135-1234-5678", "password": "sun-xiaomei", "team": "巡逻一队"})
    assert filed.status_code == 201 and filed.json["status"] == "pending"
    assert sign_in(app, "13512345678", "sun-xiaomei").status_code == 401  # not before approval
    [listed] = organiser.get("/api/v1/applications", status="pending").json["items"]
    assert (listed["id"], listed["phone"], listed["team"]) == (filed.json["id"], "13512345678", "巡逻一队")
    assert "password" not in listed and "password_hash" not in listed
    approved = organiser.post(f"/api/v1/applications/{filed.json['id']}/approve", expect=201).json
    signed_in = sign_in(app, "13512345678", "sun-xiaomei")
    assert signed_in.status_code == 200 and signed_in.json["member_id"] == approved["member_id"]
    assert signed_in.json["must_change_password"] is False
    twice = organiser.post(f"/api/v1/applications/{filed.json['id']}/approve")
    assert (twice.status_code, error_code(twice)) == (409, "already_reviewed")
    assert organiser.get("/api/v1/applications", status="pending").json["items"] == []
    assert actions(app, community_id=community["id"])[:2] == ["application_approved", "application_filed"]


def test_a_member_or_staff_phone_cannot_apply_and_a_rejection_says_why(app, organiser, community, volunteer, staff):
    member, _ = volunteer
    path = f"/api/v1/communities/{community['id']}/applications"
    for phone in (member["phone"], staff("organiser")):
        taken = app.test_client().post(path, json={"name": "重复", "phone": phone, "password": "password-1"})
        assert (taken.status_code, error_code(taken)) == (409, "conflict")
    filed = app.test_client().post(path, json={"name": "周五", "phone": "13611112222", "password": "password-1"}).json
    twice = app.test_client().post(path, json={"name": "周五", "phone": "13611112222", "password": "password-1"})
    assert (twice.status_code, error_code(twice)) == (409, "conflict")
    rejected = organiser.post(f"/api/v1/applications/{filed['id']}/reject", {"reason": "不是本社区居民"}, expect=200).json
    assert (rejected["status"], rejected["reason"]) == ("rejected", "不是本社区居民")
    assert organiser.get("/api/v1/applications", status="rejected").json["items"][0]["id"] == filed["id"]
    assert sign_in(app, "13611112222", "password-1").status_code == 401
    unknown = app.test_client().post("/api/v1/communities/999/applications",
                                     json={"name": "x", "phone": "13611113333", "password": "password-1"})
    assert unknown.status_code == 404


def test_two_organisers_deciding_one_application_at_once_decide_it_once(app, organiser, community):
    filed = app.test_client().post(f"/api/v1/communities/{community['id']}/applications", json={
        "name": "孙小美", "phone": "13512345678", "password": "sun-xiaomei"}).json
    answers = at_once([lambda: organiser.post(f"/api/v1/applications/{filed['id']}/approve").status_code,
                       lambda: organiser.post(f"/api/v1/applications/{filed['id']}/reject",
                                              {"reason": "重复"}).status_code])
    assert sorted(answers) in ([200, 409], [201, 409])
    assert len([action for action in actions(app, community_id=community["id"])
                if action in ("application_approved", "application_rejected")]) == 1


def test_the_join_poster_leads_to_the_communitys_join_page(app, organiser, community):
    poster = organiser.get(f"/api/v1/communities/{community['id']}/join.png")
    assert poster.status_code == 200 and poster.mimetype == "image/png"
    assert decode_qr(poster.data) == "https://benniu.test/join/zhenyu"
    assert app.test_client().get("/join/zhenyu").status_code == 200


def test_applications_and_missed_activation_codes_are_limited_per_address(database_url, clock, tmp_path, community):
    from .test_limits import limited_app
    limited = limited_app(database_url, clock, tmp_path / "limited", JOIN_RATE_LIMIT="3 per hour")
    applied = [limited.test_client().post(f"/api/v1/communities/{community['id']}/applications", json={
        "name": "x", "phone": f"1361111000{n}", "password": "password-1"}).status_code for n in range(4)]
    assert applied == [201, 201, 201, 429]
    guesses = [limited.test_client().post("/api/v1/auth/activate", json={"code": f"GUESS{n}", "password": "password-1"},
                                          environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code for n in range(4)]
    assert guesses == [404, 404, 404, 429]  # LOGIN_ADDRESS_RATE_LIMIT: 3 per minute here


def test_activation_and_expiry_figures_come_from_the_setting(app, organiser, community, roster, clock):
    app.config["ACTIVATION_DAYS"] = 2
    [slip] = organiser.post(f"/api/v1/communities/{community['id']}/activations",
                            {"member_ids": [roster["a1"]["id"]]}, expect=201).json["items"]
    assert slip["expires_at"] == (clock.now() + timedelta(days=2)).isoformat()
