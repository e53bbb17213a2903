"""Who is calling: the four roles, and the principal a request acts as."""
from dataclasses import dataclass

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
        """The name people see for this principal's acts: a staff account's name, else the token's."""
        return self.staff_name or self.name
