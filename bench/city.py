"""A city on one server: the console's pages, the API's reads, /me, a year's exports and `benniu verify`,
timed with one user on a database filled by `benniu seed`.

    benniu seed --communities 50 --members 200000 --entries 5000000     # BENNIU_DATABASE_URL=...
    python -m bench.city --database URL [--runs 20] [--only claims --only settlement ...]

Starts `benniu serve` (one worker) on the database, signs in an organiser of the largest seeded
community and one of its busiest volunteers, and requests every page and read `--runs` times
over one kept-alive connection after two untimed ones (p50 and p95). Exports stream a whole year
of the community while the worker's RSS is sampled: the time to the first byte, the total, and
the growth of RSS over what it was before. `benniu verify` runs last. Budgets from issue 25.
"""
import argparse
import http.client
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

import api.models  # noqa: F401
from api.identity.accounts import create_staff
from api.identity.tokens import issue_token
from points.engines import make_engine
from points.members import Member
from points.passwords import hash_password
from tests.e2e.server import BENNIU, Server, free_port

from .common import SECRET, machine
from .home_page import session_cookie
from .throughput import cpu_seconds, rss_mb

ZONE = ZoneInfo("Asia/Shanghai")
PASSWORD = "city-bench-1"
BUDGET_MS = {"page": 200, "api": 200, "me": 150}
EXPORT_TTFB_S, EXPORT_RSS_MB, VERIFY_S = 1.0, 50, 300


def busiest(url: str) -> dict:
    """The largest seeded community, its busiest member (most entries), and a staff phone,
    a volunteer password and tokens to see them with."""
    engine = make_engine(url)
    stamp = f"{int(time.time()) % 10**8:08d}"
    now = datetime.now(timezone.utc)
    with Session(engine) as session, session.begin():
        community_id = session.execute(select(Member.community_id, func.count()).group_by(Member.community_id)
                                       .order_by(func.count().desc()).limit(1)).first()[0]
        member = session.scalars(select(Member).where(Member.community_id == community_id).order_by(
            text("(SELECT count(*) FROM entries WHERE entries.account_id = members.account_id) DESC")).limit(1)).one()
        member.password_hash = hash_password(PASSWORD)
        phone = f"199{stamp}"
        create_staff(session, role="organiser", name="城市压测 民警", phone=phone, password=PASSWORD, now=now,
                     community_id=community_id)
        found = {
            "community_id": community_id, "member_id": member.id, "member_phone": member.phone,
            "name_prefix": member.name[:2], "phone_prefix": member.phone[:7], "staff_phone": phone,
            "organiser": issue_token(session, role="organiser", name="城市压测", community_id=community_id, now=now)[0],
            "volunteer": issue_token(session, role="volunteer", name=member.name, member_id=member.id, now=now)[0]}
        for name, sql in (("activity_id", "SELECT max(id) FROM activities WHERE community_id = :c"),
                          ("claim_id", "SELECT max(id) FROM claims WHERE community_id = :c"),
                          ("redemption_id", "SELECT max(id) FROM redemptions WHERE community_id = :c"),
                          ("partner_id", "SELECT max(partner_id) FROM redemptions WHERE community_id = :c"),
                          ("voucher", "SELECT max(voucher_code) FROM redemptions WHERE community_id = :c "
                                      "AND status = 'reserved'")):
            found[name] = session.execute(text(sql), {"c": community_id}).scalar()
        found["checkin_id"] = session.execute(text("SELECT max(id) FROM checkins WHERE activity_id = :a"),
                                              {"a": found["activity_id"]}).scalar()
    engine.dispose()
    return found


def pages(city: dict, year: int, month: str) -> list[tuple[str, str, str]]:
    """(what, kind, path) of every console page and API read timed."""
    c, m = city["community_id"], city["member_id"]
    return [
        ("console: today", "page", "/console"),
        ("console: members by name", "page", f"/console/members?q={city['name_prefix']}"),
        ("console: members by phone prefix", "page", f"/console/members?q={city['phone_prefix']}"),
        ("console: a member's page", "page", f"/console/members/{m}"),
        ("console: activities of a month", "page", f"/console/activities?month={month}"),
        ("console: an activity", "page", f"/console/activities/{city['activity_id']}"),
        ("console: claims queue", "page", "/console/claims"),
        ("console: reports", "page", "/console/reports"),
        ("console: annual ranking", "page", f"/console/reports?year={year}"),
        ("console: vouchers", "page", "/console/vouchers"),
        ("console: audit log", "page", "/console/audit"),
        ("/me", "me", "/me"),
        ("/me/entries", "me", "/me/entries"),
        ("GET /members?q=name", "api", f"/api/v1/members?community_id={c}&q={city['name_prefix']}"),
        ("GET /members?q=phone", "api", f"/api/v1/members?community_id={c}&q={city['phone_prefix']}"),
        ("GET /members/{id}", "api", f"/api/v1/members/{m}"),
        ("GET /members/{id}/balance", "api", f"/api/v1/members/{m}/balance"),
        ("GET /members/{id}/entries", "api", f"/api/v1/members/{m}/entries"),
        ("GET /activities (a month)", "api", f"/api/v1/activities?community_id={c}&from={month}-01"),
        ("GET /activities/{id}", "api", f"/api/v1/activities/{city['activity_id']}"),
        ("GET /activities/{id}/checkins", "api", f"/api/v1/activities/{city['activity_id']}/checkins"),
        ("GET /checkins/{id}", "api", f"/api/v1/checkins/{city['checkin_id']}"),
        ("GET /claims?status=pending", "api", f"/api/v1/claims?community_id={c}&status=pending"),
        ("GET /claims/{id}", "api", f"/api/v1/claims/{city['claim_id']}"),
        ("GET /leaderboard (year)", "api", f"/api/v1/leaderboard?community_id={c}&period=year"),
        ("GET /leaderboard (all)", "api", f"/api/v1/leaderboard?community_id={c}&period=all"),
        ("GET /reports/summary", "api", f"/api/v1/reports/summary?community_id={c}&from={year}-01-01"),
        ("GET /reports/annual", "api", f"/api/v1/reports/annual?community_id={c}&year={year}"),
        ("GET /rules", "api", f"/api/v1/rules?community_id={c}"),
        ("GET /rewards", "api", f"/api/v1/rewards?community_id={c}"),
        ("GET /redemptions?member_id", "api", f"/api/v1/redemptions?member_id={m}"),
        ("GET /redemptions/{id}", "api", f"/api/v1/redemptions/{city['redemption_id']}"),
        ("GET /partners", "api", "/api/v1/partners"),
        ("GET /partners/{id}/settlement (month)", "api",
         f"/api/v1/partners/{city['partner_id']}/settlement?from={month}-01T00:00:00"),
        ("GET /partners/{id}/settlement (all)", "api", f"/api/v1/partners/{city['partner_id']}/settlement"),
        ("GET /vouchers/{code}", "api", f"/api/v1/vouchers/{city['voucher']}"),
        ("GET /communities", "api", "/api/v1/communities"),
        ("GET /notices", "api", f"/api/v1/notices?community_id={c}"),
    ]


def timed(connection: http.client.HTTPConnection, path: str, headers: dict, runs: int) -> tuple[int, list[float]]:
    """The status and `runs` timings (ms) of GET `path`, after two untimed requests."""
    timings, status = [], None
    for run in range(runs + 2):
        began = time.perf_counter()
        connection.request("GET", quote(path, safe="/?&=-_."), headers=headers)
        response = connection.getresponse()
        response.read()
        if run >= 2:
            timings.append((time.perf_counter() - began) * 1000)
        status = response.status
    return status, timings


def p95(timings: list[float]) -> float:
    return sorted(timings)[max(0, math.ceil(len(timings) * 0.95) - 1)]


def export(server: Server, path: str, headers: dict) -> dict:
    """Stream one export: time to first byte and in all, bytes, and the worker's RSS growth."""
    worker = server.worker_pids()[0]
    before, peak, done = rss_mb(worker), [rss_mb(worker)], threading.Event()

    def sample():
        while not done.is_set() and Path(f"/proc/{worker}/status").exists():
            try:
                peak.append(rss_mb(worker))
            except (OSError, AttributeError):  # the worker went away (or is a zombie): no more samples
                return
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    cpu, began = cpu_seconds([worker]), time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - began
    try:
        size, status = len(first) + len(response.read()), response.status
    except http.client.HTTPException:  # the server cut the download short
        size, status = 0, "cut"
    total, cpu = time.perf_counter() - began, cpu_seconds([worker]) - cpu
    done.set()
    sampler.join()
    connection.close()
    return {"status": status, "ttfb": ttfb, "total": total, "bytes": size, "growth": max(peak) - before,
            "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a database filled by benniu seed")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", action="append", default=[],
                        help="time only what names this (repeatable): 'claims', 'settlement', 'entries.csv', 'verify'")
    args = parser.parse_args()
    wanted = lambda what: not args.only or any(word in what for word in args.only)  # noqa: E731
    city = busiest(args.database)
    now = datetime.now(ZONE)
    year, month = now.year - 1, f"{now:%Y-%m}"
    workdir = Path(tempfile.mkdtemp(prefix="benniu-city-"))
    env = {"BENNIU_DATABASE_URL": args.database, "BENNIU_SECRET_KEY": SECRET, "BENNIU_RATELIMIT_ENABLED": "false",
           "BENNIU_INSTANCE_PATH": str(workdir / "instance")}
    engine = make_engine(args.database)
    with engine.connect() as connection:
        sizes = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                 for table in ("communities", "members", "entries", "checkins", "activities", "redemptions")}
    engine.dispose()
    print(f"# {engine.dialect.name}: " + ", ".join(f"{count:,} {table}" for table, count in sizes.items()))
    print(f"# {machine()}; load average {os.getloadavg()[0]:.1f} at the start; one user, {args.runs} runs each")
    server = Server(env, free_port(), workers=1).start()
    failed = []
    try:
        base = server.url
        cookies = {"page": session_cookie(base, city["staff_phone"], PASSWORD),
                   "me": session_cookie(base, city["member_phone"], PASSWORD)}
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        worker = server.worker_pids()
        print(f"{'what':<36} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>7} {'budget':>7}")
        for what, kind, path in (page for page in pages(city, year, month) if wanted(page[0])):
            headers = ({"Authorization": f"Bearer {city['organiser']}"} if kind == "api"
                       else {"Cookie": f"benniu_session={cookies[kind]}"})
            cpu = cpu_seconds(worker)
            status, timings = timed(connection, path, headers, args.runs)
            cpu_ms = (cpu_seconds(worker) - cpu) * 1000 / (args.runs + 2)  # the worker's own CPU per request
            worst = p95(timings)
            over = status == 200 and worst > BUDGET_MS[kind]
            failed += [what] if over else []
            print(f"{what:<36} {status:>6} {statistics.median(timings):>8.1f} {worst:>8.1f} "
                  f"{cpu_ms:>7.1f} {BUDGET_MS[kind]:>7}{'  OVER' if over else ''}")
        connection.close()
        organiser = {"Authorization": f"Bearer {city['organiser']}"}
        print(f"\n{'export of ' + str(year):<36} {'status':>6} {'first B':>8} {'total s':>8} {'MB':>7} {'RSS +MB':>8} {'CPU s':>6}")
        for what in ("entries", "members", "redemptions", "annual"):
            for form in (form for form in ("csv", "xlsx") if wanted(f"{what}.{form}")):
                path = (f"/api/v1/exports/{what}?community_id={city['community_id']}&from={year}-01-01"
                        f"&to={year + 1}-01-01&year={year}&format={form}")
                found = export(server, path, organiser)
                over = found["ttfb"] > EXPORT_TTFB_S or found["growth"] > EXPORT_RSS_MB or found["status"] != 200
                failed += [f"export {what}.{form}"] if over else []
                print(f"{what + '.' + form:<36} {found['status']:>6} {found['ttfb']:>7.2f}s {found['total']:>8.1f} "
                      f"{found['bytes'] / 2**20:>7.1f} {found['growth']:>8.1f} {found['cpu']:>6.2f}"
                      f"{'  OVER' if over else ''}")
    finally:
        server.stop()
    if not wanted("verify"):
        sys.exit("over budget: " + ", ".join(failed) if failed else 0)
    began = time.perf_counter()
    verified = subprocess.run([str(BENNIU), "verify"], env={**os.environ, **env}, capture_output=True, text=True)
    took = time.perf_counter() - began
    said = re.sub(r"\s+", " ", verified.stdout.strip())[:60]
    print(f"\nbenniu verify: {said} in {took:.0f} s (budget {VERIFY_S} s)")
    if took > VERIFY_S or verified.returncode:
        failed.append("verify")
    if failed:
        sys.exit("over budget: " + ", ".join(failed))


if __name__ == "__main__":
    main()
