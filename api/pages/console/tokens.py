"""`/console/tokens`: the API tokens, sign-in tokens and browser sessions this organiser (or admin)
may end, with when each ends, and `吊销` to end one at once. Who may end which is the access
policy's (`token_scope`, `visible_token`), as for `GET /api/v1/tokens`."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...acts.tokens import revoke_token
from ...http import db
from ...http.clock import now
from ...identity.access import token_scope, visible_token
from ...identity.authentication import current_principal
from ...identity.tokens import find_tokens
from ..blueprint import path_id
from ..errors import said_page
from ..guard import act_once, new_action_key
from .base import blp

SHOWN = 200  # the newest; older ones are still ended through DELETE /api/v1/tokens/{id}
KIND_NAMES = {"api": _l("程序令牌"), "login": _l("登录令牌"), "session": _l("浏览器登录")}


@blp.get("/console/tokens")
def tokens():
    """The live tokens and sessions this person may end, newest first, each with its end."""
    session = db.session()
    listed = find_tokens(session, now=now(), limit=SHOWN, **token_scope(session, current_principal()))
    return render_template("console/tokens.html", tokens=listed, kind_names=KIND_NAMES, new_key=new_action_key,
                           own_id=current_principal().token_id)


@blp.post("/console/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int):
    """End a token or session: it gets 401 (a browser: the sign-in page) from its next request on."""
    token = visible_token(db.session(), current_principal(), path_id(token_id))

    def revoked():
        revoke_token(db.writer(), current_principal(), token_id=token.id, now=now())
        flash(_("已吊销 %(name)s，它从下一次请求起失效。", name=token.name), "done")
        return redirect(url_for(".tokens"), code=303)

    return act_once(revoked, said_page)
