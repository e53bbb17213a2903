"""`/console/rewards`: the community's catalogue by kind, a new reward of each kind, and a
reward's stock, cost and shelf (上架/下架) — the same acts (`api.acts.catalogue`) as `POST /rewards`
and `PATCH /rewards/{id}`, the forms checked by the same schemas."""
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from rewards.catalogue import find_rewards
from rewards.kinds import KINDS
from rewards.partners import find_partners, partner_names

from ...acts import catalogue
from ...acts.catalogue import RewardArgsSchema, RewardChangeArgsSchema
from ...http import db
from ...http.clock import now
from ...identity.access import reward_filters, visible_reward
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import acting_community, blp, communities_to_pick, viewed_community_id

MOST_LISTED = 1000
WHOLE = ("cost", "stock", "partner_id", "per_member_limit")
IN_YUAN = ("fen_per_point", "household_cap_fen")  # typed in yuan (1.50), kept in fen
# What to tell the organiser about a field the schema or the service refused.
FIELD_HINTS = {
    "name": _l("请填写名称（200 字以内）。"),
    "cost": _l("积分要填 1 到 1000000 之间的整数。"),
    "stock": _l("库存要填 0 或正整数；不填表示不限量。"),
    "partner_id": _l("请选择服务本社区的合作商家。"),
    "per_member_limit": _l("每人限兑要填正整数；不填表示不限。"),
    "period": _l("请选择限兑周期。"),
    "fen_per_point": _l("请填写每积分抵扣多少元，例如 1.00。"),
    "household_cap_fen": _l("每户上限要填金额（元）；不填表示不限。"),
    "household_cap_period": _l("请选择每户上限按月还是按年。"),
    "active": _l("请选择是否上架。"),
}


@blp.get("/console/rewards")
def rewards():
    """The catalogue by kind: name, cost, stock, who provides it, limits, on the shelf or not."""
    session = db.session()
    filters = reward_filters(session, current_principal(), viewed_community_id())
    listed = find_rewards(session, limit=MOST_LISTED, **filters)
    names = partner_names(session, sorted({reward.partner_id for reward in listed if reward.partner_id}))
    by_kind = [(kind, [reward for reward in listed if reward.kind == kind]) for kind in KINDS]
    return render_template("console/rewards.html", by_kind=by_kind, partner_names=names,
                           communities=communities_to_pick(), community_chosen=filters["community_id"] is not None)


@blp.get("/console/rewards/new")
def rewards_new():
    """A new reward of one kind (`?kind=goods|fee_deduction|service`), with the fields that kind needs."""
    return _new_form(_kind())


@blp.post("/console/rewards/new")
def rewards_new_post():
    """Put the reward on the shelf, once however often the button is pressed."""
    kind = _kind()
    community = acting_community()
    args, wrong = _reward_args(kind, community.id)
    if wrong:
        return _new_form(kind, wrong=wrong, status=422)

    def stocked():
        made = catalogue.stock(db.writer(), current_principal(), now=now(), **args)
        flash(_("已上架：%(name)s", name=made.name), "done")
        return redirect(url_for(".rewards"), code=303)

    def refused(said: str, status: int, *, refusal):
        return _new_form(kind, wrong=_refused_fields(said, refusal), status=status)

    return act_once(stocked, refused, with_refusal=True)


@blp.get("/console/rewards/<int:reward_id>")
def rewards_one(reward_id: int):
    """One reward: its terms, and a form to change its stock, cost and shelf."""
    return _change_form(visible_reward(db.session(), current_principal(), path_id(reward_id)))


@blp.post("/console/rewards/<int:reward_id>")
def rewards_one_post(reward_id: int):
    """Restock, reprice or shelve (as `PATCH /rewards/{id}`); vouchers already issued keep their price."""
    subject = visible_reward(db.session(), current_principal(), path_id(reward_id))
    raw, wrong = _typed(("cost", "stock"))
    if "cost" not in raw:
        wrong["cost"] = FIELD_HINTS["cost"]
    if not wrong:
        try:
            args = RewardChangeArgsSchema().load({**raw, "active": request.form.get("active") == "on"})
        except ValidationError as error:
            wrong = _hints(error.messages)
    if wrong:
        return _change_form(subject, wrong=wrong, status=422)

    def changed():
        catalogue.change(db.writer(), current_principal(), reward_id=subject.id, stock=args.get("stock"),
                         active=args["active"], cost=args["cost"], clear_stock="stock" not in args, now=now())
        flash(_("已保存：%(name)s", name=subject.name), "done")
        return redirect(url_for(".rewards"), code=303)

    def refused(said: str, status: int, *, refusal):
        return _change_form(subject, wrong=_refused_fields(said, refusal), status=status)

    return act_once(changed, refused, with_refusal=True)


def _kind() -> str:
    kind = request.args.get("kind", "")
    if kind not in KINDS:
        abort(404)
    return kind


def _new_form(kind: str, *, wrong: dict | None = None, status: int = 200):
    community = acting_community()  # an admin who has not picked a community is told to
    partners = [(partner.id, partner.name) for partner in find_partners(db.session(), community_id=community.id)
                if partner.kind != "station"]  # goods default to the workstation, offered as such
    return render_template("console/reward_new.html", kind=kind, community=community, partner_options=partners,
                           form=request.form, wrong=wrong or {}, action_key=new_action_key()), status


def _change_form(subject, *, wrong: dict | None = None, status: int = 200):
    names = partner_names(db.session(), [subject.partner_id] if subject.partner_id else [])
    return render_template("console/reward.html", reward=subject, provider=names.get(subject.partner_id),
                           form=request.form if wrong else None, wrong=wrong or {},
                           action_key=new_action_key()), status


def _reward_args(kind: str, community_id: int) -> tuple[dict, dict]:
    """The form as `POST /rewards` takes it, checked by the API's schema; else {field: hint}."""
    raw, wrong = _typed((*WHOLE, *IN_YUAN))
    if wrong:
        return {}, wrong
    form = request.form
    raw.update(name=form.get("name", "").strip(), kind=kind, community_id=community_id,
               period=form.get("period") or "month")
    if form.get("household_cap_period"):
        raw["household_cap_period"] = form["household_cap_period"]
    try:
        return RewardArgsSchema().load(raw), {}
    except ValidationError as error:
        return {}, _hints(error.messages)


def _typed(fields: tuple[str, ...]) -> tuple[dict, dict]:
    """The form's filled-in number fields as numbers (yuan as fen), and hints for those that are not."""
    typed, wrong = {}, {}
    for field in fields:
        text = request.form.get(field, "").strip()
        if text:
            try:
                typed[field] = _fen(text) if field in IN_YUAN else _whole(text)
            except ValueError:
                wrong[field] = FIELD_HINTS[field]
    return typed, wrong


def _whole(text: str) -> int:
    if not text.strip().isdigit() or len(text) > 12:
        raise ValueError(text)
    return int(text)


def _fen(yuan: str) -> int:
    """`1.5` yuan as 150 fen (at most two decimals)."""
    try:
        fen = Decimal(yuan) * 100
    except InvalidOperation:
        raise ValueError(yuan) from None
    if not fen.is_finite() or fen != fen.to_integral_value() or not 0 < fen < 10**12:
        raise ValueError(yuan)
    return int(fen)


def _hints(fields: dict) -> dict:
    return {field: FIELD_HINTS.get(field, sentence("validation_error")) for field in fields}


def _refused_fields(said: str, refusal) -> dict:
    """The refusal as a hint beside its field (a service's `Invalid` names its field), else one sentence."""
    field = getattr(refusal, "field", None)
    return _hints({field: None}) if field in FIELD_HINTS else {"_form": said}
