"""The web pages: server-rendered, in Chinese first, one blueprint per audience.

They sign people in with a session cookie, protect every form against cross-site posting,
and answer with a Content-Security-Policy that allows no inline script or style.
"""
from datetime import timedelta

from flask import Flask, g, request, session
from flask_babel import Babel

from .blueprint import csrf

LOCALES = ("zh_CN", "en")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                               "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# Swagger UI's page carries its own inline script: it gets a policy that only forbids framing it.
UNGUARDED = ("/docs",)
DOCS_HEADERS = {"Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
                "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
# Everything else (JSON, downloads, QR images): never sniffed into HTML, and an SVG or a sheet opened
# on its own runs nothing and cannot be framed.
FILE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                                           "sandbox",
                "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}


def register_pages(app: Flask) -> None:
    from . import console, counter, joining, site, sms_login, venue, volunteer
    from .words import actor, day, template_words, when

    public = app.config.get("PUBLIC_URL") or ""
    app.config.update(
        SESSION_COOKIE_NAME="benniu_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=public.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
        WTF_CSRF_CHECK_DEFAULT=False,  # the JSON API takes bearer tokens, not cookies: pages check their forms
        WTF_CSRF_TIME_LIMIT=None,      # the token lives as long as the session that holds it
        BABEL_DEFAULT_LOCALE="zh_CN", BABEL_TRANSLATION_DIRECTORIES="translations",
    )
    Babel(app, locale_selector=_locale)
    csrf.init_app(app)
    app.after_request(_security_headers)
    app.register_error_handler(404, _not_found)
    app.context_processor(template_words)
    app.add_template_filter(when)
    app.add_template_filter(day)
    app.add_template_filter(actor)
    app.jinja_env.globals["form_community"] = lambda: g.get("form_community")  # see console.viewed_community_id
    for module in (site, volunteer, venue, counter, console, sms_login, joining):
        app.register_blueprint(module.blp)


def _not_found(error):
    """An unknown address is a page in Chinese for people, and JSON in the API's format for programs."""
    from ..http.errors import response_for_http_exception
    from .errors import refusal_page

    if request.path.startswith(("/api/", "/openapi")):
        return response_for_http_exception(error)
    return refusal_page("not_found", 404)


def _locale() -> str:
    """The language the person chose (?lang=en, remembered in the session), else the first the
    browser asks for that we have (Accept-Language), else Chinese."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        session["lang"] = chosen
    if session.get("lang") in LOCALES:
        return session["lang"]
    return request.accept_languages.best_match(LOCALES, default=LOCALES[0])


def _security_headers(response):
    if request.path.startswith(UNGUARDED):
        headers = DOCS_HEADERS
    elif response.mimetype == "text/html":
        headers = SECURITY_HEADERS
        response.vary.add("Accept-Language")
    elif request.endpoint == "static":  # scripts and styles the pages load: their own policy governs them
        headers = {"X-Content-Type-Options": "nosniff"}
    else:
        headers = FILE_HEADERS
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    if request.blueprint in ("site", "volunteer", "venue", "counter", "console", "joining"):
        response.headers.setdefault("Cache-Control", "no-store")  # pages show one person's data
    return response
