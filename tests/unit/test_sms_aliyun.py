"""Aliyun SMS, sent for real to a local fake of its HTTP API: the signature it checks, its refusals,
and a provider that does not answer in time."""
import json
import time

import pytest

from api.sms.aliyun import AliyunSms
from api.sms.provider import SmsError

from ..fakes.aliyun_sms import FakeAliyunSms


@pytest.fixture
def fake():
    with FakeAliyunSms() as running:
        yield running


def provider(fake, **changed) -> AliyunSms:
    terms = {"endpoint": fake.url, "access_key_id": fake.access_key_id, "access_key_secret": fake.access_key_secret,
             "sign_name": "犇牛志愿", "templates": {"login_code": "SMS_123456789"}, "timeout": 2, **changed}
    return AliyunSms(**terms)


def test_a_code_is_sent_with_a_signature_aliyun_accepts(fake):
    provider(fake).send("13800000001", "login_code", {"code": "048213"})
    [sent] = fake.received
    assert (sent["PhoneNumbers"], sent["SignName"], sent["TemplateCode"]) == ("13800000001", "犇牛志愿", "SMS_123456789")
    assert json.loads(sent["TemplateParam"]) == {"code": "048213"}
    assert sent["SignatureNonce"] and sent["Timestamp"].endswith("Z")


def test_every_message_has_a_fresh_nonce(fake):
    sms = provider(fake)
    for code in ("111111", "222222"):
        sms.send("13800000001", "login_code", {"code": code})
    assert len({sent["SignatureNonce"] for sent in fake.received}) == 2


def test_a_wrong_secret_is_refused_as_signature_does_not_match(fake):
    with pytest.raises(SmsError) as refused:
        provider(fake, access_key_secret="not-the-secret").send("13800000001", "login_code", {"code": "1"})
    assert refused.value.code == "SignatureDoesNotMatch" and fake.received == []


def test_an_unknown_access_key_is_refused(fake):
    with pytest.raises(SmsError) as refused:
        provider(fake, access_key_id="LTAI-nobody").send("13800000001", "login_code", {"code": "1"})
    assert refused.value.code == "InvalidAccessKeyId.NotFound"


def test_a_business_refusal_is_raised_with_aliyuns_code(fake):
    fake.refusal = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控Permits:10"}
    with pytest.raises(SmsError) as refused:
        provider(fake).send("13800000001", "login_code", {"code": "1"})
    assert refused.value.code == "isv.BUSINESS_LIMIT_CONTROL" and "流控" in str(refused.value)


def test_a_provider_that_does_not_answer_times_out(fake):
    fake.hold()
    started = time.monotonic()
    with pytest.raises(SmsError) as slow:
        provider(fake, timeout=0.5).send("13800000001", "login_code", {"code": "1"})
    assert slow.value.code == "timeout" and time.monotonic() - started < 5


def test_an_address_nobody_listens_on_is_unreachable(fake):
    with pytest.raises(SmsError) as failed:
        provider(fake, endpoint="http://127.0.0.1:9/").send("13800000001", "login_code", {"code": "1"})
    assert failed.value.code in ("unreachable", "timeout")


def test_a_message_without_a_template_is_not_sent(fake):
    with pytest.raises(SmsError) as refused:
        provider(fake).send("13800000001", "points_expiring", {"points": "50"})
    assert refused.value.code == "no_template" and fake.received == []


def test_the_signature_matches_the_worked_example_of_aliyuns_rpc_signature_document():
    from api.sms.aliyun import signature
    parameters = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
                  "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
                  "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert signature(parameters, secret="testsecret", method="GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
