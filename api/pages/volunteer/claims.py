"""Tips and mediations (线索): submitted for review, listed with their status."""
from flask import redirect, render_template, request, url_for

from points.claims import find_claims
from points.rules import rules_of

from ...acts.claims import file_claim
from ...http import db
from ...http.clock import now
from ...http.photo_store import PHOTOS_BYTES, photo_store, sent_photos
from ...identity.authentication import current_principal, session_principal
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp, me


@blp.get("/me/claims")
def claims():
    """My tips and mediations, newest first, and whether they were approved."""
    rows = find_claims(db.session(), member_id=current_principal().member_id, limit=200)
    names = {rule.code: rule.name for rule in rules_of(db.session(), me().community_id)}
    return render_template("volunteer/claims.html", claims=list(reversed(rows)), names=names)


@blp.get("/me/claims/new")
def new_claim():
    """Submit a tip (a rented flat, a dispute...) for an organiser to review."""
    return _claim_form()


def _claim_form(*, message: str | None = None, status: int = 200, wrong: dict | None = None):
    kinds = [rule for rule in rules_of(db.session(), me().community_id) if rule.requires_review]
    return render_template("volunteer/claim_new.html", kinds=kinds, message=message, wrong=wrong or {},
                           form=request.form, action_key=new_action_key()), status


@blp.url_value_preprocessor
def _photos_may_be_larger(endpoint, values):
    """A signed-in volunteer's tip may carry three photos: set here, the first hook of a request,
    because the CSRF check reads the form before any view runs."""
    if endpoint == "volunteer.new_claim_post" and request.method == "POST" and session_principal():
        request.max_content_length = PHOTOS_BYTES


@blp.post("/me/claims/new")
def new_claim_post():
    """File the tip with its photos (照片, shrunk on the phone), once however often the button is pressed."""
    rule_code = request.form.get("rule_code", "")[:64]
    description = request.form.get("description", "").strip()
    wrong = {field: sentence(field) for field, good in
             (("rule_code", rule_code), ("description", description and len(description) <= 2000)) if not good}
    if wrong:
        return _claim_form(wrong=wrong, status=422)

    def submitted():
        file_claim(db.writer(), current_principal(), rule_code=rule_code, description=description, now=now(),
                   photos=sent_photos(), store=photo_store())
        return redirect(url_for(".claims"), code=303)

    return act_once(submitted, lambda said, status: _claim_form(message=said, status=status))
