"""The names pages give to the domain's codes (kinds and statuses), and how they show a time."""
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from points.audit import Party
from points.masking import masked_name
from rewards.kinds import KINDS
from rewards.vouchers import display

from ..http.clock import zone
from ..identity.principal import ROLE_NAMES, said
from .refusals import PERIODS, sentence

REWARD_KINDS = {code: _l(kind.name) for code, kind in KINDS.items()}  # names marked in rewards.kinds
TRANSFER_KINDS = {"earn": _l("获得"), "reversal": _l("撤销"), "hold": _l("兑换冻结"), "release": _l("兑换取消退回"),
                  "spend": _l("兑换使用"), "finalise": _l("公示期满"), "expire": _l("积分过期"),
                  "unexpire": _l("撤销前退回过期积分")}
VOUCHER_STATUSES = {"reserved": _l("待使用"), "fulfilled": _l("已使用"), "cancelled": _l("已取消"),
                    "expired": _l("已过期")}
CLAIM_STATUSES = {"pending": _l("待审核"), "approved": _l("已通过"), "rejected": _l("未通过")}
NOTICE_STATES = {"on_notice": _l("公示中"), "over": _l("已期满，积分可用"), "final": _l("已生效"),
                 "withdrawn": _l("已撤回")}
VOUCHER_REFUSALS = {"cancelled": "already_cancelled", "expired": "voucher_expired", "fulfilled": "already_fulfilled"}


def when(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(zone()):%Y-%m-%d %H:%M}"


def short_when(moment: datetime | None) -> str:
    """11月3日 14:05, in the service's zone: a moment as a clerk says it."""
    if moment is None:
        return ""
    local = moment.astimezone(zone())
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def actor(who: Party | str | None) -> str:
    """Who did something, in words: 组织者 罗塘派出所 民警 (`identity.principal.said`)."""
    return said(who)


def day(moment: datetime | date | None) -> str:
    """A moment's day in the service's zone (a date is a day already)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(zone())
    return "" if moment is None else f"{moment:%Y-%m-%d}"


def template_words() -> dict:
    return {"kind_names": REWARD_KINDS, "reward_kinds": KINDS, "transfer_kind_names": TRANSFER_KINDS, "status_names": VOUCHER_STATUSES,
            "claim_status_names": CLAIM_STATUSES, "notice_state_names": NOTICE_STATES, "role_names": ROLE_NAMES,
            "html_lang": "en" if str(get_locale()) == "en" else "zh-CN",
            "refusal_for": lambda status: sentence(VOUCHER_REFUSALS.get(status, "conflict")),
            "masked": masked_name, "voucher_display": display, "period_names": PERIODS}
