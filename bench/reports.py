"""Reports against history: the leaderboard and the summary at 1,000 and at 1,000,000 entries.

    python -m bench.reports [--database URL] [--entries 1000000] [--seed-seconds 300]

Two databases with the same community of 10,000 members: one with 1,000 ledger entries,
one with up to a million (earnings spread over a year, made by `points.earning.earn`, the
function every award and check-in goes through, in transactions of 5,000; seeding stops at
--seed-seconds and says how many it made). Each read goes through the HTTP layer (Flask's
test client) many times; the medians and their ratio are printed. Targets: ratio <= 1.5 and
under 50 ms per read. Then a separate process exports the large ledger to XLSX and prints
its peak memory (target under 200 MB).
"""
import argparse
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from api.identity.tokens import issue_token
from points.communities import found_community
from points.db import begin_write
from points.earning import earn
from points.engines import make_engine
from points.members import enrol_member
from points.rules import define_rule

from .common import bench_app, count_rows, fresh_database, machine, median_ms

ZONE = ZoneInfo("Asia/Shanghai")
YEAR = 2025
MEMBERS = 10_000
BATCH = 5_000


def seed(url: str, *, entries: int, seconds: float) -> str:
    """10,000 members, then earnings until `entries` ledger entries (2 per earning) or time runs out."""
    engine = make_engine(url)
    start = datetime(YEAR, 1, 1, 8, 0, tzinfo=ZONE)
    with Session(engine, expire_on_commit=False) as session:
        begin_write(session)
        community = found_community(session, name="压测社区", code="bench", now=start)
        rule = define_rule(session, community_id=community.id, code="patrol", name="参与治安巡逻", points=50,
                           basis="per_event", now=start)
        members = [enrol_member(session, community_id=community.id, name=f"志愿者{i:05d}", phone=f"1{i:010d}",
                                team=f"第{i % 20}队", now=start) for i in range(MEMBERS)]
        token, _ = issue_token(session, role="organiser", name="bench", community_id=community.id, now=start)
        session.commit()
        earnings = entries // 2
        step = timedelta(days=364) / max(earnings, 1)
        deadline = time.monotonic() + seconds
        for offset in range(0, earnings, BATCH):
            begin_write(session)
            for i in range(offset, min(earnings, offset + BATCH)):
                earn(session, member=members[(i * 7919) % MEMBERS], rule=rule, now=start + step * i,
                     points=10 + i % 90, memo="历史")
            session.commit()
            if time.monotonic() > deadline:
                break
    engine.dispose()
    return token


READS = [
    ("leaderboard (month, top 50)", f"/api/v1/leaderboard?period=month&at={YEAR}-06-15T12:00:00%2B08:00&limit=50"),
    ("summary (a year)", f"/api/v1/reports/summary?from={YEAR}-01-01T00:00:00%2B08:00&to={YEAR + 1}-01-01T00:00:00"
                         "%2B08:00"),
]


def timed_reads(databases: dict, runs: int) -> dict:
    """Median milliseconds of each read on each database, the databases taking turns (so a busy
    moment on the machine falls on both alike)."""
    clients = {}
    for label, (url, _, token) in databases.items():
        app = bench_app(url)
        clients[label] = (app, app.test_client(), token)
    timings = {(label, read): [] for label in databases for read, _ in READS}
    for turn in range(runs // 10 + 1):
        for label, (_, client, token) in clients.items():
            for read, path in READS:
                timings[(label, read)].append(median_ms(client, path, token, 10 if turn else 2))
    for app, _, _ in clients.values():
        app.extensions["benniu"].engine.dispose()
    return {key: statistics.median(values[1:]) for key, values in timings.items()}


def organiser_token(url: str) -> str:
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        token, _ = issue_token(session, role="organiser", name="bench", community_id=1,
                               now=datetime.now(ZONE))
    engine.dispose()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped, used for the large ledger); "
                                           "default: new SQLite files")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--seed-seconds", type=float, default=300)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reuse", nargs=2, metavar=("SMALL_URL", "LARGE_URL"),
                        help="time the reads on databases an earlier run seeded")
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    databases = {}
    for label, wanted, database in (("small", 1_000, None), ("large", args.entries, args.database)):
        if args.reuse:
            url = args.reuse[0 if label == "small" else 1]
            databases[label] = (url, count_rows(url, "entries"), organiser_token(url))
            continue
        url, _ = fresh_database(database if label == "large" else None)
        began = time.perf_counter()
        token = seed(url, entries=wanted, seconds=args.seed_seconds)
        made = count_rows(url, "entries")
        print(f"{label}: {url}, {MEMBERS} members, {made} entries (asked {wanted}) "
              f"seeded in {time.perf_counter() - began:.0f} s")
        databases[label] = (url, made, token)
    timings = timed_reads(databases, args.runs)
    few, many = databases["small"][1], databases["large"][1]
    for read, _ in READS:
        small, large = timings[("small", read)], timings[("large", read)]
        verdict = "ok" if large / small <= 1.5 and large < 50 else "MISSED"
        print(f"{read:28s} {few} entries: {small:6.2f} ms   {many} entries: {large:6.2f} ms   "
              f"ratio {large / small:4.2f} (target <= 1.5, < 50 ms) {verdict}")
    if not args.no_export:
        subprocess.run([sys.executable, "-m", "bench.export", "--database", databases["large"][0]], check=True)


if __name__ == "__main__":
    main()
