"""The `benniu` command line: init (with demo), token create, verify."""
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from api.cli import main
from points.engines import make_engine

from ..conftest import POSTGRES_URL


@pytest.fixture
def cli(tmp_path, database_url, monkeypatch):
    url = POSTGRES_URL or f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BENNIU_DATABASE_URL", url)
    monkeypatch.setenv("BENNIU_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)
    run.url = url
    return run


def test_init_demo_twice_seeds_once(cli):
    assert cli("init", "--demo").exit_code == 0
    second = cli("init", "--demo")
    assert second.exit_code == 0 and "振宇社区" in second.output
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        rules = connection.execute(text("SELECT code, points FROM rules ORDER BY code")).all()
        communities = connection.execute(text("SELECT count(*) FROM communities")).scalar()
        catalogue = dict(connection.execute(text("SELECT kind, count(*) FROM rewards GROUP BY kind")).all())
        partners = connection.execute(text("SELECT count(*) FROM partners")).scalar()
    engine.dispose()
    assert communities == 1 and partners == 5  # four partners and the workstation
    assert catalogue == {"goods": 3, "fee_deduction": 1, "service": 3}
    assert ("patrol", 50) in rules and ("rental_tip", 50) in rules and ("safety_promo", 50) in rules
    assert {code for code, _ in rules} >= {"migrant_tip", "case_tip", "mediation", "patrol_hours"}


def test_token_create_prints_the_token_last(cli, app):
    cli("init")
    result = cli("token", "create", "--role", "admin", "--name", "ops")
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("bn_")


def test_token_create_explains_a_missing_community(cli):
    cli("init")
    result = cli("token", "create", "--role", "organiser", "--name", "nobody")
    assert result.exit_code != 0 and "community_id" in result.output


def test_verify_says_ok_then_finds_a_tampered_balance(cli):
    cli("init", "--demo")
    assert cli("verify").output.strip() == "ok"
    engine = make_engine(cli.url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE accounts SET balance = balance + 5 "
                                "WHERE id = (SELECT MIN(id) FROM accounts WHERE kind = 'member')"))
    engine.dispose()
    result = cli("verify")
    assert result.exit_code == 1 and "cached balance 5" in result.output


def test_expire_vouchers_and_close_open_checkins_run_on_an_empty_ledger(cli):
    cli("init", "--demo")
    assert cli("expire-vouchers").output.strip() == "expired 0 vouchers"
    assert cli("close-open-checkins").output.strip() == "closed 0 open check-ins"


def test_verify_finds_a_tally_that_differs_from_the_entries(cli):
    cli("init", "--demo")
    engine = make_engine(cli.url)
    with engine.begin() as connection:
        before = connection.execute(text("SELECT earned FROM member_tallies WHERE span = 'all' ORDER BY id")).scalar()
        connection.execute(text(  # seven points no entry accounts for
            "UPDATE member_tallies SET earned = earned + 7 WHERE id = (SELECT min(id) FROM member_tallies "
            "WHERE span = 'all')"))
    engine.dispose()
    result = cli("verify")
    assert result.exit_code == 1 and "member tally" in result.output and f"'earned': {before + 7}" in result.output


def test_the_demo_has_an_organiser_and_a_partner_clerk_who_can_sign_in(cli):
    cli("init", "--demo")
    cli("init", "--demo")
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        staff = connection.execute(text("SELECT role, phone, community_id, partner_id FROM staff_accounts "
                                        "ORDER BY phone")).all()
    engine.dispose()
    assert [(role, phone) for role, phone, _, _ in staff] == [("organiser", "13900000001"), ("partner", "13900000002")]
    assert staff[0][2] is not None and staff[1][3] is not None


def test_user_create_makes_a_staff_account_that_signs_in(cli, tmp_path):
    from api import create_app

    cli("init", "--demo")
    made = cli("user", "create", "--role", "admin", "--name", "运维", "--phone", "13500000001",
               "--password", "long-enough")
    assert made.exit_code == 0, made.output
    again = CliRunner().invoke(main, ["user", "create", "--role", "admin", "--name", "x", "--phone", "13500000001",
                                      "--password", "long-enough"])
    assert again.exit_code != 0 and "already registered" in again.output
    app = create_app()
    answer = app.test_client().post("/api/v1/auth/login", json={"phone": "13500000001", "password": "long-enough"})
    app.extensions["benniu"].engine.dispose()
    assert answer.status_code == 200 and answer.get_json()["role"] == "admin"


def test_user_create_refuses_an_organiser_without_a_community(cli):
    cli("init")
    result = CliRunner().invoke(main, ["user", "create", "--role", "organiser", "--name", "x", "--phone", "135",
                                       "--password", "long-enough"])
    assert result.exit_code != 0 and "community" in result.output


def test_user_disable_refuses_the_accounts_tokens_at_once(cli):
    from api import create_app

    cli("init", "--demo")
    app = create_app()
    client = app.test_client()
    token = client.post("/api/v1/auth/login", json={"phone": "13900000001", "password": "benniu2024"}).get_json()
    assert cli("user", "disable", "--phone", "13900000001").exit_code == 0
    answer = client.get("/api/v1/members", headers={"Authorization": f"Bearer {token['token']}"})
    unknown = CliRunner().invoke(main, ["user", "disable", "--phone", "100"])
    app.extensions["benniu"].engine.dispose()
    assert answer.status_code == 401 and unknown.exit_code != 0
