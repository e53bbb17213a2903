"""A local stand-in for Aliyun SMS's HTTP API (dysmsapi SendSms), to send real requests to.

It checks each request as Aliyun documents it, with its own reading of the rules (not the code under
test): a form POST to `/`, the common parameters present, Signature = Base64(HMAC-SHA1(secret + "&",
"POST&%2F&" + encode(sorted, encoded `name=value` pairs joined by "&"))), encoding by RFC 3986. It
answers as Aliyun does: `{"Code": "OK", ...}`; HTTP 400 `SignatureDoesNotMatch` or 404
`InvalidAccessKeyId.NotFound`; or the refusal the test asks for. `hold()` makes it keep the next
requests waiting (until the test ends) so the client's timeout is what ends them.
"""
import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REQUIRED = ("AccessKeyId", "Action", "Format", "PhoneNumbers", "RegionId", "SignName", "Signature",
            "SignatureMethod", "SignatureNonce", "SignatureVersion", "TemplateCode", "Timestamp", "Version")


def rfc3986(text: str) -> str:
    return "".join(character if character.isascii() and (character.isalnum() or character in "-_.~")
                   else "".join(f"%{byte:02X}" for byte in character.encode()) for character in text)


def expected_signature(parameters: dict[str, str], secret: str) -> str:
    pairs = sorted((name, value) for name, value in parameters.items() if name != "Signature")
    canonical = "&".join(f"{rfc3986(name)}={rfc3986(value)}" for name, value in pairs)
    to_sign = "POST&" + rfc3986("/") + "&" + rfc3986(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeAliyunSms:
    def __init__(self, *, access_key_id="LTAI-test-key", access_key_secret="test-secret/with+odd=chars"):
        self.access_key_id, self.access_key_secret = access_key_id, access_key_secret
        self.received: list[dict[str, str]] = []
        self.refusal: dict | None = None  # the next answers' body, e.g. {"Code": "isv.BUSINESS_LIMIT_CONTROL"}
        self._held = threading.Event()
        self._holding = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                status, answer = fake.answer(self.path, self.headers.get("Content-Type", ""), form)
                if fake._holding:
                    fake._held.wait(30)
                body = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str, content_type: str, form: dict[str, str]) -> tuple[int, dict]:
        request_id = f"fake-{len(self.received) + 1}"
        if path != "/" or not content_type.startswith("application/x-www-form-urlencoded"):
            return 400, {"Code": "InvalidParameter", "Message": "expected a form POST to /", "RequestId": request_id}
        missing = [name for name in REQUIRED if name not in form]
        if missing:
            return 400, {"Code": "MissingParameter", "Message": f"missing {missing}", "RequestId": request_id}
        if form["AccessKeyId"] != self.access_key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.",
                         "RequestId": request_id}
        if (form["Action"], form["Version"], form["SignatureMethod"], form["SignatureVersion"]) != (
                "SendSms", "2017-05-25", "HMAC-SHA1", "1.0"):
            return 400, {"Code": "InvalidParameter", "Message": "unexpected action or version", "RequestId": request_id}
        if not hmac.compare_digest(form["Signature"], expected_signature(form, self.access_key_secret)):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our "
                         "calculation.", "RequestId": request_id}
        self.received.append(form)
        if self.refusal is not None:
            return 200, {**self.refusal, "RequestId": request_id}
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(self.received)}", "RequestId": request_id}

    def hold(self) -> None:
        self._holding = True

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._held.set()
        self.server.shutdown()
        self.server.server_close()
