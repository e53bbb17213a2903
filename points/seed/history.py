"""Years of a community's life written month by month: patrols with their check-ins, awards,
reviewed tips and redemptions, posted through the ledger's own rules (two entries a transfer,
balances carried, lots taken soonest first) but as rows in bulk."""
import json
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..lots import NEVER
from .rows import Bulk


@dataclass(frozen=True)
class Offer:
    """A reward on a seeded community's shelf, and the account its spent points go to."""
    reward_id: int
    name: str
    kind: str
    cost: int
    partner_id: int
    payee_account_id: int


@dataclass(slots=True)
class Person:
    id: int
    community_id: int
    account_id: int
    hold_account_id: int
    issuance_account_id: int
    lots: deque = field(default_factory=deque)  # [lot id, points left] of open lots, oldest first


@dataclass
class Town:
    """A seeded community: its accounts, rules {code: (id, points, name)}, shelf and people."""
    id: int
    name: str
    rules: dict
    offers: list[Offer]
    people: list[Person] = field(default_factory=list)


# Of the earnings, these shares come from check-ins, organisers' awards and approved tips.
SHARES = {"checkin": 0.85, "award": 0.08, "tip": 0.07}
PATROL_SIZE = (10, 70)  # volunteers at one activity


class Chronicle:
    """Posts a community's events in time order, keeping every account's balance as it goes."""

    def __init__(self, bulk: Bulk, *, rng: random.Random, now: datetime, redemption_row):
        self.bulk, self.rng, self.now = bulk, rng, now
        self.balances: dict[int, int] = {}
        self.redemption_row = redemption_row  # the supermarket's: (id, person, offer, at, status, ...) -> row

    def transfer(self, kind: str, debit: int, credit: int, amount: int, at: datetime, *, memo: str = "",
                 actor: str | None = None, **refs) -> int:
        row = self.bulk.add("transfers", kind=kind, debit_account_id=debit, credit_account_id=credit, amount=amount,
                            at=at, memo=memo, actor=actor, **{**REFERENCES, **refs})
        for account, change in ((debit, -amount), (credit, amount)):
            self.balances[account] = self.balances.get(account, 0) + change
            self.bulk.add("entries", transfer_id=row["id"], account_id=account, amount=change,
                          balance_after=self.balances[account], at=at)
        return row["id"]

    def earn(self, person: Person, rule: tuple, at: datetime, *, memo: str, actor: str | None = None,
             **refs) -> int:
        rule_id, points, code = rule[0], rule[1], rule[2]
        transfer_id = self.transfer("earn", person.issuance_account_id, person.account_id, points, at, memo=memo,
                                    actor=actor, rule_id=rule_id, rule_code=code, **refs)
        lot = self.bulk.add("lots", member_id=person.id, transfer_id=transfer_id, earned_at=at, expires_at=NEVER,
                            amount=points, remaining=points, expired=0)
        person.lots.append([lot["id"], points])
        return transfer_id

    def patrol(self, town: Town, code: str, starts: datetime, *, most: int) -> None:
        """An activity and the check-ins (at most `most`) of those who came, each paid its rule's points."""
        rule = town.rules[code]
        activity = self.bulk.add("activities", community_id=town.id, rule_code=code, title=f"{rule[3]} {starts:%m月%d日}",
                                 starts_at=starts, ends_at=starts + timedelta(hours=2), lat=None, lng=None,
                                 radius_m=None, capacity=None, checkin_methods="printed,live,card", places_taken=0,
                                 created_at=starts - timedelta(days=3))
        size = min(self.rng.randint(*PATROL_SIZE), most, len(town.people))
        for person in self.rng.sample(town.people, size):
            at = starts + timedelta(seconds=self.rng.randint(0, 1800))
            checkin = self.bulk.add("checkins", activity_id=activity["id"], member_id=person.id, status="awarded",
                                    method="printed", checked_in_at=at, checked_out_at=None, minutes=None,
                                    points=rule[1], claim_id=None)
            self.earn(person, rule, at, memo=activity["title"], activity_id=activity["id"], checkin_id=checkin["id"])

    def award(self, town: Town, at: datetime) -> None:
        person, actor, memo = self.rng.choice(town.people), f"{town.name} 民警", "表彰：协助调解邻里纠纷"
        transfer_id = self.earn(person, town.rules["commend"], at, memo=memo, actor=actor)
        self._audit(at, actor, "award", town, person, memo, transfer_id=transfer_id, rule_code="commend",
                    points=town.rules["commend"][1])

    def tip(self, town: Town, at: datetime) -> None:
        """A rental tip: approved (and paid), rejected, or still in the queue if recent."""
        person, rule = self.rng.choice(town.people), town.rules["rental_tip"]
        recent = self.now - at < timedelta(days=20)
        status = "pending" if recent and self.rng.random() < 0.6 else self.rng.choice(("approved",) * 4 + ("rejected",))
        reviewed = None if status == "pending" else at + timedelta(hours=self.rng.randint(2, 48))
        claim = self.bulk.add("claims", community_id=town.id, member_id=person.id, rule_code="rental_tip",
                              description="发现一户出租房未登记租客信息", status=status,
                              points=rule[1] if status == "approved" else None,
                              reason="信息不实" if status == "rejected" else None, transfer_id=None,
                              activity_id=None, created_at=at, reviewed_at=reviewed,
                              reviewed_by=f"{town.name} 民警" if reviewed else None)
        if status == "approved":
            claim["transfer_id"] = self.earn(person, rule, reviewed, memo="出租房线索", claim_id=claim["id"])
        if reviewed:
            self._audit(reviewed, claim["reviewed_by"], "claim_reviewed", town, person, claim["reason"], claim_id=claim["id"],
                        rule_code="rental_tip", decision=status, points=claim["points"],
                        transfer_id=claim["transfer_id"])

    def redeem(self, person: Person, offer: Offer, at: datetime) -> None:
        """Hold the points (from the oldest lots) and, unless the voucher is recent, hand it over."""
        fulfilled = at + timedelta(hours=self.rng.randint(1, 72))
        done = fulfilled < self.now - timedelta(days=3)
        redemption = self.redemption_row(self.bulk, person=person, offer=offer, at=at,
                                         fulfilled_at=fulfilled if done else None)
        hold = self.transfer("hold", person.account_id, person.hold_account_id, offer.cost, at,
                             memo=f"兑换 {offer.name}", redemption_id=redemption["id"])
        redemption["hold_transfer_id"] = hold
        left = offer.cost
        while left:
            lot = person.lots[0]
            taken = min(left, lot[1])
            self.bulk.add("lot_uses", lot_id=lot[0], transfer_id=hold, amount=taken)
            lot[1], left = lot[1] - taken, left - taken
            if not lot[1]:
                person.lots.popleft()
        if done:
            redemption["settle_transfer_id"] = self.transfer(
                "spend", person.hold_account_id, offer.payee_account_id, offer.cost, fulfilled,
                memo=f"兑付 {offer.name}", redemption_id=redemption["id"])

    def _audit(self, at: datetime, actor: str, action: str, town: Town, person: Person, why: str | None,
               **details) -> None:
        self.bulk.add("audit_entries", at=at, actor_kind="organiser", actor_id=None, actor_name=actor, action=action,
                      subject_kind="member", subject_id=person.id, subject_name=None, community_id=town.id,
                      member_id=person.id, why=why, details=json.dumps(details, ensure_ascii=False))


REFERENCES = dict.fromkeys(("rule_id", "rule_code", "activity_id", "checkin_id", "claim_id", "redemption_id",
                            "reverses_id"))


def months(now: datetime, count: int, zone) -> list[tuple[datetime, datetime]]:
    """The last `count` calendar months in `zone` up to `now`, oldest first, as [start, end) (the
    last one ends now)."""
    local = now.astimezone(zone)
    starts = []
    year, month = local.year, local.month
    for _ in range(count):
        starts.append(datetime(year, month, 1, tzinfo=zone))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    return [(start, starts[index + 1] if index + 1 < len(starts) else now) for index, start in enumerate(starts)]


def moment(rng: random.Random, start: datetime, end: datetime, *, evening: bool = False) -> datetime:
    """A time in [start, end), at 19:00 local on its day if `evening` and that is still inside."""
    at = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds() - 1))
    if evening:
        dusk = at.replace(hour=19, minute=0, second=0, microsecond=0)
        at = dusk if start <= dusk < end - timedelta(hours=3) else at
    return at.astimezone(timezone.utc)
