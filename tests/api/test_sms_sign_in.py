"""短信验证码登录: a code texted to the phone signs its owner in; who owns a phone is never told; codes
are limited per phone (one a minute, ten a day), live five minutes and allow five tries."""
import json
from datetime import timedelta

import pytest

from api import create_app
from api.acts.members import reset_password
from api.identity.principal import Principal

from ..fakes.aliyun_sms import FakeAliyunSms
from ..fakes.tencent_sms import FakeTencentSms
from ..helpers import Client, at_once
from .test_errors import assert_error
from .test_logs import written  # noqa: F401  (fixture)

PHONE = "13900000001"  # the `volunteer` fixture's


def make_app(database_url, clock, tmp_path, **config):
    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
                       "PUBLIC_URL": "https://benniu.test", "SMS_PROVIDER": "log", **config},
                      clock=clock, instance_path=tmp_path / "instance")


@pytest.fixture
def app(database_url, clock, tmp_path):
    app = make_app(database_url, clock, tmp_path)
    yield app
    app.extensions["benniu"].engine.dispose()


def ask(app, phone):
    return app.test_client().post("/api/v1/auth/sms", json={"phone": phone})


def sign_in(app, phone, code):
    return app.test_client().post("/api/v1/auth/sms/login", json={"phone": phone, "code": code})


def codes_logged(stream) -> list[dict]:
    """The development provider's messages, read back from the JSON log lines as an operator would."""
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line.get("event") == "sms_code"]


def test_the_development_providers_code_is_in_the_log_and_signs_in(app, volunteer, written):  # noqa: F811
    member, _ = volunteer
    response = ask(app, PHONE)
    assert response.status_code == 202
    [logged] = codes_logged(written)
    assert logged["phone"] == PHONE and len(logged["code"]) == 6 and logged["code"].isdigit()
    answer = sign_in(app, PHONE, logged["code"])
    assert answer.status_code == 200, answer.get_json()
    assert (answer.json["role"], answer.json["member_id"]) == ("volunteer", member["id"])
    assert Client(app, answer.json["token"]).get(f"/api/v1/members/{member['id']}").status_code == 200


def test_an_unknown_phone_gets_the_same_answer_and_no_message(app, volunteer, written):  # noqa: F811
    unknown, known = ask(app, "13711112222"), ask(app, PHONE)
    assert (unknown.status_code, unknown.get_data()) == (known.status_code, known.get_data()) == (202, known.get_data())
    assert [logged["phone"] for logged in codes_logged(written)] == [PHONE]
    refused = ask(app, "13711112222")  # limited like a known phone, too
    assert_error(refused, 429, "rate_limited")
    assert refused.headers["Retry-After"] == "60"


def test_one_code_a_minute_per_phone_however_it_is_typed(app, volunteer, clock):
    assert ask(app, PHONE).status_code == 202
    for typed in (PHONE, f" {PHONE}", "+86 139-0000-0001", f"{PHONE}\t"):
        refused = ask(app, typed)
        assert_error(refused, 429, "rate_limited")
        assert refused.headers["Retry-After"] == "60"
    clock.advance(seconds=61)
    assert ask(app, PHONE).status_code == 202


def test_ten_codes_a_day_per_phone(app, volunteer, clock):
    clock.set(clock.now().replace(hour=8))
    for _ in range(10):
        assert ask(app, PHONE).status_code == 202
        clock.advance(minutes=2)
    assert_error(ask(app, PHONE), 429, "rate_limited")
    clock.set(clock.now().replace(hour=0, minute=5) + timedelta(days=1))
    assert ask(app, PHONE).status_code == 202


def test_a_code_allows_five_tries_then_not_even_the_right_one(app, volunteer, written):  # noqa: F811
    ask(app, PHONE)
    [logged] = codes_logged(written)
    wrong = f"{(int(logged['code']) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert_error(sign_in(app, PHONE, wrong), 401, "unauthorized")
    assert_error(sign_in(app, PHONE, logged["code"]), 401, "unauthorized")


def test_a_code_lives_five_minutes(app, volunteer, clock, written):  # noqa: F811
    ask(app, PHONE)
    [logged] = codes_logged(written)
    clock.advance(minutes=5, seconds=1)
    assert_error(sign_in(app, PHONE, logged["code"]), 401, "unauthorized")


def test_a_code_signs_in_once(app, volunteer, written):  # noqa: F811
    ask(app, PHONE)
    [logged] = codes_logged(written)
    assert sign_in(app, PHONE, logged["code"]).status_code == 200
    assert_error(sign_in(app, PHONE, logged["code"]), 401, "unauthorized")


def test_a_new_code_replaces_the_last(app, volunteer, clock, written):  # noqa: F811
    ask(app, PHONE)
    clock.advance(seconds=61)
    ask(app, PHONE)
    first, second = codes_logged(written)
    if first["code"] != second["code"]:
        assert_error(sign_in(app, PHONE, first["code"]), 401, "unauthorized")
    assert sign_in(app, PHONE, second["code"]).status_code == 200


def test_staff_sign_in_by_sms_too(app, staff, written):  # noqa: F811
    phone = staff()
    ask(app, phone)
    [logged] = codes_logged(written)
    assert sign_in(app, phone, logged["code"]).json["role"] == "organiser"


def test_codes_are_stored_hashed_and_phones_too(app, volunteer, session, written):  # noqa: F811
    from api.identity.sms_codes import SmsCode
    ask(app, PHONE)
    [logged] = codes_logged(written)
    [row] = session.query(SmsCode).all()
    stored = " ".join(str(value) for value in (row.phone_key, row.code_hash))
    assert PHONE not in stored and logged["code"] not in stored


def test_two_requests_at_once_send_one_code(app, volunteer, written):  # noqa: F811
    answers = at_once([lambda: ask(app, PHONE).status_code for _ in range(4)])
    assert sorted(answers) == [202, 429, 429, 429]
    assert len(codes_logged(written)) == 1


@pytest.mark.parametrize("body", ['{"phone": "\\ud800"}', '{"phone": ""}', '{"phone": 13900000001}', '{}',
                                  '{"phone": "13900000001", "code": "\\udfff"}'])
def test_a_malformed_phone_or_code_is_refused_without_a_500(app, body):
    for path in ("/api/v1/auth/sms", "/api/v1/auth/sms/login"):
        answer = app.test_client().post(path, data=body, content_type="application/json")
        assert answer.status_code in (202, 400, 401, 422), answer.get_json()


def test_a_phone_without_digits_gets_no_code(app, written):  # noqa: F811
    answer = ask(app, "no digits")
    assert answer.status_code == 422 and answer.json["errors"] == {"phone": ["a phone number has 5 to 20 digits"]}
    assert codes_logged(written) == []


def test_without_a_provider_sms_sign_in_is_off(database_url, clock, tmp_path):
    off = make_app(database_url, clock, tmp_path, SMS_PROVIDER=None)
    assert_error(ask(off, PHONE), 404, "not_found")
    assert_error(sign_in(off, PHONE, "123456"), 404, "not_found")


def test_through_aliyun_the_code_reaches_the_provider_and_signs_in(database_url, clock, tmp_path, organiser,
                                                                    community):
    with FakeAliyunSms() as fake:
        aliyun = make_app(database_url, clock, tmp_path, SMS_PROVIDER="aliyun", SMS_ENDPOINT=fake.url,
                          SMS_ACCESS_KEY_ID=fake.access_key_id, SMS_ACCESS_KEY_SECRET=fake.access_key_secret,
                          SMS_SIGN_NAME="犇牛志愿", SMS_TEMPLATES="login_code=SMS_123456789")
        organiser.post("/api/v1/members", {"name": "王芳", "phone": "13500000001", "community_id": community["id"]},
                       expect=201)
        assert ask(aliyun, "13500000001").status_code == 202
        [sent] = fake.received
        code = json.loads(sent["TemplateParam"])["code"]
        assert sent["PhoneNumbers"] == "13500000001"
        assert sign_in(aliyun, "13500000001", code).json["name"] == "王芳"


def test_through_tencent_the_code_reaches_the_provider_and_signs_in(database_url, clock, tmp_path, volunteer):
    with FakeTencentSms() as fake:
        tencent = make_app(database_url, clock, tmp_path, SMS_PROVIDER="tencent", SMS_ENDPOINT=fake.url,
                           SMS_ACCESS_KEY_ID=fake.secret_id, SMS_ACCESS_KEY_SECRET=fake.secret_key,
                           SMS_APP_ID=fake.app_id, SMS_SIGN_NAME="犇牛志愿", SMS_TEMPLATES="login_code=1234567")
        assert ask(tencent, PHONE).status_code == 202
        [sent] = fake.received
        assert (sent["PhoneNumberSet"], sent["TemplateId"]) == ([f"+86{PHONE}"], "1234567")
        [code] = sent["TemplateParamSet"]
        assert sign_in(tencent, PHONE, code).json["member_id"] == volunteer[0]["id"]


def test_a_provider_failure_still_answers_202_and_is_logged(database_url, clock, tmp_path, volunteer, written):  # noqa: F811
    with FakeAliyunSms() as fake:
        fake.refusal = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控"}
        aliyun = make_app(database_url, clock, tmp_path, SMS_PROVIDER="aliyun", SMS_ENDPOINT=fake.url,
                          SMS_ACCESS_KEY_ID=fake.access_key_id, SMS_ACCESS_KEY_SECRET=fake.access_key_secret,
                          SMS_SIGN_NAME="犇牛志愿", SMS_TEMPLATES="login_code=SMS_123456789")
        assert ask(aliyun, PHONE).status_code == 202
    lines = [json.loads(line) for line in written.getvalue().splitlines()]
    assert [line["error"] for line in lines if line.get("event") == "sms_failed"] == ["isv.BUSINESS_LIMIT_CONTROL"]


def test_a_code_signs_in_someone_whose_password_is_temporary_only_to_change_it(
        app, volunteer, community, written):  # noqa: F811
    # As the password sign-in does: a temporary password lives until its first use. Someone who lost
    # the slip asks for a new one (which ends this one); the code does not let the lost one live on.
    member, _ = volunteer
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        reset_password(session, Principal(1, "organiser", "罗塘派出所 民警", community["id"]), member_id=member["id"],
                       password="temp-pass-1", now=app.extensions["benniu"].clock.now())
    ask(app, PHONE)
    [logged] = codes_logged(written)
    answer = sign_in(app, PHONE, logged["code"])
    assert answer.status_code == 200 and answer.json["must_change_password"] is True
    refused = Client(app, answer.json["token"]).get(f"/api/v1/members/{member['id']}/balance")
    assert refused.status_code == 403 and refused.json["code"] == "password_change_required"
