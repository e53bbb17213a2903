"""Applications to join a community (from its join poster), and the organisers' review of them."""
from flask import current_app
from marshmallow import Schema, fields, post_load, validate

from points.applications import STATUSES, find_applications
from points.phones import normalise_phone

from ..acts.applications import apply, approve_application, reject_application, visible_application
from ..codes import public_url
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime, Name, QueryId
from ..http.images import image_doc, qr_image
from ..http.limits import limiter
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import community_for, managed_community
from ..identity.authentication import current_principal

blp = Blueprint("applications", __name__, url_prefix="/api/v1", description="Joining: applications")


class ApplicationArgsSchema(Schema):
    name = Name(100, required=True)
    phone = fields.String(required=True, validate=validate.Length(min=5, max=32))
    password = fields.String(required=True, validate=validate.Length(min=8, max=128), load_only=True)
    team = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    address = fields.String(validate=validate.Length(min=1, max=200), allow_none=True)

    @post_load
    def phone_as_looked_up(self, data, **kwargs):
        """The phone as sign-in looks it up (digits only, no +86): the applicant signs in with it however typed."""
        data["phone"] = normalise_phone(data["phone"])
        if not validate.Regexp(r"^[0-9]{5,20}$")(data["phone"]):
            raise validate.ValidationError("digits only, 5 to 20 of them", "phone")
        return data


class ApplicationSchema(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    name = fields.String(required=True)
    phone = fields.String(required=True)
    team = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    created_at = LocalDateTime(required=True)
    decided_at = LocalDateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    member_id = fields.Integer(allow_none=True)


class FiledSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)


class ApplicationQueryArgsSchema(PageArgsSchema):
    community_id = QueryId()
    status = fields.String(validate=validate.OneOf(STATUSES))


class ApprovedSchema(Schema):
    member_id = fields.Integer(required=True)


class ApplicationRejectArgsSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


def join_url(community) -> str:
    return public_url(f"/join/{community.code}")


@blp.route("/communities/<id:community_id>/applications", methods=["POST"])
@limiter.limit(lambda: current_app.config["JOIN_RATE_LIMIT"], scope="join-address")
@blp.public
@blp.arguments(ApplicationArgsSchema(), example={"name": "王小明", "phone": "13512345678", "password": "my own secret",
                                                  "team": "巡逻一队"})
@blp.response(201, FiledSchema)
def file_application(args, community_id):
    """Apply to join the community (no token; JOIN_RATE_LIMIT per address); a phone already a member's: 409."""
    return apply(db.writer(), community_id=community_id, now=now(), **args)


@blp.route("/applications", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(ApplicationQueryArgsSchema(), location="query")
@blp.response(200, page_schema(ApplicationSchema))
def applications(args):
    """Applications to the caller's community (admins: any, or the one named), newest first."""
    community_id = community_for(current_principal(), args.pop("community_id", None))
    return keyset_page(find_applications, db.session(), args, community_id=community_id, status=args.get("status"))


@blp.route("/applications/<id:application_id>/approve", methods=["POST"])
@blp.allow("admin", "organiser")
@found("application_id", "application", visible_application)
@blp.response(201, ApprovedSchema)
def approve(application):
    """Approve: the applicant becomes a member and signs in with the password they chose."""
    member = approve_application(db.writer(), current_principal(), application_id=application.id, now=now())
    return {"member_id": member.id}


@blp.route("/applications/<id:application_id>/reject", methods=["POST"])
@blp.allow("admin", "organiser")
@found("application_id", "application", visible_application)
@blp.arguments(ApplicationRejectArgsSchema(), example={"reason": "不是本社区居民"})
@blp.response(200, ApplicationSchema)
def reject(args, application):
    """Reject, saying why."""
    return reject_application(db.writer(), current_principal(), application_id=application.id, now=now(), **args)


@blp.route("/communities/<id:community_id>/join.png", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.doc(**image_doc("png"))
def join_poster(community_id):
    """The join poster's QR: to /join/<community code>, where residents apply."""
    community = managed_community(db.session(), current_principal(), community_id)
    return qr_image(join_url(community), [community.name, "扫码申请加入志愿者"], "png", f"join-{community.code}")
