"""Test helpers: an HTTP client bound to a token, and running calls at the same instant."""
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import event


class Client:
    """The Flask test client with a bearer token; each call returns the response."""

    def __init__(self, app, token: str | None):
        self.app = app
        self.token = token

    def headers(self, key: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path, **query):
        return self.app.test_client().get(path, query_string=query, headers=self.headers())

    def post(self, path, json=None, *, key=None, expect=None):
        response = self.app.test_client().post(path, json=json, headers=self.headers(key))
        if expect is not None:
            assert response.status_code == expect, response.get_json()
        return response

    def put(self, path, json=None):
        return self.app.test_client().put(path, json=json, headers=self.headers())

    def patch(self, path, json=None):
        return self.app.test_client().patch(path, json=json, headers=self.headers())

    def delete(self, path, **query):
        return self.app.test_client().delete(path, query_string=query, headers=self.headers())


def at_once(calls, workers: int | None = None) -> list:
    """Run the callables in real threads released together by a barrier; their results in order."""
    calls = list(calls)
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=workers or len(calls)) as pool:
        return list(pool.map(run, calls))


def meet_at(monkeypatch, module, name: str, parties: int, *, after: bool = False) -> None:
    """Make `parties` threads meet at `module.name` (a function): each waits, the first time it
    comes there (before the call, or `after` it), until all have come.

    at_once starts requests together, but they drift apart on their way to the contested
    statement and may not race at all. A meeting point between a request's check and its write
    makes every request check before any writes, so a test without its guard fails every run.
    Only where the check and the write are not under SQLite's one write lock: a thread waiting
    there while holding that lock would wait for the others forever (the wait gives up after 30 s).
    """
    real, barrier, met = getattr(module, name), threading.Barrier(parties), threading.local()

    def meet():
        if not getattr(met, "done", False):
            met.done = True
            barrier.wait(timeout=30)

    def meeting(*args, **kwargs):
        if not after:
            meet()
            return real(*args, **kwargs)
        try:
            result = real(*args, **kwargs)
        except BaseException:
            barrier.abort()  # the others stop waiting for this one (BrokenBarrierError)
            raise
        meet()
        return result

    monkeypatch.setattr(module, name, meeting)


def decode_qr(png: bytes) -> str:
    """Read the one QR code in a PNG with a real decoder (zxing-cpp)."""
    import io

    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"expected one QR code, decoded {len(found)}"
    return found[0].text


@contextmanager
def statements_run(app):
    """The SQL statements the app sends while the block runs (lower-cased)."""
    statements = []
    engine = app.extensions["benniu"].engine

    def record(_connection, _cursor, statement, *_):
        statements.append(statement.lower())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def xlsx(header, rows) -> bytes:
    """An .xlsx of one sheet: the header row, then the rows (as a person would type them up)."""
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
