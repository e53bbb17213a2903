"""Logging in and issuing API tokens."""
from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from points.members import authenticate
from rewards.partners import partner_serves

from .. import db
from ..access import community_in_scope, visible_member
from ..authentication import authorize, current_principal
from ..clock import now
from ..fields import Id, Name
from ..limits import login_limit
from ..principal import ROLES
from ..tokens import issue_token

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Login and tokens")


class LoginArgsSchema(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=1, max=32))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class LoginSchema(Schema):
    token = fields.String(required=True)
    member_id = fields.Integer(required=True)
    name = fields.String()


class TokenArgsSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = Name(200, required=True)
    community_id = Id()
    partner_id = Id()
    member_id = Id()


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "shown once; only its hash is kept"})
    id = fields.Integer()
    role = fields.String()
    name = fields.String()
    community_id = fields.Integer(allow_none=True)
    partner_id = fields.Integer(allow_none=True)
    member_id = fields.Integer(allow_none=True)


@blp.route("/auth/login", methods=["POST"])
@login_limit()
@blp.doc(security=[])
@blp.arguments(LoginArgsSchema())
@blp.response(200, LoginSchema)
def login(args):
    """Log a volunteer in with phone and password; returns a volunteer token."""
    session = db.session()
    member = authenticate(session, phone=args["phone"], password=args["password"])
    if member is None:
        abort(401, "wrong phone or password")
    token, _ = issue_token(db.writer(), role="volunteer", name=f"login {member.phone}", member_id=member.id, now=now())
    return {"token": token, "member_id": member.id, "name": member.name}


@blp.route("/tokens", methods=["POST"])
@authorize("admin", "organiser")
@blp.arguments(TokenArgsSchema())
@blp.response(201, TokenSchema)
def create_token(args):
    """Issue a token (admins: any role; organisers: partner and volunteer tokens in their community)."""
    session = db.session()
    if current_principal().role == "organiser":
        if args["role"] not in ("partner", "volunteer"):
            abort(403, "organisers may issue only partner and volunteer tokens")
        if args.get("member_id") is not None:
            visible_member(session, args["member_id"])
        if args["role"] == "partner":
            _partner_in_scope(session, args.get("partner_id"))
        args["community_id"] = community_in_scope(args.get("community_id")) if args["role"] != "partner" else None
    token, record = issue_token(db.writer(), now=now(), **args)
    return {"token": token, "id": record.id, "role": record.role, "name": record.name,
            "community_id": record.community_id, "partner_id": record.partner_id, "member_id": record.member_id}


def _partner_in_scope(session, partner_id):
    """Organisers may issue tokens only for partners serving their community."""
    if partner_id is not None and not partner_serves(session, partner_id, current_principal().community_id):
        abort(404, f"partner {partner_id} not found")
