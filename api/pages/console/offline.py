"""`/console/activities/<id>/offline`: card check-in with no signal (离线签到). An installable page (a
web app manifest and a service worker, both served here under the pages' strict policy) that keeps
its scans on the phone (IndexedDB, each with its time and a fresh nonce) and uploads them when the
signal returns, through `api.acts.offline` with the session's cookie and CSRF token.
"""
from pathlib import Path

from flask import Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ...acts.offline import OfflineArgsSchema, check_in_offline, scans_of
from ...http import db
from ...http.clock import now, zone
from ...identity.access import visible_activity
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..refusals import SENTENCES, sentence
from .base import blp

WORKER = Path(__file__).resolve().parents[2] / "static" / "offline-sw.js"
# The worker fetches and caches, nothing more; its own policy (a worker's is its script's response).
WORKER_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self'; connect-src 'self'",
                  "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


@blp.get("/console/activities/<int:activity_id>/offline")
def activities_offline(activity_id: int):
    """The offline check-in page: scan or type cards, keep them, show 待上传 N, upload with 上传."""
    activity = visible_activity(db.session(), current_principal(), path_id(activity_id))
    return render_template("console/offline.html", activity=activity, zone_name=zone().key,
                           sayings={code: sentence(f"offline:{code}") for code in _offline_codes()})


@blp.post("/console/activities/<int:activity_id>/offline")
def activities_offline_upload(activity_id: int):
    """The page's upload (JSON, with the session's CSRF token in X-CSRFToken): each scan's answer
    and the sentence the page shows beside it."""
    activity = visible_activity(db.session(), current_principal(), path_id(activity_id))
    try:
        args = OfflineArgsSchema().load(request.get_json(silent=True) or {})
    except ValidationError:
        return jsonify({"code": "validation_error", "message": sentence("validation_error")}), 422
    answers = check_in_offline(db.writer(), current_principal(), activity_id=activity.id, device=args["device"],
                               scans=scans_of(args), now=now())
    return jsonify({"results": [{"nonce": answer.nonce, "status": answer.status, "code": answer.code,
                                 "said": _said(answer.code) if answer.status != "accepted" else None}
                                for answer in answers]})


@blp.get("/console/activities/<int:activity_id>/offline.webmanifest")
def activities_offline_manifest(activity_id: int):
    """The web app manifest: the page installs on the phone's home screen and opens on its own."""
    activity = visible_activity(db.session(), current_principal(), path_id(activity_id))
    page = url_for(".activities_offline", activity_id=activity.id)
    manifest = {"name": f"{_('离线签到')} · {activity.title}", "short_name": _("离线签到"),
                "start_url": page, "scope": page, "display": "standalone", "lang": "zh-CN",
                "background_color": "#ffffff", "theme_color": "#b3261e",
                "icons": [{"src": url_for("static", filename="favicon.svg"), "sizes": "any",
                           "type": "image/svg+xml"}]}
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    return response


@blp.get("/console/offline-sw.js")
def offline_worker():
    """The service worker: it may control pages under /console/ (each offline page registers its own scope)."""
    if not WORKER.is_file():
        abort(404)
    return Response(WORKER.read_bytes(), mimetype="text/javascript", headers=WORKER_HEADERS)


def _offline_codes() -> list[str]:
    return [key.removeprefix("offline:") for key in SENTENCES if key.startswith("offline:")]


def _said(code: str | None) -> str:
    return sentence(f"offline:{code}") if f"offline:{code}" in SENTENCES else sentence(code or "internal_error")
