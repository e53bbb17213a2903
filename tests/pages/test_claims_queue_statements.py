"""The claims queue (the console's page and `GET /claims?status=pending`) sends the same number of
statements whatever the number of claims it shows: members, their last entries and claims, and the
tips' photos are read for the whole page at once, not claim by claim."""
import io

import pytest
from PIL import Image

from ..api.test_statement_counts import traffic
from ..api.test_tip_photos import police  # noqa: F401 (a fixture: an organiser's token that sees tips)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#3a7").save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def tipster(app, organiser, rules, enrol):
    """A new member with an approved tip (an entry in their history) and a pending tip with a photo."""
    def tipster(n: int):
        member, phone = enrol(name=f"线索人{n}")
        earlier = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": f"第{n}条"}, expect=201).json
        organiser.post(f"/api/v1/claims/{earlier['id']}/approve", {}, expect=200)
        data = {"rule_code": "rental_tip", "description": f"出租屋线索{n}", "photo": [(io.BytesIO(_jpeg()), "tip.jpg")]}
        sent = app.test_client().post("/api/v1/claims", data=data, headers=phone.headers(),
                                      content_type="multipart/form-data")
        assert sent.status_code == 201, sent.get_data(as_text=True)
        return sent.json
    return tipster


def _statements(app, ask) -> tuple[int, str]:
    ask()  # once to warm whatever is loaded once
    with traffic(app) as seen:
        body = ask()
    return len(seen.statements), body


def test_the_queue_page_costs_as_many_statements_for_two_tips_as_for_six(app, police_pages, tipster):
    def queue():
        response = police_pages.get("/console/claims")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    tips = [tipster(n) for n in range(2)]
    few, page = _statements(app, queue)
    assert page.count('data-testid="claim"') == 2 and page.count('data-testid="photos"') == 2
    tips += [tipster(n) for n in range(2, 6)]
    many, page = _statements(app, queue)
    assert page.count('data-testid="claim"') == 6 and page.count('data-testid="photos"') == 6
    assert all(f"出租屋线索{n}" in page and f"线索人{n}" in page for n in range(6))
    assert "+50" in page  # each tipster's approved tip, in their recent entries
    assert many == few, f"{few} statements for 2 tips, {many} for 6"


def test_the_pending_claims_api_costs_as_many_statements_for_two_as_for_six(app, police, tipster):  # noqa: F811
    def queue():
        response = police.get("/api/v1/claims", status="pending")
        assert response.status_code == 200
        return response.json

    [tipster(n) for n in range(2)]
    few, found = _statements(app, queue)
    assert len(found["items"]) == 2
    [tipster(n) for n in range(2, 6)]
    many, found = _statements(app, queue)
    assert len(found["items"]) == 6 and all(len(item["photos"]) == 1 for item in found["items"])
    assert many == few, f"{few} statements for 2 claims, {many} for 6"
