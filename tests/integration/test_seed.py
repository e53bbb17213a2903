"""`benniu seed`: synthetic history that the ledger's own checks find sound, and only on its own database."""
from sqlalchemy import text

from points.engines import make_engine

from .test_cli import cli  # noqa: F401  (the fixture)


def counted(url: str, **queries: str) -> dict:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = {name: connection.execute(text(sql)).scalar() for name, sql in queries.items()}
    engine.dispose()
    return found


def test_a_small_city_is_seeded_and_verify_finds_it_sound(cli):  # noqa: F811
    assert cli("init").exit_code == 0
    seeded = cli("seed", "--communities", "2", "--members", "200", "--entries", "5000")
    assert seeded.exit_code == 0, seeded.output
    verified = cli("verify")
    assert (verified.exit_code, verified.output.strip()) == (0, "ok")
    found = counted(
        cli.url, communities="SELECT count(*) FROM communities", members="SELECT count(*) FROM members",
        entries="SELECT count(*) FROM entries", checkins="SELECT count(*) FROM checkins",
        awarded="SELECT count(*) FROM transfers WHERE checkin_id IS NOT NULL",
        tips="SELECT count(DISTINCT status) FROM claims", redeemed="SELECT count(DISTINCT status) FROM redemptions",
        spent="SELECT count(*) FROM transfers WHERE kind = 'spend'",
        held="SELECT coalesce(sum(balance), 0) FROM accounts WHERE kind = 'hold'",
        teams="SELECT count(DISTINCT team) FROM members", tallies="SELECT count(*) FROM member_tallies",
        phones="SELECT count(DISTINCT phone) FROM members")
    assert (found["communities"], found["members"], found["phones"]) == (2, 200, 200)
    assert 4000 <= found["entries"] <= 6000  # "about": the last patrols and redemptions round it
    assert found["checkins"] == found["awarded"] > 0
    assert found["tips"] == 3 and found["redeemed"] == 2  # tips pending, approved, rejected; vouchers open and used
    assert found["spent"] > 0 and found["held"] > 0 and found["teams"] > 3 and found["tallies"] > 0


def test_seeding_again_adds_communities_and_stays_sound(cli):  # noqa: F811
    cli("init")
    cli("seed", "--communities", "1", "--members", "50", "--entries", "1000")
    again = cli("seed", "--communities", "1", "--members", "50", "--entries", "1000")
    assert again.exit_code == 0, again.output
    assert counted(cli.url, members="SELECT count(*) FROM members")["members"] == 100
    # The service's own writes go on after the seeded rows (PostgreSQL's sequences were moved past them).
    assert cli("init", "--demo").exit_code == 0
    assert cli("verify").output.strip() == "ok"


def test_a_database_with_real_members_is_refused_untouched(cli):  # noqa: F811
    cli("init", "--demo")
    before = counted(cli.url, members="SELECT count(*) FROM members", entries="SELECT count(*) FROM entries",
                     communities="SELECT count(*) FROM communities")
    refused = cli("seed", "--communities", "1", "--members", "10", "--entries", "100")
    assert refused.exit_code != 0 and "did not make" in refused.output
    assert counted(cli.url, members="SELECT count(*) FROM members", entries="SELECT count(*) FROM entries",
                   communities="SELECT count(*) FROM communities") == before
