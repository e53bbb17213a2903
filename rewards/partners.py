"""Partners (合作商户): shops, clinics, schools, the property company and the workstation."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from points.accounts import open_account
from points.communities import Community, get_community
from points.db import Base, UTCDateTime, fetch
from points.errors import Conflict, Invalid

KINDS = ("shop", "clinic", "school", "property", "station")

partner_communities = Table(
    "partner_communities", Base.metadata,
    Column("partner_id", ForeignKey("partners.id"), primary_key=True),
    Column("community_id", ForeignKey("communities.id"), primary_key=True),
    # The partner's name while it serves (NULL once retired): one partner of a name per community.
    Column("name_key", String(200)),
    UniqueConstraint("community_id", "name_key"),
)


class PartnerNameTaken(Conflict):
    """A community has a partner of this name already: two 老街理发店 in one list confuse everyone."""


class Partner(Base):
    __tablename__ = "partners"
    __table_args__ = (CheckConstraint(f"kind IN {KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    # Where its rewards are redeemed (the shop's street address), shown on each reward's page.
    address: Mapped[str | None] = mapped_column(String(200))
    # Each partner has its own takings account; a community's workstation partner has the
    # community's station account, so UNIQUE also means one workstation partner per community.
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Retired (停用): its clerks cannot sign in, its rewards are off the shelf.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    communities: Mapped[list[Community]] = relationship(secondary=partner_communities, order_by=Community.id,
                                                        viewonly=True)


def sign_partner(session: Session, *, name: str, kind: str, community_ids: list[int], now: datetime,
                 address: str | None = None) -> Partner:
    """Register a partner serving `community_ids`, with the account its redeemed points go to."""
    if not community_ids:
        raise Invalid("a partner serves at least one community", field="community_ids")
    for community_id in set(community_ids):
        get_community(session, community_id)
    account = open_account(session, kind="partner", name=name, community_id=None, now=now)
    partner = Partner(name=name, kind=kind, address=address or None, account_id=account.id, created_at=now)
    session.add(partner)
    session.flush()
    serve(session, partner, community_ids)
    return partner


def serve(session: Session, partner: Partner, community_ids: list[int]) -> None:
    """Make `partner` (under its present name) serve exactly `community_ids`; refused
    (PartnerNameTaken) where another partner of that name serves one of them already."""
    wanted = sorted(set(community_ids))
    taken = name_taken(session, partner, wanted)
    if taken is not None:
        raise PartnerNameTaken(f"community {taken} has a partner named {partner.name} already", name=partner.name)
    try:
        with session.begin_nested():  # a partner of the name signed at the same moment: the constraint says so
            session.execute(partner_communities.delete().where(partner_communities.c.partner_id == partner.id))
            session.execute(partner_communities.insert(), [
                {"partner_id": partner.id, "community_id": c, "name_key": partner.name} for c in wanted])
    except IntegrityError as clash:
        raise PartnerNameTaken(f"a partner named {partner.name} was signed meanwhile", name=partner.name) from clash


def name_taken(session: Session, partner: Partner, community_ids: list[int]) -> int | None:
    """One of `community_ids` where another partner of `partner`'s name serves already, or None
    (committed ones only: a partner of the name signed at this moment is the constraint's to find)."""
    return session.scalar(select(partner_communities.c.community_id).where(
        partner_communities.c.community_id.in_(community_ids), partner_communities.c.name_key == partner.name,
        partner_communities.c.partner_id != partner.id).limit(1))


def station_of(session: Session, community: Community, *, now: datetime) -> Partner:
    """The community's police workstation (警网融合工作站) as a partner: where goods are handed
    over, so that they are settled like any partner's. Made on first use, once."""
    existing = station_if_any(session, community)
    if existing is not None:
        return existing
    partner = Partner(name=f"{community.name} 警网融合工作站", kind="station",
                      account_id=community.station_account_id, created_at=now)
    try:
        with session.begin_nested():
            session.add(partner)
            session.flush()
            session.execute(partner_communities.insert(), [{"partner_id": partner.id, "community_id": community.id}])
    except IntegrityError:  # made by a concurrent request meanwhile
        return session.scalars(select(Partner).where(Partner.account_id == community.station_account_id)).one()
    return partner


def station_if_any(session: Session, community: Community) -> Partner | None:
    """The community's workstation partner if it has been made (nothing is made: a read)."""
    return session.scalar(select(Partner).where(Partner.account_id == community.station_account_id))


def get_partner(session: Session, partner_id: int) -> Partner:
    return fetch(session, Partner, partner_id, "partner")


def partner_serves(session: Session, partner_id: int, community_id: int | None) -> bool:
    return session.scalar(select(partner_communities.c.partner_id).where(
        partner_communities.c.partner_id == partner_id,
        partner_communities.c.community_id == community_id)) is not None


def communities_served(session: Session, partner_id: int) -> list[int]:
    """The ids of the communities a partner serves, ascending."""
    return list(session.scalars(select(partner_communities.c.community_id).where(
        partner_communities.c.partner_id == partner_id).order_by(partner_communities.c.community_id)))


def find_partners(session: Session, *, partner_id: int | None = None,
                  community_id: int | None = None) -> list[Partner]:
    """Partners, optionally just one, or those serving a community (each with its communities)."""
    query = select(Partner).options(selectinload(Partner.communities)).order_by(Partner.id)
    if partner_id is not None:
        query = query.where(Partner.id == partner_id)
    if community_id is not None:
        query = query.join(partner_communities, partner_communities.c.partner_id == Partner.id).where(
            partner_communities.c.community_id == community_id)
    return list(session.scalars(query))


def partner_names(session: Session, partner_ids: list[int]) -> dict[int, str]:
    """{id: name} of the given partners."""
    if not partner_ids:
        return {}
    return dict(session.execute(select(Partner.id, Partner.name).where(Partner.id.in_(partner_ids))).all())
