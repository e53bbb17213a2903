"""/docs works with no internet: Swagger UI comes from the package, and the document shows auth."""
import re


def test_docs_load_swagger_ui_from_this_service_only(app):
    client = app.test_client()
    page = client.get("/docs").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/static/vendor/swagger-ui/") for source in sources), sources
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200 and len(response.data) > 10_000, source
    assert client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
    assert '"validatorUrl": null' in page  # else Swagger UI fetches a badge from validator.swagger.io


def test_each_guarded_operation_documents_bearer_auth_401_and_403(app):
    spec = app.test_client().get("/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    awards = spec["paths"]["/api/v1/awards"]["post"]
    assert awards["security"] == [{"bearerAuth": []}] and awards["x-benniu-roles"] == ["admin", "organiser"]
    assert {"401", "403"} <= set(awards["responses"])
    assert spec["paths"]["/healthz"]["get"]["security"] == []
