"""Every operation of /openapi.json crossed with every role and with another community's and
partner's ids: 401 without a token, 403 for a role the operation does not allow, 403/404 for
what belongs to someone else. The table is the document itself: a new operation without a
declared policy fails here."""
import re
from datetime import timedelta

import pytest

from ..helpers import Client

ROLES = ("admin", "organiser", "partner", "volunteer")
ID_PARAMS = {"member_id", "activity_id", "checkin_id", "claim_id", "transfer_id", "reward_id", "redemption_id",
             "partner_id", "community_id", "notice_id", "token_id", "message_id", "application_id"}


@pytest.fixture
def world(app, clock, admin, community, organiser, volunteer, rules, shop):
    """Community A (the fixtures) and community B with one of everything, and a partner of B's alone."""
    from ..conftest import _token
    b = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    b_organiser = Client(app, _token(app, clock, role="organiser", name="保利 民警", community_id=b["id"]))
    b_organiser.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 50, "basis": "per_event"},
                     expect=201)
    b_organiser.post("/api/v1/rules", {"code": "rental_tip", "name": "线索", "points": 50, "basis": "per_event",
                                       "requires_review": True}, expect=201)
    member = b_organiser.post("/api/v1/members", {"name": "张三", "phone": "13912345678",
                                                  "community_id": b["id"]}, expect=201).json
    b_phone = Client(app, _token(app, clock, role="volunteer", name="张三", member_id=member["id"]))
    award = b_organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201).json
    start = clock.now()
    activity = b_organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "夜巡", "community_id": b["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    checkin = b_phone.post("/api/v1/checkins", {"code": activity["checkin_url"]}, expect=201).json
    claim = b_phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "出租房"}, expect=201).json
    partner = b_organiser.post("/api/v1/partners", {"name": "保利理发", "kind": "shop", "community_ids": [b["id"]]},
                               expect=201).json
    reward = b_organiser.post("/api/v1/rewards", {"name": "理发", "kind": "service", "cost": 50,
                                                  "community_id": b["id"], "partner_id": partner["id"]},
                              expect=201).json
    redemption = b_phone.post("/api/v1/redemptions", {"reward_id": reward["id"]}, expect=201).json
    b_organiser.post("/api/v1/rules", {"code": "deed", "name": "见义勇为", "points": 100, "basis": "per_event",
                                       "notice_days": 7}, expect=201)
    b_organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "deed"}, expect=201)
    [notice] = app.test_client().get("/api/v1/notices", query_string={"community_id": b["id"]}).json["items"]
    application = app.test_client().post(f"/api/v1/communities/{b['id']}/applications", json={
        "name": "李申请", "phone": "13912340000", "password": "password-1"}).json
    a_member, a_phone = volunteer
    b_token = next(item["id"] for item in admin.get("/api/v1/tokens", limit=500).json["items"]
                   if item["member_id"] == member["id"])
    return {
        "clients": {"admin": admin, "organiser": organiser, "partner": shop["barber_clerk"], "volunteer": a_phone},
        "a": {"member_id": a_member["id"], "partner_id": shop["barber"]["id"], "reward_id": shop["rice"]["id"],
              "activity_id": 1, "checkin_id": 1, "claim_id": 1, "transfer_id": 1, "redemption_id": 1,
              "token_id": 1, "code": "patrol", "community_id": community["id"], "notice_id": 1, "what": "members",
              "message_id": 1, "application_id": 1, "n": 1},
        "b": {"community_id": b["id"], "member_id": member["id"], "partner_id": partner["id"],
              "reward_id": reward["id"], "activity_id": activity["id"], "checkin_id": checkin["id"],
              "claim_id": claim["id"], "transfer_id": award["transfer_id"], "redemption_id": redemption["id"],
              "voucher_code": redemption["voucher_code"], "checkin_url": activity["checkin_url"],
              "notice_id": notice["entry_id"], "token_id": b_token, "what": "members",
              "message_id": b_phone.get("/api/v1/me/messages").json["items"][0]["id"],
              "application_id": application["id"], "n": 1},
    }


def foreign_bodies(b: dict) -> dict:
    """Operations whose other community's ids travel in the body."""
    return {
        ("post", "/api/v1/tokens"): {"role": "volunteer", "name": "x", "member_id": b["member_id"]},
        ("post", "/api/v1/members"): {"name": "x", "phone": "13700000000", "community_id": b["community_id"]},
        ("post", "/api/v1/rules"): {"code": "x", "name": "x", "points": 1, "basis": "per_event",
                                    "community_id": b["community_id"]},
        ("post", "/api/v1/claims"): {"rule_code": "rental_tip", "description": "x", "member_id": b["member_id"]},
        ("post", "/api/v1/awards"): {"member_id": b["member_id"], "rule_code": "patrol"},
        ("post", "/api/v1/activities"): {"rule_code": "patrol", "title": "x", "community_id": b["community_id"],
                                         "starts_at": "2026-11-23T20:00:00+08:00",
                                         "ends_at": "2026-11-23T22:00:00+08:00"},
        ("post", "/api/v1/checkins"): {"code": b["checkin_url"]},
        ("post", "/api/v1/partners"): {"name": "x", "kind": "shop", "community_ids": [b["community_id"]]},
        ("post", "/api/v1/rewards"): {"name": "x", "kind": "goods", "cost": 1, "community_id": b["community_id"]},
        ("post", "/api/v1/redemptions"): {"reward_id": b["reward_id"], "member_id": b["member_id"]},
        ("post", "/api/v1/redemptions/fulfil"): {"voucher_code": b["voucher_code"]},
    }


# Operations that name nothing of another community: they act on the caller's own scope only
# (their lists are checked for foreign rows below) or are the admin's alone.
OWN_SCOPE_ONLY = {("post", "/api/v1/communities"), ("get", "/api/v1/communities"), ("get", "/api/v1/partners"),
                  ("get", "/api/v1/redemptions"), ("put", "/api/v1/rules/{code}"), ("post", "/api/v1/auth/logout"),
                  ("post", "/api/v1/auth/password")}


def operations(app) -> list[tuple[str, str, dict]]:
    spec = app.test_client().get("/openapi.json").json
    return [(method, path, operation) for path, item in spec["paths"].items()
            for method, operation in item.items() if method in ("get", "post", "put", "patch", "delete")]


def call(client: Client | None, app, method: str, path: str, ids: dict, *, query=None, body=None):
    url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
    headers = client.headers() if client else {}
    return app.test_client().open(url, method=method.upper(), headers=headers, query_string=query or {},
                                  json=body if body is not None else ({} if method != "get" else None))


def policy_failures(app, world) -> list[str]:
    failures = []
    bodies = foreign_bodies(world["b"])
    for method, path, operation in operations(app):
        label = f"{method.upper()} {path}"
        roles = operation.get("x-benniu-roles")
        if roles is None:
            failures.append(f"{label}: declares no roles (use blp.allow or blp.public)")
            continue
        if roles == ["public"]:
            continue
        if operation.get("security") != [{"bearerAuth": []}] or not {"401", "403"} <= set(operation["responses"]):
            failures.append(f"{label}: security, 401 or 403 missing from the document")
        if (status := call(None, app, method, path, world["a"]).status_code) != 401:
            failures.append(f"{label}: no token answered {status}, not 401")
        for role in ROLES:
            client = world["clients"][role]
            if role not in roles:
                if (status := call(client, app, method, path, world["a"]).status_code) != 403:
                    failures.append(f"{label}: {role} answered {status}, not 403")
                continue
            if role == "admin":
                continue
            failures += foreign_failures(app, world, bodies, method, path, operation, role, client)
    return failures


def foreign_failures(app, world, bodies, method, path, operation, role, client) -> list[str]:
    """What a bound role gets when it names another community's or partner's things."""
    label, b, failures, covered = f"{method.upper()} {path} as {role}", world["b"], [], False
    parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
    path_ids = set(re.findall(r"{(\w+)}", path)) & ID_PARAMS
    if path_ids:
        covered = True
        status = call(client, app, method, path, {**world["a"], **b}).status_code
        if status not in (403, 404):
            failures.append(f"{label} with another community's ids: {status}, not 403/404")
    if "community_id" in parameters and role != "partner":
        covered = True
        status = call(client, app, method, path, world["a"], query={"community_id": b["community_id"]}).status_code
        if status != 403:
            failures.append(f"{label}?community_id=<another>: {status}, not 403")
    if (method, path) in bodies:
        covered = True
        status = call(client, app, method, path, world["a"], body=bodies[(method, path)]).status_code
        if status not in (403, 404):
            failures.append(f"{label} naming another community's ids: {status}, not 403/404")
    if method == "get" and not path_ids:
        covered = True
        response = call(client, app, method, path, world["a"])
        foreign = [item for item in (response.get_json() or {}).get("items", []) if _belongs_to_b(item, path, b)]
        if foreign:
            failures.append(f"{label} lists another community's rows: {foreign[:2]}")
    if not covered and (method, path) not in OWN_SCOPE_ONLY:
        failures.append(f"{label}: no cross-community case in the table (add one)")
    return failures


def _belongs_to_b(item: dict, path: str, b: dict) -> bool:
    return (item.get("community_id") == b["community_id"] or b["community_id"] in item.get("community_ids", [])
            or item.get("member_id") == b["member_id"] or item.get("partner_id") == b["partner_id"]
            or (path.endswith("/communities") and item.get("id") == b["community_id"])
            or (path.endswith("/partners") and item.get("id") == b["partner_id"]))


def test_every_operation_answers_every_role_and_other_communities_as_the_contract_says(app, world):
    assert policy_failures(app, world) == []


def test_an_operation_without_a_policy_fails_the_table(app, world, tmp_path, clock):
    from api import create_app
    from api.http.smorest import Blueprint
    fresh = create_app({**app.config}, clock=clock, instance_path=tmp_path / "fresh")
    careless = Blueprint("careless", __name__, url_prefix="/api/v1/careless")

    @careless.route("/<id:member_id>")
    @careless.response(200)
    def leak(member_id):
        """Forgot blp.allow."""
        return {"member_id": member_id}

    fresh.extensions["flask-smorest"]["apis"][""]["ext_obj"].register_blueprint(careless)
    failures = policy_failures(fresh, world)
    assert failures == ["GET /api/v1/careless/{member_id}: declares no roles (use blp.allow or blp.public)"]
