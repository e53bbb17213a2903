"""The `benniu` command: init, token, serve, verify and the cron jobs."""
import os
import sys
from functools import partial
from pathlib import Path

import click
from click.core import ParameterSource
from sqlalchemy.orm import Session

from . import create_app
from .config import from_environment
from .http import db
from .operations.commands import Commands, progress, stages
from .operations.private import PRIVATE, make_private, private_files
from .operations.reminding import remind
from .operations.schema import upgrade
from .operations.transactions import in_batches, now, write


def _app():
    return create_app()


def _session(app, *, whole_tables: bool = False) -> Session:
    """A session; with `whole_tables` (seed, verify) no statement time limit: that is for runaway requests."""
    session = app.extensions["benniu"].sessionmaker()
    return db.time_limit(session, 0) if whole_tables else session


@click.group(cls=Commands)
@click.version_option(package_name="benniu", message="benniu %(version)s")
def main():
    """Benniu (犇牛): volunteer points and rewards."""


@main.command()
@click.option("--demo", is_flag=True, help="Add the demo community, its rules, volunteers and catalogue.")
def init(demo):
    """Create or upgrade the database schema (keeps existing data)."""
    from .acts.demo import plant_demo

    with private_files():
        app = _app()
        upgrade(app.extensions["benniu"].engine)
    make_private(app.config["DATABASE_URL"])
    click.echo(f"schema up to date: {app.extensions['benniu'].engine.url.render_as_string(hide_password=True)}")
    if demo:
        def seed(session):
            community = plant_demo(session, None, now=now(app))
            return community.name, community.id
        name, community_id = write(app, seed)
        click.echo(f"demo community {name} (id {community_id}) ready")


@main.group()
def token():
    """Manage API tokens."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(["admin", "organiser", "partner", "volunteer"]))
@click.option("--name", required=True)
@click.option("--community", "community_id", type=int)
@click.option("--partner", "partner_id", type=int)
@click.option("--member", "member_id", type=int)
def token_create(role, name, community_id, partner_id, member_id):
    """Issue a token; the token is printed as the last line."""
    from .acts.tokens import issue

    app = _app()
    plain, record = write(app, lambda session: issue(
        session, None, role=role, name=name, community_id=community_id, partner_id=partner_id,
        member_id=member_id, now=now(app)))
    click.echo(f"{role} token {record.id} for {name}:")
    click.echo(plain)


@main.group()
def user():
    """Manage staff accounts (organisers, partner clerks, admins)."""


@user.command("create")
@click.option("--role", required=True, type=click.Choice(["admin", "organiser", "partner"]))
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.option("--community", "community_id", type=int, help="an organiser's community")
@click.option("--partner", "partner_id", type=int, help="a clerk's partner")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="asked for when not given")
def user_create(role, name, phone, community_id, partner_id, password):
    """Create a staff account that signs in at /login with its phone and password."""
    from .acts.staff import add_staff

    if click.get_current_context().get_parameter_source("password") is ParameterSource.COMMANDLINE:
        click.echo("warning: a password given with --password stays in the shell's history and shows in the "
                   "process list; leave --password out to be asked for it", err=True)
    app = _app()
    account = write(app, lambda session: add_staff(
        session, None, role=role, name=name, phone=phone, password=password, community_id=community_id,
        partner_id=partner_id, now=now(app)))
    click.echo(f"{role} {name} (account {account.id}) signs in with phone {phone}")


@user.command("disable")
@click.option("--phone", required=True)
@click.option("--reason", default=None, help="why (kept in the audit trail)")
def user_disable(phone, reason):
    """Disable a staff account: its sessions and tokens are refused from the next request on."""
    from sqlalchemy import select

    from .acts.staff import disable_staff
    from .identity.accounts import StaffAccount

    def disable(session):
        staff_id = session.scalar(select(StaffAccount.id).where(StaffAccount.phone == phone))
        if staff_id is not None:
            account = disable_staff(session, None, staff_id=staff_id, now=now(app), reason=reason)
            return f"{account.role} {account.name} disabled"

    app = _app()
    done = write(app, disable)
    if done is None:
        raise click.ClickException(f"no staff account with phone {phone}")
    click.echo(done)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="connections each worker reads at once (the app runs one request at a time)")
@click.option("--behind-proxy", is_flag=True, help="nginx (deploy/nginx) reads every request whole before passing it on: "
              "gunicorn's sync workers, one request a process (never with clients connecting directly)")
def serve(host, port, workers, threads, behind_proxy):
    """Run the production server (gunicorn; see api/http/server.py)."""
    from .http.metrics import prepare_multiprocess_store
    from .http.server import proxied_options

    config = from_environment()  # a bad BENNIU_* value is told here in one line, not by each worker as it boots
    os.umask(PRIVATE)  # for good: gunicorn replaces this process
    prepare_multiprocess_store()
    workers_are = proxied_options(config) if behind_proxy else ["--threads", str(threads)]
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "--config", "python:api.http.server",
                              "--bind", f"{host}:{port}", "--workers", str(workers), *workers_are, "api.wsgi:app"])


@main.command("close-open-checkins")
def close_open_checkins_command():
    """Check out everyone left open after their activity ended (safe to run from cron)."""
    from datetime import timedelta

    from points.checkins import close_open_checkins

    app = _app()
    grace = timedelta(minutes=app.config["CHECKIN_GRACE_MINUTES"])
    total = in_batches(app, partial(close_open_checkins, grace=grace))
    click.echo(f"closed {total} open check-ins")


@main.command("expire-vouchers")
def expire_vouchers_command():
    """Expire unfulfilled vouchers past their time: stock returns, points are released (cron-safe)."""
    from rewards.redemptions import expire_vouchers

    click.echo(f"expired {in_batches(_app(), expire_vouchers)} vouchers")


@main.command("finalise-notices")
def finalise_notices_command():
    """Make awards whose public notice (公示) has ended spendable (cron-safe)."""
    from points.notices import finalise_notices

    click.echo(f"finalised {in_batches(_app(), finalise_notices)} notices")


@main.command("expire-points")
def expire_points_command():
    """Move points past their community's validity to its expiry account (cron-safe)."""
    from points.lots import expire_points

    click.echo(f"expired points of {in_batches(_app(), expire_points)} members")


@main.command("remind-expiring")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 366))
def remind_expiring_command(days):
    """Remind members of points expiring within DAYS: a message per lot, once; an SMS where configured (cron-safe)."""
    click.echo(remind(_app(), kind="points_expiring", days=days))


@main.command("remind-vouchers")
@click.option("--days", default=3, show_default=True, type=click.IntRange(1, 366))
def remind_vouchers_command(days):
    """Remind members of unused vouchers expiring within DAYS: a message each, once; an SMS too (cron-safe)."""
    click.echo(remind(_app(), kind="voucher_expiring", days=days))


@main.command("forget-tip-photos")
def forget_tip_photos_command():
    """Delete the photos of tips rejected more than BENNIU_TIP_PHOTO_DAYS ago (cron-safe)."""
    from .acts.tips import forget_old_tip_photos
    from .http.photo_store import photo_store

    app = _app()
    gone = write(app, lambda session: forget_old_tip_photos(session, days=app.config["TIP_PHOTO_DAYS"],
                                                             store=photo_store(), now=now(app)))
    click.echo(f"deleted {gone} photos of rejected tips")


@main.command()
def verify():
    """Check the ledger's invariants and the tallies kept from it; print ok, or what is wrong and exit 1."""
    from points.verify import ledger_checks

    app = _app()
    problems = []
    checks = ledger_checks(zone=app.extensions["benniu"].clock.zone)
    with _session(app, whole_tables=True) as session, progress(checks, "checking the ledger") as checks:
        for check in checks:
            problems += check(session)
    if problems:
        for problem in problems:
            click.echo(problem)
        sys.exit(1)
    click.echo("ok")


@main.command()
@click.option("--communities", default=2, show_default=True, type=click.IntRange(min=1))
@click.option("--members", default=200, show_default=True, type=click.IntRange(min=1))
@click.option("--entries", default=5000, show_default=True, type=click.IntRange(min=1),
              help="ledger entries to write, about (two a transfer)")
def seed(communities, members, entries):
    """Fill an empty database with synthetic communities and three years of history, for load tests."""
    from points.errors import DomainError

    from .operations.seeding import seed_city

    app = _app()
    try:
        click.echo(seed_city(_session(app, whole_tables=True), app.extensions["benniu"].clock, communities=communities,
                             members=members, entries=entries, echo=click.echo))
    except DomainError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path):
    """Copy the SQLite database to PATH (mode 0600) while the service runs, consistently."""
    from .operations.backup import BACKUP_STEPS, copy_database, database_path

    with private_files(), stages(BACKUP_STEPS, "backing up") as step:
        pages = copy_database(database_path(_app().config["DATABASE_URL"]), path.resolve(), step=step)
    click.echo(f"backed up {pages} pages to {path}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the database with this backup? Stop the service first.")
def restore(path):
    """Replace the SQLite database with the backup at PATH (stop the service first)."""
    from .operations.backup import RESTORE_STEPS, database_path, restore_database

    with private_files(), stages(RESTORE_STEPS, "restoring") as step:
        app = _app()
        pages = restore_database(path.resolve(), database_path(app.config["DATABASE_URL"]), step=step)
    make_private(app.config["DATABASE_URL"])
    click.echo(f"restored {pages} pages from {path}; now run benniu init (it upgrades a backup from an "
               "older release) and benniu verify, then start the service")
