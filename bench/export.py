"""Peak memory of exporting a community's whole ledger to XLSX, in a process of its own.

    python -m bench.export --database URL [--format xlsx]

Run by bench.reports on its large ledger; prints the rows, the time, the file's size and
the process's peak resident memory (target under 200 MB).
"""
import argparse
import re
import time
from pathlib import Path

from sqlalchemy import text

from api.identity.tokens import issue_token
from points.engines import make_engine

from .common import bench_app


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak so far) of this process, in MB."""
    return int(re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--format", default="xlsx", choices=("xlsx", "csv"))
    args = parser.parse_args()
    app = bench_app(args.database)
    sessions = app.extensions["benniu"].sessionmaker
    with sessions() as session, session.begin():
        community_id = session.execute(text("SELECT MIN(id) FROM communities")).scalar()
        token, _ = issue_token(session, role="organiser", name="export", community_id=community_id,
                               now=app.extensions["benniu"].clock.now())
    engine = make_engine(args.database)
    with engine.connect() as connection:
        entries = connection.execute(text("SELECT count(*) FROM entries")).scalar()
    engine.dispose()
    before = memory_mb("VmRSS")
    began = time.perf_counter()
    response = app.test_client().get(f"/api/v1/exports/entries?format={args.format}",
                                     headers={"Authorization": f"Bearer {token}"})
    size = sum(len(chunk) for chunk in response.response)
    took = time.perf_counter() - began
    assert response.status_code == 200
    peak = memory_mb("VmHWM")
    print(f"export entries as {args.format}: {entries} ledger entries (the community's members' half exported), "
          f"{size / 1e6:.0f} MB file in {took:.0f} s; process peak RSS {peak:.0f} MB (RSS before the export: "
          f"{before:.0f} MB) "
          f"(target < 200 MB) {'ok' if peak < 200 else 'MISSED'}")
    response.close()


if __name__ == "__main__":
    main()
