"""What one QR check-in costs the server in CPU, through the whole HTTP stack in one process.

    python -m bench.checkin_cost [--database URL] [--checkins 3000] [--rounds 3] [--shop 0]

For comparing two versions of the code on a busy machine: wrk's requests per second move with
whatever else the machine runs, but the CPU time this process spends per check-in (Flask's
test client, the service, SQLite's own work) hardly does. Prints check-ins per CPU second and
per wall second for each round, and the best round, and how many SQL statements (each a
round trip on PostgreSQL; COMMIT included) one check-in sends.
"""
import argparse
import time

from sqlalchemy import event

from api import create_app

from .common import SECRET, fresh_database, seed_checkins, seed_shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped); default: a new SQLite file")
    parser.add_argument("--checkins", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shop", type=int, default=0,
                        help="also time this many redemptions and as many fulfilments, after the check-ins")
    args = parser.parse_args()
    url, workdir = fresh_database(args.database)
    pairs = seed_checkins(url, volunteers=args.checkins // 4 + 1, activities=4 * args.rounds + 4)
    redemptions, fulfilments = seed_shop(url, volunteers=args.shop // 10 + 2, vouchers=args.shop + 2)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False},
                     instance_path=workdir / "instance")
    client = app.test_client()
    position = 0
    statements = []
    event.listen(app.extensions["benniu"].engine, "before_cursor_execute",
                 lambda *args: statements.append(" ".join(args[2].split()[:4])))
    for name in ("commit", "savepoint", "release_savepoint", "rollback_savepoint"):
        event.listen(app.extensions["benniu"].engine, name, lambda *args, name=name: statements.append(name.upper()))

    def check_in(count: int) -> None:
        nonlocal position
        for token, code in pairs[position:position + count]:
            response = client.post("/api/v1/checkins", json={"code": code},
                                   headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 201, response.get_json()
        position += count

    check_in(200)  # warm-up
    statements.clear()
    check_in(1)
    print(f"statements per check-in: {len(statements)}")
    print("".join(f"  {line}\n" for line in statements), end="")
    best = 0.0
    for round_ in range(1, args.rounds + 1):
        cpu, wall = time.process_time(), time.perf_counter()
        check_in(args.checkins)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        best = max(best, args.checkins / cpu)
        print(f"round {round_}: {args.checkins} check-ins, {args.checkins / cpu:6.0f} per CPU second, "
              f"{args.checkins / wall:6.0f} per wall second")
    print(f"best: {best:.0f} check-ins per CPU second")
    for name, path, requests in (
            ("redemption", "/api/v1/redemptions", [(token, {"reward_id": int(reward)}) for token, reward in redemptions]),
            ("fulfilment", "/api/v1/redemptions/fulfil", [(token, {"voucher_code": code}) for token, code in fulfilments])):
        requests = (requests * (args.shop // len(requests) + 2))[:args.shop + 2] if name == "redemption" else requests

        def send(batch):
            for token, body in batch:
                response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
                assert response.status_code in (200, 201), response.get_json()

        send(requests[:1])  # warm-up
        statements.clear()
        send(requests[1:2])
        print(f"statements per {name}: {len(statements)}")
        print("".join(f"  {line}\n" for line in statements), end="")
        if args.shop:
            cpu = time.process_time()
            send(requests[2:])
            print(f"{args.shop} {name}s: {args.shop / (time.process_time() - cpu):6.0f} per CPU second")


if __name__ == "__main__":
    main()
