"""What the `benniu` commands (api/cli.py) share: expected failures told in one sentence,
progress shown on a terminal, and the session of a command that reads or writes everything."""
import sys
from collections.abc import Callable, Iterable
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from points.errors import DomainError

from ..config import SettingError
from ..http.errors import ServiceBusy
from ..http.faults import as_unavailable, detail
from .backup import BackupError

# What a command may run into that is the operator's to put right, not a bug: told in one sentence
# with exit status 1, never a traceback. The most specific class listed answers.
TOLD: dict[type[Exception], Callable[[Exception], str]] = {
    SettingError: str,
    BackupError: str,
    DomainError: lambda refusal: refusal.message,
    OSError: lambda error: f"{error.strerror or error}: {error.filename}" if error.filename else str(error),
}


class Commands(click.Group):
    """`benniu`'s commands, whose expected failures (`TOLD`) end in one sentence."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except tuple(TOLD) as failure:
            tell = next(TOLD[kind] for kind in type(failure).__mro__ if kind in TOLD)
            raise click.ClickException(tell(failure)) from None
        except Exception as error:
            # A database fault (unreachable, full, read-only...): a write transaction has sorted it already.
            fault = error if isinstance(error, ServiceBusy) else as_unavailable(error)
            if fault is None:
                raise
            raise click.ClickException(f"the database could not do it: {fault} "
                                       f"({detail(error.__cause__ or error)})") from None


def _bar(label: str, **options):
    """A progress bar on stderr when a person watches it (a terminal); None in a pipe or cron's mail."""
    return click.progressbar(label=label, file=sys.stderr, **options) if sys.stderr.isatty() else None


@contextmanager
def progress(items: Iterable, label: str):
    """`items`, with a bar that moves as they are taken."""
    bar = _bar(label, iterable=items)
    if bar is None:
        yield items
        return
    with bar:
        yield bar


@contextmanager
def stages(names: tuple[str, ...], label: str):
    """A bar through a job's stages: yields the `step(name)` the job calls as each stage begins."""
    bar = _bar(label, length=len(names), item_show_func=lambda name: name)
    if bar is None:
        yield lambda name: None
        return
    with bar:
        yield lambda name: bar.update(names.index(name) - bar.pos, name)
        bar.update(len(names) - bar.pos)


def long_session(app) -> Session:
    """A session for a command that reads or writes everything (verify, seed): on PostgreSQL its
    statements get BENNIU_DB_LONG_STATEMENT_TIMEOUT_MS, not a request's limit."""
    session = app.extensions["benniu"].sessionmaker()
    session.info["statement_timeout_ms"] = int(app.config["DB_LONG_STATEMENT_TIMEOUT_MS"])
    return session
