"""Claims (线索、调解): tips and mediations that earn points once an organiser approves them."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from points.claims import STATUSES, Claim, approve_claim, find_claims, get_claim, reject_claim, submit_claim
from points.errors import NotFound

from .. import db, events
from ..access import community_in_scope, found, member_acted_for
from ..authentication import authorize, current_principal
from ..clock import now
from ..fields import Id, LocalDateTime, Points, QueryId
from ..idempotency import idempotent
from ..pagination import PageArgsSchema, page, page_schema

blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims", description="Claims awaiting review")


class ClaimArgsSchema(Schema):
    rule_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    member_id = Id(metadata={"description": "whose claim (organisers); volunteers claim for themselves"})


class ClaimQueryArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    community_id = QueryId()
    member_id = QueryId()


class ApproveArgsSchema(Schema):
    points = Points(metadata={"description": "overrides the rule's points"})


class RejectArgsSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ClaimSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    member_id = fields.Integer()
    community_id = fields.Integer()
    rule_code = fields.String()
    description = fields.String()
    points = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    transfer_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    reviewed_at = LocalDateTime(allow_none=True)


def visible_claim(session, claim_id: int) -> Claim:
    principal = current_principal()
    claim = get_claim(session, claim_id)
    if (principal.role == "admin" or (principal.role == "organiser" and claim.community_id == principal.community_id)
            or (principal.role == "volunteer" and claim.member_id == principal.member_id)):
        return claim
    raise NotFound(f"claim {claim_id} not found")


@blp.route("", methods=["POST"])
@authorize("admin", "organiser", "volunteer")
@blp.arguments(ClaimArgsSchema())
@blp.response(201, ClaimSchema)
def create_claim(args):
    """File a tip or a mediation for review (volunteers for themselves, organisers for a member)."""
    member = member_acted_for(db.session(), args.pop("member_id", None))
    return submit_claim(db.writer(), member=member, now=now(), **args)


@blp.route("", methods=["GET"])
@authorize("admin", "organiser", "volunteer")
@blp.arguments(ClaimQueryArgsSchema(), location="query")
@blp.response(200, page_schema(ClaimSchema))
def claims(args):
    """Claims, oldest first: the review queue with `?status=pending`."""
    principal = current_principal()
    member_id = principal.member_id if principal.role == "volunteer" else args.get("member_id")
    rows = find_claims(db.session(), community_id=community_in_scope(args.get("community_id")),
                       status=args.get("status"), member_id=member_id, after_id=args["cursor"],
                       limit=args["limit"] + 1)
    return page(rows, args["limit"])


@blp.route("/<id:claim_id>", methods=["GET"])
@authorize("admin", "organiser", "volunteer")
@blp.response(200, ClaimSchema)
def claim(claim_id):
    """One claim."""
    return visible_claim(db.session(), claim_id)


@blp.route("/<id:claim_id>/approve", methods=["POST"])
@authorize("admin", "organiser")
@idempotent
@found("claim_id", "claim", visible_claim)
@blp.arguments(ApproveArgsSchema())
@blp.response(200, ClaimSchema)
def approve(args, claim):
    """Approve a pending claim: its points are awarded, once."""
    return events.reviewed(approve_claim(db.writer(), claim=claim, now=now(), points=args.get("points"),
                                         reviewer=current_principal().actor))


@blp.route("/<id:claim_id>/reject", methods=["POST"])
@authorize("admin", "organiser")
@idempotent
@found("claim_id", "claim", visible_claim)
@blp.arguments(RejectArgsSchema())
@blp.response(200, ClaimSchema)
def reject(args, claim):
    """Reject a pending claim with a reason; no points move."""
    return events.reviewed(reject_claim(db.writer(), claim=claim, reason=args["reason"], now=now(),
                                        reviewer=current_principal().actor))
