"""Two app servers (two `benniu serve`) against one database: the race bars hold across them,
because every guard is in the database, not in a server's memory."""
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from points.checkins import Checkin
from points.earning import earn
from points.ledger import Transfer
from points.members import balance_of, get_member
from points.rules import current_rule
from points.verify import ledger_problems
from rewards.catalogue import stock_reward
from rewards.redemptions import Redemption

from .server import post, serving

pytestmark = pytest.mark.slow
PAIRS = 12


@pytest.fixture
def two_servers(world):
    with serving(world.env) as first, serving(world.env) as second:
        yield first, second


def at_once(*calls):
    """Run the calls in threads released together; their answers in order."""
    barrier, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        answers[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def through_both(servers, path: str, body: dict, *, token: str, key: str | None = None) -> list:
    """The same request sent to each server at the same moment: their (status, body) answers."""
    return at_once(*(lambda server=server: post(f"{server.url}{path}", body, token=token, key=key)
                     for server in servers))


def assert_one_effect(answers, done: int, refusal: str) -> None:
    """One of the two did it; the other was refused with `refusal`."""
    assert sorted(status for status, _ in answers) == [done, 409], answers
    assert [body["code"] for status, body in answers if status == 409] == [refusal]


def test_two_phones_checking_in_through_two_servers_check_in_once(app, world, two_servers):
    for index in range(PAIRS):
        token, code = world.tokens[index], world.codes[index % len(world.codes)]
        answers = through_both(two_servers, "/api/v1/checkins", {"code": code}, token=token)
        assert_one_effect(answers, 201, "already_checked_in")
    with app.extensions["benniu"].sessionmaker() as session:
        assert session.scalar(select(func.count(Checkin.id))) == PAIRS
        assert session.scalar(select(func.count(Transfer.id)).where(Transfer.kind == "earn")) == PAIRS
        assert ledger_problems(session) == []


@pytest.fixture
def shop(app, world):
    """A 50-point reward, and volunteers who have exactly 50 points each: one redemption apiece."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        rule = current_rule(session, community_id=world.community_id, code="patrol")
        for member_id in world.member_ids[:PAIRS]:
            earn(session, member=get_member(session, member_id), rule=rule, now=now)
        reward = stock_reward(session, community_id=world.community_id, name="雨伞", kind="goods", cost=50, now=now)
        return reward.id


def test_one_volunteer_redeeming_through_two_servers_at_once_holds_their_points_once(app, world, two_servers,
                                                                                      shop):
    for token in world.tokens[:PAIRS]:
        answers = through_both(two_servers, "/api/v1/redemptions", {"reward_id": shop}, token=token)
        assert_one_effect(answers, 201, "insufficient_points")
    with app.extensions["benniu"].sessionmaker() as session:
        assert session.scalar(select(func.count(Redemption.id))) == PAIRS
        for member_id in world.member_ids[:PAIRS]:
            balance = balance_of(session, get_member(session, member_id))
            assert (balance.available, balance.held) == (0, 50)
        assert ledger_problems(session) == []


def test_one_voucher_fulfilled_through_two_servers_at_once_is_spent_once(app, world, two_servers, shop):
    first = two_servers[0]
    vouchers = [post(f"{first.url}/api/v1/redemptions", {"reward_id": shop}, token=token)[1]["voucher_code"]
                for token in world.tokens[:PAIRS]]
    for code in vouchers:
        answers = through_both(two_servers, "/api/v1/redemptions/fulfil", {"voucher_code": code},
                               token=world.organiser)
        assert_one_effect(answers, 200, "already_fulfilled")
    with app.extensions["benniu"].sessionmaker() as session:
        assert session.scalar(select(func.count(Transfer.id)).where(Transfer.kind == "spend")) == PAIRS
        assert ledger_problems(session) == []


def test_a_retry_through_the_other_server_with_the_same_key_takes_effect_once(app, world, two_servers):
    for index in range(PAIRS):
        token, code, key = world.tokens[index], world.codes[index % len(world.codes)], f"both-{index}"
        answers = through_both(two_servers, "/api/v1/checkins", {"code": code}, token=token, key=key)
        assert [status for status, _ in answers] == [201, 201] and answers[0][1] == answers[1][1], answers
    with app.extensions["benniu"].sessionmaker() as session:
        assert session.scalar(select(func.count(Checkin.id))) == PAIRS
        assert ledger_problems(session) == []

