"""Four roles: admin sees all; an organiser one community; a volunteer only themself."""
import pytest

from ..helpers import Client
from .test_errors import assert_error


@pytest.fixture
def other_community(admin, app, clock):
    from ..conftest import _token
    community = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}).json
    organiser = Client(app, _token(app, clock, role="organiser", name="保利 网格员", community_id=community["id"]))
    member = organiser.post("/api/v1/members", {"name": "张三", "phone": "13912345678",
                                                "community_id": community["id"]}).json
    organiser.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 50, "basis": "per_event"})
    return community, organiser, member


def test_an_organiser_sees_nothing_of_another_community(organiser, other_community, volunteer):
    community, _, stranger = other_community
    assert_error(organiser.get(f"/api/v1/members/{stranger['id']}"), 404, "not_found")
    assert_error(organiser.get(f"/api/v1/members/{stranger['id']}/entries"), 404, "not_found")
    assert_error(organiser.post("/api/v1/awards", {"member_id": stranger["id"], "rule_code": "patrol"}),
                 404, "not_found")
    assert_error(organiser.get("/api/v1/members", community_id=community["id"]), 403, "forbidden")
    assert_error(organiser.post("/api/v1/members", {"name": "x", "phone": "13700000000",
                                                    "community_id": community["id"]}), 403, "forbidden")
    listed = organiser.get("/api/v1/members").json["items"]
    assert [m["id"] for m in listed] == [volunteer[0]["id"]]


def test_a_volunteer_sees_only_themself(enrol):
    (me, phone), (other, _) = enrol(), enrol(name="王秀英")
    assert phone.get(f"/api/v1/members/{me['id']}/balance").status_code == 200
    assert_error(phone.get(f"/api/v1/members/{other['id']}/balance"), 404, "not_found")
    assert_error(phone.get("/api/v1/members"), 403, "forbidden")
    assert_error(phone.post("/api/v1/awards", {"member_id": me["id"], "rule_code": "patrol"}), 403, "forbidden")


def test_a_volunteer_cannot_claim_for_someone_else(enrol, rules):
    (_, phone), (other, _) = enrol(), enrol(name="王秀英")
    response = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "线索",
                                             "member_id": other["id"]})
    assert_error(response, 404, "not_found")


def test_organisers_name_the_member_a_claim_or_redemption_is_for(organiser, volunteer, rules, shop):
    response = organiser.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "线索"})
    assert_error(response, 422, "validation_error")
    assert list(response.json["errors"]) == ["member_id"]
    response = organiser.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]})
    assert_error(response, 422, "validation_error")
    assert list(response.json["errors"]) == ["member_id"]


def test_only_admins_found_communities(organiser):
    assert_error(organiser.post("/api/v1/communities", {"name": "x", "code": "x"}), 403, "forbidden")


def test_organisers_issue_volunteer_tokens_but_not_admin_ones(organiser, volunteer, app):
    member, _ = volunteer
    assert_error(organiser.post("/api/v1/tokens", {"role": "admin", "name": "sneaky"}), 403, "forbidden")
    issued = organiser.post("/api/v1/tokens", {"role": "volunteer", "name": "陈元龙的手机",
                                               "member_id": member["id"]}, expect=201).json
    assert Client(app, issued["token"]).get(f"/api/v1/members/{member['id']}").status_code == 200


def test_login_gives_a_volunteer_token_and_wrong_passwords_get_401(app, volunteer):
    member, _ = volunteer
    client = app.test_client()
    good = client.post("/api/v1/auth/login", json={"phone": member["phone"], "password": "secret123"})
    assert good.status_code == 200 and good.json["member_id"] == member["id"]
    assert Client(app, good.json["token"]).get(f"/api/v1/members/{member['id']}/balance").status_code == 200
    assert_error(client.post("/api/v1/auth/login", json={"phone": member["phone"], "password": "wrong!!"}),
                 401, "unauthorized")
    assert_error(client.post("/api/v1/auth/login", json={"phone": "10000000000", "password": "secret123"}),
                 401, "unauthorized")


def test_tokens_are_stored_hashed(session, admin):
    from sqlalchemy import select

    from api.identity.tokens import ApiToken
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert admin.token not in stored and len(stored[0]) == 64
