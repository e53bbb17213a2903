"""The message the act cancelling an activity leaves (api.acts.messages.activity_cancelled): once per member."""
from datetime import timedelta

from sqlalchemy import select

from api.acts.messages import activity_cancelled
from points.activities import Activity
from points.messages import Message


def test_a_cancelled_activity_tells_each_member_once_with_the_points_taken_back(app, clock, organiser, community,
                                                                                 volunteer, rules):
    member, phone = volunteer
    start = clock.now()
    made = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "夜间巡逻", "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        activity = session.get(Activity, made["id"])
        first = activity_cancelled(session, activity=activity, member_id=member["id"], points_taken=50, now=start)
        again = activity_cancelled(session, activity=activity, member_id=member["id"], points_taken=50, now=start)
    assert first is not None and again is None
    [told] = phone.get("/api/v1/me/messages").json["items"]
    assert told["kind"] == "activity_cancelled"
    assert told["body"] == "活动「夜间巡逻」（2026年11月23日）已取消。您因此获得的 50 积分已收回。"
    with app.extensions["benniu"].sessionmaker() as session:
        assert len(session.scalars(select(Message)).all()) == 1
