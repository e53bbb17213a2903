"""flask-smorest set up once for Benniu: the body parser, the id and rule-code converters, a
Blueprint whose `allow` decorator enforces and documents who may call an operation, and the
document's last touches for client generators (an operationId each, `Idempotency-Key` where honoured)."""
import re
from functools import wraps

from apispec import BasePlugin
from flask import Flask, abort
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.flaskparser import abort as abort_with_messages
from werkzeug.routing import BaseConverter, IntegerConverter

from ..identity.access import allows
from ..identity.authentication import authenticate_request, current_principal
from ..identity.principal import ROLES
from . import bodies, db
from .errors import ErrorSchema, response_for_http_exception
from .idempotency import HEADER, honours_idempotency_key

MAX_ID = 2**53 - 1  # what every client's JSON number holds exactly; ids beyond it do not exist
RULE_CODE = r"[a-z][a-z0-9_]{0,63}"
ROLES_KEY = "x-benniu-roles"  # the roles an operation allows, in the OpenAPI document
BEARER = [{"bearerAuth": []}]
BINARY = {"schema": {"type": "string", "format": "binary"}}  # a file: generated clients read it as bytes


class JSONOnlyParser(FlaskParser):
    """Refuses a body that is not JSON (400), and text no database can store (422)."""

    def load_json(self, req, schema):
        if req.get_data(cache=True) and not req.is_json:
            abort(400, "send the body as JSON with Content-Type: application/json")
        return _storable(super().load_json(req, schema), "json")

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return bodies.parse(req.get_data(cache=True))

    def load_querystring(self, req, schema):
        return _storable(super().load_querystring(req, schema), "query")

    def load_json_or_form(self, req, schema):
        """JSON, or a multipart form (a tip with its photos: the view reads the files)."""
        if req.mimetype == "multipart/form-data":
            return _storable(self.load_form(req, schema), "form")
        return self.load_json(req, schema)


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


class Blueprint(SmorestBlueprint):
    """A resource's blueprint: every operation says who may call it, with `allow` or `public`."""

    ARGUMENTS_PARSER = JSONOnlyParser()
    # A body that may also come as a multipart form is documented as JSON; its operation adds the form.
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "json_or_form": "application/json"}

    def allow(self, *roles: str):
        """Open the operation to `roles`: no valid token is 401, another role 403.

        The operation's OpenAPI entry gets the bearer scheme, its 401 and 403 answers and the
        roles (`x-benniu-roles`), so the document says what the code enforces.
        """
        if not roles or set(roles) - set(ROLES):
            raise ValueError(f"allow() takes some of {ROLES}, not {roles}")

        def decorate(view):
            @wraps(view)
            def guarded(*args, **kwargs):
                principal = authenticate_request()
                if not allows(principal, roles):
                    abort(403, f"a {principal.role} token may not do this")
                return view(*args, **kwargs)

            guarded = self.alt_response(401, schema=ErrorSchema, description="no valid token (unauthorized)")(guarded)
            guarded = self.alt_response(403, schema=ErrorSchema,
                                        description=f"only {', '.join(roles)} may do this (forbidden)")(guarded)
            return self.doc(security=BEARER, **{ROLES_KEY: list(roles)})(guarded)
        return decorate

    def public(self, view):
        """An operation anyone may call, without a token (documented as such)."""
        return self.doc(security=[], **{ROLES_KEY: ["public"]})(view)


def found(path_param: str, name: str, loader):
    """Load the path's `path_param` into the view's `name` argument before its body is read,
    through a policy loader `loader(session, principal, id)`.

    So a missing or invisible resource answers 404 even when the body is also invalid,
    as the contract orders refusals (401, 403, 404, then validation).
    """
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            kwargs[name] = loader(db.session(), current_principal(), kwargs.pop(path_param))
            return view(*args, **kwargs)
        return wrapper
    return decorate


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive id in range; anything else matches no route (404), never a 500."""

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


class RuleCodeConverter(BaseConverter):
    """`<rule_code:code>`: what a rule code may be; anything else matches no route (404)."""

    regex = RULE_CODE


def operation_id(endpoint: str) -> str:
    """An operation's id, from its Flask endpoint (`members.card_png` -> `members_card_png`):
    snake_case, unique as endpoints are, and stable while the view keeps its name."""
    return re.sub(r"[^a-z0-9]+", "_", endpoint.lower()).strip("_")


IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": HEADER, "required": False, "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Send the same key again (same body, within 24 h) to get the first answer back with no second "
                   "effect; the same key with another body is 422 idempotency_conflict.",
}


class OperationsPlugin(BasePlugin):
    """Gives every operation its `operationId`, and documents `Idempotency-Key` on the views that honour it."""

    def __init__(self, app: Flask):
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None:
            return
        view = self.app.view_functions.get(rule.endpoint)
        for method, operation in operations.items():
            operation.setdefault("operationId", operation_id(rule.endpoint))
            if view is not None and honours_idempotency_key(view):
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_PARAMETER))


class BenniuApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return response_for_http_exception(error)

    def _init_spec(self, *, extra_plugins=None, **options):
        super()._init_spec(extra_plugins=[*(extra_plugins or ()), OperationsPlugin(self._app)], **options)

    def init_app(self, app, *args, **kwargs):
        app.url_map.converters["id"] = IdConverter
        app.url_map.converters["rule_code"] = RuleCodeConverter
        super().init_app(app, *args, **kwargs)
        self.register_converter(IdConverter, lambda _: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
        self.register_converter(RuleCodeConverter, lambda _: {"type": "string", "pattern": f"^{RULE_CODE}$"})


# The title names the package a client generator makes (benniu-api-client): ASCII. The Chinese is here.
API_TITLE = "Benniu API"
SPEC_OPTIONS = {
    "info": {"description": "犇牛志愿者积分 API: the volunteer points ledger and points supermarket (积分超市) behind "
                            "community policing schemes. Authenticate with `Authorization: Bearer <token>`; "
                            f"each operation lists the roles it allows in `{ROLES_KEY}`. Operations that move "
                            f"points or stock take an `{HEADER}` header."},
    "security": BEARER,
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
}
