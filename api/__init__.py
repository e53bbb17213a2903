"""Benniu's HTTP service: the app factory."""
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

import points  # noqa: F401  (registers the tables)
import rewards  # noqa: F401
from points.engines import make_engine
from points.phones import use_phone_pattern

from . import config as configuration
from .acts import events
from .http import bodies, logs
from .http.clock import SystemClock
from .http.db import close_session, transactional
from .http.handlers import register_error_handlers
from .http.limits import limiter
from .http.smorest import API_TITLE


class JSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # Chinese stays readable in responses
    sort_keys = False

    def loads(self, s, **kwargs):
        """Request bodies read with `request.get_json()` get the same limits as the API's parser."""
        return bodies.parse(s)


@dataclass
class Services:
    """What a running app holds: its engine, session factory and clock."""

    engine: object
    sessionmaker: sessionmaker
    clock: object


def create_app(test_config: dict | None = None, *, clock=None, instance_path: Path | None = None) -> Flask:
    """Build the app from defaults, `BENNIU_*` variables and `test_config`."""
    instance = instance_path or configuration.instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=False)
    app.json = JSONProvider(app)
    app.config.update(configuration.load(instance, test_config))
    app.config.update(
        API_TITLE=API_TITLE, API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/", OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Served from the package (swagger-ui-dist from npm, vendored): /docs works with no internet.
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None},  # its badge would load from validator.swagger.io
    )
    use_phone_pattern(app.config["PHONE_PATTERN"])
    engine = make_engine(app.config["DATABASE_URL"], **_engine_options(app.config))
    app.extensions["benniu"] = Services(
        engine=engine, sessionmaker=sessionmaker(engine, expire_on_commit=False),
        clock=clock or SystemClock(app.config["TIMEZONE"]))
    app.teardown_appcontext(close_session)
    register_error_handlers(app)
    logs.init_app(app)
    limiter.init_app(app)
    events.init_app(app.extensions["benniu"].sessionmaker)
    if app.config["TRUSTED_PROXIES"]:  # only behind a proxy that sets these headers itself
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from .pages import register_pages
    from .resources import register_resources
    register_resources(app)
    register_pages(app)
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = transactional(view)
    return app


def _engine_options(config: dict) -> dict:
    timeout = config.get("DB_STATEMENT_TIMEOUT_MS")
    limit = {"statement_timeout_ms": timeout} if timeout else {}
    if config["DATABASE_URL"].startswith("sqlite"):
        return {"sqlite_synchronous": config["SQLITE_SYNCHRONOUS"], **limit}
    # The write path runs the same few statements on every request: psycopg prepares each on a
    # connection once it has run there this many times, and from then on sends only its name and
    # parameters (no parse, no plan). PgBouncer in transaction mode before 1.21 cannot follow
    # prepared statements from one client connection to the next: there, set it to none.
    return {"pool_size": config["DB_POOL_SIZE"], "max_overflow": config["DB_POOL_SIZE"],
            "connect_args": {"prepare_threshold": config["DB_PREPARE_THRESHOLD"]}, **limit}
