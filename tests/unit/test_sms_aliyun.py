"""Aliyun SMS, sent for real to a local fake of its HTTP API: the request's fields and the signature
it checks (what every provider does alike: test_sms_providers.py)."""
import json

import pytest

from api.sms.aliyun import AliyunSms

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


def test_the_signature_matches_the_worked_example_of_aliyuns_rpc_signature_document():
    from api.sms.aliyun import signature
    parameters = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
                  "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
                  "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert signature(parameters, secret="testsecret", method="GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
