"""Earning rules (积分规则)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from points.rules import BASES, Rule, define_rule, retire_rule, revise_rule, rules_of

from ..acts import events
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime, Name, Points, QueryId, RuleCode
from ..http.smorest import Blueprint
from ..identity.access import community_for, named_community
from ..identity.authentication import current_principal

blp = Blueprint("rules", __name__, url_prefix="/api/v1/rules", description="Earning rules")

def NOTICE_DAYS(**kwargs) -> fields.Integer:  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=90), metadata={
        "description": "days an award stays on public notice (公示) before it can be spent; 0: none"}, **kwargs)


class RuleArgsSchema(Schema):
    code = RuleCode(required=True)
    name = Name(200, required=True)
    points = Points(required=True)
    basis = fields.String(required=True, validate=validate.OneOf(BASES))
    community_id = Id()
    daily_cap = Points(allow_none=True)
    requires_review = fields.Boolean(load_default=False)
    notice_days = NOTICE_DAYS(load_default=0)


class RuleChangeArgsSchema(Schema):
    name = Name(200)
    points = Points()
    basis = fields.String(validate=validate.OneOf(BASES))
    community_id = Id()
    daily_cap = Points(allow_none=True)
    requires_review = fields.Boolean()
    notice_days = NOTICE_DAYS()

    @validates_schema
    def something_changes(self, data, **kwargs):
        if not set(data) - {"community_id"}:
            raise ValidationError("give at least one field to change")


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
    return new_rule(args)


@blp.route("/<rule_code:code>", methods=["PUT"])
@blp.allow("admin", "organiser")
@blp.arguments(RuleChangeArgsSchema())
@blp.response(200, RuleSchema)
def change_rule(args, code):
    """Change a rule: writes its next version; earlier entries keep theirs."""
    return next_version(code, args)


@blp.route("/<rule_code:code>", methods=["DELETE"])
@blp.allow("admin", "organiser")
@blp.arguments(CommunityArgsSchema(), location="query")
@blp.response(200, RuleSchema)
def retire(args, code):
    """Retire a rule: no new earnings under it; its history stays."""
    return retired(code, args.get("community_id"))


# The acts, in a community the caller may act in: the JSON API and the console's forms alike.

def new_rule(args: dict) -> Rule:
    """Define a rule from loaded `RuleArgsSchema` args."""
    community_id = named_community(current_principal(), args.get("community_id"))
    rule = define_rule(db.writer(), now=now(), **{**args, "community_id": community_id})
    return _recorded("rule_added", rule)


def next_version(code: str, args: dict) -> Rule:
    """Write a rule's next version from loaded `RuleChangeArgsSchema` args."""
    changes = {name: value for name, value in args.items() if name != "community_id"}
    community_id = named_community(current_principal(), args.get("community_id"))
    return _recorded("rule_changed", revise_rule(db.writer(), community_id=community_id, code=code, now=now(),
                                                 **changes))


def retired(code: str, community_id: int | None) -> Rule:
    """Retire a rule."""
    return _recorded("rule_retired", retire_rule(db.writer(), community_id=named_community(current_principal(),
                                                                                        community_id),
                                                 code=code, now=now()))


def _recorded(kind: str, rule: Rule) -> Rule:
    events.record(kind, community_id=rule.community_id, rule_code=rule.code, version=rule.version,
                  points=rule.points)
    return rule
