"""Counting the tallies again from the ledger, check-ins, claims and members: for `benniu verify`
and for filling them in on a database that had none. Reads everything; never for a request."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from .checkins import Checkin
from .claims import Claim
from .db import Base
from .ledger import Transfer
from .members import Member
from .notices import Notice
from .tallies import (
    COUNTS,
    FIGURES,
    CommunityTally,
    Deeds,
    Figure,
    MemberTally,
    attended,
    earning,
    figure_rows,
    member_rows,
    served,
    spending,
)


@dataclass(frozen=True)
class _Member:
    id: int
    community_id: int
    issuance_account_id: int


def expected_tallies(session: Session, *, zone: tzinfo) -> tuple[dict, dict]:
    """Every tally counted again from the ledger, check-ins, claims and members.

    Returns ({(member_id, span, starts_on): (earned, spent, minutes, activities, tips)},
    {(community_id, month, measure, subject, slot): (points, count, amount_fen)}), rows of
    zeros left out. Reads everything: for `benniu verify` and migrations, never for a request.
    """
    members, by_account = {}, {}
    member_totals, figure_totals = defaultdict(lambda: [0] * len(COUNTS)), defaultdict(lambda: [0] * len(FIGURES))

    def add(member_id: int, at: datetime, deeds: Deeds) -> None:
        member, local = members[member_id], at.astimezone(zone)
        for row in member_rows(member, local, deeds):
            totals = member_totals[(member_id, row["span"], row["starts_on"])]
            for index, name in enumerate(COUNTS):
                totals[index] += row[name]
        for row in figure_rows(member, local, list(deeds.figures)):
            totals = figure_totals[(row["community_id"], row["month"], row["measure"], row["subject"], row["slot"])]
            for index, name in enumerate(FIGURES):
                totals[index] += row[name]

    by_pending = {}
    for member_id, community_id, issuance, account, hold, pending, joined in session.execute(select(
            Member.id, Member.community_id, Member.issuance_account_id, Member.account_id, Member.hold_account_id,
            Member.pending_account_id, Member.joined_at)):
        members[member_id] = _Member(member_id, community_id, issuance)
        by_account[account] = by_account[hold] = member_id
        by_pending[pending] = member_id
        add(member_id, joined, Deeds(figures=(Figure("joined", count=1),)))
    original = aliased(Transfer)
    for kind, debit, credit, amount, at, rule_code, earned_at, notice in session.execute(
            select(Transfer.kind, Transfer.debit_account_id, Transfer.credit_account_id, Transfer.amount,
                   Transfer.at, Transfer.rule_code, original.at, Notice.status)
            .outerjoin(original, original.id == Transfer.reverses_id)
            .outerjoin(Notice, Notice.transfer_id == Transfer.id)
            .where(Transfer.kind.in_(("earn", "reversal")))).yield_per(10_000):
        if kind == "earn" and (credit in by_account or (credit in by_pending and notice == "final")):
            # An earning on public notice counts once final, in the period it was earned in.
            add(by_account.get(credit) or by_pending[credit], at, earning(amount, rule_code))
        elif kind == "reversal" and debit in by_account:
            add(by_account[debit], earned_at, earning(-amount, rule_code))
    for member_id, activity_id, checked_in_at, checked_out_at, minutes in session.execute(
            select(Checkin.member_id, Checkin.activity_id, Checkin.checked_in_at, Checkin.checked_out_at,
                   Checkin.minutes)).yield_per(10_000):
        add(member_id, checked_in_at, attended(activity_id))
        if minutes:
            add(member_id, checked_out_at, served(minutes))
    for member_id, reviewed_at in session.execute(select(Claim.member_id, Claim.reviewed_at).where(
            Claim.status == "approved", Claim.activity_id.is_(None))):
        add(member_id, reviewed_at, Deeds(tips=1))
    _spends(session, add, by_account)
    for (member_id, span, day), counts in list(member_totals.items()):
        if span == "month" and counts[0] > 0:  # earned
            add(member_id, datetime(day.year, day.month, 1, 12, tzinfo=zone),
                Deeds(figures=(Figure("active", count=1),)))
    return _without_zeros(member_totals.items()), _without_zeros(figure_totals.items())


def _spends(session: Session, add, by_account: dict) -> None:
    # The redemptions table is the points supermarket's (rewards imports points, never the
    # reverse): it is named here, not imported. Spends exist only where it does.
    redemptions = Base.metadata.tables.get("redemptions")
    if redemptions is None:
        return
    for debit, amount, at, kind, partner_id, amount_fen in session.execute(
            select(Transfer.debit_account_id, Transfer.amount, Transfer.at, redemptions.c.kind,
                   redemptions.c.partner_id, redemptions.c.amount_fen)
            .join(redemptions, redemptions.c.id == Transfer.redemption_id)
            .where(Transfer.kind == "spend")).yield_per(10_000):
        if debit in by_account:
            add(by_account[debit], at, spending(amount, kind=kind, partner_id=partner_id, amount_fen=amount_fen))


def _without_zeros(rows) -> dict:
    """{key: tuple of values} from (key, values) pairs, rows of zeros left out."""
    return {key: tuple(values) for key, values in rows if any(values)}


def stored_tallies(session: Session) -> tuple[dict, dict]:
    """The tallies as kept, in `expected_tallies`' shape."""
    members = session.execute(select(MemberTally.member_id, MemberTally.span, MemberTally.starts_on,
                                     *(getattr(MemberTally, name) for name in COUNTS))).yield_per(10_000)
    figures = session.execute(select(CommunityTally.community_id, CommunityTally.month, CommunityTally.measure,
                                     CommunityTally.subject, CommunityTally.slot,
                                     *(getattr(CommunityTally, name) for name in FIGURES))).yield_per(10_000)
    return (_without_zeros((tuple(row[:3]), row[3:]) for row in members),
            _without_zeros((tuple(row[:5]), row[5:]) for row in figures))


def tally_problems(session: Session, *, zone: tzinfo) -> list[str]:
    """Every tally that differs from what the ledger says it should be."""
    problems = []
    for label, names, stored, expected in zip(("member", "community"), (COUNTS, FIGURES), stored_tallies(session),
                                              expected_tallies(session, zone=zone)):
        differing = [key for key in set(stored) | set(expected) if stored.get(key) != expected.get(key)]
        for key in sorted(differing, key=str):
            problems.append(f"{label} tally {key}: kept {named(names, stored.get(key))} "
                            f"but the ledger says {named(names, expected.get(key))}")
    return problems


def named(names: tuple[str, ...], values: tuple[int, ...] | None) -> dict:
    """{name: value} of a tally's values that are not zero."""
    return {name: value for name, value in zip(names, values or ()) if value}
