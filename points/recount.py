"""Counting the tallies again from the ledger, check-ins, claims and members: for `benniu verify`
and for filling them in on a database that had none. Reads everything; never for a request."""
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from .checkins import Checkin
from .claims import Claim
from .daybook import Daybook, Place, without_zeros
from .db import Base
from .ledger import Transfer
from .members import Member
from .notices import Notice
from .tallies import (
    COUNTS,
    FIGURES,
    CommunityTally,
    Deeds,
    MemberTally,
    attended,
    earning,
    joining,
    served,
    spending,
    tipping,
)


def expected_tallies(session: Session, *, zone: tzinfo) -> tuple[dict, dict]:
    """Every tally counted again from the ledger, check-ins, claims and members.

    Returns ({(member_id, span, starts_on): (earned, spent, minutes, activities, tips)},
    {(community_id, month, measure, subject, slot): (points, count, amount_fen)}), rows of
    zeros left out. Reads everything: for `benniu verify` and migrations, never for a request.
    """
    places, by_account, by_pending = {}, {}, {}
    book = Daybook(zone, places)
    for member_id, community_id, issuance, account, hold, pending, joined in _rows(session, select(
            Member.id, Member.community_id, Member.issuance_account_id, Member.account_id, Member.hold_account_id,
            Member.pending_account_id, Member.joined_at)):
        places[member_id] = Place(community_id, issuance)
        by_account[account] = by_account[hold] = member_id
        by_pending[pending] = member_id
        book.enter(member_id, joined, joining)
    original = aliased(Transfer)
    for kind, debit, credit, amount, at, rule_code, earned_at, notice in _rows(session,
            select(Transfer.kind, Transfer.debit_account_id, Transfer.credit_account_id, Transfer.amount,
                   Transfer.at, Transfer.rule_code, original.at, Notice.status)
            .outerjoin(original, original.id == Transfer.reverses_id)
            .outerjoin(Notice, Notice.transfer_id == Transfer.id)
            .where(Transfer.kind.in_(("earn", "reversal")))):
        if kind == "earn" and (credit in by_account or (credit in by_pending and notice == "final")):
            # An earning on public notice counts once final, in the period it was earned in.
            book.enter(by_account.get(credit) or by_pending[credit], at, earning, amount, rule_code)
        elif kind == "reversal" and debit in by_account:
            book.enter(by_account[debit], earned_at, earning, -amount, rule_code)
    for member_id, activity_id, checked_in_at, checked_out_at, minutes in _rows(session, select(
            Checkin.member_id, Checkin.activity_id, Checkin.checked_in_at, Checkin.checked_out_at, Checkin.minutes)):
        book.enter(member_id, checked_in_at, attended, activity_id)
        if minutes:
            book.enter(member_id, checked_out_at, served, minutes)
    for member_id, reviewed_at in _rows(session, select(Claim.member_id, Claim.reviewed_at).where(
            Claim.status == "approved", Claim.activity_id.is_(None))):
        book.enter(member_id, reviewed_at, tipping)
    _spends(session, book, by_account)
    return book.tallies()


def _spends(session: Session, book: Daybook, by_account: dict) -> None:
    # The redemptions table is the points supermarket's (rewards imports points, never the
    # reverse): it is named here, not imported. Spends exist only where it does.
    redemptions = Base.metadata.tables.get("redemptions")
    if redemptions is None:
        return
    for debit, amount, at, kind, partner_id, amount_fen in _rows(
            session, select(Transfer.debit_account_id, Transfer.amount, Transfer.at, redemptions.c.kind,
                   redemptions.c.partner_id, redemptions.c.amount_fen)
            .join(redemptions, redemptions.c.id == Transfer.redemption_id)
            .where(Transfer.kind == "spend")):
        if debit in by_account:
            book.enter(by_account[debit], at, _spending, amount, kind, partner_id, amount_fen)


def _rows(session: Session, query):
    """The rows of a query of columns, as plain rows fetched 10,000 at a time: through the
    session's connection, as the ORM's handling of each row costs as much again as reading it."""
    return session.connection().execute(query.execution_options(yield_per=10_000))


def _spending(points: int, kind: str, partner_id: int | None, amount_fen: int | None) -> Deeds:
    return spending(points, kind=kind, partner_id=partner_id, amount_fen=amount_fen)


def stored_tallies(session: Session) -> tuple[dict, dict]:
    """The tallies as kept, in `expected_tallies`' shape."""
    return tuple(without_zeros(rows) for rows in _kept(session))


def _kept(session: Session) -> tuple:
    """(key, values) of the member tallies, and of the community tallies, read as they are iterated."""
    return (_kept_rows(session, MemberTally, ("member_id", "span", "starts_on"), COUNTS),
            _kept_rows(session, CommunityTally, ("community_id", "month", "measure", "subject", "slot"), FIGURES))


def _kept_rows(session: Session, model, key: tuple[str, ...], names: tuple[str, ...]):
    width = len(key)
    for row in _rows(session, select(*(getattr(model, name) for name in key + names))):
        yield tuple(row[:width]), tuple(row[width:])


def tally_problems(session: Session, *, zone: tzinfo) -> list[str]:
    """Every tally that differs from what the ledger says it should be."""
    problems = []
    expected = expected_tallies(session, zone=zone)
    for label, names, kept, wanted in zip(("member", "community"), (COUNTS, FIGURES), _kept(session), expected):
        # Each kept row is matched as it is read and the match taken out: what is left was never kept.
        differing = []
        for key, values in kept:
            values, want = values if any(values) else None, wanted.pop(key, None)
            if values != want:
                differing.append((key, values, want))
        differing += [(key, None, want) for key, want in wanted.items()]
        for key, values, want in sorted(differing, key=lambda found: str(found[0])):
            problems.append(f"{label} tally {key}: kept {named(names, values)} "
                            f"but the ledger says {named(names, want)}")
    return problems


def named(names: tuple[str, ...], values: tuple[int, ...] | None) -> dict:
    """{name: value} of a tally's values that are not zero."""
    return {name: value for name, value in zip(names, values or ()) if value}
