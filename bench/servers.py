"""The servers a benchmark can start: `benniu serve` as shipped, or gunicorn's own workers under
the same configuration; from this checkout, or from a checkout of another commit."""
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.nginx import NGINX, Nginx, self_signed, site_for_test
from tests.e2e.server import Server, free_port

CHECKOUT = Path(__file__).resolve().parent.parent  # this one

# benniu: `benniu serve` (api.http.server.Worker: gthread with turns, deadlines and balancing).
# proxied: `benniu serve --behind-proxy` (gunicorn's sync workers, as deploy/ runs it behind nginx);
#   for another commit, which may not have that flag, gunicorn's sync workers under its own config.
# nginx: the same with deploy/nginx/benniu.conf in front, HTTPS and all: the service as deployed
#   (this checkout only).
# gthread: plain gunicorn gthread workers, everything else as `benniu serve` sets it (its config
# module, binding, workers, threads, the metrics store), so the worker is what differs.
KINDS = ("benniu", "proxied", "nginx", "gthread")


class Gunicorn(Server):
    """gunicorn with one of its own worker classes instead of Benniu's."""

    def __init__(self, env: dict, port: int, *, kind: str, workers: int, threads: int | None):
        metrics = tempfile.mkdtemp(prefix="benniu-bench-metrics-")
        super().__init__({**env, "PROMETHEUS_MULTIPROC_DIR": metrics}, port, workers=workers, threads=threads)
        self.kind = kind

    def command(self) -> list[str]:
        threads = 1 if self.kind == "sync" else self.threads or 8
        return [sys.executable, "-m", "gunicorn", *self.configuration(),
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", self.kind,
                "--threads", str(threads), "api.wsgi:app"]

    def configuration(self) -> list[str]:
        """The configuration module `benniu serve` gives gunicorn, where the checkout has one (at
        api/server.py before api/http/, as at 516c263; none at 2a138b8, which ran gunicorn's defaults)."""
        root = self.cwd or CHECKOUT
        for module in ("api.http.server", "api.server"):
            if root.joinpath(*module.split(".")).with_suffix(".py").exists():
                return ["--config", f"python:{module}"]
        return []


class BehindNginx(Server):
    """`benniu serve --behind-proxy` on a port of its own, and nginx with the shipped site in front
    on `port` (HTTPS, a self-signed certificate; wrk does not check it). Its `url` is nginx's; the
    worker processes (and so the CPU counted) are the service's, not nginx's."""

    def __init__(self, env: dict, port: int, *, workers: int, threads: int | None):
        super().__init__(env, free_port(), workers=workers, threads=threads, options=("--behind-proxy",))
        self.https, self.nginx = port, None

    def start(self, timeout: float = 30, *, healthy: bool = True) -> "BehindNginx":
        if NGINX is None:
            raise RuntimeError("nginx is not installed (Debian package nginx; `make system-packages`)")
        super().start(timeout, healthy=healthy)
        folder = Path(tempfile.mkdtemp(prefix="benniu-bench-nginx-"))
        cert, key = self_signed(folder)
        self.nginx = Nginx(folder, site_for_test(self.port, self.https, free_port(), cert, key))
        self.url = f"https://127.0.0.1:{self.https}"
        try:
            self.nginx.wait_until_serving(self.https, cert, timeout)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
            shutil.rmtree(self.nginx.folder, ignore_errors=True)  # its configuration and certificate
            self.nginx = None
        super().stop()


def server_for(env: dict, port: int, *, kind: str = "benniu", workers: int, threads: int | None,
               tree: Path | None = None) -> Server:
    """A server of `kind` (not started), running the code checked out at `tree` (default: this one)."""
    if kind == "nginx":
        if tree is not None:
            raise ValueError("--server nginx runs this checkout only")
        started = BehindNginx(env, port, workers=workers, threads=threads)
    elif kind == "proxied" and tree is not None:
        started = Gunicorn(env, port, kind="sync", workers=workers, threads=threads)
    elif kind in ("benniu", "proxied"):
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
    git = ["git", "-C", str(CHECKOUT)]
    tree = Path(tempfile.mkdtemp(prefix="benniu-against-")) / "tree"
    subprocess.run([*git, "worktree", "add", "--quiet", "--detach", str(tree), commit], check=True)
    try:
        yield tree
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=True)
