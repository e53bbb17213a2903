"""A local stand-in for Tencent Cloud SMS's HTTP API (SendSms, 2021-01-11), to send real requests to.

It checks each request as TencentCloud API's "Signature v3" document describes it, with its own
reading of the rules (not the code under test): a JSON POST to `/`, X-TC-Action `SendSms`,
X-TC-Version `2021-01-11`, a timestamp within five minutes, and an Authorization header whose
credential names the SecretId and whose signature is HMAC-SHA256 over the string to sign with the
key derived from the SecretKey, recomputed here from the headers actually received. The official
Python SDK's requests pass it (tests/unit/test_sms_tencent.py), so its reading is Tencent's.

It answers as Tencent does, always HTTP 200: `{"Response": {"SendStatusSet": [{"Code": "Ok"...}]}}`,
or `{"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"...}}}`, or the per-phone refusal
the test asks for. `hold()` keeps the next requests waiting so the client's timeout ends them.
"""
import hashlib
import hmac
import json
import time

from .provider import FakeProvider

FIELDS = ("PhoneNumberSet", "SmsSdkAppId", "TemplateId")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def expected_signature(*, headers, body: bytes, signed_headers: str, day: str, secret_key: str) -> str:
    # Each signed header as `name:value` on its line, both lowercase and trimmed, in the order signed.
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed_headers.split(";"))
    canonical_request = "POST\n/\n\n" + canonical_headers + "\n" + signed_headers + "\n" + \
        hashlib.sha256(body).hexdigest()
    scope = day + "/sms/tc3_request"
    string_to_sign = "TC3-HMAC-SHA256\n" + headers.get("X-TC-Timestamp", "") + "\n" + scope + "\n" + \
        hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    signing_key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), day), "sms"), "tc3_request")
    return hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class FakeTencentSms(FakeProvider):
    def __init__(self, *, secret_id="AKID-test-id", secret_key="test-key/with+odd=chars", app_id="1400006666"):
        super().__init__()
        self.secret_id, self.secret_key, self.app_id = secret_id, secret_key, app_id
        self.refusal: dict | None = None  # the next statuses, e.g. {"Code": "LimitExceeded.PhoneNumberDailyLimit"}

    def answer(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        return 200, {"Response": self._response(path, headers, body)}  # Tencent answers every request with 200

    def _response(self, path: str, headers, body: bytes) -> dict:
        request_id = f"fake-{len(self.received) + 1}"

        def error(code: str, message: str) -> dict:
            return {"Error": {"Code": code, "Message": message}, "RequestId": request_id}

        if path != "/" or not headers.get("Content-Type", "").lower().startswith("application/json"):
            return error("InvalidParameter", "expected a JSON POST to /")
        if (headers.get("X-TC-Action"), headers.get("X-TC-Version")) != ("SendSms", "2021-01-11"):
            return error("InvalidAction", "unexpected action or version")
        if not headers.get("X-TC-Region"):
            return error("MissingParameter", "X-TC-Region is missing")
        try:
            timestamp = int(headers.get("X-TC-Timestamp", ""))
        except ValueError:
            return error("MissingParameter", "X-TC-Timestamp is missing")
        if abs(time.time() - timestamp) > 300:
            return error("AuthFailure.SignatureExpire", "the request's timestamp is over five minutes off")
        # "TC3-HMAC-SHA256 Credential=<id>/<day>/sms/tc3_request, SignedHeaders=<names>, Signature=<hex>"
        algorithm, _, rest = headers.get("Authorization", "").partition(" ")
        terms = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        credential = terms.get("Credential", "").split("/")
        if algorithm != "TC3-HMAC-SHA256" or len(credential) != 4 or credential[2:] != ["sms", "tc3_request"]:
            return error("AuthFailure.InvalidAuthorization", "Authorization is not a TC3-HMAC-SHA256 credential")
        secret_id, day = credential[0], credential[1]
        if secret_id != self.secret_id:
            return error("AuthFailure.SecretIdNotFound", "the SecretId is not found")
        if time.strftime("%Y-%m-%d", time.gmtime(timestamp)) != day:
            return error("AuthFailure.InvalidAuthorization", "the credential's date is not the timestamp's")
        expected = expected_signature(headers=headers, body=body, signed_headers=terms.get("SignedHeaders", ""),
                                      day=day, secret_key=self.secret_key)
        if "host" not in terms.get("SignedHeaders", "").split(";") or \
                not hmac.compare_digest(terms.get("Signature", ""), expected):
            return error("AuthFailure.SignatureFailure", "the request signature we calculated does not match")
        try:
            sent = json.loads(body)
        except ValueError:
            return error("InvalidParameter", "the body is not JSON")
        missing = [name for name in FIELDS if not sent.get(name)]
        if missing:
            return error("MissingParameter", f"missing {missing}")
        if sent["SmsSdkAppId"] != self.app_id:
            return error("InvalidParameterValue.SdkAppIdNotExist", "the SdkAppId does not exist")
        self.received.append(sent)
        statuses = [{"SerialNo": f"serial-{len(self.received)}", "PhoneNumber": phone, "Fee": 1, "SessionContext": "",
                     "Code": "Ok", "Message": "send success", "IsoCode": "CN", **(self.refusal or {})}
                    for phone in sent["PhoneNumberSet"]]
        return {"SendStatusSet": statuses, "RequestId": request_id}
