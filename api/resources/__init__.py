"""The `/api/v1` resources, documented by flask-smorest from their marshmallow schemas."""
from flask import Flask, abort
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser
from webargs.flaskparser import abort as abort_with_messages
from werkzeug.routing import BaseConverter, IntegerConverter

from ..errors import ErrorSchema, response_for_http_exception


class JSONOnlyParser(FlaskParser):
    """Refuses a body that is not JSON (400), and text no database can store (422)."""

    def load_json(self, req, schema):
        if req.get_data(cache=True) and not req.is_json:
            abort(400, "send the body as JSON with Content-Type: application/json")
        return _storable(super().load_json(req, schema), "json")

    def load_querystring(self, req, schema):
        return _storable(super().load_querystring(req, schema), "query")


def _storable(data, location: str):
    """Refuse NUL characters and unpaired surrogates: PostgreSQL text cannot hold them."""
    def bad(value) -> bool:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
            return "\x00" in value
        if isinstance(value, dict):
            return any(bad(key) or bad(item) for key, item in value.items())
        if isinstance(value, (list, tuple)):
            return any(bad(item) for item in value)
        return False

    if hasattr(data, "items"):
        fields = {key: ["text may not contain NUL characters or unpaired surrogates"]
                  for key, value in data.items() if bad(key) or bad(value)}
        if fields:
            abort_with_messages(422, messages={location: fields})
    return data


Blueprint.ARGUMENTS_PARSER = JSONOnlyParser()


MAX_ID = 2**53 - 1  # what every client's JSON number holds exactly; ids beyond it do not exist


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive id in range; anything else matches no route (404), never a 500."""

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


class RuleCodeConverter(BaseConverter):
    """`<rule_code:code>`: what a rule code may be; anything else matches no route (404)."""

    regex = r"[a-z][a-z0-9_]{0,63}"


class BenniuApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return response_for_http_exception(error)


SPEC_OPTIONS = {
    "info": {"description": "The volunteer points ledger and points supermarket (积分超市) behind "
                            "community policing schemes. Authenticate with `Authorization: Bearer <token>`."},
    "security": [{"bearerAuth": []}],
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
}


def register_resources(app: Flask) -> None:
    from . import (
        activities,
        awards,
        checkins,
        claims,
        communities,
        exports,
        health,
        members,
        partners,
        redemptions,
        reports,
        rewards,
        rules,
        tokens,
    )

    app.config["API_SPEC_OPTIONS"] = SPEC_OPTIONS
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["rule_code"] = RuleCodeConverter
    api = BenniuApi(app)
    api.register_converter(IdConverter, lambda _: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
    api.register_converter(RuleCodeConverter, lambda _: {"type": "string", "pattern": f"^{RuleCodeConverter.regex}$"})
    for module in (health, tokens, communities, members, rules, claims, awards, activities, checkins, partners,
                   rewards, redemptions, reports, exports):
        api.register_blueprint(module.blp)
