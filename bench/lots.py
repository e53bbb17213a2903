"""Spending against many lots: a redemption for a member with 10,000 unspent lots against one with 10.

    python -m bench.lots [--database URL] [--lots 10000] [--runs 300]

Both members earn through the service's own `earn` (one lot each earning, a validity set so
every lot has an expiry). Then a 100-point redemption is made and rolled back, many times,
through the service's own `redeem`: the spend takes from the soonest-expiring lots and looks
for due ones, so its cost must not grow with the lots a member holds. Target: ratio <= 1.5.
"""
import argparse
import statistics
import time
from datetime import datetime, timedelta, timezone

from points.communities import found_community
from points.db import begin_write
from points.earning import earn
from points.members import enrol_member
from points.rules import define_rule
from rewards.catalogue import stock_reward
from rewards.redemptions import Order, redeem

from .common import bench_app, fresh_database, seeded_line


def seed(app, lots: int) -> tuple[int, int, int]:
    sessions = app.extensions["benniu"].sessionmaker
    start = datetime.now(timezone.utc) - timedelta(days=300)
    with sessions() as session, session.begin():
        community = found_community(session, name="压测社区", code="bench", now=start, points_valid_months=36)
        define_rule(session, community_id=community.id, code="bonus", name="奖励", points=10, basis="per_event",
                    now=start)
        few = enrol_member(session, community_id=community.id, name="少", phone="10000000001", now=start).id
        many = enrol_member(session, community_id=community.id, name="多", phone="10000000002", now=start).id
        reward = stock_reward(session, community_id=community.id, name="雨伞", kind="goods", cost=100, now=start).id
    from points.members import Member
    from points.rules import current_rule
    for member_id, count in ((few, 10), (many, lots)):
        for offset in range(0, count, 2000):
            with sessions() as session:
                begin_write(session)
                member = session.get(Member, member_id)
                rule = current_rule(session, community_id=member.community_id, code="bonus")
                for i in range(offset, min(count, offset + 2000)):
                    earn(session, member=member, rule=rule, now=start + timedelta(minutes=i))
                session.commit()
    return few, many, reward


def median_ms(app, member_id: int, reward_id: int, runs: int) -> float:
    from points.members import Member
    from rewards.catalogue import Reward

    sessions = app.extensions["benniu"].sessionmaker
    timings = []
    for _ in range(runs):
        with sessions() as session:
            began = time.perf_counter()
            begin_write(session)
            redeem(session, member=session.get(Member, member_id), reward=session.get(Reward, reward_id),
                   order=Order(), now=datetime.now(timezone.utc), valid_for=timedelta(days=30))
            session.flush()
            timings.append(time.perf_counter() - began)
            session.rollback()
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped); default: a new SQLite file")
    parser.add_argument("--lots", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    url, workdir = fresh_database(args.database)
    app = bench_app(url, workdir)
    began = time.perf_counter()
    few, many, reward = seed(app, args.lots)
    print(seeded_line(url, f"{args.lots + 10} lots", began))
    small = median_ms(app, few, reward, args.runs)
    large = median_ms(app, many, reward, args.runs)
    verdict = "ok" if large / small <= 1.5 else "MISSED"
    print(f"redeem 100 points   10 lots: {small:6.3f} ms   {args.lots} lots: {large:6.3f} ms   "
          f"ratio {large / small:5.2f} (target <= 1.5) {verdict}")


if __name__ == "__main__":
    main()
