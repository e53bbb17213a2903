"""Cost against history: a balance and the first page of history, at 100 and at 100,000 entries.

    python -m bench.history [--database URL] [--entries 100000]

Both members' histories are written through the ledger's own `transfer` (in bulk, one
transaction per 5,000); then each read is timed through the HTTP layer (Flask's test
client) many times, and the medians and their ratio are printed. Target: ratio <= 1.5.
"""
import argparse
import time
from datetime import datetime, timedelta, timezone

from api.identity.tokens import issue_token
from points.communities import found_community
from points.db import begin_write
from points.ledger import transfer
from points.members import enrol_member

from .common import bench_app, fresh_database, median_ms, seeded_line


def seed(app, entries: int) -> tuple[str, int, int]:
    """An organiser token, and a member with few and a member with `entries` entries."""
    sessions = app.extensions["benniu"].sessionmaker
    start = datetime.now(timezone.utc) - timedelta(days=400)
    with sessions() as session, session.begin():
        community = found_community(session, name="压测社区", code="bench", now=start)
        small = enrol_member(session, community_id=community.id, name="少", phone="10000000001", now=start)
        large = enrol_member(session, community_id=community.id, name="多", phone="10000000002", now=start)
        token, _ = issue_token(session, role="organiser", name="bench", community_id=community.id, now=start)
        ids = (small.issuance_account_id, small.account_id, large.issuance_account_id, large.account_id,
               small.id, large.id)
    small_source, small_account, large_source, large_account, small_id, large_id = ids
    for issuance, account, count in ((small_source, small_account, 100), (large_source, large_account, entries)):
        for offset in range(0, count, 5000):
            with sessions() as session:
                begin_write(session)
                for i in range(offset, min(count, offset + 5000)):
                    transfer(session, debit_account_id=issuance, credit_account_id=account, amount=50, kind="earn",
                             at=start + timedelta(seconds=i * 300), memo="历史")
                session.commit()
    return token, small_id, large_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped); default: a new SQLite file")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    url, workdir = fresh_database(args.database)
    app = bench_app(url, workdir)
    began = time.perf_counter()
    token, small, large = seed(app, args.entries)
    print(seeded_line(url, f"{args.entries + 100} entries", began))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def second_page(member: int) -> str:
        first = client.get(f"/api/v1/members/{member}/entries?limit=50", headers=headers).get_json()
        return f"/api/v1/members/{member}/entries?limit=50&cursor={first['next_cursor']}"

    reads = [("balance", *(f"/api/v1/members/{m}/balance" for m in (small, large))),
             ("history page 1", *(f"/api/v1/members/{m}/entries?limit=50" for m in (small, large))),
             ("history page 2", second_page(small), second_page(large))]
    for label, path_small, path_large in reads:
        few = median_ms(client, path_small, token, args.runs)
        many = median_ms(client, path_large, token, args.runs)
        verdict = "ok" if many / few <= 1.5 else "MISSED"
        print(f"{label:16s} 100 entries: {few:6.3f} ms   {args.entries} entries: {many:6.3f} ms   "
              f"ratio {many / few:5.2f} (target <= 1.5) {verdict}")

if __name__ == "__main__":
    main()
