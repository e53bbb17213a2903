"""Signing in and out, and the API tokens admins and organisers issue, list and revoke."""
from datetime import timedelta

from flask import abort, current_app
from marshmallow import Schema, fields, validate

from ..acts import sessions
from ..acts import tokens as acts
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime, Name
from ..http.limits import login_limits
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint
from ..identity.access import token_scope
from ..identity.accounts import sign_in
from ..identity.authentication import current_principal
from ..identity.principal import ROLES
from ..identity.tokens import KINDS, find_tokens

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Login and tokens")


class LoginArgsSchema(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=1, max=32))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class LoginSchema(Schema):
    token = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = fields.String()
    member_id = fields.Integer(allow_none=True)
    community_id = fields.Integer(allow_none=True)
    partner_id = fields.Integer(allow_none=True)
    expires_at = LocalDateTime(required=True)
    must_change_password = fields.Boolean(required=True, metadata={
        "description": "signed in with a temporary password: until POST /auth/password changes it, this token "
                       "may call only that and /auth/logout (anything else: 403 password_change_required)"})


class PasswordArgsSchema(Schema):
    old_password = fields.String(required=True, validate=validate.Length(min=1, max=128))
    new_password = fields.String(required=True, validate=validate.Length(min=8, max=128))


MAX_LIFETIME = 10 * 366 * 24 * 3600  # seconds: ten years


class TokenArgsSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = Name(200, required=True)
    community_id = Id()
    partner_id = Id()
    member_id = Id()
    expires_in = fields.Integer(validate=validate.Range(min=1, max=MAX_LIFETIME), metadata={
        "description": "seconds until the token stops working; default BENNIU_API_TOKEN_DAYS (365 days)"})


class TokenSchema(Schema):
    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(KINDS),
                         metadata={"description": "api (issued), login (POST /auth/login) or session (a browser)"})
    role = fields.String(validate=validate.OneOf(ROLES))
    name = fields.String()
    community_id = fields.Integer(allow_none=True)
    partner_id = fields.Integer(allow_none=True)
    member_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    expires_at = LocalDateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(required=True, metadata={"description": "shown once; only its hash is kept"})


class LogoutArgsSchema(Schema):
    pass


@blp.route("/auth/login", methods=["POST"])
@login_limits
@blp.public
@blp.arguments(LoginArgsSchema(), example={"phone": "13800000001", "password": "secret123"})
@blp.response(200, LoginSchema)
def login(args):
    """Sign in with phone and password (volunteers and staff alike); the token expires."""
    person = sign_in(db.session(), phone=args["phone"], password=args["password"])
    if person is None:
        abort(401, "wrong phone or password")
    return signed_in(person)


def signed_in(person) -> dict:
    """A sign-in token for someone who has just proven who they are, as /auth/login answers it."""
    expires_at = now() + timedelta(hours=current_app.config["LOGIN_TOKEN_HOURS"])
    token, _ = sessions.open_session(db.writer(), person, kind="login", now=now(), expires_at=expires_at)
    return {"token": token, "role": person.role, "name": person.name, "member_id": person.member_id,
            "community_id": person.community_id, "partner_id": person.partner_id, "expires_at": expires_at,
            "must_change_password": person.must_change_password}


@blp.route("/auth/password", methods=["POST"])
@blp.allow(*ROLES)
@blp.arguments(PasswordArgsSchema(), example={"old_password": "k7hm2qx9ab", "new_password": "my own secret"})
@blp.response(204)
def change_password(args):
    """Change one's own password (the current one first; 422 if wrong): every other session and
    sign-in token ends, this token keeps working (a temporary password's restriction lifted)."""
    sessions.change_own_password(db.writer(), current_principal(), current=args["old_password"],
                                 new=args["new_password"], now=now(), keep_signed_in=True)


@blp.route("/auth/logout", methods=["POST"])
@blp.allow(*ROLES)
@blp.arguments(LogoutArgsSchema())
@blp.response(204)
def logout(args):
    """Revoke the caller's own token: it is refused from the next request on."""
    sessions.close_session(db.writer(), current_principal(), now=now())


@blp.route("/tokens", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(TokenArgsSchema(), example=(
    {"role": "partner", "name": "老街理发店 收银机", "partner_id": 1, "expires_in": 31536000}))
@blp.response(201, NewTokenSchema)
def create_token(args):
    """Issue a token (admins: any role; organisers: partner and volunteer tokens in their community);
    it expires after `expires_in` seconds, by default after a year."""
    lifetime = timedelta(seconds=args.pop("expires_in", None) or current_app.config["API_TOKEN_DAYS"] * 86400)
    token, record = acts.issue(db.writer(), current_principal(), now=now(), expires_at=now() + lifetime, **args)
    record.token = token  # shown in this answer only
    return record


@blp.route("/tokens", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(PageArgsSchema(), location="query")
@blp.response(200, page_schema(TokenSchema))
def tokens(args):
    """The live tokens and sessions the caller may revoke, newest first (never their secret)."""
    session = db.session()
    return keyset_page(find_tokens, session, args, now=now(), **token_scope(session, current_principal()))


@blp.route("/tokens/<id:token_id>", methods=["DELETE"])
@blp.allow("admin", "organiser")
@blp.response(204)
def revoke_token(token_id):
    """Revoke a token or a session: it gets 401 from the next request on."""
    acts.revoke_token(db.writer(), current_principal(), token_id=token_id, now=now())
