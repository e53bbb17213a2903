"""The ledger on a real database: transfers, balances, history, reversals, the invariants."""
import pytest
from sqlalchemy import select, text

from points.communities import found_community
from points.earning import earn, reverse
from points.errors import AlreadyDone, Conflict, InsufficientPoints, LimitReached
from points.ledger import Entry, get_transfer, history, transfer
from points.members import balance_of, enrol_member
from points.rules import define_rule, revise_rule
from points.verify import ledger_problems


@pytest.fixture
def world(session, clock):
    community = found_community(session, name="振宇社区", code="zy", now=clock.now())
    member = enrol_member(session, community_id=community.id, name="陈元龙", phone="13800000001", now=clock.now())
    patrol = define_rule(session, community_id=community.id, code="patrol", name="参与治安巡逻", points=50,
                         basis="per_event", daily_cap=100, now=clock.now())
    session.commit()
    return community, member, patrol


def test_an_earning_is_two_entries_that_sum_to_zero(session, world, clock):
    community, member, patrol = world
    record = earn(session, member=member, rule=patrol, now=clock.now())
    entries = session.scalars(select(Entry).where(Entry.transfer_id == record.id).order_by(Entry.amount)).all()
    assert [(e.account_id, e.amount, e.balance_after) for e in entries] == [
        (member.issuance_account_id, -50, -50), (member.account_id, 50, 50)]
    assert ledger_problems(session) == []


def test_a_member_account_refuses_to_go_below_zero(session, world, clock):
    community, member, patrol = world
    earn(session, member=member, rule=patrol, now=clock.now())
    with pytest.raises(InsufficientPoints):
        transfer(session, debit_account_id=member.account_id, credit_account_id=community.station_account_id,
                 amount=51, kind="spend", at=clock.now())
    assert balance_of(session, member).available == 50


def test_the_database_refuses_a_negative_member_balance_even_if_the_service_did_not(session, world):
    _, member, _ = world
    with pytest.raises(Exception, match="(?i)check|constraint"):
        session.execute(text("UPDATE accounts SET balance = -1 WHERE id = :id"), {"id": member.account_id})
        session.flush()


def test_the_daily_cap_counts_todays_earnings_under_the_rule(session, world, clock):
    _, member, patrol = world
    earn(session, member=member, rule=patrol, now=clock.now())
    earn(session, member=member, rule=patrol, now=clock.now())
    with pytest.raises(LimitReached):
        earn(session, member=member, rule=patrol, now=clock.now())
    earn(session, member=member, rule=patrol, now=clock.advance(days=1))
    assert balance_of(session, member).available == 150


def test_a_reversed_earning_no_longer_counts_toward_the_cap(session, world, clock):
    _, member, patrol = world
    first = earn(session, member=member, rule=patrol, now=clock.now())
    earn(session, member=member, rule=patrol, now=clock.now())
    reverse(session, transfer_id=first.id, reason="重复登记", now=clock.now())
    earn(session, member=member, rule=patrol, now=clock.now())
    assert balance_of(session, member).lifetime_earned == 100


def test_a_transfer_is_reversed_at_most_once(session, world, clock):
    _, member, patrol = world
    record = earn(session, member=member, rule=patrol, now=clock.now())
    reversal = reverse(session, transfer_id=record.id, reason="误登", now=clock.now())
    assert (reversal.reverses_id, reversal.amount) == (record.id, 50)
    with pytest.raises(AlreadyDone) as refused:
        reverse(session, transfer_id=record.id, reason="again", now=clock.now())
    assert refused.value.code == "already_reversed"
    with pytest.raises(Conflict):
        reverse(session, transfer_id=reversal.id, reason="undo the undo", now=clock.now())
    assert balance_of(session, member).available == 0
    assert ledger_problems(session) == []


def test_reversing_points_already_spent_is_refused(session, world, clock):
    community, member, patrol = world
    record = earn(session, member=member, rule=patrol, now=clock.now())
    transfer(session, debit_account_id=member.account_id, credit_account_id=community.station_account_id,
             amount=30, kind="spend", at=clock.now())
    with pytest.raises(InsufficientPoints):
        reverse(session, transfer_id=record.id, reason="误登", now=clock.now())


def test_entries_remember_the_rule_version_they_were_earned_under(session, world, clock):
    community, member, patrol = world
    first = earn(session, member=member, rule=patrol, now=clock.now())
    v2 = revise_rule(session, community_id=community.id, code="patrol", points=60, now=clock.now())
    second = earn(session, member=member, rule=v2, now=clock.advance(days=1))
    first, second = get_transfer(session, first.id), get_transfer(session, second.id)
    assert (first.rule_id, first.amount) == (patrol.id, 50)
    assert (second.rule_id, second.amount, v2.version) == (v2.id, 60, 2)


def test_history_pages_backwards_by_entry_id(session, world, clock):
    _, member, patrol = world
    for day in range(5):
        earn(session, member=member, rule=patrol, now=clock.advance(days=1))
    first = history(session, member.account_id, limit=2)
    second = history(session, member.account_id, cursor=first[-1][0].id, limit=2)
    balances = [entry.balance_after for entry, _ in first + second]
    assert balances == [250, 200, 150, 100]


def test_verify_finds_a_cached_balance_that_disagrees_with_the_entries(session, world, clock):
    _, member, patrol = world
    earn(session, member=member, rule=patrol, now=clock.now())
    session.execute(text("UPDATE accounts SET balance = balance + 7 WHERE id = :id"), {"id": member.account_id})
    problems = ledger_problems(session)
    assert any(f"account {member.account_id}" in problem for problem in problems)
    assert any("sum to 7" in problem for problem in problems)


def test_verify_finds_a_transfer_without_its_entries(session, world, clock):
    community, member, patrol = world
    earn(session, member=member, rule=patrol, now=clock.now())
    kept = earn(session, member=member, rule=patrol, now=clock.now())
    session.execute(text("DELETE FROM lots WHERE transfer_id = :t"), {"t": kept.id})
    session.execute(text("DELETE FROM entries WHERE transfer_id = :t"), {"t": kept.id})
    assert "1 transfers have no entries" in ledger_problems(session)


def test_recent_histories_give_each_account_the_first_page_of_its_history(session, world, clock):
    from points import statement
    community, member, patrol = world
    other = enrol_member(session, community_id=community.id, name="王芳", phone="13800000002", now=clock.now())
    for day in range(5):
        earn(session, member=member, rule=patrol, now=clock.advance(days=1))
        if day % 2:
            earn(session, member=other, rule=patrol, now=clock.now(), points=30)
    accounts = [member.account_id, other.account_id, community.id + 10_000]  # the last has no entries
    recent = statement.recent_histories(session, accounts, limit=3)
    for account in accounts:
        assert recent[account] == statement.history(session, account, limit=3)
    assert [line.balance_after for line, _ in recent[member.account_id]] == [250, 200, 150]
