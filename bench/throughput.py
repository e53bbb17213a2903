"""Write throughput over HTTP: `benniu serve` (gunicorn, 2 workers) under wrk on loopback.

    python -m bench.throughput [--database URL] [--seconds 5] [--rounds 3] [--connections 16]
                               [--operations checkins,redemptions,fulfilments] [--servers 1] [--paced]
                               [--server benniu,proxied,nginx,gthread] [--against COMMIT] [--turns 2]

Alternates GET /healthz on the same server (the ceiling) with each operation, `--rounds` times:
distinct requests of real QR check-ins (a volunteer token and a signed activity code each),
redemptions (a volunteer with points takes a 10-point reward: stock taken, points held, voucher
issued) and fulfilments (a clerk hands over a voucher issued beforehand: the held points are
spent). Counts what was committed in the database, and prints for each operation its ratio to
the ceilings measured around it (the median round, and every round), the CPU the workers (and
PostgreSQL's processes) spent per request, which moves far less with the machine than any rate,
the latency percentiles and each worker's memory.

With `--paced`, each operation then runs once more at about half its median rate: every
connection waits a random time (exponential) before each request, its mean set by a first short
run so that the rate reached is half (wrk has no constant-rate mode; wrk2 is not packaged), and
the latency percentiles of that run are latency at a healthy load, where the saturated ones are,
by Little's law, the rate again.

With `--server proxied` it is `benniu serve --behind-proxy` (gunicorn's sync workers, as deploy/
runs it behind nginx), with `--server gthread` gunicorn's own threaded workers (bench/servers.py).
A sync worker closes the connection after each answer, and wrk's pacing does not survive the
reconnect: its "paced" run is saturated again; `--server nginx` paces them through nginx. With
`--against COMMIT` that commit, checked out in a `git worktree` of its own, serves too, in each
`--server` but nginx: `benniu` as it shipped (its own `benniu serve`), `proxied` on gunicorn's
sync workers under its own configuration (2a138b8 shipped those). Several servers or commits
take turns in one invocation (`--turns` runs of each, the order reversed every other turn), each
run the whole harness from a fresh database, and a table puts their runs side by side. Each
database is migrated and seeded by the code that serves it (bench/prepare.py, in that checkout),
so a commit with an older schema, such as 2a138b8 before the lots, tallies and notices, can take
turns with this one.

With `--servers 2` it starts two `benniu serve` on two ports against the one database and drives
each with its own wrk (half the connections each, disjoint requests): the figures are the sums,
and each server's share is shown.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

from tests.e2e.server import Server, children, free_port

from .common import count, server_env
from .servers import KINDS, checkout, server_for
from .throughput_report import report, side_by_side

HERE = Path(__file__).parent
THREADS = 2

# operation: (what is committed, counted in the database; the ratio it should reach)
OPERATIONS = {
    "checkins": ("SELECT count(*) FROM checkins", {"sqlite": 0.25, "postgresql": 0.25}),
    "redemptions": ("SELECT count(*) FROM redemptions", {"sqlite": 0.2, "postgresql": 0.2}),
    "fulfilments": ("SELECT count(*) FROM redemptions WHERE status = 'fulfilled'", {"sqlite": 0.2, "postgresql": 0.2}),
}
P99_MS = {"sqlite": 20, "postgresql": 25}  # a check-in's, paced at half its rate (issue 25)


def wrk(url: str, script: str, *, seconds: int, connections: int, env: dict) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(HERE / script), url],
        capture_output=True, text=True, env={**os.environ, **env}, check=True).stdout
    figures = dict(re.findall(r"(\w+)=(\d+)", output.split("BENNIU", 1)[1]))
    return {key: int(value) for key, value in figures.items()}


def wrk_all(servers: list[Server], script: str, *, seconds: int, connections: int, lines: list[Path] | None = None,
            delay_ms: float = 0) -> list[dict]:
    """wrk against every server at once, the connections split between them; each server gets
    its own file of requests, so no request is sent twice. `delay_ms`: the mean pause of each
    connection before each request (posts.lua), 0 for none."""
    def one(index: int) -> dict:
        env = {"BENNIU_REQUESTS": str(lines[index]), "BENNIU_THREADS": str(THREADS),
               "BENNIU_DELAY_MS": str(delay_ms)} if lines else {}
        return wrk(servers[index].url + "/healthz", script, seconds=seconds,
                   connections=connections // len(servers), env=env)

    with ThreadPoolExecutor(len(servers)) as pool:
        return list(pool.map(one, range(len(servers))))


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def prepare(database: str | None, operations: list[str], tree: Path | None) -> tuple[str, Path, dict]:
    """A fresh database migrated and seeded by the code at `tree` (default: this checkout), in a
    process of its own (bench/prepare.py): its URL, a working directory, and each operation's
    distinct requests as (token, path, JSON body)."""
    root = tree or HERE.parent
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, str(HERE / "prepare.py"), database or "", ",".join(operations), out.name],
                       cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, check=True)
        prepared = json.loads(Path(out.name).read_text(encoding="utf-8"))
    return prepared["url"], Path(prepared["workdir"]), prepared["requests"]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU these processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a PostgreSQL backend that has just gone
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def cluster_pids(url: str):
    """The processes of the PostgreSQL cluster at `url` (its postmaster's children, whatever
    other clusters the machine runs), listed anew each time; SQLite has none."""
    if not url.startswith("postgresql"):
        return lambda: []
    backend = count(url, "SELECT pg_backend_pid()")
    postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])  # its ppid
    return lambda: children(postmaster)


def run(database: str | None, seconds: int, connections: int, workers: int, operations: list[str],
        servers: int = 1, threads: int | None = None, rounds: int = 3, paced: bool = False, kind: str = "benniu",
        tree: Path | None = None) -> dict:
    """Alternate the ceiling and each operation, `rounds` times, `seconds` each: every operation's
    ratio is taken against the ceilings measured just before and just after it, round by round,
    and the median round is reported, so that the machine's own swings (the ceiling has moved by
    a factor of two between runs minutes apart) fall on both sides of a ratio alike."""
    url, workdir, seeded = prepare(database, operations, tree)
    prepared = {}
    runs = rounds + 2 * paced  # the paced runs (finding the pace, then at it) take requests of their own
    for operation, requests in seeded.items():
        # a file of requests for each round and server: wrk starts each file from its first line
        files = [[workdir / f"{operation}-{round_}-{index}.txt" for index in range(servers)] for round_ in range(runs)]
        for round_, round_files in enumerate(files):
            for index, file in enumerate(round_files):
                share = requests[round_ * servers + index::runs * servers]
                file.write_text("".join(f"{token} {path} {body}\n" for token, path, body in share))
        prepared[operation] = (files, len(requests) // runs)
    started_servers = [server_for(server_env(url, workdir), free_port(), kind=kind, workers=workers, threads=threads,
                              tree=tree).start() for _ in range(servers)]
    workers_pids = [pid for server in started_servers for pid in server.worker_pids()]
    database_pids = cluster_pids(url)

    def phase(script: str, lines: list[Path] | None = None, delay_ms: float = 0) -> dict:
        pids = workers_pids + database_pids()
        cpu, started = cpu_seconds(pids), time.monotonic()
        loads = wrk_all(started_servers, script, seconds=seconds, connections=connections, lines=lines,
                        delay_ms=delay_ms)
        elapsed = time.monotonic() - started
        return {"loads": loads, "elapsed": elapsed, "cpu": cpu_seconds(pids) - cpu,
                "answered": sum(load["requests"] for load in loads)}

    results = {"database": url.split(":", 1)[0].split("+")[0], "operations": {}, "healthz_runs": []}
    rounds_seen = {operation: [] for operation in prepared}
    try:
        wrk_all(started_servers, "healthz.lua", seconds=2, connections=connections)  # warm-up
        ceilings = [phase("healthz.lua")]
        for round_ in range(rounds):
            for operation, (files, available) in prepared.items():
                before = count(url, OPERATIONS[operation][0])
                measured = phase("posts.lua", files[round_])
                measured["committed"] = count(url, OPERATIONS[operation][0]) - before
                measured["ceiling_before"] = ceilings[-1]
                rounds_seen[operation].append(measured)
                # wrk's threads each take every other line and start over at the end: stop well short
                if measured["answered"] >= 0.8 * available:
                    sys.exit(f"the load ran out of distinct {operation}: seed more")
            ceilings.append(phase("healthz.lua"))
            for operation in prepared:
                rounds_seen[operation][-1]["ceiling_after"] = ceilings[-1]
        results["healthz_runs"] = [ceiling["answered"] / seconds for ceiling in ceilings]
        results["healthz_per_s"] = statistics.median(results["healthz_runs"])
        results["healthz_split"] = [load["requests"] / seconds for load in ceilings[-1]["loads"]]
        results["healthz_cpu_ms"] = 1000 * sum(c["cpu"] for c in ceilings) / sum(c["answered"] for c in ceilings)
        for operation, seen in rounds_seen.items():
            for measured in seen:
                measured["per_s"] = measured["committed"] / min(measured["elapsed"], seconds)
                ceiling = (measured["ceiling_before"]["answered"] + measured["ceiling_after"]["answered"]) / 2 / seconds
                measured["ratio"] = measured["per_s"] / ceiling
            middle = sorted(seen, key=lambda measured: measured["ratio"])[len(seen) // 2]
            loads = middle["loads"]
            results["operations"][operation] = {
                "per_s": middle["per_s"], "ratio": middle["ratio"], "ratios": [m["ratio"] for m in seen],
                "rates": [m["per_s"] for m in seen],
                "committed": sum(m["committed"] for m in seen), "answered": sum(m["answered"] for m in seen),
                "non_2xx": sum(load["errors_status"] for m in seen for load in m["loads"]),
                "cpu_ms": 1000 * sum(m["cpu"] for m in seen) / max(sum(m["committed"] for m in seen), 1),
                "split": [load["requests"] / seconds for load in loads],
                # the slowest server's percentiles (each wrk measures its own), in the median round
                "p50_ms": max(load["p50_us"] for load in loads) / 1000,
                "p99_ms": max(load["p99_us"] for load in loads) / 1000,
            }
        if paced:
            for operation, (files, _) in prepared.items():
                figures = results["operations"][operation]
                # C connections each taking 2C/R per request (a pause, then the answer's wait) send
                # R/2. The wait is not known before: a first run pauses 2C/R and measures it (wrk's
                # mean latency); the measured run pauses that much less.
                cycle_ms = 1000 * 2 * connections / figures["per_s"]
                delay_ms = cycle_ms
                for file in files[rounds:]:
                    before = count(url, OPERATIONS[operation][0])
                    measured = phase("posts.lua", file, delay_ms=delay_ms)
                    reached = (count(url, OPERATIONS[operation][0]) - before) / min(measured["elapsed"], seconds)
                    waited_ms = max(load["mean_us"] for load in measured["loads"]) / 1000
                    delay_ms = max(cycle_ms - waited_ms, 0)
                figures["paced"] = {"per_s": reached,
                                    "p50_ms": max(load["p50_us"] for load in measured["loads"]) / 1000,
                                    "p99_ms": max(load["p99_us"] for load in measured["loads"]) / 1000}
        results["rss_mb"] = [rss_mb(pid) for server in started_servers for pid in server.worker_pids()]
    finally:
        for server in started_servers:
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a postgresql+psycopg:// URL (wiped); default: a new SQLite file")
    parser.add_argument("--seconds", type=int, default=5, help="of each phase")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--operations", default="checkins", help=f"comma-separated, of {', '.join(OPERATIONS)}")
    parser.add_argument("--servers", type=int, default=1, help="app servers against the one database")
    parser.add_argument("--threads", type=int, help="threads per worker (default: benniu serve's)")
    parser.add_argument("--paced", action="store_true", help="then each operation at about half its rate")
    parser.add_argument("--server", default="benniu",
                        help=f"comma-separated, of {', '.join(KINDS)}: several take turns, as --against does")
    parser.add_argument("--against", metavar="COMMIT", help="take turns with this commit (a git worktree of its own)")
    parser.add_argument("--turns", type=int, default=2, help="with --against or several --server: runs of each")
    args = parser.parse_args()
    operations, kinds = args.operations.split(","), args.server.split(",")
    if set(operations) - set(OPERATIONS):
        parser.error(f"--operations takes {', '.join(OPERATIONS)}")
    if set(kinds) - set(KINDS):
        parser.error(f"--server takes {', '.join(KINDS)}")
    with checkout(args.against) if args.against else nullcontext() as tree:
        # a commit against which this one is measured: as it shipped (`benniu`, its own `benniu
        # serve`), on gunicorn's sync workers (`proxied`) or plain gthread; nginx is this checkout's
        contenders = [(kind, None) for kind in kinds] + [(kind, tree) for kind in kinds
                                                         if tree is not None and kind != "nginx"]
        results = []
        for turn in range(args.turns if len(contenders) > 1 else 1):
            # the order turns round each time, so that a machine growing busier weighs on each alike
            for kind, checked_out in (contenders if turn % 2 == 0 else contenders[::-1]):
                result = run(args.database, args.seconds, args.connections, args.workers, operations, args.servers,
                             args.threads, args.rounds, args.paced, kind, checked_out)
                result["label"] = f"{args.against if checked_out else 'this checkout'}, {kind}"
                report(result, args, OPERATIONS, P99_MS)
                results.append(result)
    if len(results) > 1:
        side_by_side(results)


if __name__ == "__main__":
    main()
