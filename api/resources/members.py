"""Members (志愿者), their balances and their points history."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from points.ledger import history
from points.members import balance_of, enrol_member, find_members

from .. import codes, db
from ..access import community_in_scope, visible_member
from ..authentication import authorize
from ..clock import now
from ..fields import Id, LocalDateTime, Name, QueryId
from ..images import IMAGE_DOC, qr_image, requested_format
from ..pagination import PageArgsSchema, page, page_schema

blp = Blueprint("members", __name__, url_prefix="/api/v1/members", description="Members and their points")

PHONE = validate.Regexp(r"^\+?[0-9]{5,20}$", error="digits only, 5 to 20 of them")


class MemberArgsSchema(Schema):
    name = Name(100, required=True)
    phone = fields.String(required=True, validate=PHONE)
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


class MemberQueryArgsSchema(PageArgsSchema):
    community_id = QueryId()
    team = fields.String(validate=validate.Length(max=100))
    q = fields.String(validate=validate.Length(max=100))


class BalanceSchema(Schema):
    member_id = fields.Integer(required=True)
    available = fields.Integer(required=True, metadata={"description": "spendable: excludes open holds"})
    held = fields.Integer(required=True, metadata={"description": "reserved by open redemptions"})
    lifetime_earned = fields.Integer(required=True)
    lifetime_spent = fields.Integer(required=True)
    minutes_served = fields.Integer(required=True, metadata={"description": "service time (服务时长) from check-outs"})


class EntrySchema(Schema):
    id = fields.Integer(required=True)
    transfer_id = fields.Integer(required=True)
    at = LocalDateTime(required=True)
    amount = fields.Integer(required=True, metadata={"description": "signed: + earned, - spent or held"})
    balance_after = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "earn, reversal, hold, release or spend"})
    rule_code = fields.String(allow_none=True)
    activity_id = fields.Integer(allow_none=True)
    redemption_id = fields.Integer(allow_none=True)
    memo = fields.String(required=True)
    reverses = fields.Integer(allow_none=True)


@blp.route("", methods=["POST"])
@authorize("admin", "organiser")
@blp.arguments(MemberArgsSchema())
@blp.response(201, MemberSchema)
def create_member(args):
    """Register a volunteer (phone numbers are unique)."""
    args["community_id"] = community_in_scope(args["community_id"])
    return enrol_member(db.writer(), now=now(), **args)


@blp.route("", methods=["GET"])
@authorize("admin", "organiser")
@blp.arguments(MemberQueryArgsSchema(), location="query")
@blp.response(200, page_schema(MemberSchema))
def members(args):
    """Members of a community, filtered by team or a name/phone search."""
    rows = find_members(db.session(), community_id=community_in_scope(args.get("community_id")),
                        team=args.get("team"), q=args.get("q"), after_id=args["cursor"], limit=args["limit"] + 1)
    return page(rows, args["limit"])


@blp.route("/<id:member_id>", methods=["GET"])
@authorize("admin", "organiser", "volunteer")
@blp.response(200, MemberSchema)
def member(member_id):
    """One member."""
    return visible_member(db.session(), member_id)


@blp.route("/<id:member_id>/balance", methods=["GET"])
@authorize("admin", "organiser", "volunteer")
@blp.response(200, BalanceSchema)
def balance(member_id):
    """A member's points: available, held by open redemptions, and lifetime totals."""
    session = db.session()
    return balance_of(session, visible_member(session, member_id))


@blp.route("/<id:member_id>/entries", methods=["GET"])
@authorize("admin", "organiser", "volunteer")
@blp.arguments(PageArgsSchema(), location="query")
@blp.response(200, page_schema(EntrySchema))
def entries(args, member_id):
    """A member's points history, newest first."""
    session = db.session()
    subject = visible_member(session, member_id)
    rows = history(session, subject.account_id, before_id=args["cursor"], limit=args["limit"] + 1)
    return page([_entry(entry, transfer) for entry, transfer in rows], args["limit"], key=lambda item: item["id"])


@blp.route("/<id:member_id>/card.png", methods=["GET"], endpoint="card")
@blp.route("/<id:member_id>/card.svg", methods=["GET"], endpoint="card")
@authorize("admin", "organiser", "volunteer")
@blp.doc(**IMAGE_DOC)
def card(member_id):
    """The member's personal QR card, for an organiser to scan at check-in."""
    subject = visible_member(db.session(), member_id)
    caption = [f"{subject.name} · 犇牛志愿者", f"编号 {subject.id}" + (f" · {subject.team}" if subject.team else "")]
    return qr_image(codes.member_code(subject.id), caption, requested_format(), f"member-{subject.id}")


def _entry(entry, transfer) -> dict:
    return {"id": entry.id, "transfer_id": transfer.id, "at": entry.at, "amount": entry.amount,
            "balance_after": entry.balance_after, "kind": transfer.kind, "rule_code": transfer.rule_code,
            "activity_id": transfer.activity_id, "redemption_id": transfer.redemption_id,
            "memo": transfer.memo, "reverses": transfer.reverses_id}
