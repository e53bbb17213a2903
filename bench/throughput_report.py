"""What `python -m bench.throughput` prints: each run's figures, and runs that took turns side by side."""
import os
from pathlib import Path

from .common import machine

# A paced run that reaches more than this share of the saturated rate was not paced.
PACED_AT_MOST = 0.75


def was_paced(figures: dict) -> bool:
    """Whether an operation's paced run held its pace, well below the saturated rate."""
    return figures["paced"]["per_s"] <= PACED_AT_MOST * figures["per_s"]


def _paced_cell(figures: dict) -> str:
    if "paced" not in figures:
        return "- |"
    share = figures["paced"]["per_s"] / figures["per_s"]
    if not was_paced(figures):
        return f"(not paced: {share:.2f}) |"
    return f"{share:.2f}, {figures['paced']['p50_ms']:.0f} / {figures['paced']['p99_ms']:.0f} ms |"


def report(result: dict, args, operations: dict, paced_p99_ms: dict) -> None:
    """One run's figures against the targets (`operations`: each one's ratio to reach)."""
    database = result["database"]
    sync = f", synchronous {os.environ.get('BENNIU_SQLITE_SYNCHRONOUS', 'NORMAL')}" if database == "sqlite" else ""
    print(f"\n== {result.get('label', 'this checkout, benniu')}")
    print(f"machine: {machine()}; load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"database: {database}{sync}, {args.connections} connections, {args.rounds} rounds of {args.seconds} s, "
          f"{args.servers} server(s) of gunicorn {args.workers} workers"
          f"{f' x {args.threads} threads' if args.threads else ''}")
    split = lambda rates: "" if len(rates) < 2 else "  split " + " / ".join(f"{rate:.0f}" for rate in rates)  # noqa: E731
    runs = " / ".join(f"{rate:.0f}" for rate in result["healthz_runs"])
    where = "app and database" if database == "postgresql" else "app"
    print(f"GET /healthz (ceiling):  {result['healthz_per_s']:8.0f} req/s  (median of {runs})"
          f"{split(result['healthz_split'])}")
    print(f"  CPU per request ({where}): {result['healthz_cpu_ms']:.2f} ms")
    for operation, figures in result["operations"].items():
        target = operations[operation][1][database]
        ratio = figures["ratio"]
        print(f"{operation + ' committed:':24} {figures['per_s']:8.0f} /s in the median round "
              f"(rounds {' / '.join(f'{rate:.0f}' for rate in figures['rates'])}; {figures['committed']} committed, "
              f"{figures['answered']} answered, {figures['non_2xx']} non-2xx){split(figures['split'])}")
        print(f"  ratio to ceiling:      {ratio:8.2f}   (target >= {target})  {'ok' if ratio >= target else 'MISSED'}"
              f"   rounds {' / '.join(f'{r:.2f}' for r in figures['ratios'])}")
        print(f"  CPU per {operation[:-1]} ({where}): {figures['cpu_ms']:.2f} ms "
              f"= {figures['cpu_ms'] / result['healthz_cpu_ms']:.1f} x /healthz")
        print(f"  latency, saturated:    p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms")
        # Little's law: with every connection always waiting on an answer, the mean latency is
        # the connections over the rate, however the server spends its time: saturated
        # percentiles are the rate again, so latency is judged paced.
        print(f"  mean latency at this rate: {args.connections} / {figures['per_s']:.0f} per s = "
              f"{1000 * args.connections / max(figures['per_s'], 1):.1f} ms")
        if "paced" in figures:
            paced, limit = figures["paced"], paced_p99_ms[database] if operation == "checkins" else None
            if not was_paced(figures):  # a server that closes every connection
                verdict = "   (not paced: wrk's delay does not survive a reconnect; saturated again)"
            elif limit is not None:
                verdict = f"   (target p99 <= {limit} ms)  {'ok' if paced['p99_ms'] <= limit else 'MISSED'}"
            else:
                verdict = ""
            print(f"  paced at {paced['per_s']:.0f} /s ({paced['per_s'] / figures['per_s']:.2f} of the median rate): "
                  f"p50 {paced['p50_ms']:.1f} ms, p99 {paced['p99_ms']:.1f} ms{verdict}")
    print(f"worker RSS after load:   {', '.join(f'{mb:.0f} MB' for mb in result['rss_mb'])}   (target <= 120 MB)  "
          f"{'ok' if result['rss_mb'] and max(result['rss_mb']) <= 120 else 'MISSED'}")


def side_by_side(results: list[dict]) -> None:
    """Runs that took turns, one line each in the order they ran: compare within a line's neighbours."""
    print("\n| run | /healthz req/s | operation | per s | ratio (rounds) | CPU x /healthz | p99 saturated | paced: share, p50 / p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        for operation, figures in result["operations"].items():
            print(f"| {result['label']} | {result['healthz_per_s']:.0f} | {operation} | {figures['per_s']:.0f} | "
                  f"{figures['ratio']:.2f} ({' / '.join(f'{r:.2f}' for r in figures['ratios'])}) | "
                  f"{figures['cpu_ms'] / result['healthz_cpu_ms']:.1f} | {figures['p99_ms']:.0f} ms | "
                  + _paced_cell(figures))
