"""`benniu verify` on a seeded database: the tally recount and every check, timed, before and after.

    benniu seed --communities 20 --members 50000 --entries 500000     # BENNIU_DATABASE_URL=...
    python -m bench.verify --database URL [--before 70d72ea]

Runs the checks `benniu verify` runs (points.verify.ledger_checks with the service's zone), each
timed, after timing `points.recount.expected_tallies` alone, once with this tree's code and once
with the code of `--before` (checked out in a temporary git worktree), each in its own process
(its peak RSS shown). Both recounts must give the same tallies: a digest of them is compared.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent
ZONE = "Asia/Shanghai"


def measure(url: str) -> dict:
    """In the child: the recount alone, then each of verify's checks, timed (seconds)."""
    from zoneinfo import ZoneInfo

    from sqlalchemy.orm import Session

    import api.models  # noqa: F401  (every table, the supermarket's too)
    import points
    from points.engines import make_engine
    from points.recount import expected_tallies
    from points.verify import ledger_checks

    engine, zone = make_engine(url), ZoneInfo(ZONE)
    found = {"code": str(Path(points.__file__).parent.parent), "checks": {}}
    with Session(engine) as session:
        began = time.perf_counter()
        tallies = expected_tallies(session, zone=zone)
        found["recount"] = time.perf_counter() - began
        found["rows"] = [len(part) for part in tallies]
        # Order-free, and the same in both processes (PYTHONHASHSEED is fixed for them).
        found["digest"] = [sum(hash(item) for item in part.items()) % 2**64 for part in tallies]
        del tallies
        problems, began = 0, time.perf_counter()
        for check in ledger_checks(zone=zone):
            started = time.perf_counter()
            problems += len(check(session))
            name = getattr(check, "__name__", None) or check.func.__name__
            found["checks"][name] = time.perf_counter() - started
        found["verify"], found["problems"] = time.perf_counter() - began, problems
    engine.dispose()
    found["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return found


def run(url: str, tree: Path) -> dict:
    """`measure` in a new process on the code of `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    done = subprocess.run([sys.executable, __file__, "--database", url, "--measure"], env=env, cwd=tree,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"measuring in {tree} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a database filled by benniu seed")
    parser.add_argument("--before", default="70d72ea", help="the commit to compare with ('' for none)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.database)))
        return
    results = {"after": run(args.database, TREE)}
    if args.before:
        with tempfile.TemporaryDirectory(prefix="benniu-before-") as place:
            old = Path(place) / "tree"
            subprocess.run(["git", "-C", str(TREE), "worktree", "add", "--detach", str(old), args.before],
                           check=True, capture_output=True)
            try:
                results = {"before": run(args.database, old), **results}
            finally:
                subprocess.run(["git", "-C", str(TREE), "worktree", "remove", "--force", str(old)], check=True)
    print(f"# {args.database.split('@')[-1]}; load average {os.getloadavg()[0]:.1f}; "
          f"{results['after']['rows'][0]:,} member tallies, {results['after']['rows'][1]:,} community figures")
    names = list(results["after"]["checks"])
    print(f"{'code':<8} {'recount s':>10} " + " ".join(f"{name.strip('_'):>18}" for name in names)
          + f" {'verify s':>9} {'problems':>9} {'peak RSS MB':>12}")
    for label, found in results.items():
        print(f"{label:<8} {found['recount']:>10.1f} "
              + " ".join(f"{found['checks'].get(name, float('nan')):>18.1f}" for name in names)
              + f" {found['verify']:>9.1f} {found['problems']:>9} {found['rss_mb']:>12.0f}")
    if "before" in results:
        same = results["before"]["digest"] == results["after"]["digest"]
        print(f"same tallies before and after: {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
