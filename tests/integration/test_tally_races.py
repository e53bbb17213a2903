"""Tallies under concurrency: twenty threads earning at once leave them equal to the entries.

Guarded by keeping each tally in the transaction of its transfer (an upsert that adds to the
row, after the accounts are locked): half of the transactions here roll back after earning,
so a tally written anywhere else would count points no entry holds.
"""
from sqlalchemy import func, select

from points.db import begin_write
from points.earning import earn
from points.members import get_member
from points.rules import current_rule
from points.tallies import MemberTally
from points.verify import ledger_problems

from ..conftest import ZONE
from ..helpers import at_once


class RolledBack(Exception):
    """What a request that fails after earning (a later check, a lost connection) amounts to."""


def test_twenty_concurrent_earnings_leave_the_tallies_equal_to_the_entries(app, enrol, rules, clock):
    members = [enrol(name=name)[0]["id"] for name in ("陈元龙", "李四海")]
    sessions = app.extensions["benniu"].sessionmaker

    def earning(number: int):
        def run():
            with sessions() as session:
                begin_write(session)
                member = get_member(session, members[number % 2])
                rule = current_rule(session, community_id=member.community_id, code="patrol_hours")
                earn(session, member=member, rule=rule, now=clock.now(), points=10 + number)
                if number % 4 >= 2:
                    session.rollback()
                    return 0
                session.commit()
                return 10 + number
        return run

    kept = at_once([earning(number) for number in range(20)])
    with sessions() as session:
        assert ledger_problems(session, zone=ZONE) == []
        month_totals = dict(session.execute(select(MemberTally.member_id, func.sum(MemberTally.earned))
                                            .where(MemberTally.span == "month").group_by(MemberTally.member_id)).all())
    assert month_totals == {members[0]: sum(kept[0::2]), members[1]: sum(kept[1::2])}
    assert sum(kept) == sum(10 + n for n in range(20) if n % 4 < 2)
