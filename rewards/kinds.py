"""The kinds of reward in the points supermarket, each one record of what it is called and what it
needs: the catalogue checks a new reward against it, redeeming prices by it, settlement and the
pages name it from it."""
from dataclasses import dataclass


def N_(text: str) -> str:  # noqa: N802 (gettext_noop: `make translations` picks these names up)
    """A name the pages show translated; the domain keeps the Chinese."""
    return text


@dataclass(frozen=True)
class RewardKind:
    code: str
    name: str  # as people are shown it, in Chinese (the pages translate it)
    needs_partner: bool  # the reward names the partner who provides it
    uses_fen_per_point: bool  # points convert into money off a bill (`fen_per_point`), in any amount
    household_cap: bool  # may be capped per household and month or year, all its members together
    fulfilled_by: str  # who hands it over: "partner" (the one named) or "station" (the workstation, if none named)


GOODS = RewardKind("goods", N_("物品"), needs_partner=False, uses_fen_per_point=False, household_cap=False,
                   fulfilled_by="station")
FEE_DEDUCTION = RewardKind("fee_deduction", N_("物业费抵扣"), needs_partner=True, uses_fen_per_point=True,
                           household_cap=True, fulfilled_by="partner")
SERVICE = RewardKind("service", N_("合作商家服务"), needs_partner=True, uses_fen_per_point=False, household_cap=False,
                     fulfilled_by="partner")

KINDS = {kind.code: kind for kind in (GOODS, FEE_DEDUCTION, SERVICE)}  # in the order the shop shows them
CODES = tuple(KINDS)
