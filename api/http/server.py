"""How `benniu serve` runs gunicorn (its `--config python:api.http.server`): threaded workers that
never wait for a client for ever and run the app for one request at a time (or, behind nginx,
gunicorn's sync workers: `proxied_options`), one metrics store for all workers, and no trust in
proxy headers of its own."""
import errno
import io
import socket
import threading
import time
from multiprocessing.sharedctypes import RawArray

from gunicorn.workers.gthread import ThreadWorker
from prometheus_client import multiprocess

from ..config import setting

# A client that stops sending, in its headers or its body, for this long is given up (a
# stalled body gets 400) and its thread is free again. Behind nginx this never fires: nginx
# reads whole requests before it passes them on.
CLIENT_SECONDS = setting("CLIENT_TIMEOUT_SECONDS")

# How long a request waits for its turn in the app before it goes in beside the one there
# (`Turns`): far longer than a request takes (a few ms), far shorter than a large import.
TURN_SECONDS = 0.5

# What is read of a request's body before its turn: more than any request may send (a tip with
# three photos of 10 MB each is the largest); the app refuses what is over its own limits (413).
BODY_LIMIT = 32 * 1024 * 1024


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


class Turns:
    """A worker's requests take turns in the app: its threads read requests side by side, but
    run the app one at a time, each for at most `patience` seconds before the next may join.

    Python runs one thread of a process at a time, so eight requests in the app at once do not
    finish sooner than one after another; they finish later. A thread back from the database
    (a round trip on PostgreSQL, or SQLite's write lock obtained) waits for the interpreter while
    its siblings run, up to 5 ms each time (the GIL's switch interval), and on SQLite it waits
    holding the one write lock every other writer needs. Taking turns, a request runs from its
    first statement to its COMMIT without that wait: on the 2-core benchmark machine, check-ins
    went from 214 to 330 a second on SQLite and from 252 to 416 on PostgreSQL (bench/RESULTS.md).

    The body is read before the turn, so a client that sends it slowly holds a thread of its
    own, not the turn. A request that is slow in the app (a large import or export) holds the
    turn for `patience` at most: then the next request goes in beside it, as threads did before.
    """

    def __init__(self, app, *, patience: float = TURN_SECONDS, body_limit: int = BODY_LIMIT):
        self.app, self.patience, self.body_limit = app, patience, body_limit
        self.turn = threading.Lock()

    def __call__(self, environ, start_response):
        declared = environ.get("CONTENT_LENGTH")
        if not (declared and declared.isdigit() and int(declared) > self.body_limit):  # else: 413 unread
            environ["wsgi.input"] = _read_ahead(environ["wsgi.input"], self.body_limit + 1)
        mine = self.turn.acquire(timeout=self.patience)
        try:
            return self.app(environ, start_response)
        finally:
            if mine:
                self.turn.release()


def _read_ahead(stream, limit: int):
    """The body, read now; or, if the client stalled or left, a stream that fails as it did,
    so that the app answers as it would have (a stalled body gets 400)."""
    try:
        return io.BytesIO(stream.read(limit))
    except OSError as error:
        return _Failed(error)


class _Failed(io.RawIOBase):
    def __init__(self, error: OSError):
        self.error = error

    def readable(self) -> bool:
        return True

    def readinto(self, _buffer):
        raise self.error


class _Connections:
    """How many connections each worker of a server holds, in memory the arbiter shares with the
    workers it forks. Each worker has a slot, -1 whenever it is not accepting (booting, stopping,
    gone); the worker writes its count on every turn of its event loop.

    All workers wait on the one listening socket, and whichever wakes first accepts: a client
    that opens its connections all at once and keeps them (a load tester, a proxy's keep-alive
    pool) could find all sixteen in one worker and the other idle, because a worker serves one
    request at a time (`Turns`). Benchmarks saw 16/0, 15/1 and 8/8 from one run to the next, and
    the server's capacity halve with them. So a worker lets a connection wait for a worker that
    holds fewer (`fewest`), as nginx's least_conn balances between servers, but only for
    `ACCEPT_DEFER_SECONDS` per connection: the connections each slot has taken (`accepted`) tell a
    waiting worker when the one it left was taken, and a stalled worker cannot hold the next one.
    """

    SLOTS = 64

    def __init__(self):
        self.counts = RawArray("l", [-1] * self.SLOTS)
        self.accepted = RawArray("q", [0] * self.SLOTS)  # connections the workers in each slot have taken, ever

    def take_slot(self, taken: list[int | None]) -> int | None:
        """The arbiter, before it forks a worker: a slot no live worker has (None: all taken,
        and that worker accepts as gunicorn does)."""
        return next((slot for slot in range(self.SLOTS) if slot not in taken), None)

    def publish(self, slot: int | None, count: int) -> None:
        if slot is not None:
            self.counts[slot] = count

    def took_one(self, slot: int | None) -> None:
        if slot is not None:
            self.accepted[slot] += 1  # each slot is written by its one live worker only

    def accepted_total(self) -> int:
        """Connections taken by all workers, ever: when it moves, the one waiting was taken."""
        return sum(self.accepted)

    def fewest(self, slot: int) -> bool:
        """Whether the worker in `slot` holds no more connections than any other accepting worker."""
        mine = self.counts[slot]
        return all(count < 0 or mine <= count for count in self.counts)


connections = _Connections()

# How long a worker that holds more connections than another leaves a new one for that other
# worker to accept: longer than the other's event loop may wait for its interpreter while a
# request runs (the GIL's switch interval, 5 ms; at 2 ms the lopsided splits came back), and
# short beside what a new client waits for its first answer anyway.
ACCEPT_DEFER_SECONDS = 0.01


class Worker(ThreadWorker):
    """gunicorn's gthread worker: requests read with `_PatientSocket`'s deadline, the app run by
    `Turns`, and new connections taken by the worker that holds the fewest (`_Connections`)."""

    slot: int | None = None
    _waiting: tuple[int, float] | None = None  # (connections taken by then, when) this worker began to
    # leave the connection now waiting to another

    def load_wsgi(self):
        super().load_wsgi()
        self.wsgi = Turns(self.wsgi)

    def notify(self):  # at every turn of the worker's event loop
        super().notify()
        connections.publish(self.slot, self.nr_conns if self.alive and self._accepting else -1)

    def accept(self, listener):
        if self.slot is not None and not connections.fewest(self.slot):
            now, taken = time.monotonic(), connections.accepted_total()
            if self._waiting is None or self._waiting[0] != taken:  # one was taken since: a new one waits
                self._waiting = (taken, now)
            if now - self._waiting[1] < ACCEPT_DEFER_SECONDS:
                time.sleep(ACCEPT_DEFER_SECONDS / 10)  # then the loop comes round: taken, or still waiting
                return
        before = self.nr_conns
        super().accept(listener)
        if self.nr_conns > before:
            connections.took_one(self.slot)
        connections.publish(self.slot, self.nr_conns)

    def handle(self, conn):
        if type(conn.sock) is socket.socket:
            conn.sock.__class__ = _PatientSocket
        return super().handle(conn)


# Threads (`benniu serve --threads`, 8 by default), not one request per process: a client that
# sends its request a byte at a time holds one thread, not a whole worker, while the rest go
# on answering, and only until CLIENT_SECONDS of silence.
worker_class = "api.http.server.Worker"


def proxied_options(config: dict) -> list[str]:
    """gunicorn's options for `benniu serve --behind-proxy`: its own sync workers.

    Behind nginx (deploy/nginx), which reads each request whole and buffers each answer, what
    `Worker` adds is done already: no client is slow to a worker, and nginx keeps the phones'
    connections alive. A sync worker then runs a request with no threads to hand it between, about
    a quarter more check-ins a second on the same two cores (bench/RESULTS.md, issue 25's fifth
    round). It runs one request at a time, so a client connecting directly and sending slowly would
    hold the whole worker: never without the proxy. gunicorn restarts a sync worker whose request
    runs past `--timeout`: here longer than the longest a request may run (an export or an import
    on its long statement limit), not gunicorn's 30 s.
    """
    longest = int(config["DB_LONG_STATEMENT_TIMEOUT_MS"]) // 1000
    return ["--worker-class", "sync", "--threads", "1", "--timeout", str(longest + 30)]


# The app writes one JSON line per request itself (api.http.logs), so gunicorn's access log is off;
# gunicorn's own records (workers booting, exiting, timing out) are JSON lines like every other.
accesslog = None
logconfig_dict = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.http.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
                "benniu": {"level": "INFO"}},
}

# Which proxy may say the request came over https or from whom is decided in one place,
# BENNIU_TRUSTED_PROXIES (ProxyFix in api.create_app): gunicorn must not believe
# X-Forwarded-Proto from loopback on its own, as it does by default.
secure_scheme_headers = {}
forwarded_allow_ips = ""

# No gunicorn control socket: several servers on one machine would share its one path.
control_socket_disable = True


def pre_fork(server, worker):
    worker.slot = connections.take_slot([other.slot for other in server.WORKERS.values()])


def worker_exit(server, worker):
    connections.publish(worker.slot, -1)


def child_exit(server, worker):
    """A worker's live gauges go with it (its counters stay in the shared store), and its slot."""
    multiprocess.mark_process_dead(worker.pid)
    connections.publish(worker.slot, -1)
