"""How `benniu serve` runs gunicorn (its `--config python:api.server`): threaded workers, a
body-read timeout, one metrics store for all workers, and no trust in proxy headers of its own."""
import os

from prometheus_client import multiprocess

# Threads (`benniu serve --threads`, 8 by default), not one request per process: a client that
# promises a body and sends it a byte at a time holds one thread, not a whole worker, while the
# rest go on answering.
worker_class = "gthread"

# A request body that stops arriving for this long is given up (400, and its thread is
# free again). Behind nginx this never fires: nginx buffers the whole body before it passes
# the request on.
BODY_SECONDS = float(os.environ.get("BENNIU_BODY_TIMEOUT_SECONDS", 10))

# The app writes one JSON line per request itself (api.logs), so gunicorn's access log is off.
accesslog = None

# Which proxy may say the request came over https or from whom is decided in one place,
# BENNIU_TRUSTED_PROXIES (ProxyFix in api.create_app): gunicorn must not believe
# X-Forwarded-Proto from loopback on its own, as it does by default.
secure_scheme_headers = {}
forwarded_allow_ips = ""

# No gunicorn control socket: several servers on one machine would share its one path.
control_socket_disable = True


def pre_request(worker, req):
    """Bound the time a worker thread waits for the rest of this request's body."""
    sock = getattr(req.unreader, "sock", None)
    if sock is not None:
        sock.settimeout(BODY_SECONDS)


def child_exit(server, worker):
    """A worker's live gauges go with it (its counters stay in the shared store)."""
    multiprocess.mark_process_dead(worker.pid)
