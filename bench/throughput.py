"""Check-in throughput over HTTP: `benniu serve` (gunicorn, 2 workers) under wrk on loopback.

    python -m bench.throughput [--database URL] [--seconds 10] [--connections 16]

Measures GET /healthz on the same server first (the ceiling), then real QR check-ins
(distinct volunteers and activities, each with a volunteer token and a signed code),
counts the check-ins committed in the database afterwards, and prints the ratio, the
latency percentiles and each worker's memory.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.server import Server, free_port

from .common import count_rows, fresh_database, machine, seed_checkins, server_env

HERE = Path(__file__).parent
THREADS = 2


def wrk(url: str, script: str, *, seconds: int, connections: int, env: dict) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(HERE / script), url],
        capture_output=True, text=True, env={**os.environ, **env}, check=True).stdout
    figures = dict(re.findall(r"(\w+)=(\d+)", output.split("BENNIU", 1)[1]))
    return {key: int(value) for key, value in figures.items()}


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def run(database: str | None, seconds: int, connections: int, workers: int) -> dict:
    url, workdir = fresh_database(database)
    pairs = seed_checkins(url, volunteers=3000, activities=12)
    pairs_file = workdir / "pairs.txt"
    pairs_file.write_text("".join(f"{token} {code}\n" for token, code in pairs))
    server = Server(server_env(url, workdir), free_port(), workers=workers).start()
    try:
        wrk(server.url + "/healthz", "healthz.lua", seconds=2, connections=connections, env={})  # warm-up
        ceiling = wrk(server.url + "/healthz", "healthz.lua", seconds=seconds, connections=connections, env={})
        before = count_rows(url, "checkins")
        started = time.monotonic()
        load = wrk(server.url + "/api/v1/checkins", "checkins.lua", seconds=seconds, connections=connections,
                   env={"BENNIU_PAIRS": str(pairs_file), "BENNIU_THREADS": str(THREADS)})
        elapsed = time.monotonic() - started
        committed = count_rows(url, "checkins") - before
        memory = [rss_mb(pid) for pid in server.worker_pids()]
    finally:
        server.stop()
    if load["requests"] >= len(pairs):
        sys.exit("the load ran out of distinct check-ins: seed more pairs")
    return {
        "database": url.split(":", 1)[0].split("+")[0],
        "healthz_per_s": ceiling["requests"] / seconds,
        "checkins_per_s": committed / min(elapsed, seconds),
        "committed": committed, "answered": load["requests"], "non_2xx": load["errors_status"],
        "p50_ms": load["p50_us"] / 1000, "p99_ms": load["p99_us"] / 1000,
        "rss_mb": memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped); default: a new SQLite file")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = run(args.database, args.seconds, args.connections, args.workers)
    target = 0.25 if result["database"] == "sqlite" else 0.12
    ratio = result["checkins_per_s"] / result["healthz_per_s"]
    print(f"machine: {machine()}")
    print(f"database: {result['database']}, {args.connections} connections, {args.seconds} s, "
          f"gunicorn {args.workers} workers")
    print(f"GET /healthz (ceiling):  {result['healthz_per_s']:8.0f} req/s")
    print(f"check-ins committed:     {result['checkins_per_s']:8.0f} /s  ({result['committed']} committed, "
          f"{result['answered']} answered, {result['non_2xx']} non-2xx)")
    print(f"ratio to ceiling:        {ratio:8.2f}   (target >= {target})  {'ok' if ratio >= target else 'MISSED'}")
    print(f"check-in latency:        p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms   "
          f"(target p99 <= 30 ms)  {'ok' if result['p99_ms'] <= 30 else 'MISSED'}")
    # Little's law: with every connection always waiting on an answer, the mean latency is
    # the connections over the rate, however the server spends its time.
    print(f"  mean latency at this rate: {args.connections} / {result['checkins_per_s']:.0f} per s = "
          f"{1000 * args.connections / result['checkins_per_s']:.1f} ms")
    print(f"worker RSS after load:   {', '.join(f'{mb:.0f} MB' for mb in result['rss_mb'])}   (target <= 120 MB)  "
          f"{'ok' if result['rss_mb'] and max(result['rss_mb']) <= 120 else 'MISSED'}")


if __name__ == "__main__":
    main()
