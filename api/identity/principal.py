"""Who is calling: the four roles, and the principal a request acts as."""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from points.audit import Party
from points.masking import masked_phone

# A sign-in's token is named "<name> <phone>": the phone is for logs, never for what people read.
PHONE_TAIL = re.compile(r"\s+\+?[0-9]{5,20}$")

ROLES = ("admin", "organiser", "partner", "volunteer")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role and the one community, partner or member it is bound to."""

    token_id: int
    role: str
    name: str
    community_id: int | None = None
    partner_id: int | None = None
    member_id: int | None = None
    staff_id: int | None = None
    staff_name: str | None = None
    # Signed in with a temporary password: may only change it (or sign out) until then.
    must_change_password: bool = False

    @property
    def scope(self) -> str:
        """Whose idempotency keys these are: a volunteer's phones share theirs."""
        subject = {"volunteer": self.member_id, "partner": self.partner_id}.get(self.role, self.token_id)
        return f"{self.role}:{subject}"

    @property
    def actor(self) -> str:
        """The principal in logs (role and token name): never shown to people."""
        return f"{self.role}:{self.name}"[:200]

    @property
    def shown_name(self) -> str:
        """The name people see for this principal's acts: a staff account's name, else the token's
        (without the phone a sign-in's token carries)."""
        return self.staff_name or PHONE_TAIL.sub("", self.name)

    @property
    def signature(self) -> str:
        """Who did it, as the records people read keep it (`organiser:刘明`): role and shown name, no phone."""
        return f"{self.role}:{self.shown_name}"[:200]


ROLE_NAMES = {"admin": _l("管理员"), "organiser": _l("组织者"), "partner": _l("店员"), "volunteer": _l("志愿者"),
              "system": _l("系统")}


def said(who: Party | str | None) -> str:
    """Who did something (an audit row's actor, or a record's `organiser:罗塘派出所 民警`), as people
    read it on a page or in an export: 组织者 罗塘派出所 民警. Never a role code, never a whole phone."""
    if isinstance(who, Party):
        return f"{ROLE_NAMES.get(who.kind, '')} {_no_phone(who.name or '')}".strip()
    role, _, name = (who or "").partition(":")
    return f"{ROLE_NAMES[role]} {_no_phone(name)}".strip() if role in ROLE_NAMES else _no_phone(who or "")


def _no_phone(name: str) -> str:
    """Older records kept a sign-in's "王芳 13700000001": the name alone, or the phone masked if that is all."""
    bare = PHONE_TAIL.sub("", name)
    return masked_phone(bare) if bare.lstrip("+").isdigit() else bare
