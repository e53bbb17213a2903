"""Earning rules (积分规则)."""
from marshmallow import Schema, fields, validate

from points.rules import BASES, rules_of

from ..acts import rules as acts
from ..acts.rules import RuleArgsSchema, RuleChangeArgsSchema
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime, QueryId
from ..http.smorest import Blueprint
from ..identity.access import community_for
from ..identity.authentication import current_principal

blp = Blueprint("rules", __name__, url_prefix="/api/v1/rules", description="Earning rules")


class CommunityArgsSchema(Schema):
    community_id = QueryId()


class RuleSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    version = fields.Integer(required=True)
    name = fields.String(required=True)
    points = fields.Integer(required=True)
    basis = fields.String(required=True, validate=validate.OneOf(BASES))
    community_id = fields.Integer(required=True)
    daily_cap = fields.Integer(allow_none=True)
    requires_review = fields.Boolean(required=True)
    notice_days = fields.Integer(required=True)
    created_at = LocalDateTime()
    retired_at = LocalDateTime(allow_none=True)


class RuleListSchema(Schema):
    items = fields.List(fields.Nested(RuleSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(CommunityArgsSchema(), location="query")
@blp.response(200, RuleListSchema)
def rules(args):
    """The live rules (current versions) of a community."""
    community_id = community_for(current_principal(), args.get("community_id"))
    return {"items": rules_of(db.session(), community_id), "next_cursor": None}


@blp.route("", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(RuleArgsSchema(), example=(
    {"code": "patrol", "name": "参与治安巡逻", "points": 50, "basis": "per_event", "requires_review": False}))
@blp.response(201, RuleSchema)
def create_rule(args):
    """Define a rule (version 1)."""
    return acts.add_rule(db.writer(), current_principal(), now=now(), **args)


@blp.route("/<rule_code:code>", methods=["PUT"])
@blp.allow("admin", "organiser")
@blp.arguments(RuleChangeArgsSchema())
@blp.response(200, RuleSchema)
def change_rule(args, code):
    """Change a rule: writes its next version; earlier entries keep theirs."""
    return acts.change_rule(db.writer(), current_principal(), code=code, now=now(), **args)


@blp.route("/<rule_code:code>", methods=["DELETE"])
@blp.allow("admin", "organiser")
@blp.arguments(CommunityArgsSchema(), location="query")
@blp.response(200, RuleSchema)
def retire(args, code):
    """Retire a rule: no new earnings under it; its history stays."""
    return acts.retire(db.writer(), current_principal(), code=code, now=now(), community_id=args.get("community_id"))
