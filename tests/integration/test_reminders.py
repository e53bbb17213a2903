"""Reminders: a message per expiring lot or voucher, once, also with two runs at the same moment
(real threads on file SQLite and PostgreSQL); texts through the SMS seam, at most once, capped per
run and never in the quiet hours."""
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from api import cli
from api.acts import reminders as reminders_acts
from api.operations.reminding import remind
from points.db import serializes_writers
from points.messages import Message

from ..api.test_logs import written  # noqa: F401  (fixture)
from ..helpers import at_once, meet_at


class FakeTexter:
    """The local fake SMS provider: remembers what it was asked to send."""

    def __init__(self):
        self.sent = []

    def __call__(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


def run(app, kind="points_expiring", days=30) -> str:
    return remind(app, kind=kind, days=days)


def reminders(app, kind="points_expiring") -> list[Message]:
    with app.extensions["benniu"].sessionmaker() as session:
        return list(session.scalars(select(Message).where(Message.kind == kind).order_by(Message.id)))


@pytest.fixture
def expiring(app, clock, admin, community, organiser, enrol, rules):
    """Two members whose points expire in a month (two lots for the first), and one of a year ago's."""
    admin.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    (first, _), (second, _) = enrol(), enrol(name="李四")
    for member, points in ((first, 50), (first, 30), (second, 40)):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": points},
                       expect=201)
    clock.advance(days=10)
    return first, second


def test_each_expiring_lot_is_told_once_however_often_the_job_runs(app, expiring):
    first, second = expiring
    assert run(app) == "3 reminders written; no SMS provider configured"
    assert run(app) == "0 reminders written; no SMS provider configured"
    told = reminders(app)
    assert sorted((message.member_id, message.body) for message in told) == sorted([
        (first["id"], "您有 50 积分将于 2026年12月23日 过期，请在此之前到积分超市兑换。"),
        (first["id"], "您有 30 积分将于 2026年12月23日 过期，请在此之前到积分超市兑换。"),
        (second["id"], "您有 40 积分将于 2026年12月23日 过期，请在此之前到积分超市兑换。")])


def test_a_lot_further_off_than_the_days_asked_waits(app, expiring):
    assert run(app, days=19).startswith("0 reminders")  # they expire in 20 days
    assert run(app, days=30).startswith("3 reminders")


def test_four_runs_at_once_write_each_reminder_once_and_text_it_once(app, expiring, clock, session, monkeypatch):
    # Guarded by UNIQUE(messages.member_id, kind, subject_id) (the writing) and the conditional
    # UPDATE messages SET texted_at ... WHERE texted_at IS NULL (the texting). Four runs, not two:
    # with either guard taken away, two runs on PostgreSQL did not overlap enough to show it. For the
    # writing, on PostgreSQL all four look for untold lots before any writes (on SQLite each run's
    # look-up and writing are under the one write lock, where the look-up is the guard); the texting
    # runs after, without a meeting point (with its guard taken away it failed 4 runs of 4).
    if not serializes_writers(session):
        meet_at(monkeypatch, reminders_acts, "tell", 4)
    clock.set(clock.now().replace(hour=10))
    texter = app.extensions["benniu_texter"] = FakeTexter()
    answers = at_once([lambda: run(app)] * 4)
    assert sum(int(answer.split()[0]) for answer in answers) == 3, answers
    assert len(reminders(app)) == 3
    assert len(texter.sent) == 3 and len(set(texter.sent)) == 3
    assert all(text.startswith("【犇牛志愿】您有") for _, text in texter.sent)


def test_texts_wait_out_the_quiet_hours_and_the_per_run_rate(app, expiring, clock):
    texter = app.extensions["benniu_texter"] = FakeTexter()
    app.config["REMIND_SMS_PER_RUN"] = 2
    clock.set(clock.now().replace(hour=22))  # in 21-8
    assert run(app) == "3 reminders written; quiet hours, texts wait for the next run"
    assert texter.sent == []
    clock.advance(hours=11)  # 09:00
    assert run(app) == "0 reminders written; 2 texts sent"
    assert run(app) == "0 reminders written; 1 texts sent"
    assert run(app) == "0 reminders written; 0 texts sent"
    assert len(set(texter.sent)) == 3


def test_a_voucher_about_to_expire_is_told_once(app, clock, organiser, volunteer, rules, shop):
    member, phone = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": 100}, expect=201)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}, expect=201).json
    assert run(app, "voucher_expiring", days=3).startswith("0 reminders")  # valid for 30 days
    clock.advance(days=28)
    for _ in range(2):
        run(app, "voucher_expiring", days=3)
    [told] = reminders(app, "voucher_expiring")
    assert told.member_id == member["id"] and voucher["voucher_code"] in told.body and "雨伞" in told.body


def test_the_commands_exist_and_run_on_an_empty_ledger(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("BENNIU_DATABASE_URL", database_url)
    monkeypatch.setenv("BENNIU_INSTANCE_PATH", str(tmp_path / "instance"))
    for command in ("remind-expiring", "remind-vouchers"):
        result = CliRunner().invoke(cli.main, [command, "--days", "5"], catch_exceptions=False)
        assert result.exit_code == 0 and "0 reminders written" in result.output
    assert CliRunner().invoke(cli.main, ["remind-expiring", "--days", "0"]).exit_code == 2


def test_with_an_sms_provider_each_reminder_is_texted_through_it_once(app, expiring, clock, written):  # noqa: F811
    clock.set(clock.now().replace(hour=10))
    app.config["SMS_PROVIDER"] = "log"  # the development provider: each text is a JSON line in the log
    assert run(app) == "3 reminders written; 3 texts sent"
    assert run(app) == "0 reminders written; 0 texts sent"
    texts = [json.loads(line) for line in written.getvalue().splitlines()]
    texts = [line for line in texts if line.get("event") == "sms"]
    assert [text["template"] for text in texts] == ["points_expiring"] * 3
    assert all(text["phone"].startswith("139") and "积分" in text["text"] for text in texts)
