"""Members (志愿者), their balances and their points history."""
from marshmallow import Schema, ValidationError, fields, validate

from points.balance_now import balance_now
from points.ledger import KINDS as TRANSFER_KINDS
from points.members import find_members
from points.phones import is_phone
from points.statement import history

from .. import codes
from ..acts.members import add_member
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime, Name, QueryId
from ..http.images import image_routes, qr_image
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint
from ..identity.access import community_for, visible_member
from ..identity.authentication import current_principal

blp = Blueprint("members", __name__, url_prefix="/api/v1/members", description="Members and their points")



def _phone(value: str) -> None:
    if not is_phone(value):
        raise ValidationError("a mainland mobile number: 11 digits starting with 1 (or as BENNIU_PHONE_PATTERN says)")


class MemberArgsSchema(Schema):
    name = Name(100, required=True)
    phone = fields.String(required=True, validate=_phone)
    community_id = Id(required=True)
    team = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    password = fields.String(validate=validate.Length(min=6, max=128), load_only=True)


class MemberSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    phone = fields.String(required=True)
    community_id = fields.Integer(required=True)
    team = fields.String(allow_none=True)
    joined_at = LocalDateTime(required=True)
    card_number = fields.String(metadata={"description": "8 digits printed under the member card's QR; an "
                                                         "organiser types it to check the member in"})


class MemberQueryArgsSchema(PageArgsSchema):
    community_id = QueryId()
    team = fields.String(validate=validate.Length(max=100))
    q = fields.String(validate=validate.Length(max=100))


class ExpirySchema(Schema):
    points = fields.Function(lambda expiry: expiry[0], required=True)
    on = fields.Function(lambda expiry: expiry[1].isoformat(), required=True,
                         metadata={"description": "the last day (YYYY-MM-DD, the service's zone) they can be spent: "
                                                  "they expire at its end"})


class BalanceSchema(Schema):
    member_id = fields.Integer(required=True)
    available = fields.Integer(required=True, metadata={"description": "spendable: excludes open holds"})
    held = fields.Integer(required=True, metadata={"description": "reserved by open redemptions"})
    pending = fields.Integer(required=True, metadata={"description": "awards on public notice: not yet spendable"})
    lifetime_earned = fields.Integer(required=True)
    lifetime_spent = fields.Integer(required=True)
    expiring = fields.List(fields.Nested(ExpirySchema), required=True,
                           metadata={"description": "the next expiries of available points, soonest first"})
    minutes_served = fields.Integer(required=True, metadata={"description": "service time (服务时长) from check-outs"})


class EntrySchema(Schema):
    id = fields.Integer(required=True)
    transfer_id = fields.Integer(required=True)
    at = LocalDateTime(required=True)
    amount = fields.Integer(required=True, metadata={"description": "signed: + earned, - spent or held"})
    balance_after = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(TRANSFER_KINDS))
    rule_code = fields.String(allow_none=True)
    activity_id = fields.Integer(allow_none=True)
    redemption_id = fields.Integer(allow_none=True)
    memo = fields.String(required=True)
    reverses = fields.Integer(allow_none=True)


@blp.route("", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(MemberArgsSchema(),
               example={"name": "陈元龙", "phone": "13800000001", "community_id": 1, "team": "一队"})
@blp.response(201, MemberSchema)
def create_member(args):
    """Register a volunteer (phone numbers are unique)."""
    return add_member(db.writer(), current_principal(), now=now(), **args)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(MemberQueryArgsSchema(), location="query")
@blp.response(200, page_schema(MemberSchema))
def members(args):
    """Members of a community, filtered by team or a name/phone search."""
    return keyset_page(find_members, db.session(), args, team=args.get("team"), q=args.get("q"),
                       community_id=community_for(current_principal(), args.get("community_id")))


@blp.route("/<id:member_id>", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.response(200, MemberSchema)
def member(member_id):
    """One member."""
    return visible_member(db.session(), current_principal(), member_id)


@blp.route("/<id:member_id>/balance", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.response(200, BalanceSchema)
def balance(member_id):
    """A member's points: available, held by open redemptions, on public notice, lifetime totals, expiries."""
    session = db.session()
    return balance_now(session, visible_member(session, current_principal(), member_id), now=now())


@blp.route("/<id:member_id>/entries", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(PageArgsSchema(), location="query")
@blp.response(200, page_schema(EntrySchema))
def entries(args, member_id):
    """A member's points history, newest first."""
    session = db.session()
    subject = visible_member(session, current_principal(), member_id)
    listed = keyset_page(history, session, args, account_id=subject.account_id, key=lambda row: row[0].id)
    return {**listed, "items": [_entry(entry, transfer) for entry, transfer in listed["items"]]}


@image_routes(blp, "/<id:member_id>/card", "admin", "organiser", "volunteer")
def card(fmt, member_id):
    """The member's personal QR card, for an organiser to scan at check-in."""
    subject = visible_member(db.session(), current_principal(), member_id)
    caption = [f"{subject.name} · 犇牛志愿者", f"卡号 {subject.card_number}" + (f" · {subject.team}" if subject.team else "")]
    return qr_image(codes.member_code(subject.id), caption, fmt, f"member-{subject.id}")


def _entry(entry, transfer) -> dict:
    return {"id": entry.id, "transfer_id": transfer.id, "at": entry.at, "amount": entry.amount,
            "balance_after": entry.balance_after, "kind": transfer.kind, "rule_code": transfer.rule_code,
            "activity_id": transfer.activity_id, "redemption_id": transfer.redemption_id,
            "memo": transfer.memo, "reverses": transfer.reverses_id}
