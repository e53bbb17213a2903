"""A paper points book of 5,000 award rows through the console, as an organiser does it: upload the
.xlsx, open the preview (every row checked), press 确认发放. Target: the whole import under 10 s.

    python -m bench.batch_awards [--database URL] [--rows 5000] [--members 1000]

Runs in-process through Flask's test client on a fresh, migrated database (a SQLite file unless
--database names one): what is timed is the service's work, not a network. The rows spread over
`--members` members, two rules (one with a daily cap) and thirty days; then the ledger is verified.
"""
import argparse
import io
import os
import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.identity.accounts import create_staff
from points.communities import found_community
from points.engines import make_engine
from points.ledger import Transfer
from points.members import enrol_member
from points.rules import define_rule
from points.verify import ledger_problems

from .common import bench_app, fresh_database, machine

TARGET_SECONDS = 10
ZONE = ZoneInfo("Asia/Shanghai")
PASSWORD = "bench-password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_ACTION = re.compile(r'name="action_key" value="([^"]+)"')


def seed(url: str, *, members: int) -> tuple[str, list[str]]:
    """A community with two rules, `members` volunteers and an organiser; the organiser's phone and the members'."""
    now = datetime.now(ZONE)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        community = found_community(session, name="压测社区", code="bench", now=now)
        define_rule(session, community_id=community.id, code="patrol", name="参与治安巡逻", points=50,
                    basis="per_event", daily_cap=100, now=now)
        define_rule(session, community_id=community.id, code="tip", name="提供线索", points=20, basis="per_event",
                    now=now)
        phones = [enrol_member(session, community_id=community.id, name=f"志愿者{i}", phone=f"1{i:010d}",
                               now=now).phone for i in range(members)]
        create_staff(session, role="organiser", name="压测民警", phone="13700000000", password=PASSWORD, now=now,
                     community_id=community.id)
    engine.dispose()
    return "13700000000", phones


def paper_book(phones: list[str], rows: int) -> bytes:
    """`rows` distinct award rows: each member's rows on different days, half under the capped rule."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("积分簿")
    sheet.append(("手机号", "规则", "日期", "积分", "备注"))
    first = date.today() - timedelta(days=40)
    for number in range(rows):
        phone = phones[number % len(phones)]
        day = first + timedelta(days=number // len(phones) % 30)
        rule = "patrol" if number % 2 else "提供线索"
        sheet.append((phone, rule, day.isoformat(), None, f"第{number // len(phones) + 1}次"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label: str, call, timings: dict):
    """Run `call`; note its wall-clock and its CPU seconds (the CPU figure shows what a shared machine hides)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = call()
    timings[label] = (time.perf_counter() - began, time.process_time() - cpu)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a PostgreSQL URL to wipe and use (default: a new SQLite file)")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--members", type=int, default=1000)
    options = parser.parse_args()
    url, workdir = fresh_database(options.database)
    organiser, phones = seed(url, members=options.members)
    sheet = paper_book(phones, options.rows)
    app = bench_app(url, workdir)
    browser = app.test_client()
    token = _CSRF.search(browser.get("/login").get_data(as_text=True)).group(1)
    browser.post("/login", data={"csrf_token": token, "phone": organiser, "password": PASSWORD})
    token = _CSRF.search(browser.get("/console/awards/batch").get_data(as_text=True)).group(1)

    timings: dict[str, tuple[float, float]] = {}
    uploaded = timed("upload (read and keep the rows)", lambda: browser.post(
        "/console/awards/batch", data={"csrf_token": token, "sheet": (io.BytesIO(sheet), "积分簿.xlsx")},
        content_type="multipart/form-data"), timings)
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)[:500]
    preview = timed("preview (check every row, show it)", lambda: browser.get(uploaded.location), timings)
    page = preview.get_data(as_text=True)
    assert f'data-testid="good-rows">{options.rows}<' in page, "every row should pass its checks"
    form = {"csrf_token": _CSRF.search(page).group(1), "action_key": _ACTION.search(page).group(1)}
    confirmed = timed("确认发放 (pay every row)", lambda: browser.post(uploaded.location, data=form), timings)
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:500]

    engine = make_engine(url)
    with Session(engine) as session:
        paid = session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "earn"))
        problems = ledger_problems(session, zone=ZONE)
    engine.dispose()
    total, cpu = (sum(seconds[index] for seconds in timings.values()) for index in (0, 1))
    print(f"{engine.dialect.name}, {options.rows:,} rows over {options.members:,} members; {machine()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    for label, (seconds, busy) in timings.items():
        print(f"  {seconds:6.2f} s  ({busy:5.2f} s CPU)  {label}")
    print(f"  {total:6.2f} s  ({cpu:5.2f} s CPU)  the whole import (target: under {TARGET_SECONDS} s); "
          f"{paid:,} awards paid; ledger {'sound' if not problems else problems[:3]}")
    if paid != options.rows or problems or total >= TARGET_SECONDS:
        raise SystemExit("FAILED")


if __name__ == "__main__":
    main()
