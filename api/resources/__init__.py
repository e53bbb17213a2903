"""The `/api/v1` resources, documented by flask-smorest from their marshmallow schemas."""
from flask import Flask, abort
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser

from ..errors import ErrorSchema, response_for_http_exception


class JSONOnlyParser(FlaskParser):
    """Refuses a body that is not JSON with 400 bad_request, rather than ignoring it."""

    def load_json(self, req, schema):
        if req.get_data(cache=True) and not req.is_json:
            abort(400, "send the body as JSON with Content-Type: application/json")
        return super().load_json(req, schema)


Blueprint.ARGUMENTS_PARSER = JSONOnlyParser()


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
    from . import (activities, awards, checkins, claims, communities, health, members, partners, redemptions,
                   rewards, rules, tokens)

    app.config["API_SPEC_OPTIONS"] = SPEC_OPTIONS
    api = BenniuApi(app)
    for module in (health, tokens, communities, members, rules, claims, awards, activities, checkins, partners,
                   rewards, redemptions):
        api.register_blueprint(module.blp)
