"""Running the real service (`benniu serve`: gunicorn) in a process group of its own."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BENNIU = Path(sys.executable).with_name("benniu")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    cwd: Path | None = None  # where it starts (a checkout of other code: bench.throughput --against)

    def __init__(self, env: dict, port: int, workers: int = 2, log: Path | None = None, threads: int | None = None,
                 options: tuple[str, ...] = ()):
        self.env, self.port, self.workers, self.log, self.threads = env, port, workers, log, threads
        self.options = options  # more of `benniu serve`'s, such as --behind-proxy
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self, timeout: float = 30, *, healthy: bool = True) -> "Server":
        """Start it and wait until /healthz answers 200 (or, not `healthy`, answers at all)."""
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL  # its JSON request lines, if kept
        self.process = subprocess.Popen(self.command(), env={**os.environ, **self.env}, cwd=self.cwd,
                                        start_new_session=True, stdout=output, stderr=output)
        if self.log:
            output.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except urllib.error.HTTPError:
                if not healthy:
                    return self
                time.sleep(0.1)
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("the server did not come up")

    def command(self) -> list[str]:
        return [str(BENNIU), "serve", "--port", str(self.port), "--workers", str(self.workers),
                *(["--threads", str(self.threads)] if self.threads else []), *self.options]

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die mid-request."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)


    def log_lines(self) -> list[dict]:
        """The JSON lines the server logged (requests and events), if it was given a log."""
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log else []
        return [json.loads(line) for line in lines if line.startswith("{")]


@contextmanager
def serving(env: dict, workers: int = 2, log: Path | None = None, threads: int | None = None,
            options: tuple[str, ...] = ()):
    server = Server(env, free_port(), workers, log, threads, options).start()
    try:
        yield server
    finally:
        server.stop()


def post(url: str, body: dict, *, token: str, key: str | None = None, timeout: float = 10) -> tuple[int, dict]:
    """POST JSON; (status, body), or (0, {}) if the connection broke before an answer came."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except (OSError, ValueError, http.client.HTTPException):  # the server died mid-answer
        return 0, {}


def children(pid: int) -> list[int]:
    """The processes `pid` started that still run (Linux)."""
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in listed.read_text().split()] if listed.exists() else []
