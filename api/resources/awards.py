"""Awards and corrections: organisers give points directly, and take back mistakes by reversal."""
from marshmallow import Schema, fields, validate

from ..acts.awards import award, reverse_earning
from ..http import db
from ..http.clock import now
from ..http.fields import Id, Points, RuleCode
from ..http.idempotency import idempotent
from ..http.smorest import Blueprint, found
from ..identity.access import visible_transfer
from ..identity.authentication import current_principal

blp = Blueprint("awards", __name__, url_prefix="/api/v1", description="Awards and corrections")


class AwardArgsSchema(Schema):
    member_id = Id(required=True)
    rule_code = RuleCode(required=True)
    memo = fields.String(validate=validate.Length(max=500), load_default="")
    points = Points(metadata={"description": "overrides the rule's points"})


class AwardSchema(Schema):
    transfer_id = fields.Integer(required=True)
    member_id = fields.Integer(required=True)
    rule_code = fields.String(required=True)
    points = fields.Integer(required=True)
    rule_version = fields.Integer()


class ReverseArgsSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ReversalSchema(Schema):
    transfer_id = fields.Integer(required=True)
    reverses = fields.Integer(required=True)
    amount = fields.Integer(required=True)


@blp.route("/awards", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@blp.arguments(AwardArgsSchema(), example={"member_id": 1, "rule_code": "patrol", "memo": "夜巡"})
@blp.response(201, AwardSchema)
def create_award(args):
    """Award a member points under a rule (organisers' direct award; no review)."""
    done = award(db.writer(), current_principal(), member_id=args["member_id"], rule_code=args["rule_code"],
                 points=args.get("points"), memo=args["memo"], now=now())
    return {"transfer_id": done.record.id, "member_id": done.member.id, "rule_code": done.rule_code,
            "points": done.record.amount, "rule_version": done.rule_version}


@blp.route("/transfers/<id:transfer_id>/reverse", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("transfer_id", "original", visible_transfer)
@blp.arguments(ReverseArgsSchema())
@blp.response(201, ReversalSchema)
def reverse_one(args, original):
    """Reverse an earning (at most once); refused if the member has already spent the points."""
    record = reverse_earning(db.writer(), current_principal(), transfer_id=original.id, reason=args["reason"],
                             now=now())
    return {"transfer_id": record.id, "reverses": record.reverses_id, "amount": record.amount}
