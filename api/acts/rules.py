"""Earning rules (积分规则): an organiser defines one, changes it (its next version: what was earned
keeps its own) or retires it, in a community they may act in.

The terms a rule act takes are checked by one schema pair, whichever door they came through: the
JSON API loads them from the body, the console from its form.
"""
from datetime import datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.orm import Session

from points.audit import Party
from points.rules import BASES, Rule, define_rule, retire_rule, revise_rule

from ..http.fields import Id, Name, Points, RuleCode
from ..identity.access import named_community
from ..identity.principal import Principal
from .events import announce


def NOTICE_DAYS(**kwargs) -> fields.Integer:  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=90), metadata={
        "description": "days an award stays on public notice (公示) before it can be spent; 0: none"}, **kwargs)


class RuleArgsSchema(Schema):
    code = RuleCode(load_default=None, metadata={"description": "left out: the next free rule_<n>"})
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


def add_rule(session: Session, actor: Principal, *, code: str | None, now: datetime, community_id: int | None = None,
             **terms) -> Rule:
    """Define a rule (version 1) from loaded `RuleArgsSchema` terms; refused (RuleCodeTaken) if the
    community has one by this code."""
    rule = define_rule(session, community_id=named_community(actor, community_id), code=code, now=now, **terms)
    return _announced(session, actor, "rule_added", rule, now=now)


def change_rule(session: Session, actor: Principal, *, code: str, now: datetime, community_id: int | None = None,
                **changes) -> Rule:
    """Write a rule's next version with loaded `RuleChangeArgsSchema` changes."""
    rule = revise_rule(session, community_id=named_community(actor, community_id), code=code, now=now, **changes)
    return _announced(session, actor, "rule_changed", rule, now=now)


def retire(session: Session, actor: Principal, *, code: str, now: datetime, community_id: int | None = None) -> Rule:
    """Retire a rule: no new earnings under it; its history stays."""
    rule = retire_rule(session, community_id=named_community(actor, community_id), code=code, now=now)
    return _announced(session, actor, "rule_retired", rule, now=now)


def _announced(session: Session, actor: Principal, action: str, rule: Rule, *, now: datetime) -> Rule:
    announce(session, actor, action, at=now, community_id=rule.community_id, subject=Party("rule", rule.id, rule.name),
             rule_code=rule.code, version=rule.version, points=rule.points)
    return rule
