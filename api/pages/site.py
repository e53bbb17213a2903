"""Pages for everyone: sign in, sign out, and `/` sending each person to their home."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import db
from ..accounts import MIN_PASSWORD, sign_in
from ..authentication import current_principal, end_session, session_principal, start_session
from ..clock import now
from ..credentials import change_password, person_signed_in
from ..limits import login_limits
from .blueprint import page_blueprint
from .guard import signed_in
from .refusals import sentence

blp = page_blueprint("site", __name__)

HOMES = {"volunteer": "volunteer.home", "partner": "site.counter", "organiser": "site.console",
         "admin": "site.console"}


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
    person = sign_in(db.session(), phone=phone, password=password) if phone and password else None
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


@blp.get("/counter")
@signed_in("partner")
def counter():
    """The partner clerk's home (built in a later round): for now, says so."""
    return render_template("site/coming.html", title=_("商户核销台"))


@blp.get("/console")
@signed_in("organiser", "admin")
def console():
    """The organiser's console (built in a later round): for now, says so."""
    return render_template("site/coming.html", title=_("组织者工作台"))


def _next_page() -> str:
    """Where to go after sign-in: a path on this site only, never another host."""
    target = request.values.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("site.index")
