"""The organiser's console through the test client: who may open it, and today at a glance."""


def test_the_console_is_for_organisers_and_admins(pages, console_pages, staff, volunteer_pages):
    assert console_pages.get("/console").status_code == 200
    assert pages().sign_in(staff("admin"), "password1").get("/console").status_code == 200
    refused = volunteer_pages.get("/console")
    assert refused.status_code == 403 and "今日概览" not in refused.get_data(as_text=True)
    assert pages().get("/console").location.startswith("/login?next=/console")


def test_today_counts_the_checkins_claims_and_points_of_the_organisers_community(
        console_pages, organiser, volunteer, rules, other_community):
    member, phone = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3栋502 新租户"}, expect=201)
    _, b_organiser = other_community
    b_organiser.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 70, "basis": "per_event"},
                     expect=201)
    b, _ = other_community
    b_member = b_organiser.post("/api/v1/members", {"name": "张三", "phone": "13912345678",
                                                    "community_id": b["id"]}, expect=201).json
    b_organiser.post("/api/v1/awards", {"member_id": b_member["id"], "rule_code": "patrol"}, expect=201)
    b_organiser.post("/api/v1/claims", {"rule_code": "patrol", "description": "B 的线索", "member_id": b_member["id"]},
                     expect=201)
    html = console_pages.get("/console").get_data(as_text=True)
    assert 'data-testid="issued-month">50<' in html
    assert 'data-testid="claims-waiting">1<' in html
    assert 'data-testid="joined-month">1<' in html


def test_an_organiser_cannot_switch_to_another_community(console_pages, other_community):
    b, _ = other_community
    refused = console_pages.get(f"/console?community_id={b['id']}")
    assert refused.status_code == 403
    assert console_pages.get("/console").status_code == 200  # the refused pick was not remembered


def test_an_admins_form_acts_in_the_community_it_was_opened_for(app, pages, staff, community, other_community):
    b, _ = other_community
    admin = pages().sign_in(staff("admin"), "password1")
    form = admin.hidden(f"/console/members?community_id={community['id']}")  # tab 1: community A's members
    admin.get(f"/console?community_id={b['id']}")  # tab 2: switched to B since
    added = admin.client.post("/console/members", data={**form, "name": "王小明", "phone": "13512345678",
                                                        "password": "password9"})
    assert added.status_code == 303
    with app.extensions["benniu"].sessionmaker() as session:
        from sqlalchemy import select

        from points.members import Member
        assert session.scalar(select(Member.community_id).where(Member.phone == "13512345678")) == community["id"]
