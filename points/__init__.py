"""The points ledger and how points are earned: members, rules, claims, check-ins.

Importing the package registers every table of it on `points.db.Base.metadata`.
"""
from . import (  # noqa: F401
    accounts,
    activities,
    applications,
    audit,
    certificates,
    checkins,
    claims,
    communities,
    ledger,
    members,
    messages,
    offline,
    paper_book,
    photos,
    rules,
)
