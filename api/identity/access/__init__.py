"""Who may see and act on what: the one access policy every act, endpoint and page asks.

Every function takes the principal explicitly (a view passes `current_principal()`, a page its
session's principal, an act its actor), so the same rule serves every door. No other module
compares a principal's role (tests/unit/test_layering.py keeps it so).

What is not visible answers 404 (it might as well not exist); what is visible but not the
caller's to do answers 403. By area: roles (and communities), people, shop, staff.
"""
from .people import (
    listed_member,
    managed_activity,
    may_see_member,
    member_acted_for,
    sees_checkin_codes,
    visible_activity,
    visible_checkin,
    visible_claim,
    visible_member,
    visible_notice,
    visible_transfer,
)
from .roles import (
    STAFF,
    Scope,
    allows,
    community_for,
    is_staff,
    managed_community,
    named_community,
    scope,
    sees_full_names,
    visible_communities,
)
from .shop import (
    counter_of,
    fulfillable_voucher,
    managed_partner,
    may_change_partner,
    may_sign_partner,
    redemption_filters,
    reward_filters,
    settlement_view,
    visible_partners,
    visible_redemption,
    visible_reward,
    visits_counters,
)
from .staff import (
    StaffCut,
    disabling_staff,
    staff_cut,
    staff_grant,
    token_grant,
    token_scope,
    visible_staff,
    visible_token,
)
from .tips import grants_tips, readable_claim, reads_claim, sees_tips, tips_grant

__all__ = [
    "STAFF", "Scope", "StaffCut", "allows", "community_for", "counter_of", "disabling_staff", "fulfillable_voucher",
    "is_staff", "listed_member", "managed_community", "may_see_member", "may_sign_partner", "member_acted_for",
    "named_community", "redemption_filters", "reward_filters", "scope", "sees_checkin_codes", "sees_full_names",
    "settlement_view", "visits_counters", "staff_cut", "staff_grant", "token_grant", "token_scope", "visible_activity",
    "visible_checkin", "visible_claim", "visible_communities", "visible_member", "visible_notice", "visible_partners",
    "visible_redemption", "visible_reward", "visible_staff", "visible_token", "visible_transfer",
    "managed_activity", "managed_partner", "may_change_partner",
    "grants_tips", "readable_claim", "reads_claim", "sees_tips", "tips_grant",
]
