"""Tips and mediations (线索): submitted for review, listed with their status."""
from flask import redirect, render_template, request, url_for

from points.claims import find_claims, submit_claim
from points.rules import rules_of

from ...http import db
from ...http.clock import now
from ...identity.authentication import current_principal
from ..guard import new_action_key, once_per_action, refusal_of
from ..refusals import sentence
from . import blp, me


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


def _claim_form(*, message: str | None = None, status: int = 200):
    kinds = [rule for rule in rules_of(db.session(), me().community_id) if rule.requires_review]
    return render_template("volunteer/claim_new.html", kinds=kinds, message=message, form=request.form,
                           action_key=new_action_key()), status


@blp.post("/me/claims/new")
def new_claim_post():
    """File the tip, once however often the button is pressed."""
    rule_code = request.form.get("rule_code", "")[:64]
    description = request.form.get("description", "").strip()
    if not rule_code or not description or len(description) > 2000:
        return _claim_form(message=sentence("validation_error"), status=422)

    def submitted():
        submit_claim(db.writer(), member=me(), rule_code=rule_code, description=description, now=now())
        return redirect(url_for(".claims"), code=303)

    response = once_per_action(submitted)
    code = refusal_of(response)
    return response if code is None else _claim_form(message=sentence(code), status=response.status_code)
