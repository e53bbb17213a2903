"""Communities (社区)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

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


class CommunityChangeArgsSchema(Schema):
    name = Name(200)
    points_valid_months = VALID_MONTHS()
    points_expire_at_year_end = fields.Boolean()
    mask_names = fields.Boolean(metadata={"description": "false: volunteers see each other's full names"})

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
    created_at = LocalDateTime()


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
