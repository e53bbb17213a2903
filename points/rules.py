"""Earning rules (积分规则): what a deed is worth. A change is a new version; old ones stay."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint, bindparam, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from .communities import get_community
from .db import Base, UTCDateTime, flush_unique
from .errors import Conflict, NotFound, RuleCodeTaken

BASES = ("per_event", "per_hour")


class Rule(Base):
    __tablename__ = "rules"
    __table_args__ = (
        UniqueConstraint("community_id", "code", "version"),
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("daily_cap IS NULL OR daily_cap > 0", name="daily_cap_positive"),
        CheckConstraint(f"basis IN {BASES!r}", name="basis"),
        CheckConstraint("notice_days >= 0", name="notice_days_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column()
    basis: Mapped[str] = mapped_column(String(16))
    daily_cap: Mapped[int | None] = mapped_column()
    requires_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # Days an award under this rule stays on public notice (公示) before it counts; 0: none.
    notice_days: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def define_rule(session: Session, *, community_id: int, code: str | None, name: str, points: int, basis: str,
                now: datetime, daily_cap: int | None = None, requires_review: bool = False,
                notice_days: int = 0) -> Rule:
    """Create version 1 of a rule in a community; without a `code`, the rule gets the next free
    `rule_<n>` (organisers name rules in Chinese; the code is for sheets and programs)."""
    get_community(session, community_id)
    terms = dict(community_id=community_id, version=1, name=name, points=points, basis=basis, daily_cap=daily_cap,
                 requires_review=requires_review, notice_days=notice_days, created_at=now)
    if code is not None:
        if latest_rule(session, community_id=community_id, code=code) is not None:
            raise RuleCodeTaken(f"rule {code!r} already exists in this community; PUT a new version instead")
        return _add_version(session, Rule(code=code, **terms))
    for attempt in range(_GENERATED_TRIES):  # a rule made meanwhile may take the number first
        try:
            return _add_version(session, Rule(code=_next_code(session, community_id), **terms))
        except Conflict:
            if attempt == _GENERATED_TRIES - 1:
                raise
    raise AssertionError("unreachable")


_GENERATED_TRIES = 3


def _next_code(session: Session, community_id: int) -> str:
    """`rule_<n>`, n one past the community's highest generated number (or its count of codes)."""
    codes = set(session.scalars(select(Rule.code).where(Rule.community_id == community_id).distinct()))
    number = len(codes) + 1
    while f"rule_{number}" in codes:
        number += 1
    return f"rule_{number}"


def revise_rule(session: Session, *, community_id: int, code: str, now: datetime, **changes) -> Rule:
    """Write the rule's next version with `changes`; entries earned earlier keep their version."""
    current = current_rule(session, community_id=community_id, code=code)
    fields = {name: getattr(current, name)
              for name in ("name", "points", "basis", "daily_cap", "requires_review", "notice_days")}
    fields.update(changes)
    return _add_version(session, Rule(community_id=community_id, code=code, version=current.version + 1,
                                      created_at=now, **fields))


def retire_rule(session: Session, *, community_id: int, code: str, now: datetime) -> Rule:
    """Stop new earnings under a rule; its history stays."""
    current = current_rule(session, community_id=community_id, code=code)
    current.retired_at = now
    session.flush()
    return current


def current_rule(session: Session, *, community_id: int, code: str) -> Rule:
    """The latest, not retired, version of a rule."""
    return in_force(latest_rule(session, community_id=community_id, code=code), community_id=community_id, code=code)


def in_force(latest: Rule | None, *, community_id: int, code: str) -> Rule:
    """`latest` (a rule's newest version, read by the caller) if it is in force; else NotFound."""
    if latest is None or latest.retired:
        raise NotFound(f"no rule {code!r} in community {community_id}")
    return latest


def rule_names(session: Session, community_id: int) -> dict[str, str]:
    """Every rule's name by its code, retired ones too (what was earned under them is still shown):
    the latest version's name."""
    return dict(session.execute(select(Rule.code, Rule.name).where(Rule.community_id == community_id)
                                .order_by(Rule.version)).all())


def rules_of(session: Session, community_id: int | None = None, *, retired: bool = False) -> list[Rule]:
    """The current version of every live rule (in one community, or all); `retired`: of every retired one."""
    latest = (select(Rule.community_id, Rule.code, func.max(Rule.version).label("version"))
              .group_by(Rule.community_id, Rule.code))
    if community_id is not None:
        latest = latest.where(Rule.community_id == community_id)
    latest = latest.subquery()
    query = (select(Rule).join(latest, (Rule.community_id == latest.c.community_id)
                               & (Rule.code == latest.c.code) & (Rule.version == latest.c.version))
             .where(Rule.retired_at.is_not(None) if retired else Rule.retired_at.is_(None))
             .order_by(Rule.community_id, Rule.code))
    return list(session.scalars(query))


def rule_versions(session: Session, *, community_id: int, code: str) -> list[Rule]:
    """Every version of a rule, newest first (NotFound if it never existed)."""
    versions = list(session.scalars(select(Rule).where(Rule.community_id == community_id, Rule.code == code)
                                    .order_by(Rule.version.desc())))
    if not versions:
        raise NotFound(f"no rule {code!r} in community {community_id}")
    return versions


def latest_rule(session: Session, *, community_id: int, code: str) -> Rule | None:
    """The newest version of a rule, retired or not (None if it never existed)."""
    return session.scalar(_LATEST, {"community": community_id, "code": code})


_LATEST = (select(Rule).where(Rule.community_id == bindparam("community"), Rule.code == bindparam("code"))
           .order_by(Rule.version.desc()).limit(1))


def latest_version_of(community_id: ColumnElement[int], code: ColumnElement[str]) -> ScalarSelect[int]:
    """The id of a rule's newest version, as a subquery (to read the rule joined to what names it)."""
    return (select(Rule.id).where(Rule.community_id == community_id, Rule.code == code)
            .order_by(Rule.version.desc()).limit(1).correlate_except(Rule).scalar_subquery())


def _add_version(session: Session, rule: Rule) -> Rule:
    flush_unique(session, rule, taken=f"rule {rule.code!r} was changed at the same time; try again")
    return rule
