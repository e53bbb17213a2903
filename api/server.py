"""How `benniu serve` runs gunicorn (its `--config python:api.server`): threaded workers that
never wait for a client for ever, one metrics store for all workers, and no trust in proxy
headers of its own."""
import errno
import os
import socket

from gunicorn.workers.gthread import ThreadWorker
from prometheus_client import multiprocess

# A client that stops sending, in its headers or its body, for this long is given up (a
# stalled body gets 400) and its thread is free again. Behind nginx this never fires: nginx
# reads whole requests before it passes them on.
CLIENT_SECONDS = float(os.environ.get("BENNIU_CLIENT_TIMEOUT_SECONDS", 10))


class _PatientSocket(socket.socket):
    """A socket whose blocking mode has a deadline: gunicorn's threads switch a connection
    to blocking mode to read a request, and would then wait on a silent client for ever."""

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(CLIENT_SECONDS)
        else:
            super().setblocking(False)

    def recv(self, *args):
        try:
            return super().recv(*args)
        except TimeoutError:  # as a client that went away: gunicorn closes it without a traceback
            raise ConnectionResetError(errno.ECONNRESET, f"client silent for {CLIENT_SECONDS:g} s") from None


class Worker(ThreadWorker):
    """gunicorn's gthread worker, reading every request with `_PatientSocket`'s deadline."""

    def handle(self, conn):
        if type(conn.sock) is socket.socket:
            conn.sock.__class__ = _PatientSocket
        return super().handle(conn)


# Threads (`benniu serve --threads`, 8 by default), not one request per process: a client that
# sends its request a byte at a time holds one thread, not a whole worker, while the rest go
# on answering, and only until CLIENT_SECONDS of silence.
worker_class = "api.server.Worker"

# The app writes one JSON line per request itself (api.logs), so gunicorn's access log is off.
accesslog = None

# Which proxy may say the request came over https or from whom is decided in one place,
# BENNIU_TRUSTED_PROXIES (ProxyFix in api.create_app): gunicorn must not believe
# X-Forwarded-Proto from loopback on its own, as it does by default.
secure_scheme_headers = {}
forwarded_allow_ips = ""

# No gunicorn control socket: several servers on one machine would share its one path.
control_socket_disable = True


def child_exit(server, worker):
    """A worker's live gauges go with it (its counters stay in the shared store)."""
    multiprocess.mark_process_dead(worker.pid)
