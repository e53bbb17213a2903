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

    @property
    def scope(self) -> str:
        """Whose idempotency keys these are: a volunteer's phones share theirs."""
        subject = {"volunteer": self.member_id, "partner": self.partner_id}.get(self.role, self.token_id)
        return f"{self.role}:{subject}"

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"[:200]
