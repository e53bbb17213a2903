"""The points ledger and how points are earned: members, rules, claims, check-ins.

Importing the package registers every table of it on `points.db.Base.metadata`.
"""
from . import accounts, activities, audit, checkins, claims, communities, ledger, members, messages, paper_book, rules  # noqa: F401
from . import certificates  # noqa: F401
