"""What every local fake of a provider's HTTP API shares: a server on loopback that hands each
request to the fake's `respond`; by default that gives (path, headers, body) to `answer`, which
says the status and the JSON object to send back. `hold()` keeps the next answers waiting until the fake stops, so that the client's own
time limit is what ends them."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProvider:
    def __init__(self):
        self.received: list = []  # what the fake accepted, as the subclass reads it
        self._held = threading.Event()
        self._holding = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                fake.respond(self)

            do_GET = do_POST  # noqa: N815 (a client that followed a redirect would come back with a GET)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request: as `answer` says, in JSON (a fake of a badly behaved server writes its own)."""
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        status, answer = self.answer(handler.path, handler.headers, body)
        if self._holding:
            self._held.wait(30)
        raw = json.dumps(answer, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            handler.end_headers()
            handler.wfile.write(raw)
        except OSError:  # the client gave up waiting
            pass

    def answer(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        raise NotImplementedError

    def hold(self) -> None:
        self._holding = True

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._held.set()
        self.server.shutdown()
        self.server.server_close()
