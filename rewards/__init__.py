"""The points supermarket (积分超市): partners, rewards, redemptions, vouchers, settlement.

Importing the package registers its tables on `points.db.Base.metadata`.
"""
from . import catalogue, households, partners, redemptions  # noqa: F401
