"""Pages for everyone: sign in, sign out, and `/` sending each person to their home."""
from flask import flash, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded

from points.communities import get_community
from points.errors import Invalid
from points.notices import on_notice

from ..acts.certificates import checked_certificate
from ..acts.sessions import change_own_password, close_session, open_session
from ..http import db
from ..http.clock import now, zone
from ..http.limits import login_limits
from ..identity.accounts import MIN_PASSWORD, AccountDisabled, Person, sign_in
from ..identity.authentication import (
    current_principal,
    forget_session,
    remember_session,
    session_expiry,
    session_principal,
)
from ..identity.credentials import WrongPassword
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
    sign_in_browser(person)
    if person.must_change_password:
        return redirect(url_for("site.password"), code=303)
    return redirect(_next_page(), code=303)


def sign_in_browser(person: Person) -> None:
    """Open a browser session for someone who has just proven who they are, and keep it in the cookie."""
    plain, _ = open_session(db.writer(), person, kind="session", now=now(), expires_at=session_expiry())
    remember_session(plain)


def login_form(*, message: str | None = None, status: int = 200):
    return render_template("site/login.html", message=message, next=_next_page(),
                           phone=request.form.get("phone", "")[:32]), status


@blp.post("/logout")
def logout():
    """Sign out: the session is revoked on the server, not just forgotten by this browser."""
    principal = session_principal()
    if principal is not None:
        close_session(db.writer(), principal, now=now())
    forget_session()
    return redirect(url_for("site.login"), code=303)


@blp.get("/password")
@signed_in(*HOMES)
def password():
    """Change my password: every other session and sign-in of mine ends."""
    return password_form()


def password_form(*, message: str | None = None, status: int = 200):
    return render_template("site/password.html", message=message, principal=current_principal()), status


@blp.post("/password")
@signed_in(*HOMES)
@login_limits
def password_post():
    """Check the current password, set the new one, end every session, and keep this browser signed in."""
    current, new = request.form.get("current", "")[:128], request.form.get("new", "")[:128]
    again = request.form.get("again")
    if len(new) < MIN_PASSWORD or (again is not None and again != new):
        return password_form(message=sentence("weak_password"), status=422)
    try:
        person = change_own_password(db.writer(), current_principal(), current=current, new=new, now=now())
    except WrongPassword:  # counted as a failed sign-in (login_limits): the current password cannot be guessed here
        return password_form(message=sentence("wrong_password"), status=401)
    except Invalid:
        return password_form(message=sentence("weak_password"), status=422)
    sign_in_browser(person)
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


@blp.get("/verify/<serial>")
def verify(serial: str):
    """Anyone holding a service-hours certificate checks it here (no sign-in): what it says, the name
    masked; a serial never issued, or altered, is said to be so."""
    checked = checked_certificate(db.session(), serial)
    return render_template("site/verify.html", serial=serial[:40], checked=checked, zone=zone()), \
        200 if checked else 404
