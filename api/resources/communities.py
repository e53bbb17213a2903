"""Communities (社区)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from points.levels import steps_of

from ..acts.communities import change_settings, new_community
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime, Name
from ..http.pagination import page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import managed_community, visible_communities
from ..identity.authentication import current_principal

blp = Blueprint("communities", __name__, url_prefix="/api/v1/communities", description="Communities")


def VALID_MONTHS(**kwargs) -> fields.Integer:  # noqa: N802
    return fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=120), metadata={
        "description": "points expire this many months after they were earned (null: never); with "
                       "points_expire_at_year_end, at the end of that year (36 and true: 黄山's three years)"},
        **kwargs)


class CommunityArgsSchema(Schema):
    name = Name(200, required=True)
    code = fields.String(required=True, validate=[validate.Length(min=1, max=64),
                                                  validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$",
                                                                  error="lower-case letters, digits, - and _")])
    points_valid_months = VALID_MONTHS()
    points_expire_at_year_end = fields.Boolean(load_default=False)
    mask_names = fields.Boolean(load_default=True, metadata={"description": "volunteers see 陈*龙 on boards"})


class LevelSchema(Schema):
    points = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=10_000_000),
                            metadata={"description": "lifetime points earned from which a volunteer has this level"})
    name = Name(20, required=True)


def LEVELS(**kwargs) -> fields.List:  # noqa: N802
    return fields.List(fields.Nested(LevelSchema), validate=validate.Length(min=1, max=10), metadata={
        "description": "volunteer levels (星级) on lifetime points, never the balance; null in a change: back to "
                       "一星 to 五星志愿者 at 100, 300, 800, 1500 and 3000"}, **kwargs)


class CommunityChangeArgsSchema(Schema):
    name = Name(200)
    points_valid_months = VALID_MONTHS()
    points_expire_at_year_end = fields.Boolean()
    mask_names = fields.Boolean(metadata={"description": "false: volunteers see each other's full names"})
    levels = LEVELS(allow_none=True)

    @validates_schema
    def something_changes(self, data, **kwargs):
        if not data:
            raise ValidationError("give at least one setting to change")


class CommunitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    code = fields.String(required=True)
    points_valid_months = fields.Integer(allow_none=True)
    points_expire_at_year_end = fields.Boolean()
    mask_names = fields.Boolean(required=True)
    levels = fields.Method("shown_levels", metadata={"description": "the levels in force, lowest first",
                                                     "type": "array", "items": {"type": "object"}})
    created_at = LocalDateTime()

    def shown_levels(self, community) -> list[dict]:
        return [{"points": points, "name": name} for points, name in steps_of(community.levels)]


@blp.route("", methods=["POST"])
@blp.allow("admin")
@blp.arguments(CommunityArgsSchema(), example={"name": "振宇社区", "code": "zhenyu"})
@blp.response(201, CommunitySchema)
def create_community(args):
    """Found a community with its points issuance and workstation accounts."""
    return new_community(db.writer(), current_principal(), now=now(), **args)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer", "partner")
@blp.response(200, page_schema(CommunitySchema))
def communities():
    """The communities this token may see."""
    return {"items": visible_communities(db.session(), current_principal()), "next_cursor": None}


@blp.route("/<id:community_id>", methods=["PATCH"])
@blp.allow("admin", "organiser")
@found("community_id", "community", managed_community)
@blp.arguments(CommunityChangeArgsSchema())
@blp.response(200, CommunitySchema)
def change(args, community):
    """Change a community's settings: name, points validity (for points earned from then on), name masking."""
    return change_settings(db.writer(), current_principal(), community_id=community.id, now=now(), **args)
