"""Pages for everyone: sign in, sign out, and `/` sending each person to their home."""
from flask import flash, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded

from points.communities import get_community
from points.notices import on_notice

from ..http import db
from ..http.clock import now
from ..http.limits import login_limits
from ..identity.accounts import MIN_PASSWORD, AccountDisabled, sign_in
from ..identity.authentication import current_principal, end_session, session_principal, start_session
from ..identity.credentials import change_password, person_signed_in
from .blueprint import page_blueprint
from .errors import refusal_page
from .guard import signed_in
from .refusals import sentence, sentence_for

blp = page_blueprint("site", __name__)


@blp.errorhandler(RateLimitExceeded)
def too_many_attempts(error):
    """Too many sign-ins: the sign-in form again, saying why (other limited forms: the refusal page)."""
    if request.endpoint == "site.login_post":
        return login_form(message=sentence("login_rate_limited"), status=429)
    return refusal_page("rate_limited", 429)

HOMES = {"volunteer": "volunteer.home", "partner": "counter.counter", "organiser": "console.today",
         "admin": "console.today"}


@blp.get("/")
def index():
    """Each person's home; signed-out visitors sign in first."""
    principal = session_principal()
    if principal is None:
        return redirect(url_for("site.login"))
    return redirect(url_for(HOMES[principal.role]))


@blp.get("/login")
def login():
    """The one sign-in page, for volunteers, clerks, organisers and admins."""
    if session_principal() is not None:
        return redirect(_next_page())
    return login_form()


@blp.post("/login")
@login_limits
def login_post():
    """Check the phone and password, open a session, and go back where the person was going."""
    phone, password = request.form.get("phone", "").strip()[:32], request.form.get("password", "")[:128]
    try:
        person = sign_in(db.session(), phone=phone, password=password) if phone and password else None
    except AccountDisabled as refusal:
        return login_form(message=sentence_for(refusal), status=403)
    if person is None:
        return login_form(message=sentence("login_failed"), status=401)
    start_session(person)
    return redirect(_next_page(), code=303)


def login_form(*, message: str | None = None, status: int = 200):
    return render_template("site/login.html", message=message, next=_next_page(),
                           phone=request.form.get("phone", "")[:32]), status


@blp.post("/logout")
def logout():
    """Sign out: the session is revoked on the server, not just forgotten by this browser."""
    end_session()
    return redirect(url_for("site.login"), code=303)


@blp.get("/password")
@signed_in(*HOMES)
def password():
    """Change my password: every other session and sign-in of mine ends."""
    return password_form()


def password_form(*, message: str | None = None, status: int = 200):
    return render_template("site/password.html", message=message), status


@blp.post("/password")
@signed_in(*HOMES)
@login_limits
def password_post():
    """Check the current password, set the new one, end every session, and keep this browser signed in."""
    person = person_signed_in(db.session(), current_principal().token_id)
    current, new = request.form.get("current", "")[:128], request.form.get("new", "")[:128]
    if sign_in(db.session(), phone=person.phone, password=current) != person:
        return password_form(message=sentence("wrong_password"), status=401)
    if len(new) < MIN_PASSWORD or new != request.form.get("again", ""):
        return password_form(message=sentence("weak_password"), status=422)
    change_password(db.writer(), person, password=new, now=now())
    start_session(person)
    flash("password_changed")
    return redirect(url_for("site.index"), code=303)


@blp.get("/notice")
def notice():
    """The community's public notice board (公示, no sign-in): masked names, team, rule, points, when
    each becomes final; never a tip's text."""
    community = get_community(db.session(), request.args.get("community_id", type=int) or 0)
    postings = on_notice(db.session(), community_id=community.id, now=now(), limit=200)
    return render_template("site/notice.html", community=community, postings=postings)


def _next_page() -> str:
    """Where to go after sign-in: a path on this site only, never another host."""
    target = request.values.get("next", "")
    # Browsers drop tabs and newlines from a URL: "/\t/evil.example" would leave for another host.
    if (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and " " not in target):
        return target
    return url_for("site.index")
