"""The OpenAPI document describes every endpoint with its /api/v1 path."""
import re


def test_openapi_lists_every_route_of_the_app(app):
    spec = app.test_client().get("/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method in ("get", "post", "put", "patch", "delete")}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api-docs", "static", "site.", "volunteer.", "venue.", "counter.", "console.")) or rule.rule == "/openapi.json":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served and served <= documented
    assert "/api/v1/members/{member_id}/entries" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_docs_page_is_served(app):
    response = app.test_client().get("/docs")
    assert response.status_code == 200 and b"swagger" in response.data.lower()
