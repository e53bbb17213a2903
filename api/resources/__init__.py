"""The `/api/v1` resources, documented by flask-smorest from their marshmallow schemas."""
from flask import Flask

from ..http.smorest import SPEC_OPTIONS, BenniuApi


def register_resources(app: Flask) -> None:
    from . import (
        activations,
        activities,
        applications,
        audit,
        awards,
        checkins,
        claims,
        communities,
        exports,
        health,
        members,
        messages,
        notices,
        offline,
        partners,
        redemptions,
        reports,
        rewards,
        rules,
        service,
        sms,
        tip_photos,
        tokens,
        vouchers,
    )

    app.config["API_SPEC_OPTIONS"] = SPEC_OPTIONS
    api = BenniuApi(app)
    for module in (health, tokens, communities, members, rules, claims, awards, activities, checkins, partners,
                   rewards, redemptions, vouchers, notices, reports, exports, audit, sms, messages,
                   service, activations, applications, offline, tip_photos):
        api.register_blueprint(module.blp)
