"""How the `benniu` commands and cron jobs write: as a request does (api.http.db.transactional),
in one write transaction retried whole on a lock or deadlock, or in batches of them."""
from ..http import db


def now(app):
    """The app's clock (a test's, or the wall's)."""
    return app.extensions["benniu"].clock.now()


def write(app, work):
    """Run `work(session)` as one write transaction the way a view runs (api.http.db.transactional):
    the write lock taken as it starts, committed at the end, retried whole on a lock or deadlock."""
    with app.app_context():
        return db.transactional(lambda: work(db.writer()))()


def in_batches(app, job, batch: int = 500) -> int:
    """Run `job(session, now=, limit=)` in write transactions until a batch comes back short.

    Each batch commits on its own, so a long backlog never holds the write lock for long.
    """
    total = 0
    while True:
        done = write(app, lambda session: job(session, now=now(app), limit=batch))
        total += len(done)
        if len(done) < batch:
            return total
