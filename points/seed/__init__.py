"""`benniu seed`: synthetic communities with years of plausible history, for load tests.

The structure (communities, rules, the shelf) is made by the domain's own functions; the
history (members, activities, check-ins, awards, tips, redemptions and all they post) is
written in bulk by `history.Chronicle`, then the caches the write path keeps (balances, lots,
tallies) are filled from what was written, so `benniu verify` finds the ledger sound.
"""
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..communities import Community, found_community, issuance_accounts
from ..db import Base
from ..errors import Conflict, Invalid
from ..members import Member
from ..recount import expected_tallies
from ..rules import define_rule
from ..tallies import COUNTS, FIGURES
from . import people
from .history import SHARES, Chronicle, Offer, Person, Town, moment, months
from .rows import Bulk

CODE_PREFIX = "seed-"
MONTHS = 36
RULES = (("patrol", "参与治安巡逻", 50), ("safety_promo", "开展安全防范宣传", 30),
         ("commend", "表彰奖励", 20), ("rental_tip", "提供有效出租房线索", 50))
TABLES = ("accounts", "members", "activities", "claims", "redemptions", "checkins", "transfers", "entries", "lots",
          "lot_uses", "audit_entries")


@dataclass(frozen=True)
class Shelf:
    """What the points supermarket lends the seed (points never imports it): the rewards it
    stocks in a community, and the row of a redemption."""
    stock: Callable[[Session, Community, datetime], list[Offer]]
    redemption_row: Callable


def seed(session: Session, *, communities: int, members: int, entries: int, now: datetime, zone, shelf: Shelf,
         rng: random.Random | None = None, told: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Fill the session's database with `communities` communities, `members` volunteers and about
    `entries` ledger entries of history over the last three years; returns the rows written per
    table. Refuses a database holding members that an earlier seed did not make. The caller commits."""
    if min(communities, members, entries) < 1 or members < communities:
        raise Invalid("communities, members and entries must be positive, with at least one member a community")
    foreign = session.scalar(select(func.count()).select_from(Member).join(Community)
                             .where(~Community.code.startswith(CODE_PREFIX)))
    if foreign:
        raise Conflict(f"this database holds {foreign} members that benniu seed did not make; seed an empty one")
    rng = rng or random.Random(25)
    towns = _found(session, communities, now=now, shelf=shelf)
    tables = [Base.metadata.tables[name] for name in TABLES]
    chronicle = Chronicle(Bulk(session.connection(), tables), rng=rng, now=now, redemption_row=shelf.redemption_row)
    history = months(now, MONTHS, zone)
    _enrol(session, chronicle, towns, members, joined_before=history[0][0], rng=rng)
    told(f"{len(towns)} communities, {members} members enrolled")
    # Transfers per community-month: earnings, and a redemption (a hold and a spend) for every
    # four of them (an earning is ~45 points, a reward 100-300: about half of what is earned is spent).
    earnings = entries / 2 / (MONTHS * len(towns)) / 1.5
    for index, (start, end) in enumerate(history):
        for town in towns:
            _live(chronicle, town, start, end, earnings, rng)
            chronicle.bulk.flush(at_least=50_000)
        told(f"month {index + 1}/{len(history)} ({start:%Y-%m}) written")
    written = chronicle.bulk.finish()
    _settle_caches(session, zone)
    told("balances, lots and tallies filled in")
    return written


def _found(session: Session, count: int, *, now: datetime, shelf: Shelf) -> list[Town]:
    first = session.scalar(select(func.count()).select_from(Community)
                           .where(Community.code.startswith(CODE_PREFIX)))
    towns = []
    for number in range(first, first + count):
        community = found_community(session, name=people.community_name(number), code=f"{CODE_PREFIX}{number + 1}",
                                    now=now - timedelta(days=MONTHS * 31 + 400))
        rules = {code: (rule.id, rule.points, code, rule.name) for code, name, points in RULES
                 for rule in [define_rule(session, community_id=community.id, code=code, name=name, points=points,
                                          basis="per_event", requires_review=code == "rental_tip",
                                          now=community.created_at)]}
        towns.append(Town(community.id, community.name, rules, shelf.stock(session, community, community.created_at)))
    session.flush()
    return towns


def _enrol(session: Session, chronicle: Chronicle, towns: list[Town], count: int, *, joined_before: datetime,
           rng: random.Random) -> None:
    """Members spread over the communities, each with their spending, hold and pending accounts."""
    bulk = chronicle.bulk
    slots = {town.id: issuance_accounts(session, town.id) for town in towns}
    for index in range(count):
        town = towns[index % len(towns)]
        joined = joined_before - timedelta(days=rng.uniform(1, 365))
        number = bulk.next_id["members"]
        name, phone = people.person_name(rng), people.phone(number)
        accounts = [bulk.add("accounts", kind=kind, community_id=town.id, name=f"{name} {phone}{suffix}", balance=0,
                             opened_at=joined)["id"]
                    for kind, suffix in (("member", ""), ("hold", " 冻结"), ("pending", " 公示中"))]
        issuance = slots[town.id][number % len(slots[town.id])]
        bulk.add("members", community_id=town.id, name=name, phone=phone, team=people.team(rng), password_hash=None,
                 account_id=accounts[0], hold_account_id=accounts[1], pending_account_id=accounts[2],
                 issuance_account_id=issuance, joined_at=joined)
        town.people.append(Person(number, town.id, accounts[0], accounts[1], issuance))
        bulk.flush(at_least=50_000)


def _live(chronicle: Chronicle, town: Town, start: datetime, end: datetime, earnings: float,
          rng: random.Random) -> None:
    """One month of a community: patrols, awards and tips, then redemptions by those who can afford one."""
    checkins = _about(rng, earnings * SHARES["checkin"])
    while checkins > 0:
        code = rng.choice(("patrol", "patrol", "safety_promo"))
        before = chronicle.bulk.next_id["checkins"]
        chronicle.patrol(town, code, moment(rng, start, end, evening=True), most=checkins)
        checkins -= chronicle.bulk.next_id["checkins"] - before
    for _ in range(_about(rng, earnings * SHARES["award"])):
        chronicle.award(town, moment(rng, start, end))
    for _ in range(_about(rng, earnings * SHARES["tip"])):
        chronicle.tip(town, moment(rng, start, end))
    cheapest = min(offer.cost for offer in town.offers)
    able = [person for person in town.people if chronicle.balances.get(person.account_id, 0) >= cheapest]
    spends = _about(rng, earnings / 4)
    for person in rng.sample(able, min(spends, len(able))):
        offers = [offer for offer in town.offers if offer.cost <= chronicle.balances[person.account_id]]
        chronicle.redeem(person, rng.choice(offers), moment(rng, start, end))


def _about(rng: random.Random, mean: float) -> int:
    """A whole number that averages `mean`."""
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


def _settle_caches(session: Session, zone) -> None:
    """Balances from the entries, lots from what was taken of them, tallies counted from the ledger."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Every row so far was written in this transaction, which autovacuum cannot see: without
        # statistics the planner guesses, and a guessed nested loop over millions of entries is
        # how a seed of 0.5M-1M entries ran past 300 s in one statement. ANALYZE samples our own rows.
        connection.execute(text("ANALYZE"))
    connection.execute(text("UPDATE accounts SET balance = totals.total FROM (SELECT account_id, sum(amount) AS total "
                            "FROM entries GROUP BY account_id) AS totals WHERE accounts.id = totals.account_id"))
    connection.execute(text("UPDATE lots SET remaining = lots.amount - used.total FROM (SELECT lot_id, "
                            "sum(amount) AS total FROM lot_uses GROUP BY lot_id) AS used WHERE lots.id = used.lot_id"))
    # Every member in the database is a seeded one (`seed` refuses any other), so the tallies
    # are counted afresh for the whole database.
    community_of = dict(session.execute(select(Member.id, Member.community_id)).all())
    members, figures = expected_tallies(session, zone=zone)
    _replace(connection, "member_tallies", [
        {"member_id": key[0], "community_id": community_of[key[0]], "span": key[1], "starts_on": key[2],
         **dict(zip(COUNTS, values))} for key, values in members.items()])
    _replace(connection, "community_tallies", [
        {"community_id": key[0], "month": key[1], "measure": key[2], "subject": key[3], "slot": key[4],
         **dict(zip(FIGURES, values))} for key, values in figures.items()])


def _replace(connection, name: str, rows: list[dict], batch: int = 50_000) -> None:
    table = Base.metadata.tables[name]
    connection.execute(table.delete())
    for index in range(0, len(rows), batch):
        connection.execute(table.insert(), rows[index:index + batch])
