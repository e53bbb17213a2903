"""`benniu seed`: synthetic communities and three years of history in one write transaction, for
load tests (README, "Load and scale commands")."""
import time

from sqlalchemy.orm import Session

from points.db import begin_write
from points.seed import seed
from rewards.seed import SUPERMARKET


def seed_city(session: Session, clock, *, communities: int, members: int, entries: int, echo) -> str:
    """Seed through `session` (closed after), telling `echo` each step as it ends; returns what was written."""
    began = time.monotonic()
    with session, session.begin():
        begin_write(session)
        written = seed(session, communities=communities, members=members, entries=entries, now=clock.now(),
                       zone=clock.zone, shelf=SUPERMARKET,
                       told=lambda line: echo(f"{time.monotonic() - began:7.1f}s  {line}"))
    return (", ".join(f"{count} {table}" for table, count in written.items() if count)
            + f" written in {time.monotonic() - began:.0f}s")
