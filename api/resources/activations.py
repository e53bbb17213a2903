"""Activation codes: printed for members without a password, used once to set their own."""
from datetime import timedelta

from flask import current_app
from marshmallow import Schema, fields, validate

from ..acts.activations import activate, issue_activations
from ..codes import public_url
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime
from ..http.limits import guess_limits
from ..http.smorest import Blueprint
from ..identity.activation import MOST_AT_ONCE
from ..identity.authentication import current_principal
from .tokens import LoginSchema, signed_in

blp = Blueprint("activations", __name__, url_prefix="/api/v1", description="Activation codes")


class ActivationArgsSchema(Schema):
    team = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "only this team's members"})
    member_ids = fields.List(Id(), validate=validate.Length(min=1, max=MOST_AT_ONCE),
                             metadata={"description": "only these members"})


class SlipSchema(Schema):
    member_id = fields.Function(lambda slip: slip.member.id, required=True)
    name = fields.Function(lambda slip: slip.member.name, required=True)
    team = fields.Function(lambda slip: slip.member.team)
    code = fields.String(required=True, metadata={"description": "shown once: only its hash is kept"})
    url = fields.Function(lambda slip: activation_url(slip.code), required=True,
                          metadata={"description": "BENNIU_PUBLIC_URL/activate/<code>: the slip's QR"})
    expires_at = LocalDateTime(required=True)


class SlipsSchema(Schema):
    items = fields.List(fields.Nested(SlipSchema), required=True)


class ActivateArgsSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=8, max=128))


def activation_url(code: str) -> str:
    return public_url(f"/activate/{code}")


def activation_expiry():
    return now() + timedelta(days=current_app.config["ACTIVATION_DAYS"])


@blp.route("/communities/<id:community_id>/activations", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(ActivationArgsSchema(), example={"team": "巡逻一队"})
@blp.response(201, SlipsSchema)
def create_activations(args, community_id):
    """Activation codes for the community's members who have no password (a team's, or those
    named), one slip each; a member's earlier unused code stops working. Valid BENNIU_ACTIVATION_DAYS."""
    slips = issue_activations(db.writer(), current_principal(), community_id=community_id, now=now(),
                              expires_at=activation_expiry(), **args)
    return {"items": slips}


@blp.route("/auth/activate", methods=["POST"])
@guess_limits
@blp.public
@blp.arguments(ActivateArgsSchema(), example={"code": "K7HM2QX9AB", "password": "my own secret"})
@blp.response(200, LoginSchema)
def activate_account(args):
    """Set one's own password with the code on one's slip, once, and sign in (answered as
    /auth/login). Unknown code 404, used 409 `already_used`, expired 410 `code_expired`."""
    person = activate(db.writer(), code=args["code"], password=args["password"], now=now())
    return signed_in(person)
