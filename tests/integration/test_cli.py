"""The `benniu` command line: init (with demo), token create, verify, its version, its failures and progress."""
import os
import pty
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

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

    def run(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)
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


def test_version_names_the_installed_release(cli):
    assert cli("--version").output == f"benniu {version('benniu')}\n"


@pytest.mark.parametrize(("args", "setting", "sqlite_says"), [
    (("backup", "/no/such/dir/x.db"), None, "no folder /no/such/dir to write the backup into"),
    (("restore", "--yes", "/no/such/backup.db"), None, "no backup at /no/such/backup.db"),
    (("token", "create", "--role", "organiser", "--name", "x"), None, "an organiser token needs community_id"),
    (("user", "disable", "--phone", "100"), None, "no staff account with phone 100"),
    (("verify",), ("BENNIU_DB_POOL_SIZE", "five"), "BENNIU_DB_POOL_SIZE must be a whole number (0 or more), "
                                                  "not 'five'"),
    (("serve",), ("BENNIU_TRUSTED_PROXIES", "yes"), "BENNIU_TRUSTED_PROXIES must be a whole number (0 or more), "
                                                    "not 'yes'"),  # before gunicorn starts
])
def test_an_expected_failure_is_one_sentence_and_no_traceback(cli, monkeypatch, args, setting, sqlite_says):
    cli("init")
    if setting:
        monkeypatch.setenv(*setting)
    result = cli(*args)  # an exception that got through would be raised here (catch_exceptions=False)
    assert result.exit_code == 1 and result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
    if cli.url.startswith("sqlite") or args[0] not in ("backup", "restore"):  # PostgreSQL: back up with pg_dump
        assert result.output == f"Error: {sqlite_says}\n"


def test_a_password_on_the_command_line_is_warned_about_and_a_prompted_one_is_not(cli):
    cli("init")
    typed = cli("user", "create", "--role", "admin", "--name", "a", "--phone", "13500000002",
                "--password", "long-enough")
    asked = cli("user", "create", "--role", "admin", "--name", "b", "--phone", "13500000003",
                input="long-enough\nlong-enough\n")
    assert typed.exit_code == asked.exit_code == 0
    assert "warning: a password given with --password stays in the shell's history" in typed.output
    assert "warning" not in asked.output


def test_verify_and_backup_show_progress_on_a_terminal_and_only_their_answer_in_a_pipe(cli, tmp_path):
    cli("init", "--demo")
    benniu = Path(sys.executable).with_name("benniu")
    commands = [("verify",)] + ([("backup", str(tmp_path / "copy.db"))] if cli.url.startswith("sqlite") else [])
    for args in commands:
        terminal, screen = pty.openpty()
        done = subprocess.run([str(benniu), *args], stdout=subprocess.PIPE, stderr=screen, env=os.environ,
                              timeout=120)
        os.close(screen)
        shown = read_all(terminal)
        piped = subprocess.run([str(benniu), *args], capture_output=True, env=os.environ, timeout=120)
        assert done.returncode == piped.returncode == 0 and done.stdout == piped.stdout
        assert "100%" in shown and ("checking the ledger" if args[0] == "verify" else "backing up") in shown, shown
        assert piped.stderr == b""


def read_all(terminal: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the other end closed: all read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(terminal)
    return b"".join(chunks).decode()


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's statement_timeout")
def test_seed_and_verify_read_whole_tables_without_the_requests_time_limit(cli, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from api.cli import _app, _session
    monkeypatch.setenv("BENNIU_DB_STATEMENT_TIMEOUT_MS", "1")
    app = _app()
    with _session(app, whole_tables=True) as session:
        assert session.execute(text("SELECT pg_sleep(0.05), current_setting('statement_timeout')")).one()[1] == "0"
    with _session(app) as session, pytest.raises(OperationalError, match="statement timeout"):
        session.execute(text("SELECT pg_sleep(0.05)"))
