"""Logging in and issuing API tokens."""
from flask import abort
from marshmallow import Schema, fields, validate

from points.members import authenticate

from .. import db
from ..access import token_grant
from ..authentication import current_principal
from ..clock import now
from ..fields import Id, Name
from ..limits import login_limits
from ..principal import ROLES
from ..smorest import Blueprint
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
@login_limits
@blp.public
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
@blp.allow("admin", "organiser")
@blp.arguments(TokenArgsSchema())
@blp.response(201, TokenSchema)
def create_token(args):
    """Issue a token (admins: any role; organisers: partner and volunteer tokens in their community)."""
    args = token_grant(db.session(), current_principal(), args)
    token, record = issue_token(db.writer(), now=now(), **args)
    return {"token": token, "id": record.id, "role": record.role, "name": record.name,
            "community_id": record.community_id, "partner_id": record.partner_id, "member_id": record.member_id}
