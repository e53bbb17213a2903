"""The OpenAPI document describes every endpoint with its /api/v1 path."""
import re


def test_openapi_lists_every_route_of_the_app(app):
    spec = app.test_client().get("/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method in ("get", "post", "put", "patch", "delete")}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api-docs", "static", "site.", "volunteer.", "venue.", "counter.", "console.",
                                     "sms_login.", "joining.")) or rule.rule == "/openapi.json":
            continue
        path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
        served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served and served <= documented
    assert "/api/v1/members/{member_id}/entries" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_docs_page_is_served(app):
    response = app.test_client().get("/docs")
    assert response.status_code == 200 and b"swagger" in response.data.lower()


OPERATIONS = ("get", "post", "put", "patch", "delete")


def spec_of(app) -> dict:
    return app.test_client().get("/openapi.json").get_json()


def operations(spec):
    return [(path, method, operation) for path, ops in spec["paths"].items() for method, operation in ops.items()
            if method in OPERATIONS]


def test_the_title_is_ascii_for_client_packages_and_the_chinese_is_in_the_description(app):
    info = spec_of(app)["info"]
    assert info["title"].isascii() and info["title"] == "Benniu API"
    assert "犇牛" in info["description"] and "积分超市" in info["description"]


def test_every_operation_has_a_unique_snake_case_id_from_its_endpoint(app):
    from api.http.smorest import operation_id

    ids = {(path, method): operation["operationId"] for path, method, operation in operations(spec_of(app))}
    assert len(set(ids.values())) == len(ids)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", value) for value in ids.values())
    assert ids[("/api/v1/awards", "post")] == operation_id("awards.create_award") == "awards_create_award"
    assert ids[("/api/v1/redemptions/{redemption_id}/voucher.png", "get")] == "redemptions_voucher_png"


def test_idempotency_key_is_documented_exactly_where_it_is_honoured(app):
    from api.http.idempotency import honours_idempotency_key

    headed = {(path, method) for path, method, operation in operations(spec_of(app))
              if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))}
    honoured = set()
    for rule in app.url_map.iter_rules():
        if honours_idempotency_key(app.view_functions[rule.endpoint]):
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
            honoured |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert ("/api/v1/awards", "post") in headed and ("/api/v1/redemptions/fulfil", "post") in headed
    assert ("/api/v1/tokens", "post") not in headed and len(headed) >= 10
    assert headed == honoured


def test_closed_values_are_enums(app):
    from api.acts.exports import SHEETS
    from api.identity.principal import ROLES
    from rewards.kinds import CODES as KINDS
    from rewards.redemptions import STATUSES

    spec = spec_of(app)
    what = next(p for p in spec["paths"]["/api/v1/exports/{what}"]["get"].get("parameters", [])
                + spec["paths"]["/api/v1/exports/{what}"].get("parameters", []) if p["name"] == "what")
    assert sorted(what["schema"]["enum"]) == sorted(SHEETS)
    schemas = spec["components"]["schemas"]
    assert schemas["Token"]["properties"]["role"]["enum"] == list(ROLES)
    assert schemas["TokenArgs"]["properties"]["role"]["enum"] == list(ROLES)
    assert schemas["Redemption"]["properties"]["status"]["enum"] == list(STATUSES)
    assert schemas["Reward"]["properties"]["kind"]["enum"] == list(KINDS)


def test_each_image_operation_declares_one_media_type_and_every_file_is_binary(app):
    spec = spec_of(app)
    images = [(path, operation) for path, _, operation in operations(spec) if path.endswith((".png", ".svg"))]
    assert len(images) == 8  # card, qr and voucher as PNG and SVG; the live screen's SVG; the join poster's PNG
    for path, operation in images:
        content = operation["responses"]["200"]["content"]
        assert list(content) == ["image/png" if path.endswith(".png") else "image/svg+xml"], path
    for path, _, operation in operations(spec):
        for status, answer in operation["responses"].items():
            for media_type, body in answer.get("content", {}).items():
                if media_type != "application/json":
                    assert body["schema"] == {"type": "string", "format": "binary", **(
                        {"description": body["schema"]["description"]} if "description" in body["schema"] else {})}, \
                        (path, status, media_type)


def test_the_old_image_addresses_still_answer_each_with_its_type(organiser, volunteer):
    member, _ = volunteer
    png = organiser.get(f"/api/v1/members/{member['id']}/card.png")
    svg = organiser.get(f"/api/v1/members/{member['id']}/card.svg")
    assert png.status_code == svg.status_code == 200
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_the_main_bodies_carry_examples_their_own_schemas_accept(app):
    from api.resources import awards, members, redemptions, tokens

    spec = spec_of(app)
    for path, schema in (("/api/v1/awards", awards.AwardArgsSchema()), ("/api/v1/members", members.MemberArgsSchema()),
                         ("/api/v1/redemptions", redemptions.RedemptionArgsSchema()),
                         ("/api/v1/tokens", tokens.TokenArgsSchema()),
                         ("/api/v1/redemptions/fulfil", redemptions.FulfilArgsSchema())):
        example = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"]
        assert schema.validate(example) == {}, path
