"""Pages for people who cannot sign in yet: `/activate/<code>` (a member imported without a
password sets their own from their slip) and `/join/<community code>` (a resident applies)."""
from flask import current_app, redirect, render_template, request, url_for

from points.applications import community_to_join
from points.errors import DomainError
from points.phones import normalise_phone

from ..acts.activations import activate
from ..acts.applications import apply
from ..http import db
from ..http.clock import now
from ..http.errors import status_for
from ..http.limits import guess_limits, limiter
from ..identity.accounts import MIN_PASSWORD
from .blueprint import page_blueprint
from .console.entered import optional_text, required_text
from .refusals import sentence, sentence_for
from .site import sign_in_browser

blp = page_blueprint("joining", __name__)


@blp.get("/activate/<code>")
def activation(code: str):
    """The slip's QR leads here: the member chooses their password."""
    return _activation_form(code)


def _activation_form(code: str, *, message: str | None = None, status: int = 200):
    return render_template("site/activate.html", code=code[:64], message=message), status


@blp.post("/activate/<code>")
@guess_limits
def activation_post(code: str):
    """Set the password (once, before the code expires) and sign in: then the member's home."""
    password = request.form.get("password", "")[:128]
    if len(password) < MIN_PASSWORD or password != request.form.get("again", ""):
        return _activation_form(code, message=sentence("weak_password"), status=422)
    try:
        person = activate(db.writer(), code=code[:64], password=password, now=now())
    except DomainError as refusal:
        return _activation_form(code, message=sentence_for(refusal), status=status_for(type(refusal)))
    sign_in_browser(person)
    return redirect(url_for("volunteer.home"), code=303)


@blp.get("/join/<community_code>")
def join(community_code: str):
    """The join poster's QR leads here: a resident applies to the community."""
    community = community_to_join(db.session(), community_code)
    return _join_form(community, sent=request.args.get("sent") == "1")


def _join_form(community, *, message: str | None = None, status: int = 200, sent: bool = False):
    return render_template("site/join.html", community=community, message=message, form=request.form,
                           sent=sent), status


@blp.post("/join/<community_code>")
@limiter.limit(lambda: current_app.config["JOIN_RATE_LIMIT"], scope="join-address")
def join_post(community_code: str):
    """File the application; the organiser approves it in the console, then the applicant signs in."""
    community = community_to_join(db.session(), community_code)
    name, team = required_text(request.form.get("name"), 100), optional_text(request.form.get("team"), 100)
    phone, password = normalise_phone(request.form.get("phone", "")[:32]), request.form.get("password", "")[:128]
    if name is None or not 5 <= len(phone) <= 20 or len(password) < MIN_PASSWORD:
        return _join_form(community, message=sentence("join_fields"), status=422)
    try:
        apply(db.writer(), community_id=community.id, name=name, phone=phone, password=password, team=team, now=now())
    except DomainError as refusal:
        return _join_form(community, message=sentence_for(refusal), status=status_for(type(refusal)))
    return redirect(url_for(".join", community_code=community.code, sent=1), code=303)
