"""Write throughput over HTTP: `benniu serve` (gunicorn, 2 workers) under wrk on loopback.

    python -m bench.throughput [--database URL] [--seconds 10] [--connections 16]
                               [--operations checkins,redemptions,fulfilments] [--servers 1]

Measures GET /healthz on the same server first and again last (the ceiling: the mean of the two),
and between them each operation in turn with
distinct requests: real QR check-ins (a volunteer token and a signed activity code each),
redemptions (a volunteer with points takes a 10-point reward: stock taken, points held, voucher
issued) and fulfilments (a clerk hands over a voucher issued beforehand: the held points are
spent). Counts what was committed in the database afterwards, and prints each ratio, the latency
percentiles and each worker's memory.

With `--servers 2` it starts two `benniu serve` on two ports against the one database and drives
each with its own wrk (half the connections each, disjoint requests): the figures are the sums,
and each server's share is shown.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.e2e.server import Server, free_port

from .common import count, fresh_database, machine, seed_checkins, seed_shop, server_env

HERE = Path(__file__).parent
THREADS = 2

# operation: (what is committed, counted in the database; the ratio it should reach)
OPERATIONS = {
    "checkins": ("SELECT count(*) FROM checkins", {"sqlite": 0.35, "postgresql": 0.25}),
    "redemptions": ("SELECT count(*) FROM redemptions", {"sqlite": 0.2, "postgresql": 0.2}),
    "fulfilments": ("SELECT count(*) FROM redemptions WHERE status = 'fulfilled'", {"sqlite": 0.2, "postgresql": 0.2}),
}
P99_MS = {"sqlite": 25, "postgresql": 30}


def wrk(url: str, script: str, *, seconds: int, connections: int, env: dict) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(HERE / script), url],
        capture_output=True, text=True, env={**os.environ, **env}, check=True).stdout
    figures = dict(re.findall(r"(\w+)=(\d+)", output.split("BENNIU", 1)[1]))
    return {key: int(value) for key, value in figures.items()}


def wrk_all(servers: list[Server], script: str, *, seconds: int, connections: int, lines: list[Path] | None = None,
            ) -> list[dict]:
    """wrk against every server at once, the connections split between them; each server gets
    its own file of requests, so no request is sent twice."""
    def one(index: int) -> dict:
        env = {"BENNIU_REQUESTS": str(lines[index]), "BENNIU_THREADS": str(THREADS)} if lines else {}
        return wrk(servers[index].url + "/healthz", script, seconds=seconds,
                   connections=connections // len(servers), env=env)

    with ThreadPoolExecutor(len(servers)) as pool:
        return list(pool.map(one, range(len(servers))))


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def requests_for(operations: list[str], url: str) -> dict[str, list[tuple[str, str, str]]]:
    """For each operation, (token, path, JSON body) of every distinct request the load may send."""
    requests = {}
    if "checkins" in operations:
        requests["checkins"] = [(token, "/api/v1/checkins", f'{{"code":"{code}"}}')
                                for token, code in seed_checkins(url, volunteers=3000, activities=12)]
    if {"redemptions", "fulfilments"} & set(operations):
        redeem, fulfil = seed_shop(url, volunteers=3000, vouchers=6000 if "fulfilments" in operations else 0)
        requests["redemptions"] = [(token, "/api/v1/redemptions", f'{{"reward_id":{reward}}}')
                                   for _ in range(4) for token, reward in redeem]
        requests["fulfilments"] = [(token, "/api/v1/redemptions/fulfil", f'{{"voucher_code":"{code}"}}')
                                   for token, code in fulfil]
    return {operation: requests[operation] for operation in operations}


def run(database: str | None, seconds: int, connections: int, workers: int, operations: list[str],
        servers: int = 1, threads: int | None = None) -> dict:
    url, workdir = fresh_database(database)
    prepared = {}
    for operation, requests in requests_for(operations, url).items():
        files = [workdir / f"{operation}-{index}.txt" for index in range(servers)]
        for index, file in enumerate(files):
            file.write_text("".join(f"{token} {path} {body}\n" for token, path, body in requests[index::servers]))
        prepared[operation] = (files, len(requests))
    started_servers = [Server(server_env(url, workdir), free_port(), workers=workers, threads=threads).start() for _ in range(servers)]
    results = {"database": url.split(":", 1)[0].split("+")[0], "operations": {}}
    try:
        wrk_all(started_servers, "healthz.lua", seconds=2, connections=connections)  # warm-up
        ceiling = wrk_all(started_servers, "healthz.lua", seconds=seconds, connections=connections)
        results["healthz_split"] = [load["requests"] / seconds for load in ceiling]
        results["healthz_runs"] = [sum(load["requests"] for load in ceiling) / seconds]
        for operation, (files, available) in prepared.items():
            before = count(url, OPERATIONS[operation][0])
            started = time.monotonic()
            loads = wrk_all(started_servers, "posts.lua", seconds=seconds, connections=connections, lines=files)
            elapsed = time.monotonic() - started
            committed = count(url, OPERATIONS[operation][0]) - before
            answered = sum(load["requests"] for load in loads)
            if answered >= available:
                sys.exit(f"the load ran out of distinct {operation}: seed more")
            results["operations"][operation] = {
                "per_s": committed / min(elapsed, seconds), "committed": committed, "answered": answered,
                "non_2xx": sum(load["errors_status"] for load in loads),
                "split": [load["requests"] / seconds for load in loads],
                # the slowest server's percentiles (each wrk measures its own)
                "p50_ms": max(load["p50_us"] for load in loads) / 1000,
                "p99_ms": max(load["p99_us"] for load in loads) / 1000,
            }
        # The ceiling again, after the writes: on a shared machine it moves from minute to minute,
        # and each ratio is against the mean of the two (both are printed).
        again = wrk_all(started_servers, "healthz.lua", seconds=seconds, connections=connections)
        results["healthz_runs"].append(sum(load["requests"] for load in again) / seconds)
        results["healthz_per_s"] = sum(results["healthz_runs"]) / 2
        results["rss_mb"] = [rss_mb(pid) for server in started_servers for pid in server.worker_pids()]
    finally:
        for server in started_servers:
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped); default: a new SQLite file")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--operations", default="checkins", help=f"comma-separated, of {', '.join(OPERATIONS)}")
    parser.add_argument("--servers", type=int, default=1, help="app servers against the one database")
    parser.add_argument("--threads", type=int, help="threads per worker (default: benniu serve's)")
    args = parser.parse_args()
    operations = args.operations.split(",")
    if set(operations) - set(OPERATIONS):
        parser.error(f"--operations takes {', '.join(OPERATIONS)}")
    result = run(args.database, args.seconds, args.connections, args.workers, operations, args.servers, args.threads)
    database = result["database"]
    sync = f", synchronous {os.environ.get('BENNIU_SQLITE_SYNCHRONOUS', 'NORMAL')}" if database == "sqlite" else ""
    print(f"machine: {machine()}; load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"database: {database}{sync}, {args.connections} connections, {args.seconds} s, "
          f"{args.servers} server(s) of gunicorn {args.workers} workers"
          f"{f' x {args.threads} threads' if args.threads else ''}")
    split = lambda rates: "" if len(rates) < 2 else "  split " + " / ".join(f"{rate:.0f}" for rate in rates)  # noqa: E731
    before, after = result["healthz_runs"]
    print(f"GET /healthz (ceiling):  {result['healthz_per_s']:8.0f} req/s  (before {before:.0f}, after {after:.0f})"
          f"{split(result['healthz_split'])}")
    for operation, figures in result["operations"].items():
        target = OPERATIONS[operation][1][database]
        ratio = figures["per_s"] / result["healthz_per_s"]
        print(f"{operation + ' committed:':24} {figures['per_s']:8.0f} /s  ({figures['committed']} committed, "
              f"{figures['answered']} answered, {figures['non_2xx']} non-2xx){split(figures['split'])}")
        print(f"  ratio to ceiling:      {ratio:8.2f}   (target >= {target})  {'ok' if ratio >= target else 'MISSED'}")
        limit = P99_MS[database] if operation == "checkins" else None
        verdict = "" if limit is None else f"   (target p99 <= {limit} ms)  {'ok' if figures['p99_ms'] <= limit else 'MISSED'}"
        print(f"  latency:               p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms{verdict}")
        # Little's law: with every connection always waiting on an answer, the mean latency is
        # the connections over the rate, however the server spends its time.
        print(f"  mean latency at this rate: {args.connections} / {figures['per_s']:.0f} per s = "
              f"{1000 * args.connections / max(figures['per_s'], 1):.1f} ms")
    print(f"worker RSS after load:   {', '.join(f'{mb:.0f} MB' for mb in result['rss_mb'])}   (target <= 120 MB)  "
          f"{'ok' if result['rss_mb'] and max(result['rss_mb']) <= 120 else 'MISSED'}")


if __name__ == "__main__":
    main()
