"""The servers a benchmark can start: `benniu serve` as shipped, or gunicorn's own workers under
the same configuration; from this checkout, or from a checkout of another commit."""
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.server import Server

# benniu: `benniu serve` (api.http.server.Worker: gthread with turns, deadlines and balancing).
# proxied: `benniu serve --behind-proxy` (gunicorn's sync workers, as deploy/ runs it behind nginx).
# gthread: plain gunicorn gthread workers, everything else as `benniu serve` sets it (its config
# module, binding, workers, threads, the metrics store), so the worker is what differs.
KINDS = ("benniu", "proxied", "gthread")


class Gunicorn(Server):
    """gunicorn with one of its own worker classes instead of Benniu's."""

    def __init__(self, env: dict, port: int, *, kind: str, workers: int, threads: int | None):
        metrics = tempfile.mkdtemp(prefix="benniu-bench-metrics-")
        super().__init__({**env, "PROMETHEUS_MULTIPROC_DIR": metrics}, port, workers=workers, threads=threads)
        self.kind = kind

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--config", "python:api.http.server",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", self.kind,
                "--threads", str(self.threads or 8), "api.wsgi:app"]


def server_for(env: dict, port: int, *, kind: str = "benniu", workers: int, threads: int | None,
               tree: Path | None = None) -> Server:
    """A server of `kind` (not started), running the code checked out at `tree` (default: this one)."""
    if kind in ("benniu", "proxied"):
        started = Server(env, port, workers=workers, threads=threads,
                         options=("--behind-proxy",) if kind == "proxied" else ())
    else:
        started = Gunicorn(env, port, kind=kind, workers=workers, threads=threads)
    if tree is not None:
        # The checkout's packages come first: the process starts in it (sys.path[0]) and PYTHONPATH
        # names it, ahead of this checkout's editable install.
        started.cwd, started.env = tree, {**started.env, "PYTHONPATH": str(tree)}
    return started


@contextmanager
def checkout(commit: str):
    """`commit` checked out in a `git worktree` of its own (removed after)."""
    here = Path(__file__).resolve().parent.parent
    git = ["git", "-C", str(here)]
    tree = Path(tempfile.mkdtemp(prefix="benniu-against-")) / "tree"
    subprocess.run([*git, "worktree", "add", "--quiet", "--detach", str(tree), commit], check=True)
    try:
        yield tree
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=True)
