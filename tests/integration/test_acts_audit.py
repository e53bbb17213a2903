"""Each act writes the same audit row whichever door it came through: the JSON API, a console
page, an import, the command line."""
import io

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from api.cli import main
from points.audit import AuditEntry, audit_trail
from points.members import Member
from tests.helpers import at_once, xlsx
from tests.pages.conftest import PageClient

from ..conftest import POSTGRES_URL


@pytest.fixture
def console(app, staff) -> PageClient:
    """The community organiser's console, signed in."""
    return PageClient(app).sign_in(staff("organiser", name="罗塘派出所 民警"), "password1")


@pytest.fixture
def command(app, database_url, tmp_path, monkeypatch):
    """`benniu ...` on the test's database (its schema made by the app fixture)."""
    monkeypatch.setenv("BENNIU_DATABASE_URL", POSTGRES_URL or database_url)
    monkeypatch.setenv("BENNIU_INSTANCE_PATH", str(tmp_path / "instance"))
    return lambda *args: CliRunner().invoke(main, list(args))


def rows(app, action: str | None, **where) -> list[AuditEntry]:
    with app.extensions["benniu"].sessionmaker() as session:
        return audit_trail(session, action=action, **where)


def people_on(app, phone: str) -> int:
    with app.extensions["benniu"].sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(Member).where(Member.phone == phone))


# Members ---------------------------------------------------------------------------------------

def test_member_added_is_the_same_row_through_the_api_the_console_and_a_roster(app, organiser, console, community):
    organiser.post("/api/v1/members", {"name": "接口添加", "phone": "13810000001", "community_id": community["id"],
                                       "team": "一队"}, expect=201)
    assert console.submit("/console/members", name="页面添加", phone="13810000002", team="一队",
                          password="password9").status_code == 303
    roster = xlsx(("姓名", "手机号", "队伍"), [("名单添加", "13810000003", "一队")])
    upload = console.hidden("/console/members/import")
    preview = console.client.post("/console/members/import", data={**upload, "sheet": (io.BytesIO(roster), "名单.xlsx")},
                                  content_type="multipart/form-data")
    assert preview.status_code == 303
    assert console.submit(preview.location).status_code == 303

    added = rows(app, "member_added", community_id=community["id"])
    assert [(row.subject.kind, row.subject.name, row.facts["team"]) for row in added] == [
        ("member", "名单添加", "一队"), ("member", "页面添加", "一队"), ("member", "接口添加", "一队")]
    assert [row.actor.kind for row in added] == ["organiser"] * 3
    assert [row.member_id for row in added] == [row.subject.id for row in added]
    assert added[0].why == "名单导入：名单.xlsx" and added[1].why is None


def test_the_api_refuses_a_new_member_the_phone_of_a_staff_account(app, organiser, community, staff):
    clerk_phone = staff("organiser", name="网格员")
    refused = organiser.post("/api/v1/members", {"name": "网格员的家属", "phone": clerk_phone,
                                                 "community_id": community["id"]})
    assert refused.status_code == 409 and refused.json["code"] == "conflict"
    assert people_on(app, clerk_phone) == 0 and rows(app, "member_added") == []


def test_two_members_added_at_once_with_one_phone_make_one_member_and_one_row(app, organiser, community):
    # Guarded by members' UNIQUE(phone), flushed in a savepoint: the loser is refused PhoneTaken (409), never a 500.
    def add(name):
        return lambda: organiser.post("/api/v1/members", {"name": name, "phone": "13810009999",
                                                          "community_id": community["id"]})
    responses = at_once([add("甲"), add("乙")])
    assert sorted((r.status_code, r.json.get("code")) for r in responses) == [(201, None), (409, "conflict")]
    assert people_on(app, "13810009999") == 1 and len(rows(app, "member_added")) == 1


def test_a_new_staff_account_is_refused_a_members_phone_on_the_console_and_the_command_line(
        app, console, volunteer, command):
    member, _ = volunteer
    refused = console.submit("/console/staff", name="重复", phone=member["phone"], role="organiser")
    assert refused.status_code == 409 and "这个手机号已经登记过了" in refused.get_data(as_text=True)
    typed = command("user", "create", "--role", "admin", "--name", "运维", "--phone", member["phone"],
                    "--password", "password9")
    assert typed.exit_code != 0 and "already registered" in typed.output
    assert rows(app, "staff_added") == []


def test_team_and_password_changes_on_the_console_name_the_member_and_the_organiser(app, console, volunteer):
    member, _ = volunteer
    path = f"/console/members/{member['id']}"
    assert console.submit(path, f"{path}/team", team="二队").status_code == 303
    assert console.submit(path, f"{path}/password", password="new-pass-1").status_code == 303
    for action in ("member_changed", "password_reset"):
        [row] = rows(app, action, member_id=member["id"])
        assert (row.subject.kind, row.subject.id, row.actor.kind) == ("member", member["id"], "organiser")


# Staff -----------------------------------------------------------------------------------------

def test_staff_added_and_disabled_are_recorded_from_the_console_and_the_command_line(app, console, command,
                                                                                     community):
    assert console.submit("/console/staff", name="网格员 小刘", phone="13711119999", role="organiser",
                          password="password9").status_code == 303
    made = command("user", "create", "--role", "organiser", "--name", "网格员 小张", "--phone", "13711118888",
                   "--community", str(community["id"]), "--password", "password9")
    assert made.exit_code == 0, made.output
    added = rows(app, "staff_added", community_id=community["id"])
    assert [(row.subject.kind, row.subject.name, row.actor.kind, row.facts["role"]) for row in added] == [
        ("staff", "网格员 小张", "system", "organiser"), ("staff", "网格员 小刘", "organiser", "organiser")]

    assert command("user", "disable", "--phone", "13711118888", "--reason", "离职").exit_code == 0
    assert command("user", "disable", "--phone", "13711118888").exit_code == 0  # already: no second row
    staff_id = added[1].subject.id
    assert console.submit("/console/staff", f"/console/staff/{staff_id}/disable", reason="调岗").status_code == 303
    disabled = rows(app, "staff_disabled", community_id=community["id"])
    assert [(row.subject.name, row.actor.kind, row.why) for row in disabled] == [
        ("网格员 小刘", "organiser", "调岗"), ("网格员 小张", "system", "离职")]


# Rules and tokens --------------------------------------------------------------------------------

def test_rule_added_is_the_same_row_through_the_api_and_the_console(app, organiser, console, community):
    organiser.post("/api/v1/rules", {"code": "patrol", "name": "参与治安巡逻", "points": 50, "basis": "per_event"},
                   expect=201)
    assert console.submit("/console/rules/new", code="mediation", name="调解纠纷", points="30",
                          basis="per_event").status_code == 303
    taken = console.submit("/console/rules/new", code="patrol", name="又一条", points="30", basis="per_event")
    assert taken.status_code == 409 and "这个代码已经有规则了" in taken.get_data(as_text=True)
    added = rows(app, "rule_added", community_id=community["id"])
    assert [(row.subject.kind, row.subject.name, row.facts["rule_code"], row.facts["version"]) for row in added] == [
        ("rule", "调解纠纷", "mediation", 1), ("rule", "参与治安巡逻", "patrol", 1)]
    assert [row.actor.kind for row in added] == ["organiser", "organiser"]


def test_tokens_issued_and_revoked_are_recorded_through_the_api_and_the_command_line(app, organiser, volunteer,
                                                                                    command, community):
    member, _ = volunteer
    issued = organiser.post("/api/v1/tokens", {"role": "volunteer", "name": "陈元龙的手机",
                                               "member_id": member["id"]}, expect=201).json
    organiser.delete(f"/api/v1/tokens/{issued['id']}")
    organiser.delete(f"/api/v1/tokens/{issued['id']}")  # revoked already: no second row
    typed = command("token", "create", "--role", "organiser", "--name", "网格员 脚本",
                    "--community", str(community["id"]))
    assert typed.exit_code == 0, typed.output
    trail = [(row.action, row.subject.name, row.actor.kind) for row in audit_rows_of_tokens(app, community["id"])]
    assert trail == [("token_issued", "网格员 脚本", "system"), ("token_revoked", "陈元龙的手机", "organiser"),
                     ("token_issued", "陈元龙的手机", "organiser")]


def audit_rows_of_tokens(app, community_id: int) -> list[AuditEntry]:
    return [row for row in rows(app, None, community_id=community_id) if row.action.startswith("token_")]
