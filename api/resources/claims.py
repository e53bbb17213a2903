"""Claims (线索、调解): tips and mediations that earn points once an organiser approves them."""
from marshmallow import Schema, fields, missing, validate

from points.claims import STATUSES, find_claims
from points.photos import kept_photos

from ..acts.claims import approve, file_claim, reject
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime, Points, QueryId, RuleCode
from ..http.idempotency import idempotent
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.photo_store import photo_store
from ..http.smorest import Blueprint, found
from ..identity.access import community_for, listed_member, member_acted_for, reads_claim, visible_claim
from ..identity.authentication import current_principal
from .tip_photos import MULTIPART_DOC, photo_urls, with_photos

blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims", description="Claims awaiting review")


class ClaimArgsSchema(Schema):
    rule_code = RuleCode(required=True)
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
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    member_id = fields.Integer()
    community_id = fields.Integer()
    rule_code = fields.String()
    description = fields.Method("_description", metadata={
        "description": "for the member who sent it and staff who see tips (sees_tips) only"})
    photos = fields.Method("_photos", metadata={"description": "the photos' addresses, for whoever reads the text"})
    points = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    transfer_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    reviewed_at = LocalDateTime(allow_none=True)

    def _description(self, claim):
        return claim.description if reads_claim(db.session(), current_principal(), claim) else missing

    def _photos(self, claim):
        return photo_urls(claim) if reads_claim(db.session(), current_principal(), claim) else missing


@blp.route("", methods=["POST"])
@blp.allow("admin", "organiser", "volunteer")
@with_photos
@blp.arguments(ClaimArgsSchema(), location="json_or_form",
               example={"rule_code": "rental_tip", "description": "5栋302出租屋新住户未登记"})
@blp.doc(**MULTIPART_DOC)
@blp.response(201, ClaimSchema)
def create_claim(args, photos):
    """File a tip or a mediation for review (volunteers for themselves, organisers for a member), as
    JSON, or as multipart/form-data with up to 3 `photo` files (JPEG or PNG, 10 MB each)."""
    member_acted_for(db.session(), current_principal(), args.get("member_id"))  # 404 before the write lock
    return file_claim(db.writer(), current_principal(), now=now(), photos=photos, store=photo_store(), **args)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(ClaimQueryArgsSchema(), location="query")
@blp.response(200, page_schema(ClaimSchema))
def claims(args):
    """Claims, oldest first: the review queue with `?status=pending`."""
    principal, session = current_principal(), db.session()
    found = keyset_page(find_claims, session, args, community_id=community_for(principal, args.get("community_id")),
                        status=args.get("status"), member_id=listed_member(principal, args.get("member_id")))
    kept_photos(session, [claim for claim in found["items"] if reads_claim(session, principal, claim)])  # one query
    return found


@blp.route("/<id:claim_id>", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.response(200, ClaimSchema)
def claim(claim_id):
    """One claim."""
    return visible_claim(db.session(), current_principal(), claim_id)


@blp.route("/<id:claim_id>/approve", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("claim_id", "claim", visible_claim)
@blp.arguments(ApproveArgsSchema())
@blp.response(200, ClaimSchema)
def approve_one(args, claim):
    """Approve a pending claim: its points are awarded, once."""
    return approve(db.writer(), current_principal(), claim_id=claim.id, points=args.get("points"), now=now())


@blp.route("/<id:claim_id>/reject", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("claim_id", "claim", visible_claim)
@blp.arguments(RejectArgsSchema())
@blp.response(200, ClaimSchema)
def reject_one(args, claim):
    """Reject a pending claim with a reason; no points move."""
    return reject(db.writer(), current_principal(), claim_id=claim.id, reason=args["reason"], now=now())
